"""Registration pages: tickets (public), people, invitations, delegates, lists, import."""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from ..audit.services import record
from ..auth.models import Role
from ..checkin.models import CheckIn
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error
from ..common.http import bounded_int, download_headers
from ..common.qrcodes import qr_png, qr_svg
from ..common.tabular import TableError
from ..common.text import fold
from ..common.types import utcnow
from ..common.wib import format_datetime
from ..events.models import Event, EventStatus, Invitation
from ..events.services import get_event_or_404
from ..extensions import db, limiter
from ..units.models import Unit, UnitKind
from . import importer, queries, services, tickets
from .forms import (
    DecisionForm,
    DelegateForm,
    ImportConfirmForm,
    ImportForm,
    InviteForm,
    OrganizerRegisterForm,
    PersonFields,
    PublicRegisterForm,
    QuotaForm,
    ReasonForm,
    SubstituteForm,
)
from .models import (
    EmployeeKind,
    Person,
    Registration,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)

bp = Blueprint("registration", __name__)


# --- public ticket -----------------------------------------------------------------------------


def _ticket_or_404(code: str) -> Registration:
    if not code or len(code) > 43:
        abort(404, _("Tiket tidak ditemukan. Periksa kembali tautan tiket Anda."))
    reg = db.session.scalar(
        select(Registration)
        .where(Registration.ticket_code == code)
        .options(
            joinedload(Registration.person),
            joinedload(Registration.unit),
            joinedload(Registration.event).selectinload(Event.sessions),
        )
    )
    if reg is None:
        abort(404, _("Tiket tidak ditemukan. Periksa kembali tautan tiket Anda."))
    return reg


@bp.get("/t/<code>")
def public_ticket(code: str):
    reg = _ticket_or_404(code)
    position = None
    if reg.status is RegistrationStatus.WAITLISTED:
        position = 1 + (
            db.session.scalar(
                select(func.count(Registration.id)).where(
                    Registration.event_id == reg.event_id,
                    Registration.status == RegistrationStatus.WAITLISTED,
                    or_(
                        Registration.created_at < reg.created_at,
                        (Registration.created_at == reg.created_at) & (Registration.id < reg.id),
                    ),
                )
            )
            or 0
        )
    response = Response(
        render_template(
            "registration/ticket.html",
            registration=reg,
            event=reg.event,
            url=services.ticket_url(reg),
            waitlist_position=position,
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _ticket_qr(code: str, render, mimetype: str) -> Response:
    """The ticket's QR (EC M, for screens), encoding the absolute ticket URL."""
    reg = _ticket_or_404(code)
    response = Response(render(services.ticket_url(reg), level="M"), mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/t/<code>/qr.png")
def public_ticket_qr_png(code: str):
    return _ticket_qr(code, qr_png, "image/png")


@bp.get("/t/<code>/qr.svg")
def public_ticket_qr_svg(code: str):
    return _ticket_qr(code, qr_svg, "image/svg+xml")


@bp.get("/t/<code>/tiket.pdf")
def public_ticket_pdf(code: str):
    reg = _ticket_or_404(code)
    data = tickets.ticket_pdf(reg, services.ticket_url(reg))
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(f"tiket-{reg.id}.pdf", inline=True),
    )


@bp.get("/t/<code>/kartu.pdf")
def public_ticket_badge(code: str):
    reg = _ticket_or_404(code)
    data = tickets.badges_pdf([reg], services.ticket_url)
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(f"kartu-{reg.id}.pdf", inline=True),
    )


# --- people ------------------------------------------------------------------------------------


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id, options=[joinedload(Person.unit)])
    if person is None:
        abort(404)
    if current_user.role is Role.UNIT_OPERATOR and person.unit_id != current_user.unit_id:
        in_unit = db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.person_id == person.id,
                Registration.unit_id == current_user.unit_id,
            )
        )
        if not in_unit:
            abort(404)
    return person


