"""Big imports in chunks (issue 18): the same decisions whatever the chunk size, duplicates and
quotas across chunks, the preview and the result read a page at a time from the staged files,
errors counted and written in full while only the first are kept in memory."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from sosialisasi.registration import imports as importer
from sosialisasi.registration.imports import plan as plan_module
from sosialisasi.registration.imports import staging
from sosialisasi.registration.models import Person, Registration


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def nip(i: int) -> str:
    return f"19800101{2000 + i // 999}01{1 + i % 2}{1 + i % 999:03d}"


@pytest.fixture()
def units(make_unit):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    dinsos = make_unit("Dinas Sosial", code="DINSOS", short_name="Dinsos")
    return dinkes, dinsos


MIXED = [
    ["Nama", "NIP", "Unit Kerja"],
    ["Ani", nip(1), "Dinkes"],
    ["Budi", nip(2), "Dinkes"],
    ["Citra", "", "Dinas Entah"],
    ["Ani lagi", nip(1), "Dinkes"],  # the NIP of row 2
    ["Dedi", nip(3), "Dinsos"],
    ["Eko", nip(4), "Dinsos"],  # over Dinsos' quota of 1
    ["Budi", "", "Dinkes"],  # the name and unit of row 3
    ["Fajar", "12345", "Dinkes"],
    ["Gita", nip(5), "Dinkes"],
]


def _fates(plan) -> list[tuple[int, str, str]]:
    return [(r.number, r.fate.value, r.reason) for r in plan.rows]


def test_chunks_of_two_decide_every_row_as_one_pass_does(db, make_event, units, monkeypatch):
    dinkes, dinsos = units
    event = make_event(invite=[dinkes, dinsos], quota=1)
    for inv in event.invitations:
        inv.quota = 10 if inv.unit_id == dinkes.id else 1
    db.session.commit()
    whole = importer.plan_import(event, xlsx(MIXED), "p.xlsx")
    monkeypatch.setattr(plan_module, "CHUNK_ROWS", 2)
    chunked = importer.plan_import(event, xlsx(MIXED), "p.xlsx")
    assert _fates(chunked) == _fates(whole)
    fates = {n: (fate, reason) for n, fate, reason in _fates(chunked)}
    assert fates[5] == ("duplicate", "sama dengan baris 2 di berkas ini")  # across chunks
    assert fates[8] == ("duplicate", "sama dengan baris 3 di berkas ini")
    assert fates[7][0] == "error" and "kuota Dinas Sosial sudah penuh" in fates[7][1]
    assert chunked.summary() == "imported=4 updated=0 skipped=2 errors=3"


def test_two_rows_naming_one_stored_person_update_it_once(db, make_event, make_person, units):
    """Row 2 finds the stored person by NIK, row 3 by name and unit: one person, one update,
    one registration; the second row is a duplicate of the first (it used to fail the
    whole import on the second registration of one person)."""
    from sosialisasi.registration.models import EmployeeKind

    dinkes, dinsos = units
    make_person(
        "Rina Marlina", unit=dinkes, nip=None, nik="3204106703920001", kind=EmployeeKind.NON_ASN
    )
    event = make_event(invite=[dinkes, dinsos], quota=10)
    sheet = [
        ["Nama", "NIP/NIK", "Unit Kerja"],
        ["Rina Marlina", "3204106703920001", "Dinsos"],
        ["Rina Marlina", "", "Dinkes"],
    ]
    plan = importer.apply_import(event, xlsx(sheet), "p.xlsx", actor=None)
    db.session.commit()
    assert [(r.fate.value, r.reason) for r in plan.rows][1] == (
        "duplicate",
        "sama dengan baris 2 di berkas ini",
    )
    assert plan.rows[0].fate.value == "update"
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert db.session.scalar(select(func.count(Person.id))) == 1


def _upload(client, event, data: bytes, name: str = "besar.xlsx"):
    return client.post(
        f"/acara/{event.id}/impor",
        data={"file": (io.BytesIO(data), name), "over_quota_reason": ""},
        content_type="multipart/form-data",
    )


def _token(html: str) -> str:
    return html.split("/impor/")[1].split('"')[0].split("/")[0]


def test_a_big_preview_and_its_result_are_read_a_page_at_a_time(
    app, db, client, login_as, make_event, units, monkeypatch
):
    dinkes, _ = units
    event = make_event(invite=[dinkes], quota=5000)
    monkeypatch.setattr(staging, "PAGE_ROWS", 40)
    monkeypatch.setattr(plan_module, "KEPT_ERRORS", 3)
    rows = [["Nama", "NIP", "Unit Kerja"]]
    for i in range(100):
        rows.append([f"Peserta {i}", nip(i), "Dinas Entah" if i % 10 == 9 else "Dinkes"])
    login_as("organizer")
    preview = _upload(client, event, xlsx(rows))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Baru: 90" in html and "Kesalahan: 10" in html
    assert "Peserta 39<" in html and "Peserta 40<" not in html  # rows 2-41: page 1 of 3
    assert "Menampilkan 1-40 dari 100" in html
    token = _token(html)
    second = client.get(f"/acara/{event.id}/impor/{token}/baris?page=2").get_data(as_text=True)
    assert "Peserta 40<" in second and "Peserta 79<" in second and "Peserta 80<" not in second
    assert "Impor 90 baris yang benar" in second  # the same preview, another page
    last = client.get(f"/acara/{event.id}/impor/{token}/baris?page=99").get_data(as_text=True)
    assert "Peserta 99<" in last and "Menampilkan 81-100 dari 100" in last
    errors = client.get(f"/acara/{event.id}/impor/{token}/kesalahan.xlsx")
    numbers = [r[0] for r in list(load_workbook(io.BytesIO(errors.data)).active.values)[1:]]
    assert numbers == [11 + 10 * k for k in range(10)]  # all ten, though three are kept

    done = client.post(f"/acara/{event.id}/impor/{token}").get_data(as_text=True)
    assert "90 peserta baru, 10 baris bermasalah." in done
    assert db.session.scalar(select(func.count(Registration.id))) == 90
    assert "Peserta 9<" in done and "Peserta 19<" in done  # the rows not imported, page 1
    again = client.get(f"/acara/{event.id}/impor/{token}/baris").get_data(as_text=True)
    assert "Impor selesai" in again and "Peserta 99" in again  # after the import: its result


def test_a_staged_page_is_only_for_its_uploader(
    app, client, login_as, make_event, make_user, units
):
    dinkes, _ = units
    event = make_event(invite=[dinkes], quota=10)
    login_as("organizer")
    html = _upload(client, event, b"Nama;Unit\nAni;Dinkes\n", "p.csv").get_data(as_text=True)
    token = _token(html)
    assert client.get(f"/acara/{event.id}/impor/{token}/baris").status_code == 200
    login_as(make_user("organizer"))
    assert client.get(f"/acara/{event.id}/impor/{token}/baris").status_code == 404
    assert client.get(f"/acara/{event.id}/impor/bukan-token/baris").status_code == 404


def test_the_confirmation_plans_the_staged_cells_as_the_file_reads(
    app, db, make_event, make_user, units
):
    """Dates, numbers and text in cells come back from the staged copy as openpyxl gave them:
    the import of a staged file writes what the import of the file itself writes."""
    dinkes, _ = units
    event = make_event(invite=[dinkes], quota=10)
    organizer = make_user("organizer")
    sheet = [
        ["Nama", "NIP", "Jabatan", "Unit Kerja", "No HP"],
        ["Ani", 198001012000011001.0, "Staf", "Dinkes", 81234567890],
        ["Budi", nip(2), datetime(2024, 5, 1, 8, 30), "Dinkes", "0812 3333 4444"],
        ["Citra", nip(3), 12.5, "Dinkes", ""],
    ]
    staged = staging.stage(event, xlsx(sheet), "p.xlsx", actor=organizer, over_quota_reason="")
    db.session.rollback()
    applied = staging.apply_staged(event, staged.token, actor=organizer)
    db.session.commit()
    staging.forget_data(applied)
    assert applied.plan.rows == []  # a page's plan keeps counts, not rows
    assert (
        applied.plan.summary()
        == staged.plan.summary()
        == ("imported=2 updated=0 skipped=0 errors=1")
    )
    people = {p.name: p for p in db.session.scalars(select(Person))}
    assert people["Budi"].position == "2024-05-01 08:30:00"
    assert people["Citra"].position == "12.5"
    assert people["Budi"].phone == "+6281233334444"
    view = staging.staged_view(event, staged.token, actor=organizer)
    assert view.applied and [(r.number, r.fate.value) for r in view.page.rows] == [(2, "error")]
    assert "sebagai angka" in view.page.rows[0].reason
