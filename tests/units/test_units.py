import io

from openpyxl import Workbook

from sosialisasi.auth.models import Role
from sosialisasi.units.models import Unit, UnitKind
from sosialisasi.units.services import find_unit, lookup_key


def test_seed_loads_bekasi_units_and_is_idempotent(db, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    count = db.session.query(Unit).count()
    kecamatan = db.session.query(Unit).filter_by(kind=UnitKind.KECAMATAN).count()
    assert kecamatan == 23
    assert db.session.query(Unit).filter_by(kind=UnitKind.KELURAHAN).count() == 8
    organisasi = db.session.query(Unit).filter_by(code="BAG-ORGANISASI").one()
    assert organisasi.parent.code == "SETDA"
    assert organisasi.parent.parent.code == "PEMDA"
    bahagia = db.session.query(Unit).filter_by(code="KEL-BAHAGIA").one()
    assert bahagia.parent.name == "Kecamatan Babelan"
    second = runner.invoke(args=["seed"])
    assert "units: created=0 updated=0" in second.output
    assert db.session.query(Unit).count() == count


def test_lookup_accepts_the_variants_people_write(db):
    dinkes = db.session.query(Unit).filter_by(code="DINKES").one()
    for text in (
        "Dinkes",
        "Dinas Kesehatan",
        "DINAS KESEHATAN KAB. BEKASI",
        "  dinas   kesehatan  ",
        "Dinas Kesehatan Kabupaten Bekasi",
    ):
        assert find_unit(text) == dinkes, text
    setu = db.session.query(Unit).filter_by(code="KEC-SETU").one()
    assert find_unit("Kec. Setu") == setu
    assert find_unit("KECAMATAN SETU") == setu
    assert find_unit("Dinas yang tidak ada") is None


def test_lookup_key_folds_prefixes():
    assert lookup_key("Kec. Cikarang Selatan") == "kecamatan cikarang selatan"
    assert lookup_key("PKM Cibatu") == "puskesmas cibatu"


def test_duplicate_code_is_refused_and_input_kept(client, login_as, make_unit):
    login_as(Role.ADMIN)
    make_unit("Dinas Kesehatan", code="DINKES")
    page = client.post(
        "/unit/baru",
        data={"code": "dinkes", "name": "Dinas Kesehatan Baru", "kind": "dinas", "parent_id": 0},
    )
    assert page.status_code == 200
    assert "Kode DINKES sudah dipakai" in page.text
    assert 'value="Dinas Kesehatan Baru"' in page.text


def test_unit_list_searches_aliases(client, login_as, make_unit):
    login_as(Role.ORGANIZER)
    make_unit("Dinas Komunikasi, Informatika, Persandian dan Statistik", aliases=["Kominfo"])
    make_unit("Dinas Sosial")
    page = client.get("/unit/?q=Kominfo")
    assert "Persandian" in page.text
    assert "Dinas Sosial" not in page.text


def test_deactivated_unit_leaves_the_active_list(client, login_as, make_unit, db):
    login_as(Role.ADMIN)
    unit = make_unit("Dinas Perikanan")
    done = client.post(f"/unit/{unit.id}/status", follow_redirects=True)
    assert "Unit Dinas Perikanan dinonaktifkan." in done.text
    db.session.refresh(unit)
    assert unit.active is False
    assert "Dinas Perikanan" not in client.get("/unit/").text
    assert "Dinas Perikanan" in client.get("/unit/?status=inactive").text


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_puskesmas_import_keeps_good_rows_and_reports_bad_ones(client, login_as, db):
    login_as(Role.ADMIN)
    data = _xlsx(
        [
            ["DAFTAR PUSKESMAS KABUPATEN BEKASI"],
            [],
            ["No", "Nama", "Jenis", "Induk"],
            [1, "Puskesmas Cibatu", "Puskesmas", "Dinkes"],
            [2, "Puskesmas Cikarang", "puskesmas", "DINAS KESEHATAN KAB. BEKASI"],
            [3, "", "puskesmas", "DINKES"],
            [4, "Puskesmas Mekarmukti", "klinik", "DINKES"],
            [5, "Puskesmas Tanpa Induk", "puskesmas", "Dinas Antah"],
        ]
    )
    page = client.post(
        "/unit/impor",
        data={"file": (io.BytesIO(data), "puskesmas.xlsx")},
        content_type="multipart/form-data",
    )
    assert "0 unit baru, 2 diperbarui" in page.text  # seeded by followup (Bekasi 2022)
    assert "<td>6</td><td>nama unit kosong</td>" in page.text
    assert "jenis unit &#39;klinik&#39; tidak dikenal" in page.text
    assert "unit induk &#39;Dinas Antah&#39; tidak ditemukan" in page.text
    cibatu = db.session.query(Unit).filter_by(name="Puskesmas Cibatu").one()
    assert cibatu.parent.code == "DINKES" and cibatu.kind is UnitKind.PUSKESMAS


def test_cli_import_reads_semicolon_csv_in_windows_1252(runner, db, tmp_path):
    path = tmp_path / "unit.csv"
    rows = [
        "Nama;Jenis;Induk",
        "Puskesmas Sukatani;puskesmas;Dinkes",
        "UPTD Pengujian Mutu;uptd;Dinkes",
        "Bad;;",
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode("cp1252"))
    result = runner.invoke(args=["units", "import", str(path)])
    assert "created=2 updated=0 errors=1" in result.output
    assert "baris 4" in result.output


def test_unit_changes_are_audited_from_the_page_and_the_command_line(
    runner, client, login_as, db, tmp_path
):
    from sqlalchemy import select

    from sosialisasi.audit.models import AuditEntry

    path = tmp_path / "unit.csv"
    path.write_text("Nama;Jenis;Induk\nPuskesmas Sukakarya;puskesmas;Dinkes\n", encoding="utf-8")
    runner.invoke(args=["units", "import", str(path)])
    cli = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.import"))
    assert cli is not None and cli.actor_id is None and cli.summary == "unit.csv"
    assert cli.data["created"] == 1

    admin = login_as(Role.ADMIN)
    unit = db.session.scalar(select(Unit).where(Unit.name == "Puskesmas Sukakarya"))
    client.post(f"/unit/{unit.id}/status")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.deactivate"))
    assert entry is not None and entry.actor_id == admin.id and entry.object_id == unit.id


def test_koperasi_name_and_short_name_agree(db, runner):
    """Issue 15: "Dinas Koperasi dan Usaha Mikro" beside the short name "Diskopukm" disagreed;
    DOMAIN.md names the office Koperasi dan UMKM. The old spellings still find it."""
    from sqlalchemy import select

    from sosialisasi.units.models import Unit

    runner.invoke(args=["seed"])
    unit = db.session.scalar(select(Unit).where(Unit.code == "DISKOPUKM"))
    assert unit.name == "Dinas Koperasi dan Usaha Mikro, Kecil dan Menengah"
    assert unit.short_name == "Diskop UMKM"
    for text in ("Diskopukm", "Dinas Koperasi dan UMKM", "DISKOP UMKM", "Dinas Koperasi dan UKM"):
        assert find_unit(text) == unit, text
