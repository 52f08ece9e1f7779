"""The pages as people use them: the organizer sets up, the participant answers from the ticket."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.registration.models import RegistrationRole
from sosialisasi.training.models import Answer, Exam, Question, Survey, SurveyResponse
from tests.documents.conftest import pdf_text


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_organizer_sets_up_questions_tests_and_surveys(client, login_as, db, make_bimtek):
    event = make_bimtek()
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}/pelatihan")
    assert page.status_code == 200
    assert "9,0 JP" in page.text and "420 menit" in page.text
    # a question without a right answer: an Indonesian message, nothing saved
    page = client.post(
        f"/acara/{event.id}/pelatihan/soal",
        data={"kind": "choice", "text": "Apa itu SKM?", "a": "Survei", "b": "Sensus", "answer": ""},
    )
    assert page.status_code == 400 and "Soal harus punya satu jawaban benar." in page.text
    assert db.session.scalar(select(func.count(Question.id))) == 0
    page = client.post(
        f"/acara/{event.id}/pelatihan/soal/impor",
        follow_redirects=True,
        data={
            "file": (
                io.BytesIO(
                    _xlsx(
                        [
                            ["Soal", "A", "B", "Kunci"],
                            ["Apa kepanjangan SKM?", "Survei Kepuasan Masyarakat", "Sensus", "A"],
                            ["Baris rusak", "x", "y", "Z"],
                        ]
                    )
                ),
                "soal.xlsx",
            )
        },
    )
    assert "1 soal diimpor." in page.text
    assert "Baris 3 dilewati: kunci jawaban harus huruf A-E." in page.text
    page = client.post(f"/acara/{event.id}/pelatihan/tes/pre/buka", follow_redirects=True)
    assert "Pre-test dibuka." in page.text
    client.post(f"/acara/{event.id}/pelatihan/tes/pre/tutup")
    page = client.post(f"/acara/{event.id}/pelatihan/tes/pre/buka", follow_redirects=True)
    assert "Pre-test sudah ditutup dan tidak dapat dibuka lagi." in page.text
    page = client.post(
        f"/acara/{event.id}/pelatihan/survei",
        data={"kind": "event", "title": "Kosong", "elements": "  \n ", "speaker_id": 0},
    )
    assert page.status_code == 400
    assert "Survei harus punya paling sedikit satu unsur penilaian." in page.text
    assert db.session.scalar(select(func.count(Survey.id))) == 0
    page = client.post(f"/acara/{event.id}/pelatihan/survei/templat", follow_redirects=True)
    assert "1 survei dibuat dari templat." in page.text


def test_participant_answers_from_the_ticket(
    client, login_as, db, make_bimtek, make_registration, with_questions
):
    event = make_bimtek()
    with_questions(event, 2)
    reg = make_registration(event)
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/pelatihan/tes/pre/buka")
    client.post(f"/acara/{event.id}/pelatihan/survei/templat")
    survey = db.session.scalar(select(Survey))
    client.post(f"/acara/{event.id}/pelatihan/survei/{survey.id}/buka")
    client.get("/keluar")
    with client.session_transaction() as session:
        session.clear()
    ticket = client.get(f"/t/{reg.ticket_code}")
    assert "Kerjakan Pre-test" in ticket.text and "Isi Evaluasi penyelenggaraan" in ticket.text
    client.post(f"/t/{reg.ticket_code}/tes/pre/mulai")
    page = client.get(f"/t/{reg.ticket_code}/tes/pre")
    assert "Kirim jawaban" in page.text
    exam = db.session.scalar(select(Exam))
    from sosialisasi.training import exams

    attempt = exams.attempt_of(exam, reg)
    for question_id, _options in attempt.layout:
        question = db.session.get(Question, question_id)
        right = next(o.id for o in question.options if o.correct)
        answer = client.post(
            f"/t/{reg.ticket_code}/tes/pre/jawab", json={"question": question_id, "option": right}
        )
        assert answer.status_code == 200 and answer.json["ok"]
    page = client.post(f"/t/{reg.ticket_code}/tes/pre/kirim", follow_redirects=True)
    assert "Jawaban terkirim. Nilai Anda: 100,00." in page.text
    again = client.post(f"/t/{reg.ticket_code}/tes/pre/mulai", follow_redirects=True)
    assert "Setiap peserta hanya satu kali." in again.text
    late = client.post(
        f"/t/{reg.ticket_code}/tes/pre/jawab",
        json={"question": attempt.layout[0][0], "option": attempt.layout[0][1][0]},
    )
    assert late.status_code == 409 and "sudah dikirim" in late.json["message"]
    assert db.session.scalar(select(func.count(Answer.id))) == 2
    # the survey: all elements or nothing
    values = {f"e{e.id}": "4" for e in survey.elements}
    page = client.post(
        f"/t/{reg.ticket_code}/survei/{survey.id}", data={**values, f"e{survey.elements[0].id}": ""}
    )
    assert page.status_code == 400 and "Beri nilai 1-4 untuk setiap unsur: Materi." in page.text
    page = client.post(
        f"/t/{reg.ticket_code}/survei/{survey.id}",
        data={**values, "comment": "Ruangan dingin"},
        follow_redirects=True,
    )
    assert "Terima kasih, penilaian Anda tersimpan." in page.text
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    ticket = client.get(f"/t/{reg.ticket_code}")
    assert "Kerjakan Pre-test" not in ticket.text and "Isi Evaluasi" not in ticket.text
    # organizer and verifier read the results; PDF and XLSX
    login_as(Role.VERIFIER)
    results = client.get(f"/acara/{event.id}/pelatihan/survei/{survey.id}")
    assert results.status_code == 200
    assert "100,00" in results.text and "A (Sangat Baik)" in results.text
    assert "Ruangan dingin" in results.text
    pdf = client.get(f"/acara/{event.id}/pelatihan/evaluasi.pdf")
    assert "Indeks: 100,00 Mutu: A (Sangat Baik)" in pdf_text(pdf.data)
    xlsx = load_workbook(io.BytesIO(client.get(f"/acara/{event.id}/pelatihan/evaluasi.xlsx").data))
    cells = [c for row in xlsx.active.iter_rows(values_only=True) for c in row]
    assert "Ruangan dingin" in cells and 100 in cells
    assert client.post(f"/acara/{event.id}/pelatihan/tes/post/buka").status_code == 403


def test_headcounts_per_session_by_role(client, login_as, db, make_bimtek, make_registration):
    event = make_bimtek()
    morning, afternoon = event.sessions
    regs = [make_registration(event) for _ in range(3)]
    regs.append(make_registration(event, role=RegistrationRole.NARASUMBER))
    for reg in regs[:2] + regs[3:]:
        db.session.add(
            CheckIn(
                registration_id=reg.id,
                session_id=morning.id,
                at=datetime.now(UTC),
                method=CheckInMethod.MANUAL,
            )
        )
    db.session.commit()
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}/pelatihan/konsumsi")
    assert page.status_code == 200
    wb = load_workbook(io.BytesIO(client.get(f"/acara/{event.id}/pelatihan/konsumsi.xlsx").data))
    rows = list(wb.active.iter_rows(values_only=True))
    header = rows[2]
    morning_row = dict(zip(header, rows[3], strict=False))
    afternoon_row = dict(zip(header, rows[4], strict=False))
    assert morning_row["Terdaftar Peserta"] == 3 and morning_row["Terdaftar Narasumber"] == 1
    assert morning_row["Terdaftar total"] == 4 and morning_row["Hadir total"] == 3
    assert morning_row["Hadir Peserta"] == 2 and morning_row["Hadir Narasumber"] == 1
    assert afternoon_row["Hadir total"] == 0


def test_jp_is_typed_with_a_decimal_comma(client, login_as, db, make_bimtek):
    """Issue 17: "2,5" is how an Indonesian organizer writes two and a half JP."""
    from sosialisasi.training import jp

    event = make_bimtek()
    login_as(Role.ORGANIZER)
    url = f"/acara/{event.id}/pelatihan"
    saved = client.post(url, data={"jp_credited": "y", "jp_override": "2,5", "pass_threshold": 70})
    assert saved.status_code == 302
    assert jp.settings_for(event).jp_override == Decimal("2.5")
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="jp-value">2,5 JP' in page
    assert 'value="2,5"' in page  # shown back the way it was typed
    wrong = client.post(url, data={"jp_credited": "y", "jp_override": "dua", "pass_threshold": 70})
    assert wrong.status_code == 400 and "Isi dengan angka, mis. 2,5." in wrong.text
