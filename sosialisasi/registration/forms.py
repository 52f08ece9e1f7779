from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..units.models import UnitKind
from .models import EmployeeKind, RegistrationRole

REQUIRED = "Wajib diisi."


class PersonFields(FlaskForm):
    """The fields of a participant; NIP, phone and email are checked by the service."""

    nip = StringField("NIP", validators=[Length(max=30)])
    name = StringField(
        "Nama lengkap dengan gelar", validators=[DataRequired(REQUIRED), Length(max=150)]
    )
    kind = SelectField(
        "Jenis pegawai",
        choices=[(k.value, k.label) for k in EmployeeKind],
        default=EmployeeKind.PNS.value,
    )
    position = StringField("Jabatan", validators=[Length(max=200)])
    rank = StringField("Pangkat/golongan", validators=[Length(max=80)])
    phone = StringField("Nomor HP/WhatsApp", validators=[Length(max=30)])
    email = StringField("Email", validators=[Length(max=200)])


class DelegateForm(PersonFields):
    """A unit operator adds a delegate: a known person of the unit, or a new one."""

    person_id = SelectField("Pegawai yang sudah terdata", coerce=int, choices=[], default=0)
    substitute_for_id = SelectField("Mewakili (diwakilkan)", coerce=int, choices=[], default=0)

    def validate(self, extra_validators=None) -> bool:
        if self.person_id.data:
            # A known person: the other fields are not needed.
            self.name.validators = [Optional()]
        return super().validate(extra_validators)


class OrganizerRegisterForm(DelegateForm):
    unit_id = SelectField("Unit kerja", coerce=int, choices=[], default=0)
    role = SelectField(
        "Peran",
        choices=[(r.value, r.label) for r in RegistrationRole],
        default=RegistrationRole.PESERTA.value,
    )
    over_quota_reason = StringField(
        "Alasan melebihi kuota / unit tidak diundang", [Length(max=300)]
    )


class PublicRegisterForm(PersonFields):
    unit_id = SelectField("Unit kerja (perangkat daerah)", coerce=int, choices=[], default=0)
    website = StringField("Jangan diisi", validators=[Length(max=0)])  # honeypot for bots


class InviteForm(FlaskForm):
    kinds = SelectMultipleField(
        "Undang semua unit berjenis",
        choices=[(k.value, k.label) for k in UnitKind if k is not UnitKind.PEMDA],
    )
    unit_ids = SelectMultipleField("Dan/atau unit tertentu", coerce=int, choices=[])
    quota = IntegerField(
        "Kuota per unit",
        validators=[Optional(), NumberRange(min=1, max=500, message="Kuota 1-500 orang.")],
    )


class QuotaForm(FlaskForm):
    quota = IntegerField(
        "Kuota",
        validators=[DataRequired("Isi kuota."), NumberRange(min=0, max=500, message="0-500.")],
    )


class ReasonForm(FlaskForm):
    reason = StringField("Alasan", validators=[Length(max=300)])


class DecisionForm(FlaskForm):
    decision = HiddenField()
    note = StringField("Catatan / alasan", validators=[Length(max=300)])


class SubstituteForm(FlaskForm):
    substitute_for_id = SelectField("Mewakili", coerce=int, choices=[], default=0)


class ImportForm(FlaskForm):
    file = FileField(
        "Berkas CSV atau XLSX",
        validators=[
            FileRequired("Pilih berkas."),
            FileAllowed(["csv", "xlsx", "txt"], "Berkas harus .csv atau .xlsx."),
        ],
    )
    over_quota_reason = StringField(
        "Alasan bila melebihi kuota unit",
        default="Daftar peserta dari panitia (impor)",
        validators=[Length(max=300)],
    )


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
