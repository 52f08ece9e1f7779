"""Forms of the follow-up pages (labels in Indonesian)."""

from __future__ import annotations

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
    framework_id = SelectField("Kerangka", coerce=int)
    template_id = SelectField("Gunakan templat tersimpan", coerce=int, default=0)
    indicators = MultiCheckboxField("Indikator yang ditindaklanjuti", coerce=int)
    due_date = DateField("Tenggat", validators=[DataRequired("Tenggat wajib diisi.")])
    template_name = StringField(
        "Simpan pilihan sebagai templat (opsional)", validators=[Optional(), Length(max=150)]
    )


class TaskForm(FlaskForm):
    unit_id = SelectField("Perangkat daerah", coerce=int)
    indicator_id = SelectField("Indikator (opsional)", coerce=int, default=0)
    title = StringField("Judul tugas", validators=[Length(max=300)])
    description = TextAreaField("Uraian", validators=[Optional(), Length(max=4000)])
    due_date = DateField("Tenggat", validators=[DataRequired("Tenggat wajib diisi.")])


class EvidenceFileForm(FlaskForm):
    file = FileField("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; maks. 10 MB)")
    description = StringField("Keterangan", validators=[Optional(), Length(max=300)])


class EvidenceLinkForm(FlaskForm):
    url = StringField(
        "Tautan publikasi daring",
        validators=[DataRequired("Tautan wajib diisi."), Length(max=500)],
    )
    description = StringField("Keterangan", validators=[Optional(), Length(max=300)])


class SubmitForm(FlaskForm):
    note = TextAreaField("Catatan untuk verifikator", validators=[Optional(), Length(max=2000)])


class VerifyForm(FlaskForm):
    note = TextAreaField("Catatan verifikasi (opsional)", validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Alasan penolakan", validators=[DataRequired("Alasan wajib diisi."), Length(max=2000)]
    )


class FrameworkForm(FlaskForm):
    code = StringField("Kode", validators=[DataRequired("Kode wajib diisi."), Length(max=40)])
    name = StringField("Nama", validators=[DataRequired("Nama wajib diisi."), Length(max=200)])
    kind = SelectField("Jenis")
    year_from = IntegerField(
        "Berlaku mulai tahun",
        validators=[InputRequired("Tahun wajib diisi."), NumberRange(2000, 2100)],
    )
    year_to = IntegerField(
        "Sampai tahun (kosongkan bila masih berlaku)",
        validators=[Optional(), NumberRange(2000, 2100)],
    )
    description = TextAreaField("Keterangan", validators=[Optional(), Length(max=4000)])
    active = BooleanField("Aktif", default=True)


class DimensionForm(FlaskForm):
    code = StringField(
        "Kode dimensi", validators=[DataRequired("Kode wajib diisi."), Length(max=30)]
    )
    name = StringField(
        "Nama dimensi", validators=[DataRequired("Nama wajib diisi."), Length(max=150)]
    )
    weight = StringField("Bobot", validators=[DataRequired("Bobot wajib diisi.")])
    position = IntegerField("Urutan", default=0, validators=[Optional()])


class IndicatorForm(FlaskForm):
    dimension_id = SelectField("Dimensi", coerce=int)
    code = StringField(
        "Kode indikator", validators=[DataRequired("Kode wajib diisi."), Length(max=30)]
    )
    name = StringField(
        "Nama indikator", validators=[DataRequired("Nama wajib diisi."), Length(max=300)]
    )
    evidence_hint = TextAreaField("Petunjuk bukti", validators=[Optional(), Length(max=2000)])
    unit_kinds = MultiCheckboxField("Berlaku untuk jenis unit (kosong: semua)")
    position = IntegerField("Urutan", default=0, validators=[Optional()])
    active = BooleanField("Aktif", default=True)


class BandRow(Form):
    category = StringField("Kategori", validators=[Optional(), Length(max=20)])
    min_score = StringField("Nilai minimum")
    max_score = StringField("Nilai maksimum")
    zone = StringField("Zona", validators=[Optional(), Length(max=40)])
    opinion = StringField("Opini", validators=[Optional(), Length(max=120)])


class BandsForm(FlaskForm):
    bands = FieldList(FormField(BandRow), min_entries=1)


class ImportForm(FlaskForm):
    file = FileField("Berkas XLSX kerangka")


class AssessmentForm(FlaskForm):
    unit_id = SelectField("Perangkat daerah", coerce=int)
    framework_id = SelectField("Kerangka", coerce=int)
    year = IntegerField(
        "Tahun", validators=[InputRequired("Tahun wajib diisi."), NumberRange(2000, 2100)]
    )
    score = StringField("Nilai total (0-100)", validators=[Optional()])
    notes = TextAreaField("Catatan", validators=[Optional(), Length(max=4000)])


class DistrictForm(FlaskForm):
    framework_id = SelectField("Kerangka", coerce=int)
    year = IntegerField(
        "Tahun", validators=[InputRequired("Tahun wajib diisi."), NumberRange(2000, 2100)]
    )
    score = StringField("Nilai kabupaten (0-100)", validators=[DataRequired("Nilai wajib diisi.")])
    notes = StringField("Catatan", validators=[Optional(), Length(max=300)])


class WeakTasksForm(FlaskForm):
    threshold = SelectField(
        "Buat tugas untuk indikator bernilai di bawah",
        coerce=int,
        choices=[(3, "3 (belum sempurna)"), (2, "2"), (1, "1 (hanya yang bernilai 0)")],
        default=2,
    )
    due_date = DateField("Tenggat", validators=[DataRequired("Tenggat wajib diisi.")])
