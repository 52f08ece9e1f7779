"""The laporan kegiatan breaks pages the way a typist would (issue 15): no page holds a single
line of a section, and a section heading never ends a page. Read back with pypdf, page by page."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from sosialisasi.documents.flow import _Row, plan_breaks
from sosialisasi.documents.models import EventReport
from sosialisasi.documents.report import render_report

AT = datetime(2025, 2, 20, 3, 0, tzinfo=UTC)


def _pages(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_last_line_takes_the_line_before_it_to_the_next_page():
    # A page with room for 9 more lines and a section of 10: fpdf2 alone would leave the 10th
    # line alone on the next page; the plan breaks before the 9th instead.
    rows = [_Row(0, 10, 0, heading=True)] + [_Row(i, 10, 0) for i in range(1, 11)]
    assert plan_breaks(rows, y=0, top=0, trigger=100) == {9}
    # One body line under its heading at the foot of a page: both go over.
    rows = [_Row(0, 10, 0, heading=True)] + [_Row(i, 10, 0) for i in range(1, 6)]
    assert plan_breaks(rows, y=80, top=0, trigger=100) == {0}
    # A heading that would end a page goes over with its text.
    assert plan_breaks(rows, y=85, top=0, trigger=100) == {0}
    # Everything fits: no break is added.
    assert plan_breaks(rows, y=0, top=0, trigger=100) == set()


def test_no_page_of_the_laporan_holds_one_bullet_of_a_section(ready_event, letterhead, db):
    event = ready_event(1)
    report = EventReport(
        event=event,
        background="Ombudsman RI menilai kepatuhan penyelenggaraan pelayanan publik.",
        legal_basis="1. Undang-Undang Nomor 25 Tahun 2009\n2. Perpres 76/2013",
        purpose="- Memahami indikator penilaian",
        conclusions="Semua perangkat daerah menyiapkan standar pelayanan.",
        followup_plan="Unggah bukti dukung dalam 30 hari.",
    )
    db.session.add(report)
    db.session.flush()
    lone = []
    # Enough lengths that the list's end crosses every position of a page foot.
    for n in range(30, 76):
        report.minutes = "# Paparan narasumber\n" + "\n".join(
            f"- Butir Nomor {i:02d} hasil pembahasan" for i in range(1, n + 1)
        )
        pages = _pages(render_report(event, report, letterhead, None, at=AT))
        per_page = [len(re.findall(r"Butir Nomor \d\d", page)) for page in pages]
        assert sum(per_page) == n
        lone += [(n, page) for page, count in enumerate(per_page) if count == 1]
        for page in pages:  # a section heading is never the last thing on a page
            last = page.rsplit("Butir Nomor", 1)[-1]
            assert not re.search(r"\b(KESIMPULAN|RENCANA TINDAK LANJUT)$", last.strip()), n
    assert lone == []
