from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired


class ExportForm(FlaskForm):
    format = SelectField(
        "Format", choices=[("json", "JSON"), ("xlsx", "Excel (XLSX)")], default="json"
    )


class AnonymizeForm(FlaskForm):
    confirm = BooleanField(
        "Saya yakin: nama, NIP, HP, email, jabatan dan pangkat dihapus permanen",
        validators=[DataRequired("Centang untuk menyatakan yakin.")],
    )
