"""Question bank, import, opening and closing, one attempt each, answers, results."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sosialisasi.common.errors import DomainError
from sosialisasi.training import bank, exams
from sosialisasi.training.models import Answer, Attempt, ExamKind, Question, QuestionKind


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_question_without_a_right_answer_is_refused(db, make_bimtek):
    event = make_bimtek()
    with pytest.raises(DomainError, match="satu jawaban benar"):
        bank.add_question(
            event,
            kind=QuestionKind.CHOICE,
            text="Apa itu SKM?",
            options=["Survei", "Sensus"],
            correct=None,
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_import_keeps_good_rows_and_reports_bad_ones_by_number(db, make_bimtek):
    event = make_bimtek()
    data = _xlsx(
        [
            ["BANK SOAL BIMTEK"],
            ["Soal", "Jenis", "A", "B", "C", "D", "Kunci"],
            ["Berapa komponen standar pelayanan?", "PG", "14", "10", "6", "", "A"],  # row 3
            ["Maklumat pelayanan wajib dipublikasikan.", "BS", "", "", "", "", "Benar"],  # row 4
            ["Soal tanpa kunci", "PG", "x", "y", "", "", ""],  # row 5: no key
            ["Kunci menunjuk pilihan kosong", "PG", "x", "y", "", "", "D"],  # row 6
            ["", "PG", "x", "y", "", "", "A"],  # row 7: no question
            ["Siapa pembina SKM?", "PG", "KemenPANRB", "BKN", "", "", "a"],  # row 8
        ]
    )
    result = bank.import_questions(event, data, "soal.xlsx")
    db.session.commit()
    assert result.added == 3
    assert [n for n, _ in result.errors] == [5, 6, 7]
    assert "kunci jawaban kosong" in result.errors[0][1]
    texts = [q.text for q in bank.questions(event)]
    assert texts == [
        "Berapa komponen standar pelayanan?",
        "Maklumat pelayanan wajib dipublikasikan.",
        "Siapa pembina SKM?",
    ]
    tf = bank.questions(event)[1]
    assert tf.kind is QuestionKind.TRUE_FALSE and [o.correct for o in tf.options] == [True, False]


def test_a_test_cannot_be_opened_after_it_closed(db, make_bimtek, with_questions):
    event = make_bimtek()
    with_questions(event)
    now = datetime.now(UTC)
    exams.open_exam(event, ExamKind.PRE, now=now)
    exams.close_exam(event, ExamKind.PRE, now=now + timedelta(minutes=30))
    db.session.commit()
    with pytest.raises(DomainError, match="sudah ditutup dan tidak dapat dibuka lagi"):
        exams.open_exam(event, ExamKind.PRE, now=now + timedelta(minutes=40))
    with pytest.raises(DomainError, match="Waktu tutup harus sesudah waktu buka"):
        exams.schedule_exam(event, ExamKind.POST, opens_at=now, closes_at=now - timedelta(hours=1))


def test_an_empty_bank_cannot_be_opened(db, make_bimtek):
    with pytest.raises(DomainError, match="Bank soal masih kosong"):
        exams.open_exam(make_bimtek(), ExamKind.PRE)


def _take(event, reg, kind, right: int, now):
    exam = exams.exam_of(event, kind)
    attempt = exams.start_attempt(exam, reg, now=now)
    for n, (question_id, _option_ids) in enumerate(attempt.layout):
        question = db_get(Question, question_id)
        correct = next(o.id for o in question.options if o.correct)
        wrong = next(o.id for o in question.options if not o.correct)
        exams.save_answer(
            attempt, question_id=question_id, option_id=correct if n < right else wrong, now=now
        )
    return exams.submit_attempt(attempt, now=now)


def db_get(model, ident):
    from sosialisasi.extensions import db

    return db.session.get(model, ident)


def test_one_attempt_each_shuffled_and_the_gain(db, make_bimtek, make_registration, with_questions):
    event = make_bimtek()
    with_questions(event, 4)
    a, b = make_registration(event), make_registration(event)
    now = datetime.now(UTC)
    exams.open_exam(event, ExamKind.PRE, now=now)
    _take(event, a, ExamKind.PRE, 1, now)  # 25
    _take(event, b, ExamKind.PRE, 2, now)  # 50
    db.session.commit()
    with pytest.raises(DomainError, match="hanya satu kali"):
        exams.start_attempt(exams.exam_of(event, ExamKind.PRE), a, now=now)
    exams.close_exam(event, ExamKind.PRE, now=now + timedelta(minutes=1))
    exams.open_exam(event, ExamKind.POST, now=now + timedelta(hours=6))
    later = now + timedelta(hours=6, minutes=5)
    _take(event, a, ExamKind.POST, 4, later)  # 100
    _take(event, b, ExamKind.POST, 2, later)  # 50
    db.session.commit()
    res = exams.results(event)
    by_name = {r.registration_id: r for r in res.rows}
    assert by_name[a.id].gain == Decimal("75.00")
    assert by_name[b.id].gain == Decimal("0.00")
    assert res.mean_gain == Decimal("37.50")
    assert (res.passed, res.took_post, res.pass_share) == (1, 2, Decimal("50.00"))
    # every attempt holds all questions, in an order of its own
    layouts = db.session.scalars(select(Attempt.layout)).all()
    assert all(
        sorted(q for q, _ in lay) == sorted(q.id for q in bank.questions(event)) for lay in layouts
    )


def test_answers_after_closing_are_refused_and_not_saved(
    db, make_bimtek, make_registration, with_questions
):
    event = make_bimtek()
    with_questions(event, 2)
    reg = make_registration(event)
    now = datetime.now(UTC)
    exams.open_exam(event, ExamKind.PRE, now=now)
    attempt = exams.start_attempt(exams.exam_of(event, ExamKind.PRE), reg, now=now)
    question_id, options = attempt.layout[0]
    exams.save_answer(attempt, question_id=question_id, option_id=options[0], now=now)
    exams.close_exam(event, ExamKind.PRE, now=now + timedelta(minutes=10))
    db.session.commit()
    assert attempt.score is not None  # scored from what was saved
    other_q, other_options = attempt.layout[1]
    with pytest.raises(DomainError, match="sudah ditutup"):
        exams.save_answer(
            attempt,
            question_id=other_q,
            option_id=other_options[0],
            now=now + timedelta(minutes=11),
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_required_tests_hold_back_the_certificate(
    db, make_bimtek, make_registration, with_questions
):
    from sosialisasi.training import jp

    event = make_bimtek()
    reg = make_registration(event)
    assert exams.blocked_for_certificate(event) == set()
    settings = jp.settings_for(event)
    db.session.add(settings)
    settings.tests_required_for_certificate = True
    db.session.commit()
    assert exams.blocked_for_certificate(event) == {reg.id}


def test_results_download_as_xlsx_with_nip_scores_and_pass(
    db, client, login_as, make_bimtek, make_registration, make_person, with_questions
):
    from openpyxl import load_workbook

    from sosialisasi.auth.models import Role

    event = make_bimtek()
    with_questions(event, 4)
    sari = make_registration(event, make_person("Sari Wulandari", nip="198609262015052001"))
    budi = make_registration(event, make_person("Budi Santoso"))
    now = datetime.now(UTC)
    exams.open_exam(event, ExamKind.PRE, now=now)
    _take(event, sari, ExamKind.PRE, 1, now)  # 25
    _take(event, budi, ExamKind.PRE, 2, now)  # 50
    exams.close_exam(event, ExamKind.PRE, now=now + timedelta(minutes=1))
    exams.open_exam(event, ExamKind.POST, now=now + timedelta(hours=6))
    _take(event, sari, ExamKind.POST, 4, now + timedelta(hours=6, minutes=5))  # 100
    db.session.commit()

    login_as(Role.ORGANIZER)
    assert "hasil-tes.xlsx" in client.get(f"/acara/{event.id}/pelatihan/hasil-tes").text
    answer = client.get(f"/acara/{event.id}/pelatihan/hasil-tes.xlsx")

    assert answer.status_code == 200 and "hasil-tes" in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    rows = [list(r) for r in book["Per peserta"].iter_rows(values_only=True)]
    header = rows.index(
        ["No", "Nama", "NIP", "Perangkat Daerah", "Pre-test", "Post-test", "Kenaikan", "Lulus"]
    )
    people = {r[1]: r for r in rows[header + 1 :] if r[1] in ("Sari Wulandari", "Budi Santoso")}
    assert people["Sari Wulandari"][2] == "19860926 201505 2 001"
    assert people["Sari Wulandari"][4:] == [25.0, 100.0, 75.0, "Ya"]
    assert people["Budi Santoso"][4:] == [50.0, None, None, None]  # no post-test yet
    assert "Per perangkat daerah" in book.sheetnames

    login_as(Role.UNIT_OPERATOR)
    assert client.get(f"/acara/{event.id}/pelatihan/hasil-tes.xlsx").status_code in (403, 404)
