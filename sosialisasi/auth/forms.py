from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.validators import Email as EmailValidator

from .models import role_labels

REQUIRED = _l("Wajib diisi.")


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("Kata sandi tidak sama."))],
    )


def role_choices() -> list[tuple[str, str]]:
    """Called by WTForms for each form, so the labels follow the user's language."""
    return [(role.value, label) for role, label in role_labels().items()]


class UserForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[
            DataRequired(REQUIRED),
            Length(3, 64, _l("Panjang 3-64 karakter.")),
            Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Hanya huruf, angka, titik, garis bawah, -.")),
        ],
    )
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(
        _l("Email"), validators=[Optional(), EmailValidator(_l("Alamat email tidak valid."))]
    )
    phone = StringField(_l("Nomor HP/WhatsApp"), validators=[Optional(), Length(max=30)])
    role = SelectField(_l("Peran"), choices=role_choices)
    unit_id = SelectField(_l("Perangkat daerah (untuk operator)"), coerce=int, choices=[])
    active = BooleanField(_l("Aktif"), default=True)
    password = PasswordField(_l("Kata sandi awal (kosongkan untuk dibuatkan)"))
