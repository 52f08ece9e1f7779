"""Evaluation surveys: the index of PermenPANRB 14/2017 computed by hand, to two decimals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sosialisasi.common.errors import DomainError
from sosialisasi.registration.models import Person, Registration
from sosialisasi.training import surveys
from sosialisasi.training.models import SurveyKind, SurveyResponse


@pytest.mark.parametrize(
    ("index", "grade"),
    [
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100.00", "A"),
    ],
)
def test_categories_at_their_boundaries(index, grade):
    assert surveys.category(Decimal(index))[0] == grade


def _people(db, event, n: int) -> list[Registration]:
    """``n`` registrations made in one go (40 through the factory would commit 120 times)."""
    regs = []
    for i in range(n):
        person = Person(name=f"Responden {i + 1:02d}", nip=None)
        regs.append(Registration(event=event, person=person))
    db.session.add_all(regs)
    db.session.commit()
    return regs


def _answer_all(survey, regs, columns: list[list[int]], now):
    """``columns[e][i]``: respondent i's answer to element e."""
    for i, reg in enumerate(regs):
        values = {el.id: columns[e][i] for e, el in enumerate(survey.elements)}
        surveys.submit_response(survey, reg, values=values, comment="", now=now)


def _open(db, event, labels, now):
    survey = surveys.create_survey(
        event, kind=SurveyKind.EVENT, title="Evaluasi penyelenggaraan", elements=labels
    )
    surveys.open_survey(survey, now=now)
    db.session.commit()
    return survey


def test_forty_answers_give_the_index_computed_by_hand(db, make_bimtek):
    event = make_bimtek()
    now = datetime.now(UTC)
    survey = _open(db, event, list(surveys.EVENT_ELEMENTS), now)
    regs = _people(db, event, 40)
    columns = [
        [4] * 20 + [3] * 15 + [2] * 5,  # Materi: (80 + 45 + 10) / 40 = 3,375
        [4] * 25 + [3] * 15,  # Narasumber: (100 + 45) / 40 = 3,625
        [4] * 10 + [3] * 20 + [2] * 8 + [1] * 2,  # Waktu: (40 + 60 + 16 + 2) / 40 = 2,95
        [4] * 18 + [3] * 22,  # Tempat: (72 + 66) / 40 = 3,45
        [4] * 12 + [3] * 18 + [2] * 10,  # Konsumsi: (48 + 54 + 20) / 40 = 3,05
        [4] * 30 + [3] * 10,  # Panitia: (120 + 30) / 40 = 3,75
    ]
    _answer_all(survey, regs, columns, now)
    db.session.commit()
    res = surveys.results(survey)
    assert res.responses == 40
    assert [e.mean for e in res.elements] == [
        Decimal(v) for v in ("3.38", "3.63", "2.95", "3.45", "3.05", "3.75")
    ]
    # (3,375 + 3,625 + 2,95 + 3,45 + 3,05 + 3,75) / 6 = 20,2 / 6 = 3,3667; x 25 = 84,1667
    assert res.index == Decimal("84.17")
    assert (res.grade, res.grade_label) == ("B", "Baik")
    assert res.elements[2].counts == [2, 8, 20, 10]
    assert res.chart()["counts"]["1"] == [0, 0, 2, 0, 0, 0]


def _columns_with_total(elements: int, total: int) -> list[list[int]]:
    """40 answers per element, all 3 except the first (total - 3 x 40 x elements) cells, 4."""
    fours = total - 3 * 40 * elements
    cells = [4 if n < fours else 3 for n in range(40 * elements)]
    return [cells[e * 40 : (e + 1) * 40] for e in range(elements)]


