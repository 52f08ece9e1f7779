from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
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
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..common.forms import CommaDecimalField
from .models import QuestionKind

REQUIRED = _l("Wajib diisi.")


class SettingsForm(FlaskForm):
    tests_enabled = BooleanField(_l("Pre-test dan post-test"))
    surveys_enabled = BooleanField(_l("Survei evaluasi"))
    jp_credited = BooleanField(_l("JP dihitung dan dicetak pada sertifikat"))
    jp_override = CommaDecimalField(
        _l("JP (kosongkan untuk dihitung dari sesi)"), places=1, validators=[Optional()]
    )
    excluded_session_ids = SelectMultipleField(
        _l("Sesi yang tidak dihitung JP"), coerce=int, choices=[], validate_choice=False
    )
    pass_threshold = IntegerField(
        _l("Nilai batas lulus post-test"),
        default=70,
        validators=[DataRequired(REQUIRED), NumberRange(0, 100, _l("Antara 0 dan 100."))],
    )
    tests_required_for_certificate = BooleanField(
        _l("Sertifikat hanya bagi yang mengerjakan pre-test dan post-test")
    )


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Jenis soal"), choices=lambda: [(k.value, k.label) for k in QuestionKind])
    text = TextAreaField(_l("Pertanyaan"), validators=[Length(max=4000)])
    a = StringField("A", validators=[Length(max=500)])
    b = StringField("B", validators=[Length(max=500)])
    c = StringField("C", validators=[Length(max=500)])
    d = StringField("D", validators=[Length(max=500)])
    e = StringField("E", validators=[Length(max=500)])
    answer = SelectField(
        _l("Jawaban benar"),
        choices=[
            ("", "-"),
            ("A", "A"),
            ("B", "B"),
            ("C", "C"),
            ("D", "D"),
            ("E", "E"),
            ("Benar", _l("Benar")),
            ("Salah", _l("Salah")),
        ],
    )


class ImportForm(FlaskForm):
    file = FileField(_l("Berkas soal (.xlsx atau .csv)"), validators=[FileRequired(REQUIRED)])


class ScheduleForm(FlaskForm):
    open_date = DateField(_l("Tanggal buka"), validators=[DataRequired(REQUIRED)])
    open_time = TimeField(_l("Jam buka (WIB)"), validators=[DataRequired(REQUIRED)])
    close_date = DateField(_l("Tanggal tutup"), validators=[Optional()])
    close_time = TimeField(_l("Jam tutup (WIB)"), validators=[Optional()])


class SurveyForm(FlaskForm):
    title = StringField(_l("Judul survei"), validators=[Length(max=250)])
    elements = TextAreaField(_l("Unsur penilaian (satu per baris)"))
    anonymous = BooleanField(_l("Anonim (nama responden tidak disimpan)"), default=True)


class NewSurveyForm(SurveyForm):
    kind = SelectField(
        _l("Jenis survei"),
        choices=[("event", _l("Evaluasi penyelenggaraan")), ("speaker", _l("Evaluasi narasumber"))],
    )
    speaker_id = SelectField(_l("Narasumber"), coerce=int, choices=[], validate_choice=False)
