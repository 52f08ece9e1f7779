from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.validators import Email as EmailValidator

from .models import ROLE_LABELS

REQUIRED = "Wajib diisi."


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Kata sandi", validators=[DataRequired(REQUIRED)])
    remember = BooleanField("Ingat saya di perangkat ini")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Kata sandi saat ini", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Kata sandi baru", validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired(REQUIRED), EqualTo("password", "Kata sandi tidak sama.")],
    )


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    username = StringField(
        "Nama pengguna",
        validators=[
            DataRequired(REQUIRED),
            Length(3, 64, "Panjang 3-64 karakter."),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Hanya huruf, angka, titik, garis bawah, -."),
        ],
    )
    name = StringField("Nama lengkap", validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(
        "Email", validators=[Optional(), EmailValidator("Alamat email tidak valid.")]
    )
    role = SelectField("Peran", choices=ROLE_CHOICES)
    unit_id = SelectField("Perangkat daerah (untuk operator)", coerce=int, choices=[])
    active = BooleanField("Aktif", default=True)
    password = PasswordField("Kata sandi awal (kosongkan untuk dibuatkan)")
