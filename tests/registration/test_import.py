"""Bulk import: title rows, column aliases, unit matching, numeric NIP cells, duplicates, bad rows,
preview before writing, the command line, and ten thousand rows."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from sosialisasi.common.tabular import TableError
from sosialisasi.registration import imports as importer
from sosialisasi.registration.models import Person, Registration, RegistrationStatus
from sosialisasi.units.models import UnitKind


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture()
def units(make_unit):
    dinkes = make_unit(
        "Dinas Kesehatan",
        code="DINKES",
        short_name="Dinkes",
        aliases=["Dinas Kesehatan Kab. Bekasi"],
    )
    kec = make_unit("Kecamatan Cikarang Selatan", code="KEC-CKS", kind=UnitKind.KECAMATAN)
    return dinkes, kec


SHEET = [
    ["DAFTAR PESERTA SOSIALISASI PENILAIAN KEPATUHAN"],
    ["Bekasi, 14 Februari 2025"],
    [],
    ["No", "Nama Lengkap", "NIP", "Jabatan", "Pangkat/Gol", "OPD", "No HP/WA", "E-mail"],
    [1, "dr. Ani Suryani", "19860926 201505 2 001", "Kepala Seksi", "Penata, III/c", "Dinkes",
     "0812-3456-7890", "ani@example.go.id"],
    [2, "Budi Santoso, S.Sos", "198701012010011002", "Camat", "Pembina, IV/a",
     "Kec. Cikarang Selatan", "+62 813 1111 2222", ""],
    [3, "Citra Lestari", 198802022012122001.0, "Staf", "", "Dinkes", "", ""],
    [4, "Dedi Kurniawan", "", "Staf", "", "DINAS KESEHATAN KAB. BEKASI", "812 9999 0000", ""],
    [5, "Ani Suryani (lagi)", "198609262015052001", "", "", "Dinkes", "", ""],
    [6, "Eko Prasetyo", "", "", "", "Dinas Entah Apa", "", ""],
    [7, "Fajar", "12345", "", "", "Dinkes", "", ""],
]  # fmt: skip


def test_preview_decides_each_rows_fate_and_writes_nothing(db, make_event, units):
    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=5)
    plan = importer.plan_import(event, xlsx(SHEET), "peserta.xlsx", over_quota_reason="")
    fates = {r.number: (r.fate, r.reason) for r in plan.rows}
    assert plan.header_row == 4
    assert fates[5][0] is importer.Fate.NEW and fates[6][0] is importer.Fate.NEW
    assert fates[7][0] is importer.Fate.ERROR and "sebagai angka" in fates[7][1]
    assert fates[8][0] is importer.Fate.NEW
    assert fates[9] == (importer.Fate.DUPLICATE, "sama dengan baris 5 di berkas ini")
    assert fates[10][0] is importer.Fate.ERROR and "Dinas Entah Apa" in fates[10][1]
    assert fates[11][0] is importer.Fate.ERROR and "18 digit" in fates[11][1]
    assert plan.summary() == "imported=3 updated=0 skipped=1 errors=3"
    assert db.session.scalar(select(func.count(Person.id))) == 0


def test_import_writes_good_rows_with_units_matched_and_phones_normalised(db, make_event, units):
    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=5)
    plan = importer.apply_import(event, xlsx(SHEET), "peserta.xlsx", actor=None)
    db.session.commit()
    assert plan.counts == {"imported": 3, "updated": 0, "skipped": 1, "errors": 3}
    people = {p.name: p for p in db.session.scalars(select(Person))}
    assert people["dr. Ani Suryani"].unit_id == dinkes.id
    assert people["dr. Ani Suryani"].phone == "+6281234567890"
    assert people["dr. Ani Suryani"].gender == "P"
    assert people["Budi Santoso, S.Sos"].unit_id == kec.id
    assert people["Budi Santoso, S.Sos"].rank == "Pembina, IV/a"
    assert people["Dedi Kurniawan"].phone == "+6281299990000"
    regs = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    assert len(regs) == 3 and {r.status for r in regs} == {RegistrationStatus.REGISTERED}
    # importing the same file again: everybody is a duplicate, nothing changes
    again = importer.apply_import(event, xlsx(SHEET), "peserta.xlsx", actor=None)
    assert again.counts["imported"] == 0 and again.counts["skipped"] == 4


def test_existing_person_is_updated_by_nip_and_by_name_and_unit(db, make_event, make_person, units):
    dinkes, _kec = units
    make_person("Ani S.", unit=dinkes, nip="198609262015052001", position="Lama")
    make_person("Dedi Kurniawan", unit=dinkes, nip=None)
    event = make_event(invite=[dinkes], quota=10)
    sheet = [
        ["Nama", "NIP", "Jabatan", "Unit Kerja"],
        ["dr. Ani Suryani", "198609262015052001", "Kepala Seksi", "Dinkes"],
        ["DEDI KURNIAWAN", "", "Staf", "Dinkes"],
    ]
    plan = importer.apply_import(event, xlsx(sheet), "p.xlsx", actor=None)
    db.session.commit()
    assert [r.fate for r in plan.rows] == [importer.Fate.UPDATE, importer.Fate.UPDATE]
    assert db.session.scalar(select(func.count(Person.id))) == 2
    ani = db.session.scalar(select(Person).where(Person.nip == "198609262015052001"))
    assert ani.name == "dr. Ani Suryani" and ani.position == "Kepala Seksi"


def test_quota_is_enforced_without_a_reason_and_recorded_with_one(db, make_event, units):
    dinkes, _kec = units
    event = make_event(invite=[dinkes], quota=1)
    sheet = [["Nama", "Unit"], ["A", "Dinkes"], ["B", "Dinkes"]]
    plan = importer.plan_import(event, xlsx(sheet), "p.xlsx", over_quota_reason="")
    assert plan.rows[1].fate is importer.Fate.ERROR
    assert "kuota Dinas Kesehatan sudah penuh" in plan.rows[1].reason
    importer.apply_import(event, xlsx(sheet), "p.xlsx", actor=None, over_quota_reason="Rapat")
    db.session.commit()
    reasons = sorted(str(r.over_quota_reason) for r in db.session.scalars(select(Registration)))
    assert reasons == ["None", "Rapat"]


def test_csv_with_semicolons_and_english_headings(db, make_event, units):
    dinkes, _ = units
    event = make_event(invite=[dinkes], quota=5)
    data = (
        "Full name;Employee ID;Position;Agency;Phone\n"
        "Rina;198609262015052001;Staff;Dinkes;08123456789\n"
    )
    plan = importer.apply_import(event, data.encode(), "p.csv", actor=None)
    assert plan.counts["imported"] == 1
    assert db.session.scalar(select(Person.phone)) == "+628123456789"


def test_unreadable_file_is_refused_with_a_message(make_event):
    event = make_event()
    with pytest.raises(TableError, match="baris judul kolom tidak ditemukan"):
        importer.plan_import(event, xlsx([["a", "b"], [1, 2]]), "x.xlsx")


def test_errors_xlsx_lists_rows_and_reasons(make_event, units):
    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=5)
    plan = importer.plan_import(event, xlsx(SHEET), "peserta.xlsx")
    ws = load_workbook(io.BytesIO(importer.errors_xlsx(plan))).active
    rows = list(ws.values)
    assert rows[0][:3] == ("Baris", "Alasan", "Nama")
    assert [r[0] for r in rows[1:]] == [7, 10, 11]
    assert rows[1][3] == "1.98802022012122e+17"


def test_command_line_prints_problems_and_a_summary_line(db, runner, make_event, units, tmp_path):
    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=5)
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(xlsx(SHEET))
    dry = runner.invoke(args=["registrations", "import", str(event.id), str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "baris 7: kesalahan: NIP tidak valid" in dry.output
    assert dry.output.strip().splitlines()[-1] == "imported=3 updated=0 skipped=1 errors=3"
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    real = runner.invoke(args=["registrations", "import", str(event.id), str(path)])
    assert real.output.strip().splitlines()[-1] == "imported=3 updated=0 skipped=1 errors=3"
    assert db.session.scalar(select(func.count(Registration.id))) == 3
    missing = runner.invoke(args=["registrations", "import", "999", str(path)])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_ten_thousand_rows_import_quickly(db, make_event, make_unit, units):
    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=20000)
    lines = ["Nama;NIP;Jabatan;Unit Kerja;No HP"]
    for i in range(10_000):
        nip = f"19800101{2000 + i // 999}01{1 + i % 2}{1 + i % 999:03d}"
        unit = "Dinkes" if i % 2 else "Kec. Cikarang Selatan"
        lines.append(f"Peserta {i};{nip};Staf;{unit};0812{i:07d}")
    data = "\n".join(lines).encode()
    started = time.perf_counter()
    plan = importer.apply_import(event, data, "besar.csv", actor=None)
    db.session.commit()
    elapsed = time.perf_counter() - started
    print(f"import of 10,000 rows: {elapsed:.2f} s ({plan.summary()})")
    assert plan.counts["errors"] == 0
    assert plan.counts["imported"] == 10_000
    assert db.session.scalar(select(func.count(Registration.id))) == 10_000
    assert elapsed < 30


def test_import_statements_do_not_grow_with_rows(db, make_event, units):
    """One query to preload people by NIP (per 800), one for the event's registrations...:
    never a query per row."""
    from sqlalchemy import event as sa_event

    dinkes, kec = units
    event = make_event(invite=[dinkes, kec], quota=5000)

    def statements(rows: int, offset: int) -> int:
        lines = ["Nama;NIP;Unit Kerja"]
        for i in range(offset, offset + rows):
            lines.append(f"P {i};19800101{2000 + i // 999}01{1 + i % 2}{1 + i % 999:03d};Dinkes")
        seen = []
        listener = lambda *a: seen.append(a[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            plan = importer.apply_import(event, "\n".join(lines).encode(), "p.csv", actor=None)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        db.session.commit()
        assert plan.counts["imported"] == rows
        return len(seen)

    statements(5, 0)  # the first import also marks the invitation as answered
    assert statements(20, 100) == statements(600, 1000) <= 15