def test_88_30_is_baik_and_88_31_is_sangat_baik(db, make_bimtek):
    now = datetime.now(UTC)
    # 7 elements x 40 answers summing to 989: mean 989 / 280 = 3,532142..; x 25 = 88,3035 -> 88,30
    event = make_bimtek()
    survey = _open(db, event, [f"Unsur {i}" for i in range(1, 8)], now)
    _answer_all(survey, _people(db, event, 40), _columns_with_total(7, 989), now)
    db.session.commit()
    res = surveys.results(survey)
    assert (res.index, res.grade, res.grade_label) == (Decimal("88.30"), "B", "Baik")
    # 17 elements x 40 answers summing to 2402: 2402 / 680 = 3,532352..; x 25 = 88,3088 -> 88,31
    other = make_bimtek("Bimtek Kedua")
    survey = _open(db, other, [f"Unsur {i}" for i in range(1, 18)], now)
    _answer_all(survey, _people(db, other, 40), _columns_with_total(17, 2402), now)
    db.session.commit()
    res = surveys.results(survey)
    assert (res.index, res.grade, res.grade_label) == (Decimal("88.31"), "A", "Sangat Baik")


def test_bad_input_is_refused_with_nothing_half_saved(db, make_bimtek, make_registration):
    event = make_bimtek()
    now = datetime.now(UTC)
    with pytest.raises(DomainError, match="paling sedikit satu unsur"):
        surveys.create_survey(event, kind=SurveyKind.EVENT, title="Kosong", elements=["  ", ""])
    db.session.rollback()
    survey = _open(db, event, ["Materi", "Waktu"], now)
    reg = make_registration(event)
    first, second = survey.elements
    with pytest.raises(DomainError, match="Beri nilai 1-4"):
        surveys.submit_response(survey, reg, values={first.id: 4, second.id: 7}, now=now)
    db.session.rollback()
    surveys.submit_response(
        survey, reg, values={first.id: 4, second.id: 3}, comment="Bagus", now=now
    )
    db.session.commit()
    with pytest.raises(DomainError, match="sudah mengisi survei ini"):
        surveys.submit_response(survey, reg, values={first.id: 1, second.id: 1}, now=now)
    db.session.rollback()
    surveys.close_survey(survey, now=now + timedelta(hours=1))
    db.session.commit()
    late = make_registration(event)
    with pytest.raises(DomainError, match="Survei sudah ditutup"):
        surveys.submit_response(
            survey, late, values={first.id: 4, second.id: 4}, now=now + timedelta(hours=2)
        )
    with pytest.raises(DomainError, match="tidak dapat dibuka lagi"):
        surveys.open_survey(survey, now=now + timedelta(hours=2))
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    # anonymous: the answer does not say who gave it
    assert db.session.scalar(select(SurveyResponse.registration_id)) is None


def test_default_templates_make_one_survey_per_speaker(db, make_bimtek):
    from sosialisasi.events.models import Speaker

    event = make_bimtek()
    event.speakers.append(Speaker(name="Dr. Andi Wijaya", position=1))
    event.speakers.append(Speaker(name="Sri Lestari, M.Si.", position=2))
    db.session.commit()
    made = surveys.create_default_surveys(event)
    assert [s.title for s in made] == [
        "Evaluasi penyelenggaraan",
        "Evaluasi narasumber: Dr. Andi Wijaya",
        "Evaluasi narasumber: Sri Lestari, M.Si.",
    ]
    assert [e.label for e in made[0].elements] == list(surveys.EVENT_ELEMENTS)
    assert surveys.create_default_surveys(event) == []  # not twice


def test_the_laporan_kegiatan_carries_the_evaluation_summary(
    db, letterhead, ready_event, make_registration
):
    from sosialisasi.documents.models import EventReport
    from sosialisasi.documents.report import render_report
    from tests.documents.conftest import pdf_text

    event = ready_event(1)
    now = datetime.now(UTC)
    survey = _open(db, event, ["Materi", "Waktu"], now)
    for value in (4, 3):
        reg = make_registration(event)
        surveys.submit_response(survey, reg, values={e.id: value for e in survey.elements}, now=now)
    db.session.commit()
    assert surveys.report_lines(event) == [
        "Evaluasi penyelenggaraan: 2 responden, indeks 87,50 (mutu B, Baik)"
    ]
    report = EventReport(
        event_id=event.id,
        background="Latar",
        legal_basis="Dasar",
        purpose="Tujuan",
        minutes="Notulen",
        conclusions="Kesimpulan",
    )
    text = pdf_text(render_report(event, report, letterhead, None, at=now))
    assert "HASIL EVALUASI" in text
    assert "Evaluasi penyelenggaraan: 2 responden, indeks 87,50 (mutu B, Baik)" in text
