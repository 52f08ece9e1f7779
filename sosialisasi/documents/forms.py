from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from .models import FileKind

REQUIRED = _l("Wajib diisi.")


class LetterheadForm(FlaskForm):
    government_name = StringField(
        _l("Nama pemerintah daerah"),
        validators=[DataRequired(REQUIRED), Length(max=150)],
        default="PEMERINTAH KABUPATEN BEKASI",
    )
    secretariat = StringField(
        _l("Perangkat daerah (baris kedua kop)"),
        validators=[DataRequired(REQUIRED), Length(max=150)],
        default="SEKRETARIAT DAERAH",
    )
    address = StringField(_l("Alamat"), validators=[DataRequired(REQUIRED), Length(max=300)])
    city = StringField(
        _l("Tempat penandatanganan surat"),
        validators=[DataRequired(REQUIRED), Length(max=80)],
        default="Cikarang Pusat",
    )
    phone = StringField(_l("Telepon"), validators=[Length(max=80)])
    website = StringField(_l("Laman (website)"), validators=[Length(max=150)])
    email = StringField(
        _l("Pos-el (email)"),
        validators=[Optional(), Email(_l("Alamat email tidak valid.")), Length(max=150)],
    )
    logo = FileField(_l("Logo (PNG atau JPEG)"))
    remove_logo = BooleanField(_l("Hapus logo"))


class LetterForm(FlaskForm):
    nature = StringField(_l("Sifat"), validators=[DataRequired(REQUIRED), Length(max=40)])
    subject = StringField(_l("Perihal"), validators=[DataRequired(REQUIRED), Length(max=250)])
    attachment = StringField(
        _l("Lampiran (kosongkan agar dihitung otomatis)"), validators=[Length(max=80)]
    )
    opening = TextAreaField(_l("Paragraf pembuka (kosongkan untuk teks baku)"))
    note = TextAreaField(_l("Catatan tambahan (mis. pakaian, narahubung)"))


MARKUP_HELP = _l(
    "Baris diawali '# ' menjadi judul, '- ' menjadi butir, '1. ' menjadi daftar bernomor; "
    "baris kosong memisahkan paragraf."
)


class ReportForm(FlaskForm):
    background = TextAreaField(_l("Latar belakang"))
    legal_basis = TextAreaField(_l("Dasar hukum"))
    purpose = TextAreaField(_l("Maksud dan tujuan"))
    minutes = TextAreaField(_l("Notulen (hasil pembahasan)"))
    conclusions = TextAreaField(_l("Kesimpulan"))
    followup_plan = TextAreaField(_l("Rencana tindak lanjut"))


class UploadForm(FlaskForm):
    kind = SelectField(_l("Jenis berkas"), choices=lambda: [(k.value, k.label) for k in FileKind])
    file = FileField(_l("Berkas"))
    caption = StringField(_l("Keterangan"), validators=[Length(max=250)])


class RevokeForm(FlaskForm):
    reason = StringField(
        _l("Alasan pencabutan"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
