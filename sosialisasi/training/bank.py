"""The question bank of an event: multiple choice (one right answer) and true/false questions,
added one by one or imported from a spreadsheet (bad rows reported by number, good ones kept)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..common.errors import DomainError
from ..common.tabular import as_text, read_table
from ..events.models import Event
from ..extensions import db
from .models import Attempt, Exam, Question, QuestionKind, QuestionOption

TRUE_FALSE = ("Benar", "Salah")
LETTERS = "ABCDE"
IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("soal", "pertanyaan", "question"),
    "kind": ("jenis", "tipe", "type"),
    "a": ("opsi a", "pilihan a", "a"),
    "b": ("opsi b", "pilihan b", "b"),
    "c": ("opsi c", "pilihan c", "c"),
    "d": ("opsi d", "pilihan d", "d"),
    "e": ("opsi e", "pilihan e", "e"),
    "answer": ("kunci", "kunci jawaban", "jawaban", "jawaban benar", "answer"),
}


def questions(event: Event) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.event_id == event.id).order_by(Question.position)
        )
    )


def _check_editable(event: Event) -> None:
    started = db.session.scalar(
        select(func.count(Attempt.id)).join(Exam).where(Exam.event_id == event.id)
    )
    if started:
        raise DomainError(_("Bank soal tidak dapat diubah: peserta sudah mulai mengerjakan tes."))


def _validated(kind: QuestionKind, text: str, options: list[str], correct: int | None):
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Tuliskan pertanyaannya."), field="text")
    if kind is QuestionKind.TRUE_FALSE:
        options = list(TRUE_FALSE)
    else:
        options = [o.strip() for o in options if o and o.strip()]
        if len(options) < 2:
            raise DomainError(_("Soal pilihan ganda perlu paling sedikit dua pilihan."), field="a")
        if len(set(options)) != len(options):
            raise DomainError(_("Ada pilihan jawaban yang sama."), field="a")
    if correct is None or not 0 <= correct < len(options):
        raise DomainError(_("Soal harus punya satu jawaban benar."), field="answer")
    return text, options


def _new_question(event: Event, kind, text, options, correct, position) -> Question:
    question = Question(event_id=event.id, kind=kind, text=text[:4000], position=position)
    for i, option in enumerate(options):
        question.options.append(
            QuestionOption(text=option[:500], correct=(i == correct), position=i)
        )
    db.session.add(question)
    return question


def _next_position(event: Event) -> int:
    top = db.session.scalar(
        select(func.max(Question.position)).where(Question.event_id == event.id)
    )
    return (top or 0) + 1


def add_question(
    event: Event, *, kind: QuestionKind, text: str, options: list[str], correct: int | None
) -> Question:
    _check_editable(event)
    text, options = _validated(kind, text, options, correct)
    question = _new_question(event, kind, text, options, correct, _next_position(event))
    db.session.flush()
    return question


def delete_question(event: Event, question: Question) -> None:
    _check_editable(event)
    if question.event_id != event.id:
        raise DomainError(_("Soal tidak ditemukan."))
    db.session.delete(question)
    db.session.flush()


@dataclass
class ImportResult:
    added: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _row_question(values: dict[str, object]):
    text = as_text(values.get("text"))
    kind_text = as_text(values.get("kind")).lower()
    answer = as_text(values.get("answer")).strip()
    choices = [as_text(values.get(letter.lower())) for letter in LETTERS]
    if kind_text in ("bs", "b/s", "benar/salah", "benar salah", "true_false", "tf") or (
        not kind_text and not any(choices) and answer.lower() in ("benar", "salah", "b", "s")
    ):
        kind = QuestionKind.TRUE_FALSE
        correct = {"benar": 0, "b": 0, "salah": 1, "s": 1}.get(answer.lower())
        return _validated(kind, text, [], correct), kind, correct
    kind = QuestionKind.CHOICE
    # Blank options in the middle do not shift letters: the key names the column.
    letter = answer.upper()[:1]
    if not answer:
        raise DomainError(_("kunci jawaban kosong"))
    if letter not in LETTERS or len(answer) > 1:
        raise DomainError(_("kunci jawaban harus huruf A-E"))
    index = LETTERS.index(letter)
    if not choices[index]:
        raise DomainError(_("kunci %(letter)s menunjuk pilihan yang kosong", letter=letter))
    kept = [(i, c) for i, c in enumerate(choices) if c]
    correct = next(n for n, (i, _c) in enumerate(kept) if i == index)
    return _validated(kind, text, [c for _i, c in kept], correct), kind, correct


def import_questions(event: Event, data: bytes, filename: str) -> ImportResult:
    """Add every good row; each bad row is reported with its row number and adds nothing."""
    _check_editable(event)
    table = read_table(data, filename, IMPORT_ALIASES, required=("text", "answer"))
    result = ImportResult()
    position = _next_position(event)
    for number, values in table.rows:
        try:
            (text, options), kind, correct = _row_question(values)
        except DomainError as err:
            result.errors.append((number, err.message))
            continue
        _new_question(event, kind, text, options, correct, position)
        position += 1
        result.added += 1
    db.session.flush()
    return result
