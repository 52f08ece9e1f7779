"""Safe output: hostile names are shown as text on every page, neutralised in spreadsheets and
drawn as text in PDFs.

Names such as ``<script>`` or ``=HYPERLINK(...)`` are planted in a unit, an event, people and a
user; then every GET page the app has (walked from ``app.url_map``, so pages added by any area
are included) is opened as an administrator and checked.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.events.models import EventStatus

XSS = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror="alert(2)">'
FORMULA = '=HYPERLINK("http://x","y")'
FORMULAS = (FORMULA, "@SUM(1+1)", "+62 812", "-1+2")
RAW_MARKERS = ("<script>alert(", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _plant(db, make_unit, make_event, make_person, make_registration, make_user):
    unit = make_unit(f"{XSS_IMG} Dinas Uji", short_name=XSS, aliases=[FORMULA])
    now = datetime.now(UTC)
    event = make_event(
        f"{XSS} Sosialisasi",
        venue=FORMULA,
        invite=[unit],
        quota=5,
        starts_at=now - timedelta(minutes=30),
        status=EventStatus.OPEN,
    )
    script_person = make_person(XSS, unit=unit, position=FORMULA, rank="@SUM(1+1)")
    formula_person = make_person(FORMULA, unit=unit, position=XSS_IMG, email="=cmd@x.id")
    regs = [make_registration(event, p) for p in (script_person, formula_person)]
    db.session.add(
        CheckIn(
            registration=regs[0],
            session=event.sessions[0],
            method=CheckInMethod.MANUAL,
            at=now - timedelta(minutes=5),
        )
    )
    user = make_user("unit_operator", unit=unit, name=XSS)
    db.session.commit()
    ids = {
        "event_id": event.id,
        "unit_id": unit.id,
        "person_id": script_person.id,
        "user_id": user.id,
        "session_id": event.sessions[0].id,
        "code": regs[0].ticket_code,
        "registration_id": regs[0].id,
    }
    ids.update(_plant_later_areas(db, unit, event, regs[0], user))
    return ids


def _plant_later_areas(db, unit, event, registration, operator) -> dict:
    """Follow-up and documents rows carrying the same hostile text (areas merged later)."""
    from decimal import Decimal

    from flask import current_app
    from fpdf import FPDF

    from sosialisasi.documents import files as document_files
    from sosialisasi.documents.models import Certificate, EventFile, FileKind
    from sosialisasi.followup.models import (
        Assessment,
        Dimension,
        FollowUpTask,
        Framework,
        Indicator,
        IndicatorScore,
    )
    from sosialisasi.followup.services import evidence as followup

    blank = FPDF()
    blank.add_page()
    pdf = bytes(blank.output())
    framework = Framework(code="XSS-2024", name=f"{XSS} Kerangka", year_from=2024)
    dimension = Dimension(framework=framework, code="P", name=FORMULA, weight=Decimal(32))
    indicator = Indicator(framework=framework, dimension=dimension, code="P1", name=XSS)
    assessment = Assessment(framework=framework, unit=unit, year=2024, score=Decimal("83.22"))
    assessment.scores.append(IndicatorScore(indicator=indicator, score=1))
    task = FollowUpTask(
        unit=unit,
        indicator=indicator,
        title=f"{XSS} Publikasi standar",
        description=FORMULA,
        due_date=(event.starts_at + timedelta(days=20)).date(),
        assignee_person_id=registration.person_id,
    )
    db.session.add_all([framework, assessment, task])
    db.session.flush()
    evidence = followup.add_evidence_file(
        task,
        filename="=cmd calc.pdf",
        data=pdf,
        upload_folder=current_app.config["UPLOAD_FOLDER"],
        description=XSS,
        actor=operator,
    )
    stored = document_files.save(f"events/{event.id}/material", pdf, "pdf")
    event_file = EventFile(
        event_id=event.id,
        kind=FileKind.MATERIAL,
        filename="=cmd materi.pdf",
        path=stored,
        mime="application/pdf",
        size=len(pdf),
        caption=XSS,
    )
    certificate = Certificate(
        event_id=event.id,
        registration_id=registration.id,
        sequence=1,
        number="001/SERT/XSS/2026",
        code=registration.ticket_code,
        name=XSS,
        unit_name=FORMULA,
    )
    db.session.add_all([event_file, certificate])
    db.session.commit()
    return {
        "task_id": task.id,
        "evidence_id": evidence.id,
        "framework_id": framework.id,
        "dimension_id": dimension.id,
        "indicator_id": indicator.id,
        "assessment_id": assessment.id,
        "file_id": event_file.id,
        "cert_id": certificate.id,
    }


def _urls(app, ids):
    skipped = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= set(ids):
            skipped.append(rule.rule)
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(ids[arg]), path)
        yield path
        if not rule.arguments:
            yield f"{path}?q=script"
            yield f"{path}?q=%3Cscript%3E"
    print(f"safe output: skipped (ids not planted) {len(skipped)}: {', '.join(skipped)}")


def _cells_xlsx(data: bytes):
    """Text of every cell; a cell typed as text (``t="s"``/inline string) is never evaluated,
    whatever it starts with, so it is given to the check as the neutralised text it is."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    typed_text = c.data_type == "s" and not c.value.startswith("'")
                    yield "'" + c.value if typed_text else c.value


