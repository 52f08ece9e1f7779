"""The registrations of an event: the list, exports and badges, one registration and what can be
done to it (cancel, approve or reject, substitute, send the ticket)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.http import bounded_int, download_headers
from ...common.text import one_full_stop
from ...common.types import utcnow
from ...events.services import get_event_or_404
from ...extensions import db
from ...jobs import services as jobs
from .. import bulk, queries, services, tickets
from ..forms import BulkForm, DecisionForm, ReasonForm, SubstituteForm
from ..models import Person, RegistrationRole, RegistrationSource, RegistrationStatus
from ..registrations import note_download
from ._common import ORGANIZERS, READERS, back, domain_flash, registration_or_404, scope_unit_id
from .blueprint import bp


@bp.get("/acara/<int:event_id>/pendaftaran")
@role_required(*READERS)
def registrations(event_id: int):
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    scope = scope_unit_id()
    page = db.paginate(
        queries.registrations(event, filters, unit_id=scope),
        per_page=current_app.config.get("ITEMS_PER_PAGE", 50),
    )
    summary = queries.unit_summary(event, unit_id=scope)
    can_manage = current_user.has_role(*ORGANIZERS)
    return render_template(
        "registration/list.html",
        event=event,
        page=page,
        filters=filters,
        counts=queries.status_counts(event, unit_id=scope),
        units=[r.unit for r in summary],
        statuses=list(RegistrationStatus),
        roles=list(RegistrationRole),
        sources=list(RegistrationSource),
        can_manage=can_manage,
        decision_form=DecisionForm(),
        bulk_form=BulkForm(),
        ticket_mail_count=len(queries.ticket_mail_ids(event)) if can_manage else 0,
        mail_configured=services.can_email(),
    )


def _list(event_id: int, filters: queries.Filters):
    """Back to the list with the same filters (PRG)."""
    args = filters.to_args()
    url = url_for("registration.registrations", event_id=event_id)
    return redirect(url + ("?" + urlencode(args) if args else ""), 303)


@bp.post("/acara/<int:event_id>/pendaftaran/massal")
@role_required(*ORGANIZERS)
def bulk_action(event_id: int):
    """An action on the ticked rows, or on every row the list's filter (the query string)
    matches; the list comes back with the same filter."""
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    form = BulkForm()
    if not form.validate():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        flash(str(errors[0]) if errors else _("Pilih tindakan dari daftar."), "danger")
        return _list(event.id, filters)
    ids = None if form.all.data else request.form.getlist("ids", type=bounded_int)[: bulk.MAX_IDS]
    if ids is not None and not ids:
        flash(_("Pilih minimal satu pendaftaran."), "warning")
        return _list(event.id, filters)
    selection = bulk.Selection(filters, ids=ids, unit_id=scope_unit_id())
    action = bulk.BulkAction(form.action.data)
    if action is bulk.BulkAction.CANCEL and form.confirmed.data != "1":
        return render_template(
            "registration/bulk_confirm.html",
            event=event,
            form=form,
            ids=ids or [],
            preview=bulk.cancel_preview(event, selection),
            filter_args=filters.to_args(),
        )
    many = jobs.count_rows(bulk.selection_stmt(event, selection)) > current_app.config.get(
        "BULK_JOB_MIN_ROWS", 200
    )
    try:
        if action is bulk.BulkAction.TICKET:
            job = bulk.start_ticket_mail(
                event, selection, actor=current_user, base_url=request.host_url
            )
        elif many:  # a job with its progress page
            job = bulk.start_job(
                event,
                action,
                selection,
                actor=current_user,
                reason=form.reason.data,
                base_url=request.host_url,
            )
        else:
            result = bulk.apply(
                event, action, selection, actor=current_user, reason=form.reason.data
            )
    except DomainError as err:
        domain_flash(err)
        return _list(event.id, filters)
    db.session.commit()
    if action is bulk.BulkAction.TICKET or many:
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    _notify(result.promoted)
    flash(result.message(), "warning" if result.skipped else "success")
    return _list(event.id, filters)


def _export(event_id: int, kind: str):
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    rows = queries.export_rows(event, filters, unit_id=scope_unit_id())
    note_download(
        event,
        actor=current_user,
        action="registration.export",
        summary=f"Ekspor data peserta ({kind.upper()})",
        ip=request.remote_addr,
        format=kind,
    )
    db.session.commit()
    stamp = utcnow().strftime("%Y%m%d")
    name = f"peserta-acara-{event.id}-{stamp}"
    # The rows are built while the file is written: enum labels in Indonesian (official export).
    with force_locale("id"):
        data = queries.to_csv(rows) if kind == "csv" else queries.to_xlsx(rows)
    if kind == "csv":
        return Response(
            data,
            mimetype="text/csv",
            headers=download_headers(f"{name}.csv"),
        )
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(f"{name}.xlsx"),
    )


@bp.get("/acara/<int:event_id>/pendaftaran.csv")
@role_required(*READERS)
def export_csv(event_id: int):
    return _export(event_id, "csv")


@bp.get("/acara/<int:event_id>/pendaftaran.xlsx")
@role_required(*READERS)
def export_xlsx(event_id: int):
    return _export(event_id, "xlsx")


@bp.get("/acara/<int:event_id>/kartu.pdf")
@role_required(*READERS)
def badges(event_id: int):
    """A6 badges of every registered participant (a unit operator: their own delegates)."""
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    filters.status = RegistrationStatus.REGISTERED
    stmt = queries.registrations(event, filters, unit_id=scope_unit_id())
    if jobs.count_rows(stmt) > jobs.pdf_job_min_rows():  # many pages: a job (issue 18)
        job = jobs.start_pdf(
            "registration.badges",
            {
                "args": request.args.to_dict(),
                "unit_id": scope_unit_id(),
                "base_url": request.host_url,
                "ip": request.remote_addr,
            },
            actor=current_user,
            event=event,
        )
        db.session.commit()
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    regs = db.session.scalars(stmt).unique().all()
    queries.share_event(regs, event)
    sheet = request.args.get("lembar") == "a4"
    make = tickets.badges_a4_pdf if sheet else tickets.badges_pdf
    data = make(regs, services.ticket_url)
    note_download(
        event,
        actor=current_user,
        action="registration.badges",
        summary=f"{len(regs)} kartu peserta",
        ip=request.remote_addr,
    )
    db.session.commit()
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(
            f"kartu-acara-{event.id}{'-a4' if sheet else ''}.pdf", inline=True
        ),
    )


# --- one registration --------------------------------------------------------------------------


@bp.get("/pendaftaran/<int:registration_id>")
@role_required(*READERS)
def registration_detail(registration_id: int):
    reg = registration_or_404(registration_id)
    # "Mewakili": the current official and, after a search, at most 20 of the unit's people
    # (a district unit has a thousand and more: too many for one select).
    search = (request.args.get("wakil") or "").strip()[:100]
    matches = (
        queries.unit_people_matches(
            reg.unit_id, search, exclude={reg.person_id, reg.substitute_for_id or 0}
        )
        if reg.unit_id and search
        else []
    )
    form = SubstituteForm(substitute_for_id=reg.substitute_for_id or 0)
    form.substitute_for_id.choices = (
        [(0, "-")] + queries.person_choice(reg.substitute_for) + matches
    )
    return render_template(
        "registration/detail.html",
        registration=reg,
        event=reg.event,
        url=services.ticket_url(reg),
        message=services.ticket_message(reg),
        whatsapp=services.whatsapp_ticket_link(reg),
        substitute_form=form,
        substitute_search=search,
        substitute_matches=len(matches),
        decision_form=DecisionForm(),
        reason_form=ReasonForm(),
        can_manage=current_user.has_role(*ORGANIZERS),
        can_change=current_user.has_role("organizer", "unit_operator"),
        mail_configured=services.can_email(),
    )


def _notify(promoted) -> None:
    """After the commit: e-mail those who moved up; their ``ticket_sent_at`` is committed apart."""
    if services.notify_promoted(promoted):
        db.session.commit()


@bp.post("/pendaftaran/<int:registration_id>/batal")
@role_required("organizer", "unit_operator")
def cancel(registration_id: int):
    reg = registration_or_404(registration_id)
    form = ReasonForm()
    form.validate()
    try:
        promoted = services.cancel(reg, actor=current_user, reason=form.reason.data)
    except DomainError as err:
        domain_flash(err)
        return back(reg.event_id)
    db.session.commit()
    _notify(promoted)
    if promoted:
        message = _(
            "Pendaftaran %(name)s dibatalkan. Naik dari daftar tunggu: %(promoted)s.",
            name=reg.person.name,
            promoted=", ".join(r.person.name for r in promoted),
        )
    else:
        message = _("Pendaftaran %(name)s dibatalkan.", name=reg.person.name)
    flash(message, "info")
    return back(reg.event_id)


@bp.post("/pendaftaran/<int:registration_id>/keputusan")
@role_required(*ORGANIZERS)
def decide(registration_id: int):
    reg = registration_or_404(registration_id)
    form = DecisionForm()
    form.validate()
    approve = form.decision.data == "approve"
    try:
        promoted = services.decide(reg, approve=approve, actor=current_user, note=form.note.data)
    except DomainError as err:
        domain_flash(err)
        return back(reg.event_id)
    db.session.commit()
    _notify(promoted)
    flash(
        _("Pendaftaran %(name)s disetujui.", name=reg.person.name)
        if approve
        else _("Pendaftaran %(name)s ditolak.", name=reg.person.name),
        "success" if approve else "info",
    )
    return back(reg.event_id)


@bp.post("/acara/<int:event_id>/pendaftaran/setujui-semua")
@role_required(*ORGANIZERS)
def approve_all(event_id: int):
    event = get_event_or_404(event_id, current_user)
    try:
        result = services.approve_all(event, actor=current_user)
    except DomainError as err:
        domain_flash(err)
    else:
        db.session.commit()
        flash(result.message(), "warning" if result.skipped else "success")
    return redirect(url_for("registration.registrations", event_id=event.id, status="pending"))


@bp.post("/pendaftaran/<int:registration_id>/wakili")
@role_required("organizer", "unit_operator")
def substitute(registration_id: int):
    reg = registration_or_404(registration_id)
    form = SubstituteForm()
    # Valid: none, or one person of the registration's unit (found by the search on the page).
    picked = queries.unit_person(reg.unit_id, request.form.get("substitute_for_id", type=int))
    form.substitute_for_id.choices = [(0, "-")] + queries.person_choice(picked)
    if not form.validate_on_submit():
        flash(_("Pilihan pejabat yang diwakili tidak valid."), "danger")
        return back(reg.event_id)
    official = (
        db.session.get(Person, form.substitute_for_id.data) if form.substitute_for_id.data else None
    )
    try:
        services.set_substitute(reg, official, actor=current_user)
    except DomainError as err:
        domain_flash(err)
        return back(reg.event_id)
    db.session.commit()
    if official:
        flash(
            one_full_stop(
                _(
                    "%(name)s tercatat mewakili %(official)s.",
                    name=reg.person.name,
                    official=official.name,
                )
            ),
            "success",
        )
    else:
        flash(_("%(name)s tidak lagi tercatat sebagai wakil.", name=reg.person.name), "info")
    return back(reg.event_id)


@bp.post("/pendaftaran/<int:registration_id>/kirim")
@role_required("organizer", "unit_operator")
def send(registration_id: int):
    reg = registration_or_404(registration_id)
    try:
        delivery = services.send_ticket(reg)
    except DomainError as err:
        domain_flash(err)
        return redirect(url_for("registration.registration_detail", registration_id=reg.id))
    db.session.commit()
    if delivery.sent:
        flash(_("Tiket dikirim ke %(recipient)s.", recipient=delivery.recipient), "success")
    else:
        flash(
            _(
                "Server email belum diatur, jadi email tidak dikirim. "
                "Salin pesan di bawah dan kirim sendiri, atau bagikan lewat WhatsApp."
            ),
            "warning",
        )
    return redirect(url_for("registration.registration_detail", registration_id=reg.id))