@bp.get("/peserta/<int:person_id>")
@role_required("organizer", "verifier", "unit_operator")
def person_detail(person_id: int):
    person = _person_or_404(person_id)
    stmt = (
        select(Registration)
        .where(Registration.person_id == person.id)
        .join(Event, Event.id == Registration.event_id)
        .options(joinedload(Registration.event), joinedload(Registration.unit))
        .order_by(Event.starts_at.desc())
    )
    if current_user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(Registration.unit_id == current_user.unit_id)
    registrations = db.session.scalars(stmt).all()
    ids = [r.id for r in registrations]
    attended: dict[int, int] = {}
    if ids:
        attended = dict(
            db.session.execute(
                select(CheckIn.registration_id, func.count(CheckIn.id))
                .where(CheckIn.registration_id.in_(ids))
                .group_by(CheckIn.registration_id)
            ).all()
        )
    return render_template(
        "registration/person.html",
        person=person,
        registrations=registrations,
        attended=attended,
        attended_count=sum(1 for r in registrations if attended.get(r.id)),
    )


@bp.route("/peserta/<int:person_id>/ubah", methods=["GET", "POST"])
@role_required("organizer", "unit_operator")
def person_edit(person_id: int):
    person = _person_or_404(person_id)
    if current_user.role is Role.UNIT_OPERATOR and person.unit_id != current_user.unit_id:
        abort(404)
    form = PersonFields(obj=person)
    if request.method == "GET":
        form.kind.data = person.kind.value
    if form.validate_on_submit():
        try:
            services.update_person(
                person,
                actor=current_user,
                name=form.name.data,
                nip=(form.nip.data or "").strip() or None,
                kind=EmployeeKind(form.kind.data),
                position=form.position.data,
                rank=form.rank.data,
                phone=form.phone.data,
                email=form.email.data,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            record("person.update", actor=current_user, obj=person, summary=person.name)
            db.session.commit()
            flash(_("Data peserta disimpan."), "success")
            return redirect(url_for("registration.person_detail", person_id=person.id))
    return render_template("registration/person_form.html", person=person, form=form), (
        422 if form.errors else 200
    )


@bp.get("/peserta")
@role_required("organizer", "verifier", "unit_operator")
def people():
    q = (request.args.get("q") or "").strip()
    stmt = select(Person).options(joinedload(Person.unit)).order_by(Person.name_key)
    if current_user.role is Role.UNIT_OPERATOR:
        stmt = stmt.where(Person.unit_id == current_user.unit_id)
    if q:
        digits = q.replace(" ", "")
        stmt = stmt.where(or_(Person.name_key.like(f"%{fold(q)}%"), Person.nip.like(f"{digits}%")))
    page = db.paginate(stmt, per_page=current_app.config.get("ITEMS_PER_PAGE", 50))
    return render_template("registration/people.html", page=page, q=q)


# --- helpers -----------------------------------------------------------------------------------

ORGANIZERS = ("organizer",)
READERS = ("organizer", "verifier", "unit_operator")


def _scope_unit_id() -> int | None:
    """The unit a user is confined to (unit operators), else None."""
    return current_user.unit_id if current_user.role is Role.UNIT_OPERATOR else None


def _registration_or_404(registration_id: int) -> Registration:
    reg = db.session.get(
        Registration,
        registration_id,
        options=[joinedload(Registration.person), joinedload(Registration.unit)],
    )
    if reg is None:
        abort(404)
    scope = _scope_unit_id()
    if scope is not None and reg.unit_id != scope:
        abort(404)
    get_event_or_404(reg.event_id, current_user)
    return reg


def _back(event_id: int):
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return redirect(target)
    if current_user.role is Role.UNIT_OPERATOR:
        return redirect(url_for("registration.delegates", event_id=event_id))
    return redirect(url_for("registration.registrations", event_id=event_id))


def _domain_flash(err: DomainError) -> None:
    db.session.rollback()
    flash(err.message, "danger")


def _unit_people_choices(unit_id: int, *, exclude: set[int] = frozenset()) -> list[tuple[int, str]]:
    people = db.session.scalars(
        select(Person).where(Person.unit_id == unit_id).order_by(Person.name_key).limit(1000)
    )
    return [
        (
            p.id,
            f"{p.name}"
            + (f" ({p.nip})" if p.nip else "")
            + (f", {p.position}" if p.position else ""),
        )
        for p in people
        if p.id not in exclude
    ]


def _person_from_form(form, unit) -> Person:
    return services.find_or_create_person(
        name=form.name.data,
        nip=(form.nip.data or "").strip() or None,
        unit=unit,
        kind=EmployeeKind(form.kind.data),
        position=form.position.data,
        rank=form.rank.data,
        phone=form.phone.data,
        email=form.email.data,
    )


# --- invitations -------------------------------------------------------------------------------


@bp.get("/acara/<int:event_id>/undangan")
@role_required("organizer", "verifier")
def invitations(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = InviteForm(quota=event.default_quota)
    form.unit_ids.choices = _unit_choices()
    rows = queries.unit_summary(event)
    return render_template(
        "registration/invitations.html",
        event=event,
        rows=rows,
        form=form,
        can_edit=current_user.has_role(*ORGANIZERS),
        totals={
            "quota": sum(r.quota for r in rows),
            "registered": sum(r.registered for r in rows),
            "pending": sum(r.pending for r in rows),
            "waitlisted": sum(r.waitlisted for r in rows),
            "responded": sum(1 for r in rows if r.responded_at),
            "invited": sum(1 for r in rows if r.invitation),
        },
    )


def _unit_choices() -> list[tuple[int, str]]:
    units = db.session.scalars(
        select(Unit).where(Unit.active, Unit.kind != UnitKind.PEMDA).order_by(Unit.name)
    )
    return [(u.id, u.label) for u in units]


@bp.post("/acara/<int:event_id>/undangan")
@role_required(*ORGANIZERS)
def invite(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = InviteForm()
    form.unit_ids.choices = _unit_choices()
    if form.validate_on_submit():
        units = db.session.scalars(select(Unit).where(Unit.id.in_(form.unit_ids.data or [0])))
        try:
            result = services.invite_units(
                event,
                kinds=[UnitKind(k) for k in form.kinds.data or []],
                units=list(units),
                quota=form.quota.data,
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "unit_ids")
        else:
            record(
                "invitation.bulk",
                actor=current_user,
                obj=event,
                summary=f"{result.created} unit diundang, {result.updated} kuota diubah",
            )
            db.session.commit()
            flash(
                _(
                    "%(created)d unit diundang; kuota %(updated)d undangan diubah.",
                    created=result.created,
                    updated=result.updated,
                ),
                "success",
            )
            return redirect(url_for("registration.invitations", event_id=event.id))
    rows = queries.unit_summary(event)
    return render_template(
        "registration/invitations.html",
        event=event,
        rows=rows,
        form=form,
        can_edit=True,
        totals=None,
    ), 422


@bp.get("/acara/<int:event_id>/undangan.xlsx")
@role_required("organizer", "verifier")
def invitations_xlsx(event_id: int):
    """The per-unit summary as a spreadsheet: quota, registered, pending, waiting, responded."""
    event = get_event_or_404(event_id, current_user)
    with force_locale("id"):  # an official spreadsheet: Indonesian whatever the user's language
        rows = [
            [
                r.unit.name,
                r.unit.kind.label,
                r.quota,
                r.registered,
                r.pending,
                r.waitlisted,
                r.cancelled,
                format_datetime(r.responded_at) if r.responded_at else "",
                "ya" if r.invitation else "tidak",
            ]
            for r in queries.unit_summary(event)
        ]
    headings = [
        "Unit",
        "Jenis",
        "Kuota",
        "Terdaftar",
        "Menunggu persetujuan",
        "Daftar tunggu",
        "Dibatalkan",
        "Merespons",
        "Diundang",
    ]
    return Response(
        queries.to_xlsx(rows, title="Rekap per unit", headings=headings),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(f"rekap-unit-acara-{event.id}.xlsx"),
    )


@bp.post("/acara/<int:event_id>/undangan/<int:invitation_id>/kuota")
@role_required(*ORGANIZERS)
def invitation_quota(event_id: int, invitation_id: int):
    event = get_event_or_404(event_id, current_user)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        abort(404)
    form = QuotaForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.quota.errors) or _("Kuota tidak valid."), "danger")
    else:
        try:
            services.set_quota(invitation, form.quota.data, actor=current_user)
        except DomainError as err:
            _domain_flash(err)
        else:
            db.session.commit()
            flash(
                _(
                    "Kuota %(unit)s menjadi %(quota)d orang.",
                    unit=invitation.unit.name,
                    quota=invitation.quota,
                ),
                "success",
            )
    return redirect(url_for("registration.invitations", event_id=event.id))


@bp.post("/acara/<int:event_id>/undangan/<int:invitation_id>/hapus")
@role_required(*ORGANIZERS)
def invitation_delete(event_id: int, invitation_id: int):
    event = get_event_or_404(event_id, current_user)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        abort(404)
    name = invitation.unit.name
    try:
        services.remove_invitation(invitation, actor=current_user)
    except DomainError as err:
        _domain_flash(err)
    else:
        db.session.commit()
        flash(_("Undangan untuk %(unit)s dihapus.", unit=name), "info")
    return redirect(url_for("registration.invitations", event_id=event.id))


# --- registration list, exports, badges --------------------------------------------------------


@bp.get("/acara/<int:event_id>/pendaftaran")
@role_required(*READERS)
def registrations(event_id: int):
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    scope = _scope_unit_id()
    page = db.paginate(
        queries.registrations(event, filters, unit_id=scope),
        per_page=current_app.config.get("ITEMS_PER_PAGE", 50),
    )
    summary = queries.unit_summary(event, unit_id=scope)
    return render_template(
        "registration/list.html",
        event=event,
        page=page,
        filters=filters,
        counts=queries.status_counts(event, unit_id=scope),
        units=[r.unit for r in summary],
        statuses=list(RegistrationStatus),
        roles=list(RegistrationRole),
        can_manage=current_user.has_role(*ORGANIZERS),
        decision_form=DecisionForm(),
    )


def _export(event_id: int, kind: str):
    event = get_event_or_404(event_id, current_user)
    filters = queries.Filters.from_args(request.args)
    rows = queries.export_rows(event, filters, unit_id=_scope_unit_id())
    # Personal data (NIP, phone, e-mail) leaves the app: the audit log keeps who took it.
    record(
        "registration.export",
        actor=current_user,
        obj=event,
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
    regs = (
        db.session.scalars(queries.registrations(event, filters, unit_id=_scope_unit_id()))
        .unique()
        .all()
    )
    for reg in regs:
        reg.event = event  # one event object for every page, no lazy load per badge
    data = tickets.badges_pdf(regs, services.ticket_url)
    record(
        "registration.badges",
        actor=current_user,
        obj=event,
        summary=f"{len(regs)} kartu peserta",
        ip=request.remote_addr,
    )
    db.session.commit()
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(f"kartu-acara-{event.id}.pdf", inline=True),
    )


# --- one registration --------------------------------------------------------------------------


@bp.get("/pendaftaran/<int:registration_id>")
@role_required(*READERS)
def registration_detail(registration_id: int):
    reg = _registration_or_404(registration_id)
    choices = (
        [(0, "-")] + _unit_people_choices(reg.unit_id, exclude={reg.person_id})
        if reg.unit_id
        else [(0, "-")]
    )
    form = SubstituteForm(substitute_for_id=reg.substitute_for_id or 0)
    form.substitute_for_id.choices = choices
    return render_template(
        "registration/detail.html",
        registration=reg,
        event=reg.event,
        url=services.ticket_url(reg),
        message=services.ticket_message(reg),
        whatsapp=services.whatsapp_ticket_link(reg),
        substitute_form=form,
        decision_form=DecisionForm(),
        reason_form=ReasonForm(),
        can_manage=current_user.has_role(*ORGANIZERS),
        can_change=current_user.has_role("organizer", "unit_operator"),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.post("/pendaftaran/<int:registration_id>/batal")
@role_required("organizer", "unit_operator")
def cancel(registration_id: int):
    reg = _registration_or_404(registration_id)
    form = ReasonForm()
    form.validate()
    try:
        promoted = services.cancel(reg, actor=current_user, reason=form.reason.data)
    except DomainError as err:
        _domain_flash(err)
        return _back(reg.event_id)
    record("registration.cancel", actor=current_user, obj=reg, summary=reg.person.name)
    db.session.commit()
    _notify_promoted(promoted)
    if promoted:
        message = _(
            "Pendaftaran %(name)s dibatalkan. Naik dari daftar tunggu: %(promoted)s.",
            name=reg.person.name,
            promoted=", ".join(r.person.name for r in promoted),
        )
    else:
        message = _("Pendaftaran %(name)s dibatalkan.", name=reg.person.name)
    flash(message, "info")
    return _back(reg.event_id)


@bp.post("/pendaftaran/<int:registration_id>/keputusan")
@role_required(*ORGANIZERS)
def decide(registration_id: int):
    reg = _registration_or_404(registration_id)
    form = DecisionForm()
    form.validate()
    approve = form.decision.data == "approve"
    try:
        promoted = services.decide(reg, approve=approve, actor=current_user, note=form.note.data)
    except DomainError as err:
        _domain_flash(err)
        return _back(reg.event_id)
    record(
        "registration.approve" if approve else "registration.reject",
        actor=current_user,
        obj=reg,
        summary=reg.person.name,
    )
    db.session.commit()
    _notify_promoted(promoted)
    flash(
        _("Pendaftaran %(name)s disetujui.", name=reg.person.name)
        if approve
        else _("Pendaftaran %(name)s ditolak.", name=reg.person.name),
        "success" if approve else "info",
    )
    return _back(reg.event_id)


@bp.post("/acara/<int:event_id>/pendaftaran/setujui-semua")
@role_required(*ORGANIZERS)
def approve_all(event_id: int):
    event = get_event_or_404(event_id, current_user)
    try:
        count = services.approve_all(event, actor=current_user)
    except DomainError as err:
        _domain_flash(err)
    else:
        record("registration.approve_all", actor=current_user, obj=event, summary=str(count))
        db.session.commit()
        flash(_("%(count)d pendaftaran disetujui.", count=count), "success")
    return redirect(url_for("registration.registrations", event_id=event.id, status="pending"))


def _notify_promoted(promoted: list[Registration]) -> None:
    """Tell people who moved up from the waiting list (by email when SMTP is configured)."""
    if not current_app.config.get("MAIL_SERVER"):
        return
    for reg in promoted:
        if reg.person.email:
            try:
                services.send_ticket(reg)
                db.session.commit()
            except DomainError:
                db.session.rollback()


@bp.post("/pendaftaran/<int:registration_id>/wakili")
@role_required("organizer", "unit_operator")
def substitute(registration_id: int):
    reg = _registration_or_404(registration_id)
    form = SubstituteForm()
    form.substitute_for_id.choices = [(0, "-")] + _unit_people_choices(reg.unit_id or 0)
    if not form.validate_on_submit():
        flash(_("Pilihan pejabat yang diwakili tidak valid."), "danger")
        return _back(reg.event_id)
    official = (
        db.session.get(Person, form.substitute_for_id.data) if form.substitute_for_id.data else None
    )
    try:
        services.set_substitute(reg, official, actor=current_user)
    except DomainError as err:
        _domain_flash(err)
        return _back(reg.event_id)
    db.session.commit()
    if official:
        flash(
            _(
                "%(name)s tercatat mewakili %(official)s.",
                name=reg.person.name,
                official=official.name,
            ),
            "success",
        )
    else:
        flash(_("%(name)s tidak lagi tercatat sebagai wakil.", name=reg.person.name), "info")
    return _back(reg.event_id)


@bp.post("/pendaftaran/<int:registration_id>/kirim")
@role_required("organizer", "unit_operator")
def send(registration_id: int):
    reg = _registration_or_404(registration_id)
    try:
        delivery = services.send_ticket(reg)
    except DomainError as err:
        _domain_flash(err)
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


# --- organizer registers anyone ----------------------------------------------------------------


@bp.route("/acara/<int:event_id>/pendaftaran/baru", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def organizer_register(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = OrganizerRegisterForm()
    form.unit_id.choices = [(0, _("- (tanpa unit / pihak luar)"))] + _unit_choices()
    unit_id = (
        form.unit_id.data
        if request.method == "POST"
        else request.args.get("unit", 0, type=bounded_int)
    )
    form.person_id.choices = [(0, _("- (orang baru, isi data di bawah)"))]
    form.substitute_for_id.choices = [(0, "-")]
    if unit_id:
        people = _unit_people_choices(unit_id)
        form.person_id.choices += people
        form.substitute_for_id.choices += people
        if request.method == "GET":
            form.unit_id.data = unit_id
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        try:
            if form.person_id.data:
                person = db.session.get(Person, form.person_id.data)
            else:
                person = _person_from_form(form, unit)
            official = (
                db.session.get(Person, form.substitute_for_id.data)
                if form.substitute_for_id.data
                else None
            )
            reg = services.register(
                event,
                person=person,
                unit=unit,
                role=RegistrationRole(form.role.data),
                actor=current_user,
                source=RegistrationSource.ORGANIZER,
                over_quota_reason=form.over_quota_reason.data,
                substitute_for=official,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            record("registration.create", actor=current_user, obj=reg, summary=person.name)
            db.session.commit()
            flash(
                _("%(name)s terdaftar (%(status)s).", name=person.name, status=reg.status.label),
                "success",
            )
            return redirect(url_for("registration.registration_detail", registration_id=reg.id))
    return render_template("registration/organizer_form.html", event=event, form=form)


# --- unit operator: own delegates --------------------------------------------------------------


@bp.route("/acara/<int:event_id>/delegasi", methods=["GET", "POST"])
@role_required("unit_operator")
def delegates(event_id: int):
    event = get_event_or_404(event_id, current_user)
    unit = current_user.unit
    if unit is None:
        abort(404)
    invitation = services.invitation_for(event, unit)
    regs = (
        db.session.scalars(queries.registrations(event, queries.Filters(), unit_id=unit.id))
        .unique()
        .all()
    )
    live = [r for r in regs if r.status in services.LIVE_STATUSES]
    live_ids = {r.person_id for r in live}
    form = DelegateForm()
    people = _unit_people_choices(unit.id)
    form.person_id.choices = [(0, _("- (pegawai baru, isi data di bawah)"))] + [
        c for c in people if c[0] not in live_ids
    ]
    form.substitute_for_id.choices = [(0, "-")] + people
    if form.validate_on_submit():
        try:
            if form.person_id.data:
                person = db.session.get(Person, form.person_id.data)
                if person is None or person.unit_id != unit.id:
                    abort(404)
            else:
                person = _person_from_form(form, unit)
            official = None
            if form.substitute_for_id.data:
                official = db.session.get(Person, form.substitute_for_id.data)
                if official is None or official.unit_id != unit.id:
                    abort(404)
            reg = services.register(
                event,
                person=person,
                unit=unit,
                actor=current_user,
                source=RegistrationSource.OPERATOR,
                substitute_for=official,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            record("registration.create", actor=current_user, obj=reg, summary=person.name)
            db.session.commit()
            flash(
                _("%(name)s terdaftar (%(status)s).", name=person.name, status=reg.status.label),
                "success",
            )
            return redirect(url_for("registration.delegates", event_id=event.id))
    registered = [r for r in live if r.status is RegistrationStatus.REGISTERED]
    return render_template(
        "registration/delegates.html",
        event=event,
        unit=unit,
        invitation=invitation,
        registrations=regs,
        used=sum(1 for r in live if r.role is RegistrationRole.PESERTA),
        form=form,
        open=services.registration_open(event),
        closes_at=services.closes_at(event),
        bulk_whatsapp=services.whatsapp_bulk_link(registered, unit=unit) if registered else None,
        whatsapp={r.id: services.whatsapp_ticket_link(r) for r in live},
        reason_form=ReasonForm(),
    ), (422 if form.errors else 200)


# --- public registration link ------------------------------------------------------------------


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_REGISTRATION_RATE_LIMIT", "20 per 10 minutes")


def _mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    user, domain = email.split("@", 1)
    return f"{user[:1]}***@{domain}"


def _mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    return phone[:6] + "****" + phone[-3:]


def _public_event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not event.public_registration or event.status is EventStatus.DRAFT:
        abort(404, _("Tautan pendaftaran ini tidak ada atau tidak dibuka untuk umum."))
    return event


@bp.route("/daftar/<int:event_id>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(lambda: current_app.config["PUBLIC_REGISTRATION_POST_RATE_LIMIT"], methods=["POST"])
def public_register(event_id: int):
    event = _public_event_or_404(event_id)
    invited = db.session.scalars(
        select(Unit)
        .join(Invitation, Invitation.unit_id == Unit.id)
        .where(Invitation.event_id == event.id)
        .order_by(Unit.name)
    ).all()
    form = PublicRegisterForm()
    form.unit_id.choices = [(0, _("- pilih unit kerja -"))] + [(u.id, u.label) for u in invited]
    is_open = services.registration_open(event)
    already = None
    if is_open and form.validate_on_submit():
        unit = next((u for u in invited if u.id == form.unit_id.data), None)
        kind = EmployeeKind(form.kind.data)
        try:
            if unit is None:
                raise DomainError(
                    _("Pilih unit kerja Anda dari daftar unit yang diundang."), field="unit_id"
                )
            if kind in (EmployeeKind.PNS, EmployeeKind.PPPK) and not (form.nip.data or "").strip():
                raise DomainError(_("NIP wajib diisi untuk PNS dan PPPK."), field="nip")
            nip = services.clean_nip(form.nip.data)
            if nip:
                known = db.session.scalar(select(Person).where(Person.nip == nip))
                existing = known and db.session.scalar(
                    select(Registration).where(
                        Registration.event_id == event.id,
                        Registration.person_id == known.id,
                        Registration.status.in_(services.LIVE_STATUSES),
                    )
                )
                if existing:
                    raise services.AlreadyRegistered("", registration=existing, field="nip")
            person = services.find_or_create_person(
                name=form.name.data,
                nip=nip,
                unit=unit,
                kind=kind,
                position=form.position.data,
                rank=form.rank.data,
                phone=form.phone.data,
                email=form.email.data,
                update=False,
            )
            reg = services.register(
                event, person=person, unit=unit, actor=None, source=RegistrationSource.PUBLIC
            )
        except services.AlreadyRegistered as err:
            db.session.rollback()
            existing = err.registration
            where = [
                w
                for w in (_mask_email(existing.person.email), _mask_phone(existing.person.phone))
                if w
            ]
            already = {
                "status": existing.status.label,
                "unit": existing.unit.name if existing.unit else "",
                "where": where,
            }
            if len(where) == 2:
                message = _(
                    "NIP ini sudah terdaftar di acara ini. "
                    "Tautan tiket sudah dikirim ke %(email)s dan %(phone)s.",
                    email=where[0],
                    phone=where[1],
                )
            elif where:
                message = _(
                    "NIP ini sudah terdaftar di acara ini. "
                    "Tautan tiket sudah dikirim ke %(where)s.",
                    where=where[0],
                )
            else:
                message = _(
                    "NIP ini sudah terdaftar di acara ini. "
                    "Minta tautan tiket kepada operator unit atau panitia."
                )
            form.nip.errors = [message]
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "name")
        else:
            record(
                "registration.public",
                actor=None,
                obj=reg,
                summary=person.name,
                ip=request.remote_addr,
            )
            db.session.commit()
            if person.email and current_app.config.get("MAIL_SERVER"):
                try:
                    services.send_ticket(reg)
                    db.session.commit()
                except DomainError:
                    db.session.rollback()
            flash(
                _(
                    "Pendaftaran berhasil (%(status)s). Simpan tautan halaman ini: "
                    "inilah tiket Anda.",
                    status=reg.status.label,
                ),
                "success",
            )
            return redirect(url_for("registration.public_ticket", code=reg.ticket_code))
    status = 422 if form.errors else 200
    return render_template(
        "registration/public_form.html",
        event=event,
        form=form,
        is_open=is_open,
        closes_at=services.closes_at(event),
        already=already,
    ), status


# --- bulk import -------------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


IMPORT_KEEP_SECONDS = 24 * 3600


def _import_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old_imports(now: float) -> None:
    """Uploaded files wait for confirmation at most a day."""
    for old in _import_dir().iterdir():
        try:
            if now - old.stat().st_mtime > IMPORT_KEEP_SECONDS:
                old.unlink()
        except OSError:  # another request removed it first
            pass


def _stored(token: str, event: Event) -> tuple[bytes, dict]:
    if not _TOKEN.match(token):
        abort(404)
    meta_path = _import_dir() / f"{token}.json"
    data_path = _import_dir() / f"{token}.bin"
    if not meta_path.exists() or not data_path.exists():
        abort(404, _("Berkas impor tidak ditemukan atau sudah dipakai; unggah ulang berkasnya."))
    meta = json.loads(meta_path.read_text())
    if meta.get("event_id") != event.id or meta.get("user_id") != current_user.id:
        abort(404)
    return data_path.read_bytes(), meta


@bp.route("/acara/<int:event_id>/impor", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def import_upload(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            services.check_import_open(event)
            plan = importer.plan_import(
                event, data, upload.filename or "", over_quota_reason=form.over_quota_reason.data
            )
        except (TableError, DomainError) as err:
            db.session.rollback()
            form.file.errors = [*form.file.errors, getattr(err, "message", None) or str(err)]
        else:
            db.session.rollback()  # a preview never writes
            _forget_old_imports(time.time())
            token = secrets.token_urlsafe(18)
            (_import_dir() / f"{token}.bin").write_bytes(data)
            (_import_dir() / f"{token}.json").write_text(
                json.dumps(
                    {
                        "event_id": event.id,
                        "user_id": current_user.id,
                        "filename": upload.filename or "",
                        "reason": form.over_quota_reason.data or "",
                    }
                )
            )
            (_import_dir() / f"{token}.errors.xlsx").write_bytes(importer.errors_xlsx(plan))
            return render_template(
                "registration/import_preview.html",
                event=event,
                plan=plan,
                token=token,
                confirm_form=ImportConfirmForm(token=token),
                filename=upload.filename,
            )
    return render_template(
        "registration/import.html", event=event, form=form, columns=importer.COLUMNS
    ), (422 if form.errors else 200)


@bp.post("/acara/<int:event_id>/impor/<token>")
@role_required(*ORGANIZERS)
def import_confirm(event_id: int, token: str):
    event = get_event_or_404(event_id, current_user)
    data, meta = _stored(token, event)
    try:
        plan = importer.apply_import(
            event, data, meta["filename"], actor=current_user, over_quota_reason=meta["reason"]
        )
    except (TableError, DomainError) as err:
        db.session.rollback()
        flash(getattr(err, "message", None) or str(err), "danger")
        return redirect(url_for("registration.import_upload", event_id=event.id))
    record(
        "registration.import",
        actor=current_user,
        obj=event,
        summary=f"{meta['filename']}: {plan.summary()}",
    )
    db.session.commit()
    (_import_dir() / f"{token}.bin").unlink(missing_ok=True)
    (_import_dir() / f"{token}.errors.xlsx").write_bytes(importer.errors_xlsx(plan))
    c = plan.counts
    flash(
        _(
            "Impor selesai: %(imported)d baru, %(updated)d diperbarui, "
            "%(skipped)d duplikat dilewati, %(errors)d baris bermasalah.",
            **c,
        ),
        "success" if not c["errors"] else "warning",
    )
    return render_template("registration/import_done.html", event=event, plan=plan, token=token)


@bp.get("/acara/<int:event_id>/impor/<token>/kesalahan.xlsx")
@role_required(*ORGANIZERS)
def import_errors(event_id: int, token: str):
    event = get_event_or_404(event_id, current_user)
    if not _TOKEN.match(token):
        abort(404)
    meta_path = _import_dir() / f"{token}.json"
    path = _import_dir() / f"{token}.errors.xlsx"
    if not meta_path.exists() or not path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text())
    if meta.get("event_id") != event.id or meta.get("user_id") != current_user.id:
        abort(404)
    return Response(
        path.read_bytes(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(f"kesalahan-impor-{event.id}.xlsx"),
    )


# --- data for the partials other areas include ---------------------------------------------


@bp.app_template_global("registration_unit_events")
def registration_unit_events(unit_id: int, limit: int = 10) -> list:
    """Events a unit was invited to, with quota and registered count (unit page)."""
    registered = (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == Invitation.event_id,
            Registration.unit_id == Invitation.unit_id,
            Registration.status.in_(services.SEAT_STATUSES),
        )
        .correlate(Invitation)
        .scalar_subquery()
    )
    return db.session.execute(
        select(Invitation, registered)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.unit_id == unit_id)
        .options(contains_eager(Invitation.event))
        .order_by(Event.starts_at.desc())
        .limit(limit)
    ).all()


@bp.app_template_global("registration_pending_total")
def registration_pending_total() -> int:
    """Registrations waiting for the organizer's approval, over upcoming events (home page)."""
    return (
        db.session.scalar(
            select(func.count(Registration.id))
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.status == RegistrationStatus.PENDING, Event.ends_at >= utcnow())
        )
        or 0
    )
