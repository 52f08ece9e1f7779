"""Forms of the attendance area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length


class SelfCheckInForm(FlaskForm):
    identity = StringField(
        "NIP atau tautan/kode tiket",
        validators=[
            DataRequired(message="Isi NIP atau tautan/kode tiket Anda."),
            Length(max=300, message="Terlalu panjang."),
        ],
    )
    k = HiddenField()


class SelfCheckInToggleForm(FlaskForm):
    enabled = BooleanField("Registrasi ulang mandiri aktif")
