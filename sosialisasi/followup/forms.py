"""Forms of the follow-up pages (labels in Indonesian)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    framework_id = SelectField(_l("Kerangka"), coerce=int)
    template_id = SelectField(_l("Gunakan templat tersimpan"), coerce=int, default=0)
    indicators = MultiCheckboxField(_l("Indikator yang ditindaklanjuti"), coerce=int)
    due_date = DateField(_l("Tenggat"), validators=[DataRequired(_l("Tenggat wajib diisi."))])
    template_name = StringField(
        _l("Simpan pilihan sebagai templat (opsional)"), validators=[Optional(), Length(max=150)]
    )
    exclude_units = MultiCheckboxField(_l("Unit yang dikecualikan"), coerce=int)
    confirm_late = BooleanField(_l("Tetap simpan walau tugas langsung terlambat"))


class TaskForm(FlaskForm):
    unit_id = SelectField(_l("Perangkat daerah"), coerce=int)
    indicator_id = SelectField(_l("Indikator (opsional)"), coerce=int, default=0)
    title = StringField(_l("Judul tugas"), validators=[Length(max=300)])
    description = TextAreaField(_l("Uraian"), validators=[Optional(), Length(max=4000)])
    due_date = DateField(_l("Tenggat"), validators=[DataRequired(_l("Tenggat wajib diisi."))])


class EvidenceFileForm(FlaskForm):
    file = FileField(_l("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; maks. 10 MB)"))
    description = StringField(_l("Keterangan"), validators=[Optional(), Length(max=300)])


class EvidenceLinkForm(FlaskForm):
    url = StringField(
        _l("Tautan publikasi daring"),
        validators=[DataRequired(_l("Tautan wajib diisi.")), Length(max=500)],
    )
    description = StringField(_l("Keterangan"), validators=[Optional(), Length(max=300)])


class SubmitForm(FlaskForm):
    note = TextAreaField(_l("Catatan untuk verifikator"), validators=[Optional(), Length(max=2000)])


class VerifyForm(FlaskForm):
    note = TextAreaField(
        _l("Catatan verifikasi (opsional)"), validators=[Optional(), Length(max=2000)]
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan penolakan"),
        validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=2000)],
    )


class FrameworkForm(FlaskForm):
    code = StringField(
        _l("Kode"), validators=[DataRequired(_l("Kode wajib diisi.")), Length(max=40)]
    )
    name = StringField(
        _l("Nama"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)]
    )
    kind = SelectField(_l("Jenis"))
    year_from = IntegerField(
        _l("Berlaku mulai tahun"),
        validators=[InputRequired(_l("Tahun wajib diisi.")), NumberRange(2000, 2100)],
    )
    year_to = IntegerField(
        _l("Sampai tahun (kosongkan bila masih berlaku)"),
        validators=[Optional(), NumberRange(2000, 2100)],
    )
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=4000)])
    method = StringField(_l("Metode (nama resmi)"), validators=[Optional(), Length(max=200)])
    legal_basis = StringField(_l("Dasar hukum"), validators=[Optional(), Length(max=300)])
    opinion_rule = BooleanField(
        _l(
            "Opini Ombudsman: tambahkan \u201cTanpa Maladministrasi\u201d bila semua produk "
            "pengawasan yang jatuh tempo sampai batas waktu sudah ditindaklanjuti"
        )
    )
    active = BooleanField(_l("Aktif"), default=True)


class DimensionForm(FlaskForm):
    code = StringField(
        _l("Kode dimensi"), validators=[DataRequired(_l("Kode wajib diisi.")), Length(max=30)]
    )
    name = StringField(
        _l("Nama dimensi"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=150)]
    )
    weight = StringField(_l("Bobot"), validators=[DataRequired(_l("Bobot wajib diisi."))])
    position = IntegerField(_l("Urutan"), default=0, validators=[Optional()])


class IndicatorForm(FlaskForm):
    dimension_id = SelectField(_l("Dimensi"), coerce=int)
    code = StringField(
        _l("Kode indikator"), validators=[DataRequired(_l("Kode wajib diisi.")), Length(max=30)]
    )
    name = StringField(
        _l("Nama indikator"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=300)]
    )
    evidence_hint = TextAreaField(_l("Petunjuk bukti"), validators=[Optional(), Length(max=2000)])
    unit_kinds = MultiCheckboxField(_l("Berlaku untuk jenis unit (kosong: semua)"))
    position = IntegerField(_l("Urutan"), default=0, validators=[Optional()])
    active = BooleanField(_l("Aktif"), default=True)


class BandRow(Form):
    category = StringField(_l("Kategori"), validators=[Optional(), Length(max=20)])
    min_score = StringField(_l("Nilai minimum"))
    max_score = StringField(_l("Nilai maksimum"))
    zone = StringField(_l("Zona"), validators=[Optional(), Length(max=40)])
    opinion = StringField(_l("Opini"), validators=[Optional(), Length(max=120)])


class BandsForm(FlaskForm):
    bands = FieldList(FormField(BandRow), min_entries=1)


class ImportForm(FlaskForm):
    file = FileField(_l("Berkas XLSX kerangka"))


class AssessmentForm(FlaskForm):
    unit_id = SelectField(_l("Perangkat daerah"), coerce=int)
    framework_id = SelectField(_l("Kerangka"), coerce=int)
    year = IntegerField(
        _l("Tahun"), validators=[InputRequired(_l("Tahun wajib diisi.")), NumberRange(2000, 2100)]
    )
    score = StringField(_l("Nilai total (0-100)"), validators=[Optional()])
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=4000)])


class DistrictForm(FlaskForm):
    framework_id = SelectField(_l("Kerangka"), coerce=int)
    year = IntegerField(
        _l("Tahun"), validators=[InputRequired(_l("Tahun wajib diisi.")), NumberRange(2000, 2100)]
    )
    score = StringField(
        _l("Nilai kabupaten (0-100)"), validators=[DataRequired(_l("Nilai wajib diisi."))]
    )
    notes = StringField(_l("Catatan"), validators=[Optional(), Length(max=300)])


class WeakTasksForm(FlaskForm):
    threshold = SelectField(
        _l("Buat tugas untuk indikator bernilai di bawah"),
        coerce=int,
        choices=[(3, _l("3 (belum sempurna)")), (2, "2"), (1, _l("1 (hanya yang bernilai 0)"))],
        default=2,
    )
    due_date = DateField(_l("Tenggat"), validators=[DataRequired(_l("Tenggat wajib diisi."))])


class YearForm(FlaskForm):
    target_category = StringField(
        _l("Target kategori (mis. A)"), validators=[Optional(), Length(max=20)]
    )
    target_score = StringField(_l("Target skor (mis. 90,00)"), validators=[Optional()])
    cutoff_date = DateField(
        _l("Batas waktu tindak lanjut produk pengawasan"), validators=[Optional()]
    )
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class LokusForm(FlaskForm):
    lokus = TextAreaField(
        _l("Lokus (satu unit per baris; \u201cunit; produk layanan\u201d untuk produk)"),
        validators=[Optional()],
    )
    file = FileField(_l("atau impor dari berkas CSV/XLSX (kolom Unit, Produk layanan)"))


class SupervisionForm(FlaskForm):
    kind = SelectField(_l("Jenis produk pengawasan"))
    number = StringField(
        _l("Nomor"), validators=[DataRequired(_l("Nomor wajib diisi.")), Length(max=100)]
    )
    issued_on = DateField(_l("Tanggal"), validators=[DataRequired(_l("Tanggal wajib diisi."))])
    unit_id = SelectField(_l("Unit yang dituju"), coerce=int)
    finding = TextAreaField(_l("Temuan / isi"), validators=[Optional(), Length(max=4000)])
    due_date = DateField(_l("Tenggat (kosongkan bila tanpa tenggat)"), validators=[Optional()])
    year = IntegerField(
        _l("Dihitung untuk penilaian tahun (kosong: tahun tenggat)"),
        validators=[Optional(), NumberRange(2000, 2100)],
    )
    followed_up_on = DateField(_l("Ditindaklanjuti pada"), validators=[Optional()])


class SupervisionTasksForm(FlaskForm):
    titles = TextAreaField(
        _l("Langkah tindak lanjut (satu tugas per baris)"), validators=[Optional()]
    )
    due_date = DateField(_l("Tenggat tugas"), validators=[Optional()])


class MilestoneForm(FlaskForm):
    kind = SelectField(_l("Tahap"))
    on_date = DateField(_l("Tanggal"), validators=[DataRequired(_l("Tanggal wajib diisi."))])
    title = StringField(_l("Keterangan"), validators=[Optional(), Length(max=200)])
    remind_days = IntegerField(
        _l("Ingatkan mulai (hari sebelumnya)"), default=7, validators=[Optional()]
    )


class BulkTasksForm(FlaskForm):
    """The bulk actions of the task list; the chosen tasks come as ``tugas`` checkboxes."""

    all_filtered = BooleanField(_l("Pilih semua yang tersaring"))
    due_date = DateField(_l("Tenggat baru"), validators=[Optional()])
    confirm_past = BooleanField(_l("Tetap ubah walau tenggat sudah lewat"))
