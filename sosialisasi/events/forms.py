from __future__ import annotations

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from .models import AttendanceRule, EventKind

REQUIRED = "Wajib diisi."
DATE_MSG = "Tanggal tidak valid."
TIME_MSG = "Jam tidak valid (format 08:30)."


class EventForm(FlaskForm):
    title = StringField("Judul acara", validators=[DataRequired(REQUIRED), Length(max=250)])
    kind = SelectField("Jenis acara", choices=[(k.value, k.label) for k in EventKind])
    description = TextAreaField("Deskripsi")
    venue = StringField("Tempat", validators=[DataRequired(REQUIRED), Length(max=200)])
    address = StringField("Alamat", validators=[Length(max=300)])
    start_date = DateField("Tanggal mulai", validators=[DataRequired(DATE_MSG)])
    start_time = TimeField("Jam mulai (WIB)", validators=[DataRequired(TIME_MSG)])
    end_date = DateField("Tanggal selesai", validators=[DataRequired(DATE_MSG)])
    end_time = TimeField("Jam selesai (WIB)", validators=[DataRequired(TIME_MSG)])
    organizer_unit_id = SelectField("Unit penyelenggara", coerce=int, choices=[])
    letter_number = StringField("Nomor surat undangan", validators=[Length(max=100)])
    letter_date = DateField("Tanggal surat", validators=[Optional()])
    signatory_name = StringField("Nama penanda tangan", validators=[Length(max=150)])
    signatory_position = StringField("Jabatan penanda tangan", validators=[Length(max=200)])
    signatory_nip = StringField(
        "NIP penanda tangan",
        validators=[Optional(), Regexp(r"^[\d ]{18,21}$", message="NIP 18 digit.")],
    )
    default_quota = IntegerField(
        "Kuota per unit",
        default=2,
        validators=[DataRequired(REQUIRED), NumberRange(1, 500, "Antara 1 dan 500.")],
    )
    capacity = IntegerField(
        "Kapasitas total (kosongkan bila tanpa batas)",
        validators=[Optional(), NumberRange(1, 100000, "Minimal 1.")],
    )
    requires_approval = BooleanField("Pendaftaran perlu persetujuan panitia")
    public_registration = BooleanField("Buka tautan pendaftaran publik")
    closes_date = DateField("Pendaftaran ditutup tanggal", validators=[Optional()])
    closes_time = TimeField("Jam", validators=[Optional()])
    checkin_opens_minutes = IntegerField(
        "Registrasi ulang dibuka (menit sebelum sesi)",
        default=60,
        validators=[DataRequired(REQUIRED), NumberRange(0, 24 * 60)],
    )
    late_tolerance_minutes = IntegerField(
        "Toleransi terlambat (menit)", default=15, validators=[NumberRange(0, 240)]
    )
    self_checkin_enabled = BooleanField("Izinkan check-in mandiri dengan QR layar")
    attendance_rule = SelectField(
        "Syarat kehadiran (untuk sertifikat)",
        choices=[(r.value, r.label) for r in AttendanceRule],
    )


class SessionForm(FlaskForm):
    title = StringField("Judul sesi", validators=[DataRequired(REQUIRED), Length(max=250)])
    date = DateField("Tanggal", validators=[DataRequired(DATE_MSG)])
    start_time = TimeField("Mulai (WIB)", validators=[DataRequired(TIME_MSG)])
    end_time = TimeField("Selesai (WIB)", validators=[DataRequired(TIME_MSG)])
    speaker_id = SelectField("Narasumber", coerce=int, choices=[])
    mandatory = BooleanField("Wajib diikuti", default=True)


class SpeakerForm(FlaskForm):
    name = StringField("Nama narasumber", validators=[DataRequired(REQUIRED), Length(max=150)])
    title = StringField("Jabatan", validators=[Length(max=200)])
    institution = StringField("Instansi", validators=[Length(max=200)])


class CloneForm(FlaskForm):
    start_date = DateField("Tanggal mulai acara baru", validators=[DataRequired(DATE_MSG)])
    start_time = TimeField("Jam mulai (WIB)", validators=[DataRequired(TIME_MSG)])


class StatusForm(FlaskForm):
    status = SelectField("Status baru", choices=[])
    reason = StringField("Alasan (wajib untuk pembatalan)", validators=[Length(max=300)])


class StaffForm(FlaskForm):
    users = SelectMultipleField("Petugas registrasi ulang", coerce=int, choices=[])
