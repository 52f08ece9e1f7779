from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from .models import UNIT_KIND_LABELS

REQUIRED = "Wajib diisi."


class UnitForm(FlaskForm):
    code = StringField(
        "Kode",
        validators=[
            DataRequired(REQUIRED),
            Length(max=40, message="Maksimal 40 karakter."),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Hanya huruf, angka, titik, garis bawah dan -."),
        ],
    )
    name = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField("Nama singkat", validators=[Length(max=80)])
    kind = SelectField("Jenis", choices=[(k.value, label) for k, label in UNIT_KIND_LABELS.items()])
    parent_id = SelectField("Unit induk", coerce=int, choices=[])
    aliases = TextAreaField("Nama lain (satu per baris)")
    active = BooleanField("Aktif", default=True)


class UnitImportForm(FlaskForm):
    file = FileField(
        "Berkas CSV atau XLSX",
        validators=[
            FileRequired("Pilih berkas."),
            FileAllowed(["csv", "xlsx"], "Hanya berkas .csv atau .xlsx."),
        ],
    )
