from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from .models import unit_kind_labels

REQUIRED = _l("Wajib diisi.")


class UnitForm(FlaskForm):
    code = StringField(
        _l("Kode"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=40, message=_l("Maksimal 40 karakter.")),
            Regexp(
                r"^[A-Za-z0-9_.-]+$", message=_l("Hanya huruf, angka, titik, garis bawah dan -.")
            ),
        ],
    )
    name = StringField(_l("Nama"), validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField(_l("Nama singkat"), validators=[Length(max=80)])
    kind = SelectField(
        _l("Jenis"), choices=lambda: [(k.value, label) for k, label in unit_kind_labels().items()]
    )
    parent_id = SelectField(_l("Unit induk"), coerce=int, choices=[])
    aliases = TextAreaField(_l("Nama lain (satu per baris)"))
    public_service = BooleanField(_l("Unit layanan publik (melayani masyarakat langsung)"))
    products = TextAreaField(_l("Produk layanan (satu per baris)"))
    active = BooleanField(_l("Aktif"), default=True)


class UnitImportForm(FlaskForm):
    file = FileField(
        _l("Berkas CSV atau XLSX"),
        validators=[
            FileRequired(_l("Pilih berkas.")),
            FileAllowed(["csv", "xlsx"], _l("Hanya berkas .csv atau .xlsx.")),
        ],
    )
