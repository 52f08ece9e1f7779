"""Forms of the attendance area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length


class SelfCheckInForm(FlaskForm):
    identity = StringField(
        _l("NIP atau tautan/kode tiket"),
        validators=[
            DataRequired(message=_l("Isi NIP atau tautan/kode tiket Anda.")),
            Length(max=300, message=_l("Terlalu panjang.")),
        ],
    )
    phone_digits = StringField(
        _l("4 angka terakhir nomor HP Anda (jika memakai NIP)"),
        validators=[Length(max=8, message=_l("Terlalu panjang."))],
    )
    k = HiddenField()


class SelfCheckInToggleForm(FlaskForm):
    enabled = BooleanField(_l("Registrasi ulang mandiri aktif"))