def _cells_csv(text: str):
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield from row


def _check_cells(cells, where: str) -> int:
    seen = 0
    for cell in cells:
        for formula in FORMULAS:
            if formula in cell:
                seen += 1
                assert cell[0] not in "=+-@\t\r", (where, cell)
    return seen


def test_every_page_and_export_shows_hostile_names_as_text(
    app, db, client, login_as, make_unit, make_event, make_person, make_registration, make_user
):
    ids = _plant(db, make_unit, make_event, make_person, make_registration, make_user)
    login_as("admin")
    counts = {"html": 0, "html_with_name": 0, "spreadsheet": 0, "formula_cells": 0, "pdf": 0}
    pdf_with_name = 0
    for url in _urls(app, ids):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code != 200:
            continue
        kind = response.mimetype
        body = response.get_data()
        if kind == "text/html":
            text = body.decode()
            for marker in RAW_MARKERS:
                assert marker not in text, (url, marker)
            counts["html"] += 1
            counts["html_with_name"] += ESCAPED in text
        elif kind == "text/csv":
            counts["spreadsheet"] += 1
            counts["formula_cells"] += _check_cells(_cells_csv(body.decode("utf-8-sig")), url)
        elif kind.endswith("spreadsheetml.sheet"):
            counts["spreadsheet"] += 1
            counts["formula_cells"] += _check_cells(_cells_xlsx(body), url)
        elif kind == "application/pdf":
            counts["pdf"] += 1
            text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
            pdf_with_name += "alert(1)" in text
    print(f"safe output: {counts}, pdf showing the name as text: {pdf_with_name}")
    assert counts["html"] >= 15
    assert counts["html_with_name"] >= 4  # the name is there, escaped (not just absent)
    if counts["spreadsheet"]:
        assert counts["formula_cells"] > 0
    if counts["pdf"]:
        assert pdf_with_name > 0


def test_person_export_neutralises_and_escapes(
    app, db, client, login_as, make_unit, make_event, make_person, make_registration, make_user
):
    ids = _plant(db, make_unit, make_event, make_person, make_registration, make_user)
    login_as("admin")
    page = client.get(f"/admin/data/orang/{ids['person_id']}")
    assert ESCAPED in page.text and XSS not in page.text
    data = client.post(
        f"/admin/data/orang/{ids['person_id']}/ekspor", data={"format": "xlsx"}
    ).get_data()
    assert _check_cells(_cells_xlsx(data), "person export") > 0
