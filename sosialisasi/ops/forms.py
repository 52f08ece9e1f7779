from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired


class ExportForm(FlaskForm):
    format = SelectField(
        _l("Format"), choices=[("json", "JSON"), ("xlsx", "Excel (XLSX)")], default="json"
    )


class AnonymizeForm(FlaskForm):
    confirm = BooleanField(
        _l("Saya yakin: nama, NIP, HP, email, jabatan dan pangkat dihapus permanen"),
        validators=[DataRequired(_l("Centang untuk menyatakan yakin."))],
    )
