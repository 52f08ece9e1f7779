from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..common.nip import NIPError, parse_nip
from .models import AttendanceRule, EventKind

REQUIRED = _l("Wajib diisi.")


def checked_nip(raw: str | None) -> str | None:
    """A signatory is a person: the one NIP parser (the dotted and "NIP." forms accepted, a
    number that is no NIP refused); the field keeps the 18 digits."""
    if not raw or not raw.strip():
        return None
    try:
        return parse_nip(raw).value
    except NIPError as err:
        raise ValidationError(str(err)) from None


DATE_MSG = _l("Tanggal tidak valid.")
TIME_MSG = _l("Jam tidak valid (format 08:30).")


class EventForm(FlaskForm):
    title = StringField(_l("Judul acara"), validators=[DataRequired(REQUIRED), Length(max=250)])
    kind = SelectField(_l("Jenis acara"), choices=lambda: [(k.value, k.label) for k in EventKind])
    description = TextAreaField(_l("Deskripsi"))
    venue = StringField(_l("Tempat"), validators=[DataRequired(REQUIRED), Length(max=200)])
    address = StringField(_l("Alamat"), validators=[Length(max=300)])
    start_date = DateField(_l("Tanggal mulai"), validators=[DataRequired(DATE_MSG)])
    start_time = TimeField(_l("Jam mulai (WIB)"), validators=[DataRequired(TIME_MSG)])
    end_date = DateField(_l("Tanggal selesai"), validators=[DataRequired(DATE_MSG)])
    end_time = TimeField(_l("Jam selesai (WIB)"), validators=[DataRequired(TIME_MSG)])
    organizer_unit_id = SelectField(_l("Unit penyelenggara"), coerce=int, choices=[])
    letter_number = StringField(_l("Nomor surat undangan"), validators=[Length(max=100)])
    letter_date = DateField(_l("Tanggal surat"), validators=[Optional()])
    signatory_name = StringField(_l("Nama penanda tangan"), validators=[Length(max=150)])
    signatory_position = StringField(_l("Jabatan penanda tangan"), validators=[Length(max=200)])
    signatory_nip = StringField(_l("NIP penanda tangan"), validators=[Optional()])

    def validate_signatory_nip(self, field) -> None:
        field.data = checked_nip(field.data)

    default_quota = IntegerField(
        _l("Kuota per unit"),
        default=2,
        validators=[DataRequired(REQUIRED), NumberRange(1, 500, _l("Antara 1 dan 500."))],
    )
    capacity = IntegerField(
        _l("Kapasitas total (kosongkan bila tanpa batas)"),
        validators=[Optional(), NumberRange(1, 100000, _l("Minimal 1."))],
    )
    requires_approval = BooleanField(_l("Pendaftaran perlu persetujuan panitia"))
    public_registration = BooleanField(_l("Buka tautan pendaftaran publik"))
    closes_date = DateField(_l("Pendaftaran ditutup tanggal"), validators=[Optional()])
    closes_time = TimeField(_l("Jam"), validators=[Optional()])
    checkin_opens_minutes = IntegerField(
        _l("Registrasi ulang dibuka (menit sebelum sesi)"),
        default=60,
        validators=[DataRequired(REQUIRED), NumberRange(0, 24 * 60)],
    )
    late_tolerance_minutes = IntegerField(
        _l("Toleransi terlambat (menit)"), default=15, validators=[NumberRange(0, 240)]
    )
    self_checkin_enabled = BooleanField(_l("Izinkan registrasi ulang mandiri dengan QR layar"))
    confirm_past = BooleanField(_l("Ya, tanggal acara memang sudah lewat"))
    attendance_rule = SelectField(
        _l("Syarat kehadiran (untuk sertifikat)"),
        choices=lambda: [(r.value, r.label) for r in AttendanceRule],
    )


class SessionForm(FlaskForm):
    title = StringField(_l("Judul sesi"), validators=[DataRequired(REQUIRED), Length(max=250)])
    date = DateField(_l("Tanggal"), validators=[DataRequired(DATE_MSG)])
    start_time = TimeField(_l("Mulai (WIB)"), validators=[DataRequired(TIME_MSG)])
    end_time = TimeField(_l("Selesai (WIB)"), validators=[DataRequired(TIME_MSG)])
    # One speaker (older clients and forms); the page sends ``speaker_ids``.
    speaker_id = SelectField(
        lazy_pgettext("kolom", "Narasumber"),
        coerce=int,
        choices=[],
        default=0,
        validate_choice=False,
        validators=[Optional()],
    )
    speaker_ids = SelectMultipleField(
        _l("Narasumber (boleh lebih dari satu)"), coerce=int, choices=[]
    )
    mandatory = BooleanField(_l("Wajib diikuti"), default=True)


class SpeakerForm(FlaskForm):
    name = StringField(_l("Nama narasumber"), validators=[DataRequired(REQUIRED), Length(max=150)])
    title = StringField(_l("Jabatan"), validators=[Length(max=200)])
    institution = StringField(_l("Instansi"), validators=[Length(max=200)])


class CloneForm(FlaskForm):
    start_date = DateField(_l("Tanggal mulai acara baru"), validators=[DataRequired(DATE_MSG)])
    start_time = TimeField(_l("Jam mulai (WIB)"), validators=[DataRequired(TIME_MSG)])


class StatusForm(FlaskForm):
    status = SelectField(_l("Status baru"), choices=[])
    reason = StringField(_l("Alasan (wajib untuk pembatalan)"), validators=[Length(max=300)])
    confirm = BooleanField(_l("Ya, saya sudah membaca akibatnya"))


class StaffForm(FlaskForm):
    users = SelectMultipleField(_l("Petugas registrasi ulang"), coerce=int, choices=[])
