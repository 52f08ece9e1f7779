from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from .models import FileKind

REQUIRED = "Wajib diisi."


class LetterheadForm(FlaskForm):
    government_name = StringField(
        "Nama pemerintah daerah",
        validators=[DataRequired(REQUIRED), Length(max=150)],
        default="PEMERINTAH KABUPATEN BEKASI",
    )
    secretariat = StringField(
        "Perangkat daerah (baris kedua kop)",
        validators=[DataRequired(REQUIRED), Length(max=150)],
        default="SEKRETARIAT DAERAH",
    )
    address = StringField("Alamat", validators=[DataRequired(REQUIRED), Length(max=300)])
    city = StringField(
        "Tempat penandatanganan surat",
        validators=[DataRequired(REQUIRED), Length(max=80)],
        default="Cikarang Pusat",
    )
    phone = StringField("Telepon", validators=[Length(max=80)])
    website = StringField("Laman (website)", validators=[Length(max=150)])
    email = StringField(
        "Pos-el (email)",
        validators=[Optional(), Email("Alamat email tidak valid."), Length(max=150)],
    )
    logo = FileField("Logo (PNG atau JPEG)")
    remove_logo = BooleanField("Hapus logo")


class LetterForm(FlaskForm):
    nature = StringField("Sifat", validators=[DataRequired(REQUIRED), Length(max=40)])
    subject = StringField("Perihal", validators=[DataRequired(REQUIRED), Length(max=250)])
    attachment = StringField(
        "Lampiran (kosongkan agar dihitung otomatis)", validators=[Length(max=80)]
    )
    opening = TextAreaField("Paragraf pembuka (kosongkan untuk teks baku)")
    note = TextAreaField("Catatan tambahan (mis. pakaian, narahubung)")


MARKUP_HELP = (
    "Baris diawali '# ' menjadi judul, '- ' menjadi butir, '1. ' menjadi daftar bernomor; "
    "baris kosong memisahkan paragraf."
)


class ReportForm(FlaskForm):
    background = TextAreaField("Latar belakang")
    legal_basis = TextAreaField("Dasar hukum")
    purpose = TextAreaField("Maksud dan tujuan")
    minutes = TextAreaField("Notulen (hasil pembahasan)")
    conclusions = TextAreaField("Kesimpulan")
    followup_plan = TextAreaField("Rencana tindak lanjut")


class UploadForm(FlaskForm):
    kind = SelectField("Jenis berkas", choices=[(k.value, k.label) for k in FileKind])
    file = FileField("Berkas")
    caption = StringField("Keterangan", validators=[Length(max=250)])


class RevokeForm(FlaskForm):
    reason = StringField("Alasan pencabutan", validators=[DataRequired(REQUIRED), Length(max=300)])
