from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..events.forms import checked_nip
from ..events.models import SignatoryCapacity
from ..units.models import UnitKind
from .models import FileKind
from .numbering import PLACEHOLDERS

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
    certificate_pattern = StringField(
        _l("Pola nomor sertifikat bawaan"),
        validators=[Length(max=120)],
        description=_l("Isian: ") + " ".join("{" + p + "}" for p in PLACEHOLDERS),
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
    copies = TextAreaField(
        _l("Tembusan (satu per baris)"), description=_l("mis. Bupati Bekasi (sebagai laporan)")
    )


MARKUP_HELP = _l(
    "Baris diawali '# ' menjadi judul, '- ' menjadi butir, '1. ' menjadi daftar bernomor; "
    "baris kosong memisahkan paragraf."
)


class ReportForm(FlaskForm):
    number = StringField(_l("Nomor laporan"), validators=[Length(max=100)])
    report_date = DateField(
        _l("Tanggal laporan (kosongkan: hari terakhir acara)"), validators=[Optional()]
    )
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


class SignatoriesForm(FlaskForm):
    """Who signs which document of one event, and how its certificates are numbered."""

    signatory_rank = StringField(
        _l("Pangkat/golongan penanda tangan surat undangan"),
        validators=[Length(max=80)],
        description=_l("mis. Pembina Utama Madya (IV/d)"),
    )
    signatory_capacity = SelectField(
        _l("Menandatangani sebagai"),
        choices=lambda: [(c.value, c.label) for c in SignatoryCapacity],
    )
    signatory_for = StringField(
        _l("Jabatan yang diwakili (untuk a.n./Plt./Plh.)"),
        validators=[Length(max=200)],
        description=_l("a.n.: BUPATI BEKASI; Plt./Plh.: jabatan yang dijalankan"),
    )
    report_signatory_name = StringField(
        _l("Nama penanggung jawab (menandatangani daftar hadir dan laporan)"),
        validators=[Length(max=150)],
    )
    report_signatory_position = StringField(
        _l("Jabatan penanggung jawab"),
        validators=[Length(max=200)],
        description=_l("mis. Kepala Bagian Organisasi Sekretariat Daerah"),
    )
    report_signatory_rank = StringField(
        _l("Pangkat/golongan penanggung jawab"), validators=[Length(max=80)]
    )
    report_signatory_nip = StringField(_l("NIP penanggung jawab"))
    document_code = StringField(
        _l("Kode acara (untuk nomor sertifikat)"), validators=[Length(max=40)]
    )
    classification_code = StringField(
        _l("Kode klasifikasi arsip"), validators=[Length(max=40)], description=_l("mis. 000.1.2")
    )
    certificate_pattern = StringField(
        _l("Pola nomor sertifikat (kosongkan untuk pola bawaan)"),
        validators=[Length(max=120)],
        description=_l("Isian: ") + " ".join("{" + p + "}" for p in PLACEHOLDERS),
    )

    def validate_report_signatory_nip(self, field) -> None:
        field.data = checked_nip(field.data)


class AddressingForm(FlaskForm):
    """How letters address one unit, where its kind's rule is wrong."""

    unit_id = SelectField(_l("Perangkat daerah"), coerce=int, choices=[])
    title = StringField(
        _l("Sebutan pimpinan pada surat (kosongkan untuk aturan bawaan)"),
        validators=[Length(max=200)],
        description=_l("mis. Inspektur Kabupaten Bekasi, Direktur RSUD Cabangbungin"),
    )
    protocol_rank = IntegerField(
        _l("Urutan protokol (angka kecil lebih dulu; kosongkan untuk urutan bawaan)"),
        validators=[Optional(), NumberRange(0, 99999)],
    )


class ProtocolOrderForm(FlaskForm):
    """The protocol order as one list: a number per unit kind (1 first); ``protocol_order_form``
    adds one field per kind, named by the kind's value."""


def protocol_order_form(kinds: list[UnitKind]) -> ProtocolOrderForm:
    class _Form(ProtocolOrderForm):
        pass

    for number, kind in enumerate(kinds, start=1):
        field = IntegerField(
            kind.label,
            default=number,
            validators=[
                InputRequired(message=REQUIRED),
                NumberRange(1, 99, message=_l("Isi angka 1 sampai 99.")),
            ],
        )
        setattr(_Form, kind.value, field)
    return _Form()
