"""Forms of the door pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..registration.models import EmployeeKind

EXTERNAL = EmployeeKind.EXTERNAL  # a walk-in is an official of an invited unit
REQUIRED = _l("Wajib diisi.")


class WalkInForm(FlaskForm):
    unit_id = SelectField(
        _l("Perangkat daerah (diundang)"), coerce=int, choices=[], validate_choice=False
    )
    name = StringField(
        _l("Nama lengkap (dengan gelar)"), validators=[DataRequired(REQUIRED), Length(max=150)]
    )
    nip = StringField(
        _l("NIP, atau NIK 16 digit bila non-ASN (boleh kosong)"), validators=[Length(max=30)]
    )
    kind = SelectField(
        _l("Jenis pegawai"),
        choices=lambda: (
            [("", _l("Menurut NIP (ada NIP: PNS; tanpa NIP: non-ASN)"))]
            + [(k.value, k.label) for k in EmployeeKind if k is not EXTERNAL]
        ),
        default="",
    )
    position = StringField(_l("Jabatan"), validators=[Length(max=200)])
    phone = StringField(_l("Nomor HP/WhatsApp"), validators=[Length(max=30)])
    session_id = SelectField(_l("Sesi"), coerce=int, choices=[], validate_choice=False)
    over_quota_reason = StringField(
        _l("Alasan melebihi kuota (bila kuota unit penuh)"), validators=[Length(max=300)]
    )
