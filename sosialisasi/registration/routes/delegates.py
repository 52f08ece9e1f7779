"""Registering someone by hand: the organizer (anyone, any unit) and a unit operator (the
unit's own delegates, within its quota)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error
from ...common.http import bounded_int
from ...events.services import get_event_or_404
from ...extensions import db
from ...units.models import Unit
from ...units.services import unit_choices
from .. import identity_requests, queries, services
from ..forms import DelegateForm, OrganizerRegisterForm, ReasonForm
from ..models import Person, Registration, RegistrationRole, RegistrationSource, RegistrationStatus
from ..people import other_unit_message
from ._common import ORGANIZERS, person_data
from .blueprint import bp


def _enrol(form, event, *, person, **kw) -> Registration | None:
    """One registration from a person form; the form carries the error when it is refused."""
    try:
        reg = services.enrol(
            event,
            person=person,
            data=None if person else person_data(form),
            actor=current_user,
            **kw,
        )
    except identity_requests.SentToOrganizers as err:
        db.session.commit()  # the refusal stands; the request to the organizers is kept
        form.nip.errors = [*form.nip.errors, other_unit_message()]
        flash(err.message, "warning")
        return None
    except DomainError as err:
        db.session.rollback()
        add_error(form, err, "name")
        return None
    db.session.commit()
    flash(
        _("Pendaftaran %(name)s: %(status)s.", name=reg.person.name, status=reg.status.label),
        "success",
    )
    return reg


@bp.route("/acara/<int:event_id>/pendaftaran/baru", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def organizer_register(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = OrganizerRegisterForm()
    form.unit_id.choices = unit_choices(blank=_("- (tanpa unit / pihak luar)"), with_root=False)
    unit_id = (
        form.unit_id.data
        if request.method == "POST"
        else request.args.get("unit", 0, type=bounded_int)
    )
    form.person_id.choices = [(0, _("- (orang baru, isi data di bawah)"))]
    form.substitute_for_id.choices = [(0, "-")]
    if unit_id:
        people = queries.unit_people_choices(unit_id)
        form.person_id.choices += people
        form.substitute_for_id.choices += people
        if request.method == "GET":
            form.unit_id.data = unit_id
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        person = db.session.get(Person, form.person_id.data) if form.person_id.data else None
        official = (
            db.session.get(Person, form.substitute_for_id.data)
            if form.substitute_for_id.data
            else None
        )
        reg = _enrol(
            form,
            event,
            person=person,
            unit=unit,
            role=RegistrationRole(form.role.data),
            source=RegistrationSource.ORGANIZER,
            over_quota_reason=form.over_quota_reason.data,
            substitute_for=official,
        )
        if reg is not None:
            return redirect(url_for("registration.registration_detail", registration_id=reg.id))
    return render_template("registration/organizer_form.html", event=event, form=form)


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
    people = queries.unit_people_choices(unit.id)
    form.person_id.choices = [(0, _("- (pegawai baru, isi data di bawah)"))] + [
        c for c in people if c[0] not in live_ids
    ]
    form.substitute_for_id.choices = [(0, "-")] + people
    if form.validate_on_submit():
        person = official = None
        if form.person_id.data:
            person = db.session.get(Person, form.person_id.data)
            if person is None or person.unit_id != unit.id:
                abort(404)
        if form.substitute_for_id.data:
            official = db.session.get(Person, form.substitute_for_id.data)
            if official is None or official.unit_id != unit.id:
                abort(404)
        reg = _enrol(
            form,
            event,
            person=person,
            unit=unit,
            source=RegistrationSource.OPERATOR,
            substitute_for=official,
        )
        if reg is not None:
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
        reg_state=services.registration_state(event, unit=unit),
        bulk_whatsapp=services.whatsapp_bulk_link(registered, unit=unit) if registered else None,
        whatsapp={r.id: services.whatsapp_ticket_link(r) for r in live},
        reason_form=ReasonForm(),
    ), (422 if form.errors else 200)
