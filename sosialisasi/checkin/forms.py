"""Forms of the door pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

REQUIRED = "Wajib diisi."


class WalkInForm(FlaskForm):
    unit_id = SelectField(
        "Perangkat daerah (diundang)", coerce=int, choices=[], validate_choice=False
    )
    name = StringField(
        "Nama lengkap (dengan gelar)", validators=[DataRequired(REQUIRED), Length(max=150)]
    )
    nip = StringField("NIP (kosongkan bila non-ASN)", validators=[Length(max=30)])
    position = StringField("Jabatan", validators=[Length(max=200)])
    phone = StringField("Nomor HP/WhatsApp", validators=[Length(max=30)])
    session_id = SelectField("Sesi", coerce=int, choices=[], validate_choice=False)
    over_quota_reason = StringField(
        "Alasan melebihi kuota (bila kuota unit penuh)", validators=[Length(max=300)]
    )
