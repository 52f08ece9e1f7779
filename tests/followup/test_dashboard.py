"""Dashboards: readiness per unit with a constant number of queries, exports, unit view, remind."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import event as sa_event

from sosialisasi.followup import queries
from sosialisasi.followup.models import TaskStatus
from sosialisasi.followup.services import assessments as assessment_services
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services
from sosialisasi.followup.services.assessments import record_assessment


def _verify(task, operator, verifier):
    evidence_services.add_evidence_link(task, url="https://contoh.go.id/bukti", actor=operator)
    task_services.submit_task(task, actor=operator)
    task_services.verify_task(task, actor=verifier)


@pytest.fixture()
def units_with_tasks(ombudsman, make_unit, make_user, db):
    verifier = make_user("verifier")

    def make(count: int, *, name_prefix: str = "Dinas Uji"):
        units = []
        for n in range(count):
            unit = make_unit(f"{name_prefix} {n:02d}")
            operator = make_user("unit_operator", unit=unit)
            for indicator in ombudsman.indicators[:3]:
                task = task_services.create_task(
                    unit,
                    title="",
                    indicator=indicator,
                    due_date=date.today() + timedelta(days=1 - n),
                    actor=verifier,
                )
                if n % 2 == 0 and indicator is ombudsman.indicators[0]:
                    _verify(task, operator, verifier)
            units.append(unit)
        db.session.commit()
        return units

    return make


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        sa_event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa_event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def test_projection_weighs_verified_indicators_per_dimension(ombudsman, units_with_tasks, db):
    unit = units_with_tasks(1)[0]
    projection = queries.projections(ombudsman, [unit])[unit.id]
    first = ombudsman.indicators[0]  # an Input indicator, verified
    inputs = [i for i in ombudsman.indicators if i.dimension_id == first.dimension_id]
    expected = (Decimal("21.85") / len(inputs)).quantize(Decimal("0.01"))
    assert projection.verified == 1
    assert projection.dimensions[0].points == expected
    # Never assessed: "belum dinilai", no score (it used to read 1.46 E, a false grade).
    assert not projection.assessed
    assert projection.score is None and projection.band is None
    # With an official result of 0 the verified indicator is all the unit scores.
    record_assessment(unit, ombudsman, year=2024, score="0", actor=None)
    db.session.flush()
    projection = queries.projections(ombudsman, [unit])[unit.id]
    assert projection.assessed
    assert projection.score == expected
    assert projection.band.category == "E"


def test_dashboard_uses_a_constant_number_of_queries(ombudsman, units_with_tasks, db):
    units_with_tasks(2, name_prefix="Dinas A")
    db.session.expire_all()
    with QueryCounter(db.engine) as small:
        rows = queries.dashboard(ombudsman)
        queries.lagging_indicators(ombudsman)
    assert len([r for r in rows if r["tasks"]]) == 2
    units_with_tasks(10, name_prefix="Dinas B")
    db.session.expire_all()
    with QueryCounter(db.engine) as large:
        rows = queries.dashboard(ombudsman)
        queries.lagging_indicators(ombudsman)
    assert len([r for r in rows if r["tasks"]]) == 12
    assert large.count == small.count
    print(f"dashboard queries: {small.count} for 2 units, {large.count} for 12 units")


def test_dashboard_page_sorts_and_links_to_units(ombudsman, units_with_tasks, client, login_as):
    units_with_tasks(3)
    login_as("verifier")
    page = client.get("/tindak-lanjut/dasbor?urut=terlambat&arah=turun").get_data(as_text=True)
    page = page[page.index('id="readiness"') :]
    assert page.index("Dinas Uji 02") < page.index("Dinas Uji 00")
    page = client.get("/tindak-lanjut/dasbor?urut=unit&arah=naik").get_data(as_text=True)
    assert 'data-followup-chart="bar"' in page
    page = page[page.index('id="readiness"') :]
    assert page.index("Dinas Uji 00") < page.index("Dinas Uji 01") < page.index("Dinas Uji 02")
    assert "1/3" in page and "Indikator yang tertinggal" in page


def test_dashboard_exports_xlsx_and_pdf(ombudsman, units_with_tasks, client, login_as, db):
    unit = units_with_tasks(1)[0]
    unit.name = '=HYPERLINK("http://evil")'
    db.session.commit()
    login_as("verifier")
    response = client.get(f"/tindak-lanjut/dasbor.xlsx?kerangka={ombudsman.id}")
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in values  # formula neutralised
    assert "Terverifikasi" in values
    pdf = client.get("/tindak-lanjut/dasbor.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    # Headings wrap between words, never inside one ("Hadir/diundan" + "g" on the next line).
    for word in ("diundang", "Terverifikasi", "Terlambat", "Kategori", "proyeksi"):
        assert word in text.split(), (word, text[:400])


def test_unit_operator_sees_only_their_unit_with_projection(
    ombudsman, units_with_tasks, client, login_as, make_user
):
    mine, other = units_with_tasks(2)
    operator = make_user("unit_operator", unit=mine)
    login_as(operator)
    response = client.get("/tindak-lanjut/")
    assert response.headers["Location"].endswith(f"/tindak-lanjut/unit/{mine.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Proyeksi kesiapan" in page and "1/3 terverifikasi" in page
    assert client.get(f"/tindak-lanjut/unit/{other.id}").status_code == 404
    assert client.get("/tindak-lanjut/dasbor").status_code == 403
    home = client.get("/beranda").get_data(as_text=True)
    assert "1 dari 3 tugas terverifikasi" in home


def test_unit_page_offers_whatsapp_links_to_the_people_in_charge(
    ombudsman, make_unit, make_person, make_user, client, login_as, db
):
    unit = make_unit("Dinas WA")
    person = make_person("Rina", unit=unit, phone="+6281234567890")
    task = task_services.create_task(
        unit,
        title="Publikasikan standar pelayanan",
        due_date=date.today(),
        assignee=person,
        actor=make_user("verifier"),
    )
    db.session.commit()
    assert task.status is TaskStatus.OPEN
    login_as("verifier")
    page = client.get(f"/tindak-lanjut/unit/{unit.id}").get_data(as_text=True)
    assert "https://wa.me/6281234567890?text=Pengingat%20tindak%20lanjut" in page
    unit_page = client.get(f"/unit/{unit.id}").get_data(as_text=True)
    assert "0 dari 1 tugas terverifikasi" in unit_page


def test_remind_prints_what_would_be_sent_without_a_mail_server(
    ombudsman, units_with_tasks, runner, make_user, db
):
    unit = units_with_tasks(1)[0]
    make_user("unit_operator", unit=unit, email="operator@dinas.go.id")
    result = runner.invoke(args=["followup", "remind", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "MAIL_SERVER belum diatur" in result.output
    assert "Kepada: operator@dinas.go.id" in result.output
    assert "2 tugas" in result.output  # the verified one is not reminded


def test_remind_sends_mail_through_smtp_when_configured(
    ombudsman, units_with_tasks, runner, make_user, mail_outbox
):
    unit = units_with_tasks(1)[0]
    make_user("unit_operator", unit=unit, email="operator@dinas.go.id")
    result = runner.invoke(args=["followup", "remind", "--days", "30"])
    assert "1 e-mail terkirim" in result.output
    assert [(m["To"], m["Subject"]) for m in mail_outbox] == [
        ("operator@dinas.go.id", "Pengingat tindak lanjut: 2 tugas Dinas Uji 00")
    ]


def test_projection_starts_from_the_official_result_and_rises_with_verified_tasks(
    ombudsman, make_unit, make_user, db
):
    unit = make_unit("Dinas Proyeksi")
    assessment_services.record_assessment(unit, ombudsman, year=2024, score="66.29", actor=None)
    db.session.commit()
    before = queries.projections(ombudsman, [unit])[unit.id]
    assert before.score == Decimal("66.29") and before.band.category == "C"
    operator = make_user("unit_operator", unit=unit)
    verifier = make_user("verifier")
    for indicator in [i for i in ombudsman.indicators if i.dimension.code == "PROSES"]:
        task = task_services.create_task(
            unit, title="", indicator=indicator, due_date=date.today(), actor=verifier
        )
        _verify(task, operator, verifier)
    db.session.commit()
    after = queries.projections(ombudsman, [unit])[unit.id]
    proses = next(d for d in after.dimensions if d.code == "PROSES")
    assert proses.points == Decimal("32.37") and proses.percent == 100
    # 66.29% of the other three weights plus the full Proses weight.
    expected = (Decimal("67.63") * Decimal("0.6629") + Decimal("32.37")).quantize(Decimal("0.01"))
    assert abs(after.score - expected) <= Decimal("0.02")  # 77.20: still C, 0.80 short of B
    assert after.score > before.score and after.band.category == "C"


def test_unit_page_of_five_years_shows_one_page_of_tasks_and_the_latest_events(
    ombudsman, make_unit, make_user, make_event, client, login_as, db
):
    """A unit with five years of follow-up: 55 tasks go on two pages, the latest 20 of its 23
    events are listed, and the page asks the same number of queries as with 5 tasks."""
    unit = make_unit("Dinas Lima Tahun")
    verifier = make_user("verifier")

    def add_tasks(n):
        for k in range(n):
            task_services.create_task(
                unit,
                title=f"Tugas lama {k:02d}",
                due_date=date.today() - timedelta(days=400 + k),
                actor=verifier,
            )
        db.session.commit()

    login_as("verifier")
    add_tasks(5)
    with QueryCounter(db.engine) as few:
        assert client.get(f"/tindak-lanjut/unit/{unit.id}").status_code == 200
    add_tasks(50)
    for k in range(23):
        make_event(f"Sosialisasi ke-{k + 1:02d}", invite=[unit])
    with QueryCounter(db.engine) as many:
        page = client.get(f"/tindak-lanjut/unit/{unit.id}").get_data(as_text=True)
    assert many.count == few.count
    assert page.count('data-task-id="') == 50
    assert "Menampilkan 1-50 dari 55" in page
    assert page.count("Sosialisasi ke-") == 20
    assert "Menampilkan 20 acara terakhir." in page
    second = client.get(f"/tindak-lanjut/unit/{unit.id}?page=2").get_data(as_text=True)
    assert second.count('data-task-id="') == 5
