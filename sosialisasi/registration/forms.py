from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..units.models import UnitKind
from .models import EmployeeKind, RegistrationRole

REQUIRED = _l("Wajib diisi.")
INVALID_CHOICE = _l("Pilihan tidak valid; pilih dari daftar.")


def _choice_values(field: SelectField) -> set[object]:
    """The values of a select's choices: these forms give flat ``(value, label)`` lists."""
    if field.choices is None or isinstance(field.choices, dict):
        raise TypeError("Choices must be a list of (value, label) pairs.")
    return {value for value, *_ in field.choices}


class Choice(SelectField):
    """A select whose wrong-choice message is Indonesian (WTForms has no Indonesian catalogue)."""

    def pre_validate(self, form) -> None:
        if self.validate_choice and self.data not in _choice_values(self):
            raise ValidationError(INVALID_CHOICE)


class Choices(SelectMultipleField):
    def pre_validate(self, form) -> None:
        allowed = _choice_values(self)
        if self.data and any(value not in allowed for value in self.data):
            raise ValidationError(INVALID_CHOICE)


class PersonFields(FlaskForm):
    """The fields of a participant; NIP, phone and email are checked by the service."""

    # A NIP, or for non-ASN (THL, BLUD staff, PPPK paruh waktu, guests) a 16-digit NIK.
    nip = StringField(_l("NIP / NIK (non-ASN)"), validators=[Length(max=30)])
    name = StringField(
        _l("Nama lengkap dengan gelar"), validators=[DataRequired(REQUIRED), Length(max=150)]
    )
    kind = Choice(
        _l("Jenis pegawai"),
        choices=lambda: [(k.value, k.label) for k in EmployeeKind],
        default=EmployeeKind.PNS.value,
    )
    position = StringField(_l("Jabatan"), validators=[Length(max=200)])
    rank = StringField(_l("Pangkat/golongan"), validators=[Length(max=80)])
    phone = StringField(_l("Nomor HP/WhatsApp"), validators=[Length(max=30)])
    email = StringField(_l("Email"), validators=[Length(max=200)])


class DelegateForm(PersonFields):
    """A unit operator adds a delegate: a known person of the unit, or a new one."""

    person_id = Choice(_l("Pegawai yang sudah terdata"), coerce=int, choices=[], default=0)
    substitute_for_id = Choice(_l("Mewakili (diwakilkan)"), coerce=int, choices=[], default=0)

    def validate(self, extra_validators=None) -> bool:
        if self.person_id.data:
            # A known person: the other fields are not needed.
            self.name.validators = [Optional()]
        return super().validate(extra_validators)


class PersonEditForm(PersonFields):
    instansi = StringField(_l("Instansi (pihak luar, tanpa unit)"), validators=[Length(max=200)])


class OrganizerRegisterForm(DelegateForm):
    unit_id = Choice(_l("Unit kerja"), coerce=int, choices=[], default=0)
    instansi = StringField(_l("Instansi (pihak luar, tanpa unit)"), validators=[Length(max=200)])
    role = Choice(
        _l("Peran"),
        choices=lambda: [(r.value, r.label) for r in RegistrationRole],
        default=RegistrationRole.PESERTA.value,
    )
    over_quota_reason = StringField(
        _l("Alasan melebihi kuota / unit tidak diundang"), [Length(max=300)]
    )


class PublicRegisterForm(PersonFields):
    unit_id = Choice(_l("Unit kerja (perangkat daerah)"), coerce=int, choices=[], default=0)
    website = StringField(_l("Jangan diisi"), validators=[Length(max=0)])  # honeypot for bots


class InviteForm(FlaskForm):
    kinds = Choices(
        _l("Undang semua unit berjenis"),
        choices=lambda: [(k.value, k.label) for k in UnitKind if k is not UnitKind.PEMDA],
    )
    unit_ids = Choices(_l("Dan/atau unit tertentu"), coerce=int, choices=[])
    quota = IntegerField(
        _l("Kuota per unit"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("Kuota 1-500 orang."))],
    )


class QuotaForm(FlaskForm):
    quota = IntegerField(
        _l("Kuota"),
        validators=[
            DataRequired(_l("Isi kuota.")),
            NumberRange(min=0, max=500, message="0-500."),
        ],
    )


class ReasonForm(FlaskForm):
    reason = StringField(_l("Alasan"), validators=[Length(max=300)])


class DecisionForm(FlaskForm):
    decision = HiddenField()
    note = StringField(_l("Catatan / alasan"), validators=[Length(max=300)])


class SubstituteForm(FlaskForm):
    substitute_for_id = Choice(_l("Mewakili"), coerce=int, choices=[], default=0)


class ImportForm(FlaskForm):
    file = FileField(
        _l("Berkas CSV atau XLSX"),
        validators=[
            FileRequired(_l("Pilih berkas.")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Berkas harus .csv atau .xlsx.")),
        ],
    )
    # Never pre-filled: going over a unit's quota is the organizer's explicit decision.
    over_quota_reason = StringField(
        _l("Alasan bila melebihi kuota unit"),
        validators=[Length(max=300)],
    )


class ActForm(FlaskForm):
    """An organizer's answer to a request from a unit operator (identity_requests.ACTIONS)."""

    action = HiddenField(validators=[DataRequired()])


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


class BulkForm(FlaskForm):
    """An action on the ticked registrations (``ids``, read by the view) or on every row the
    list's filter matches (``all``)."""

    action = Choice(
        _l("Tindakan"),
        choices=[
            ("approve", _l("Setujui")),
            ("cancel", _l("Batalkan")),
            ("waitlist", _l("Pindahkan ke daftar tunggu")),
            ("ticket", _l("Kirim tiket")),
        ],
        validators=[DataRequired(REQUIRED)],
    )
    all = BooleanField(_l("Pilih semua yang tersaring"))
    confirmed = HiddenField()
    reason = StringField(_l("Alasan pembatalan"), validators=[Length(max=300)])
