"""Invitations: which units are invited, their quota, the per-unit summary."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error, required
from ...common.http import download_headers
from ...common.wib import format_datetime
from ...events.models import Invitation
from ...events.services import get_event_or_404
from ...extensions import db
from ...units.models import Unit, UnitKind
from ...units.services import unit_choices
from .. import queries, services
from ..forms import InviteForm, QuotaForm
from ..invitations import operators_by_unit, set_quotas
from ._common import ORGANIZERS, domain_flash
from .blueprint import bp


def _totals(rows) -> dict[str, int]:
    return {
        "quota": sum(r.quota for r in rows),
        "registered": sum(r.registered for r in rows),
        "pending": sum(r.pending for r in rows),
        "waitlisted": sum(r.waitlisted for r in rows),
        "responded": sum(1 for r in rows if r.responded_at),
        "invited": sum(1 for r in rows if r.invitation),
    }


@bp.get("/acara/<int:event_id>/undangan")
@role_required("organizer", "verifier")
def invitations(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = InviteForm(quota=event.default_quota)
    form.unit_ids.choices = unit_choices(with_root=False)
    rows = queries.unit_summary(event)
    operators = operators_by_unit(r.unit.id for r in rows if r.invitation)
    return render_template(
        "registration/invitations.html",
        event=event,
        rows=rows,
        form=form,
        can_edit=current_user.has_role(*ORGANIZERS),
        totals=_totals(rows),
        operators=operators,
        without_operator=sum(1 for r in rows if r.invitation and not operators.get(r.unit.id)),
        bulk_operators_url=url_for("auth.bulk_operators", event_id=event.id),
    )


@bp.post("/acara/<int:event_id>/undangan")
@role_required(*ORGANIZERS)
def invite(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = InviteForm()
    form.unit_ids.choices = unit_choices(with_root=False)
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
        operators=operators_by_unit(r.unit.id for r in rows if r.invitation),
        without_operator=None,
    ), 422


@bp.post("/acara/<int:event_id>/undangan/kuota")
@role_required(*ORGANIZERS)
def invitation_quotas(event_id: int):
    """Every unit's quota in one save; or one value for all ("2 per unit")."""
    event = get_event_or_404(event_id, current_user)
    quotas: dict[int, int] = {}
    try:
        if request.form.get("semua") is not None:
            same = int(request.form["semua"])
            quotas = {inv.id: same for inv in event.invitations}
        else:
            for key, value in request.form.items():
                if key.startswith("quota-"):
                    quotas[int(key.removeprefix("quota-"))] = int(value)
    except ValueError:
        flash(_("Kuota harus berupa angka 0-500."), "danger")
        return redirect(url_for("registration.invitations", event_id=event.id))
    try:
        changed = set_quotas(event, quotas, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        domain_flash(err)
    else:
        db.session.commit()
        flash(_("Kuota disimpan: %(n)d unit berubah.", n=changed), "success")
    return redirect(url_for("registration.invitations", event_id=event.id) + "#tabel-undangan")


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


def _invitation_or_404(event_id: int, invitation_id: int):
    event = get_event_or_404(event_id, current_user)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        abort(404)
    return event, invitation


@bp.post("/acara/<int:event_id>/undangan/<int:invitation_id>/kuota")
@role_required(*ORGANIZERS)
def invitation_quota(event_id: int, invitation_id: int):
    event, invitation = _invitation_or_404(event_id, invitation_id)
    form = QuotaForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.quota.errors) or _("Kuota tidak valid."), "danger")
    else:
        try:
            services.set_quota(invitation, required(form.quota.data), actor=current_user)
        except DomainError as err:
            domain_flash(err)
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
    event, invitation = _invitation_or_404(event_id, invitation_id)
    name = invitation.unit.name
    try:
        services.remove_invitation(invitation, actor=current_user)
    except DomainError as err:
        domain_flash(err)
    else:
        db.session.commit()
        flash(_("Undangan untuk %(unit)s dihapus.", unit=name), "info")
    return redirect(url_for("registration.invitations", event_id=event.id))


@bp.route("/acara/<int:event_id>/undangan/pemberitahuan", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def invitation_notices(event_id: int):
    """ "Kirim ke semua": the invitation notice (or the H-1 reminder) for every invited unit,
    from the saved message (editable here before sending); e-mail as a job when a mail server
    is configured, WhatsApp texts to copy otherwise."""
    from ...jobs import services as jobs
    from .. import message_templates, notices, unit_links
    from ..models import MessageKind

    event = get_event_or_404(event_id, current_user)
    try:
        kind = MessageKind(request.values.get("jenis", "undangan"))
    except ValueError:
        kind = MessageKind.UNDANGAN
    if kind not in notices.KINDS:
        kind = MessageKind.UNDANGAN
    template = request.form.get("template") or message_templates.text_for(kind, event)
    items: list = []
    error = None
    if request.method == "POST":
        try:
            items = notices.notices(
                event,
                template,
                link=lambda e: url_for("registration.delegates", event_id=e.id, _external=True),
                unit_links=unit_links.live_urls(event),
                kind=kind,
            )
        except DomainError as err:
            error = err.message
        else:
            if request.form.get("kirim") == "email" and services.can_email():
                job = jobs.enqueue(
                    "registration.notices",
                    {"kind": kind.value, "template": template, "base_url": request.host_url},
                    actor=current_user,
                    event=event,
                )
                db.session.commit()
                jobs.dispatch(job)
                return redirect(url_for("jobs.show", job_id=job.id), 303)
    return render_template(
        "registration/notices.html",
        event=event,
        kind=kind,
        kinds=list(notices.KINDS),
        template=template,
        placeholders=message_templates.PLACEHOLDERS[kind],
        items=items,
        error=error,
        can_email=services.can_email(),
    ), (422 if error else 200)
