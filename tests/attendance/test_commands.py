"""The command-line exports of the attendance area."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from pypdf import PdfReader


def test_cli_writes_pdf_xlsx_and_prints_summary(
    runner, make_event, make_person, make_registration, tmp_path
):
    event = make_event()
    make_registration(event, make_person("Rina Marlina, S.Sos."))
    pdf = tmp_path / "dh.pdf"
    result = runner.invoke(args=["attendance", "daftar-hadir", str(event.id), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "Rina Marlina" in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()

    xlsx = tmp_path / "dh.xlsx"
    result = runner.invoke(args=["attendance", "daftar-hadir", str(event.id), "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    names = [row[1] for row in load_workbook(xlsx).active.iter_rows(values_only=True)]
    assert "Rina Marlina, S.Sos." in names

    result = runner.invoke(args=["attendance", "summary", str(event.id)])
    assert json.loads(result.output)["registered"] == 1

    result = runner.invoke(args=["attendance", "summary", "999"])
    assert result.exit_code != 0 and "tidak ditemukan" in result.output
