"""The organizer's training pages of one event (verifiers may read the results)."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.http import download_headers
from ...common.tabular import TableError
from ...common.wib import from_wib
from ...events.models import Speaker
from ...events.services import get_event_or_404
from ...extensions import db
from .. import bank, exams, exports, jp, record, surveys
from ..forms import ImportForm, NewSurveyForm, QuestionForm, ScheduleForm, SettingsForm, SurveyForm
from ..models import ExamKind, Question, QuestionKind, Survey, SurveyKind
from .blueprint import bp

ORGANIZER = ("organizer",)
READERS = ("organizer", "verifier")


def _event(event_id: int):
    return get_event_or_404(event_id, current_user)


def _kind(kind: str) -> ExamKind:
    try:
        return ExamKind(kind)
    except ValueError:
        abort(404)


def _survey(event, survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.event_id != event.id:
        abort(404)
    return survey


def _done(event_id: int, message: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("training.overview", event_id=event_id) + anchor)


def _file(data: bytes, name: str, mimetype: str, inline: bool = False) -> Response:
    return Response(data, mimetype=mimetype, headers=download_headers(name, inline=inline))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/acara/<int:event_id>/pelatihan")
@role_required(*READERS)
def overview(event_id: int):
    event = _event(event_id)
    settings = jp.settings_for(event)
    form = SettingsForm(obj=settings)
    form.excluded_session_ids.choices = [(s.id, s.title) for s in event.sessions]
    if settings.jp_override is not None:
        form.jp_override.data = settings.jp_override
    return _overview(event, settings, form)


def _overview(event, settings, form, **extra):
    return render_template(
        "training/overview.html",
        event=event,
        settings=settings,
        form=form,
        computed_jp=jp.computed_jp(event, settings),
        minutes=jp.counting_minutes(event, settings),
        jp_value=jp.jp_of(event, settings),
        questions=bank.questions(event),
        exams={k: exams.exam_of(event, k) for k in ExamKind},
        surveys=surveys.surveys_of(event),
        question_form=extra.pop("question_form", None) or QuestionForm(),
        import_form=ImportForm(),
        schedule_form=ScheduleForm(),
        survey_form=extra.pop("survey_form", None) or _new_survey_form(event),
        now=_now(),
        **extra,
    )


def _now():
    from ...common.types import utcnow

    return utcnow()


def _new_survey_form(event) -> NewSurveyForm:
    form = NewSurveyForm()
    form.speaker_id.choices = [(0, "-")] + [(s.id, s.name) for s in event.speakers]
    if not form.elements.data:
        form.elements.data = "\n".join(surveys.EVENT_ELEMENTS)
    return form


@bp.post("/acara/<int:event_id>/pelatihan")
@role_required(*ORGANIZER)
def save_settings(event_id: int):
    event = _event(event_id)
    form = SettingsForm()
    form.excluded_session_ids.choices = [(s.id, s.title) for s in event.sessions]
    if form.validate_on_submit():
        try:
            jp.save_settings(
                event,
                jp.SettingsData(
                    tests_enabled=form.tests_enabled.data,
                    surveys_enabled=form.surveys_enabled.data,
                    jp_credited=form.jp_credited.data,
                    jp_override=Decimal(form.jp_override.data)
                    if form.jp_override.data is not None
                    else None,
                    excluded_session_ids=list(form.excluded_session_ids.data or []),
                    pass_threshold=form.pass_threshold.data or 0,
                    tests_required_for_certificate=form.tests_required_for_certificate.data,
                ),
            )
        except DomainError as err:
            add_error(form, err, "jp_override")
        else:
            return _done(event.id, _("Pengaturan pelatihan disimpan."))
    db.session.rollback()
    return _overview(event, jp.settings_for(event), form), 400


# --- question bank ----------------------------------------------------------------------------


@bp.post("/acara/<int:event_id>/pelatihan/soal")
@role_required(*ORGANIZER)
def add_question(event_id: int):
    event = _event(event_id)
    form = QuestionForm()
    if form.validate_on_submit():
        kind = QuestionKind(form.kind.data)
        answer = form.answer.data or ""
        if kind is QuestionKind.TRUE_FALSE:
            correct = {"Benar": 0, "Salah": 1}.get(answer)
            options: list[str] = []
        else:
            letters = "ABCDE"
            raw = [form.a.data, form.b.data, form.c.data, form.d.data, form.e.data]
            kept = [(letters[i], t) for i, t in enumerate(raw) if t and t.strip()]
            options = [t for _letter, t in kept]
            correct = next((n for n, (letter, _t) in enumerate(kept) if letter == answer), None)
        try:
            bank.add_question(
                event, kind=kind, text=form.text.data or "", options=options, correct=correct
            )
        except DomainError as err:
            add_error(form, err, "text")
        else:
            return _done(event.id, _("Soal ditambahkan."), "#soal")
    db.session.rollback()
    settings = jp.settings_for(event)
    return _overview(event, settings, SettingsForm(obj=settings), question_form=form), 400


@bp.post("/acara/<int:event_id>/pelatihan/soal/impor")
@role_required(*ORGANIZER)
def import_questions(event_id: int):
    event = _event(event_id)
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Pilih berkas soal (.xlsx atau .csv)."), "danger")
        return redirect(url_for("training.overview", event_id=event.id) + "#soal")
    upload = form.file.data
    try:
        result = bank.import_questions(event, upload.read(), upload.filename or "soal.xlsx")
    except (DomainError, TableError) as err:
        db.session.rollback()
        flash(getattr(err, "message", str(err)), "danger")
        return redirect(url_for("training.overview", event_id=event.id) + "#soal")
    db.session.commit()
    flash(_("%(n)d soal diimpor.", n=result.added), "success" if result.added else "warning")
    for number, message in result.errors:
        flash(_("Baris %(row)d dilewati: %(why)s.", row=number, why=message), "warning")
    return redirect(url_for("training.overview", event_id=event.id) + "#soal")


@bp.post("/acara/<int:event_id>/pelatihan/soal/<int:question_id>/hapus")
@role_required(*ORGANIZER)
def delete_question(event_id: int, question_id: int):
    event = _event(event_id)
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    try:
        bank.delete_question(event, question)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("training.overview", event_id=event.id) + "#soal")
    return _done(event.id, _("Soal dihapus."), "#soal")


# --- tests ------------------------------------------------------------------------------------


@bp.post("/acara/<int:event_id>/pelatihan/tes/<kind>/<action>")
@role_required(*ORGANIZER)
def exam_action(event_id: int, kind: str, action: str):
    event = _event(event_id)
    test_kind = _kind(kind)
    try:
        if action == "buka":
            exams.open_exam(event, test_kind)
            message = _("%(test)s dibuka.", test=test_kind.label)
        elif action == "tutup":
            exams.close_exam(event, test_kind)
            message = _("%(test)s ditutup.", test=test_kind.label)
        elif action == "jadwal":
            form = ScheduleForm()
            if not (form.validate_on_submit() and form.open_date.data and form.open_time.data):
                raise DomainError(_("Isi tanggal dan jam buka."))
            closes = None
            if form.close_date.data and form.close_time.data:
                closes = from_wib(form.close_date.data, form.close_time.data)
            exams.schedule_exam(
                event,
                test_kind,
                opens_at=from_wib(form.open_date.data, form.open_time.data),
                closes_at=closes,
            )
            message = _("Jadwal %(test)s disimpan.", test=test_kind.label)
        else:
            abort(404)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("training.overview", event_id=event.id) + "#tes")
    return _done(event.id, message, "#tes")


@bp.get("/acara/<int:event_id>/pelatihan/hasil-tes")
@role_required(*READERS)
def exam_results(event_id: int):
    event = _event(event_id)
    return render_template("training/exam_results.html", event=event, results=exams.results(event))


@bp.get("/acara/<int:event_id>/pelatihan/hasil-tes.xlsx")
@role_required(*READERS)
def exam_results_xlsx(event_id: int):
    event = _event(event_id)
    data = exports.exam_results_xlsx(event, exams.results(event))
    return _file(data, f"hasil-tes-{event.id}.xlsx", XLSX)


# --- surveys ----------------------------------------------------------------------------------


@bp.post("/acara/<int:event_id>/pelatihan/survei/templat")
@role_required(*ORGANIZER)
def default_surveys(event_id: int):
    event = _event(event_id)
    made = surveys.create_default_surveys(event)
    return _done(event.id, _("%(n)d survei dibuat dari templat.", n=len(made)), "#survei")


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


@bp.post("/acara/<int:event_id>/pelatihan/survei")
@role_required(*ORGANIZER)
def new_survey(event_id: int):
    event = _event(event_id)
    form = _new_survey_form(event)
    if form.validate_on_submit():
        speaker = db.session.get(Speaker, form.speaker_id.data) if form.speaker_id.data else None
        try:
            surveys.create_survey(
                event,
                kind=SurveyKind(form.kind.data),
                title=form.title.data or "",
                elements=_lines(form.elements.data),
                anonymous=form.anonymous.data,
                speaker=speaker,
            )
        except DomainError as err:
            add_error(form, err, "elements")
        else:
            return _done(event.id, _("Survei dibuat."), "#survei")
    db.session.rollback()
    settings = jp.settings_for(event)
    return _overview(event, settings, SettingsForm(obj=settings), survey_form=form), 400


@bp.route("/acara/<int:event_id>/pelatihan/survei/<int:survey_id>/ubah", methods=["GET", "POST"])
@role_required(*ORGANIZER)
def edit_survey(event_id: int, survey_id: int):
    event = _event(event_id)
    survey = _survey(event, survey_id)
    form = SurveyForm(obj=survey)
    if request.method == "GET":
        form.elements.data = "\n".join(e.label for e in survey.elements)
    if form.validate_on_submit():
        try:
            surveys.update_survey(
                survey,
                title=form.title.data or "",
                elements=_lines(form.elements.data),
                anonymous=form.anonymous.data,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "elements")
        else:
            return _done(event.id, _("Survei disimpan."), "#survei")
    return render_template("training/survey_form.html", event=event, survey=survey, form=form)


@bp.post("/acara/<int:event_id>/pelatihan/survei/<int:survey_id>/<action>")
@role_required(*ORGANIZER)
def survey_action(event_id: int, survey_id: int, action: str):
    event = _event(event_id)
    survey = _survey(event, survey_id)
    try:
        if action == "buka":
            surveys.open_survey(survey)
            message = _("Survei dibuka.")
        elif action == "tutup":
            surveys.close_survey(survey)
            message = _("Survei ditutup.")
        else:
            abort(404)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("training.overview", event_id=event.id) + "#survei")
    return _done(event.id, message, "#survei")


@bp.get("/acara/<int:event_id>/pelatihan/survei/<int:survey_id>")
@role_required(*READERS)
def survey_results(event_id: int, survey_id: int):
    event = _event(event_id)
    survey = _survey(event, survey_id)
    res = surveys.results(survey)
    return render_template("training/survey_results.html", event=event, res=res)


@bp.get("/acara/<int:event_id>/pelatihan/evaluasi.pdf")
@role_required(*READERS)
def survey_pdf(event_id: int):
    event = _event(event_id)
    data = exports.survey_pdf(event, surveys.event_summary(event))
    return _file(data, f"evaluasi-{event.id}.pdf", "application/pdf", inline=True)


@bp.get("/acara/<int:event_id>/pelatihan/evaluasi.xlsx")
@role_required(*READERS)
def survey_xlsx(event_id: int):
    event = _event(event_id)
    return _file(
        exports.survey_xlsx(event, surveys.event_summary(event)), f"evaluasi-{event.id}.xlsx", XLSX
    )


# --- konsumsi ---------------------------------------------------------------------------------


@bp.get("/acara/<int:event_id>/pelatihan/konsumsi")
@role_required(*READERS)
def headcounts(event_id: int):
    event = _event(event_id)
    return render_template("training/headcounts.html", event=event, counts=record.headcounts(event))


@bp.get("/acara/<int:event_id>/pelatihan/konsumsi.xlsx")
@role_required(*READERS)
def headcounts_xlsx(event_id: int):
    event = _event(event_id)
    with force_locale("id"):  # an export for the caterer and the SPJ: Indonesian role names
        data = exports.headcount_xlsx(event, record.headcounts(event))
    return _file(data, f"konsumsi-{event.id}.xlsx", XLSX)
