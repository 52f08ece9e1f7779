"""The participant's pages, reached from the ticket (the ticket code is the key, no account):
their own history, the pre-/post-test and the evaluation surveys."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ...common.errors import DomainError
from ...common.types import utcnow
from ...common.wib import format_number
from ...extensions import db
from ...registration import queries as registration_queries
from ...registration.models import Registration
from .. import bank, exams, record, surveys
from ..models import ExamKind, Question, Survey
from .blueprint import bp


def _ticket(code: str) -> Registration:
    reg = registration_queries.ticket_registration(code)
    if reg is None:
        abort(404, _("Tiket tidak ditemukan. Periksa kembali tautan tiket Anda."))
    return reg


def _private(body: str) -> Response:
    response = Response(body)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/t/<code>/saya")
def public_own_page(code: str):
    reg = _ticket(code)
    page = record.own_page(reg)
    return _private(render_template("training/own_page.html", registration=reg, page=page))


def _exam_or_404(reg: Registration, kind: str):
    try:
        test_kind = ExamKind(kind)
    except ValueError:
        abort(404)
    exam = exams.exam_of(reg.event, test_kind)
    if exam is None:
        abort(404, _("Tes ini belum disiapkan panitia."))
    return exam


@bp.get("/t/<code>/tes/<kind>")
def public_exam(code: str, kind: str):
    reg = _ticket(code)
    exam = _exam_or_404(reg, kind)
    attempt = exams.attempt_of(exam, reg)
    now = utcnow()
    items = []
    saved: dict[int, int] = {}
    if attempt is not None and attempt.submitted_at is None and exam.is_open(now):
        questions = {
            q.id: q
            for q in db.session.scalars(select(Question).where(Question.event_id == reg.event_id))
        }
        for question_id, option_ids in attempt.layout:
            q = questions.get(question_id)
            if q is None:
                continue
            by_id = {o.id: o for o in q.options}
            items.append((q, [by_id[o] for o in option_ids if o in by_id]))
        saved = exams.saved_answers(attempt)
    scores = exams.scores(reg.event).get(reg.id, {})
    return _private(
        render_template(
            "training/take_exam.html",
            registration=reg,
            exam=exam,
            attempt=attempt,
            items=items,
            saved=saved,
            is_open=exam.is_open(now),
            is_closed=exam.is_closed(now),
            question_count=len(bank.questions(reg.event)),
            pre=scores.get(ExamKind.PRE),
            post=scores.get(ExamKind.POST),
        )
    )


@bp.post("/t/<code>/tes/<kind>/mulai")
def public_exam_start(code: str, kind: str):
    reg = _ticket(code)
    exam = _exam_or_404(reg, kind)
    try:
        exams.start_attempt(exam, reg)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
    return redirect(url_for("training.public_exam", code=code, kind=kind))


@bp.post("/t/<code>/tes/<kind>/jawab")
def public_exam_answer(code: str, kind: str):
    """One answer (JSON ``{"question": id, "option": id}``), sent as it is chosen."""
    reg = _ticket(code)
    exam = _exam_or_404(reg, kind)
    data = request.get_json(silent=True) or {}
    try:
        question_id, option_id = int(data["question"]), int(data["option"])
    except (KeyError, TypeError, ValueError):
        return jsonify(ok=False, message=_("Jawaban tidak terbaca.")), 400
    attempt = exams.attempt_of(exam, reg)
    if attempt is None:
        return jsonify(ok=False, message=_("Mulai tes terlebih dahulu.")), 409
    try:
        exams.save_answer(attempt, question_id=question_id, option_id=option_id)
    except DomainError as err:
        db.session.rollback()
        return jsonify(ok=False, message=err.message), err.status
    db.session.commit()
    return jsonify(ok=True, question=question_id, option=option_id)


@bp.post("/t/<code>/tes/<kind>/kirim")
def public_exam_submit(code: str, kind: str):
    reg = _ticket(code)
    exam = _exam_or_404(reg, kind)
    attempt = exams.attempt_of(exam, reg)
    try:
        if attempt is None:
            raise DomainError(_("Mulai tes terlebih dahulu."))
        exams.submit_attempt(attempt)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        db.session.commit()
        flash(
            _(
                "Jawaban terkirim. Nilai Anda: %(score)s.",
                score=format_number(attempt.score, str(get_locale() or "id")),
            ),
            "success",
        )
    return redirect(url_for("training.public_exam", code=code, kind=kind))


@bp.route("/t/<code>/survei/<int:survey_id>", methods=["GET", "POST"])
def public_survey(code: str, survey_id: int):
    reg = _ticket(code)
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.event_id != reg.event_id:
        abort(404)
    errors = ""
    if request.method == "POST":
        values = {}
        for element in survey.elements:
            raw = request.form.get(f"e{element.id}", "")
            if raw.isdigit():
                values[element.id] = int(raw)
        try:
            surveys.submit_response(
                survey, reg, values=values, comment=request.form.get("comment", "")
            )
        except DomainError as err:
            db.session.rollback()
            errors = err.message
        else:
            db.session.commit()
            flash(_("Terima kasih, penilaian Anda tersimpan."), "success")
            return redirect(url_for("training.public_own_page", code=code))
    body = render_template(
        "training/take_survey.html",
        registration=reg,
        survey=survey,
        answered=surveys.has_answered(survey, reg),
        is_open=survey.is_open(utcnow()),
        errors=errors,
        scale=surveys.SCALE,
    )
    response = _private(body)
    if errors:
        response.status_code = 400
    return response


def owed_for_ticket_page(sender: object, template, context: dict, **extra: object) -> None:
    """Receiver of Flask's ``before_render_template`` (connected in ``create_app``): the public
    ticket page (registration's) lists the open tests and surveys this ticket still owes."""
    if template.name == "registration/ticket.html":
        context["training_owed"] = record.owed(context["registration"])
