"""Issue 14, part 1: units never assessed read "belum dinilai" and never score; A (hijau tua) and
B (hijau muda) are drawn in different colours in badges, chart data, the PDF and the XLSX; a
future event is not "tidak hadir"."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from sosialisasi.events.models import EventStatus
from sosialisasi.followup import queries
from sosialisasi.followup.services.assessments import record_assessment


def _three_units(ombudsman, make_unit, db):
    """A unit scored 90 (A), one 80 (B), one never assessed, all invited to a past event."""
    a = make_unit("Dinas Nilai A")
    b = make_unit("Dinas Nilai B")
    none = make_unit("Dinas Belum Dinilai")
    record_assessment(a, ombudsman, year=2024, score="90.00", actor=None)
    record_assessment(b, ombudsman, year=2024, score="80.00", actor=None)
    db.session.commit()
    return a, b, none


def test_unassessed_unit_reads_belum_dinilai_and_is_left_out_of_averages(
    ombudsman, make_unit, client, login_as, db
):
    a, b, none = _three_units(ombudsman, make_unit, db)
    login_as("verifier")
    page = client.get("/tindak-lanjut/dasbor?semua=1").get_data(as_text=True)
    row = re.search(r'<tr data-unit="Dinas Belum Dinilai">.*?</tr>', page, re.S).group(0)
    assert "belum dinilai" in row
    assert "0,00" not in row and "0.00" not in row and ">E<" not in row
    summary = page[page.index('id="dashboard-summary"') :]
    assert "unit belum dinilai (tidak dirata-ratakan)" in summary[: summary.index("</p>")]

    xlsx = client.get("/tindak-lanjut/dasbor.xlsx?semua=1")
    sheet = load_workbook(io.BytesIO(xlsx.data))["Kesiapan"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Dinas Belum Dinilai"][5] is None
    assert rows["Dinas Belum Dinilai"][6] == "belum dinilai"
    # The average is over the assessed units only (the seeded 2022 results, 90 and 80).
    scored = [r[5] for r in rows.values() if isinstance(r[5], int | float) and r[6]]
    scored = [v for n, r in rows.items() if r[6] not in ("belum dinilai", "Kategori proyeksi")
              and isinstance(v := r[5], int | float) and not n.startswith("Rata")]  # fmt: skip
    assert len(scored) >= 2
    average = round(sum(scored) / len(scored), 2)
    assert rows["Rata-rata unit yang sudah dinilai"][5] == average

    pdf = client.get("/tindak-lanjut/dasbor.pdf?semua=1")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "belum dinilai" in text
    assert f"{average:.2f}".replace(".", ",") in text


def test_a_and_b_have_distinct_colours_in_badges_chart_pdf_and_xlsx(
    ombudsman, make_unit, client, login_as, db
):
    _three_units(ombudsman, make_unit, db)
    login_as("verifier")
    page = client.get("/tindak-lanjut/dasbor?semua=1").get_data(as_text=True)
    badge_a = re.search(r'class="badge (text-bg-[\w-]+)" data-band="A"', page).group(1)
    badge_b = re.search(r'class="badge (text-bg-[\w-]+)" data-band="B"', page).group(1)
    assert badge_a == "text-bg-hijau-tua" and badge_b == "text-bg-hijau-muda"

    data = json.loads(re.search(r'data-chart="([^"]+)"', page).group(1).replace("&#34;", '"'))
    bands = {b["category"]: b["color"] for b in data["bands"]}
    assert bands["A"] != bands["B"]
    colours = dict(zip(data["labels"], data["colors"], strict=True))
    assert colours["Dinas Nilai A"] == bands["A"] and colours["Dinas Nilai B"] == bands["B"]
    assert colours["Dinas Belum Dinilai"] is None

    xlsx = client.get("/tindak-lanjut/dasbor.xlsx?semua=1")
    sheet = load_workbook(io.BytesIO(xlsx.data))["Kesiapan"]
    fills = {r[0].value: r[6].fill.start_color.rgb for r in sheet.iter_rows() if r[0].value}
    assert fills["Dinas Nilai A"] != fills["Dinas Nilai B"]
    assert fills["Dinas Nilai A"].endswith(bands["A"].lstrip("#").upper())

    pdf = client.get("/tindak-lanjut/dasbor.pdf?semua=1")
    content = b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(pdf.data)).pages)

    fills_drawn = {
        tuple(round(float(x) * 255) for x in m.groups())
        for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", content)
    }

    def rgb(hexcode: str) -> tuple[int, int, int]:
        return tuple(int(hexcode[i : i + 2], 16) for i in (1, 3, 5))

    assert rgb(bands["A"]) in fills_drawn and rgb(bands["B"]) in fills_drawn


def test_future_event_is_not_tidak_hadir(make_unit, make_event, client, login_as):
    unit = make_unit("Dinas Undangan")
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    make_event("Sosialisasi Mendatang", starts_at=soon, status=EventStatus.OPEN, invite=[unit])
    login_as("verifier")
    page = client.get(f"/tindak-lanjut/unit/{unit.id}").get_data(as_text=True)
    events = page[page.index('id="unit-events"') :]
    events = events[: events.index("</ul>")]
    assert "Sosialisasi Mendatang" in events
    assert "akan datang" in events
    assert "tidak hadir" not in events


def test_projection_of_unassessed_unit_has_no_score(ombudsman, make_unit, db):
    unit = make_unit("Dinas Baru")
    db.session.commit()
    projection = queries.projections(ombudsman, [unit])[unit.id]
    assert not projection.assessed and projection.score is None and projection.band is None
