"""Retention purge and the export of everything held about one person."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.events.models import EventStatus
from sosialisasi.ops import services
from sosialisasi.registration.models import Person, Registration

NOW = datetime(2030, 6, 1, 2, 0, tzinfo=UTC)


def _attended(db, make_event, make_registration, person, *, years_ago: float):
    start = NOW - timedelta(days=365.25 * years_ago)
    event = make_event(starts_at=start, status=EventStatus.FINISHED)
    reg = make_registration(event, person)
    db.session.add(
        CheckIn(
            registration=reg,
            session=event.sessions[0],
            method=CheckInMethod.QR,
            at=start + timedelta(minutes=5),
        )
    )
    db.session.commit()
    return reg


def _person(make_person, **kw):
    return make_person(
        created_at=NOW - timedelta(days=365 * 8),
        phone="+6281234567890",
        email="budi@bekasikab.go.id",
        position="Kepala Seksi",
        rank="Penata Tk. I, III/d",
        **kw,
    )


def test_purge_anonymises_people_absent_for_the_retention_period_and_keeps_counts(
    app, db, runner, make_person, make_event, make_registration, make_unit, monkeypatch
):
    unit = make_unit("Dinas Kesehatan")
    old = _person(make_person, name="Budi Lama, S.Kom.", unit=unit)
    recent = _person(make_person, name="Siti Baru", unit=unit)
    new_person = make_person(name="Andi Terdaftar Kemarin", created_at=NOW - timedelta(days=1))
    _attended(db, make_event, make_registration, old, years_ago=6)
    _attended(db, make_event, make_registration, recent, years_ago=1)
    regs_before = db.session.scalar(select(func.count(Registration.id)))
    checkins_before = db.session.scalar(select(func.count(CheckIn.id)))
    monkeypatch.setattr(services, "utcnow", lambda: NOW)

    dry = runner.invoke(args=["privacy", "purge", "--older-than", "5", "--dry-run"])
    assert "1 orang akan dianonimkan" in dry.output
    assert db.session.get(Person, old.id).name == "Budi Lama, S.Kom."

    result = runner.invoke(args=["privacy", "purge", "--older-than", "5"])
    assert result.exit_code == 0, result.output
    assert "1 orang dianonimkan" in result.output
    db.session.expire_all()
    gone = db.session.get(Person, old.id)
    assert gone.name == f"Anonim #{old.id}"
    assert (gone.nip, gone.phone, gone.email, gone.position, gone.rank) == (
        None,
        None,
        None,
        "",
        "",
    )
    assert gone.anonymized_at is not None
    assert gone.unit_id == unit.id  # counts per unit stay
    assert db.session.get(Person, recent.id).name == "Siti Baru"
    assert db.session.get(Person, new_person.id).name == "Andi Terdaftar Kemarin"
    assert db.session.scalar(select(func.count(Registration.id))) == regs_before
    assert db.session.scalar(select(func.count(CheckIn.id))) == checkins_before
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.purge"))
    assert entry is not None and entry.data["people"] == 1

    again = runner.invoke(args=["privacy", "purge", "--older-than", "5"])
    assert "0 orang dianonimkan" in again.output


def test_purge_keeps_people_registered_for_an_upcoming_event(
    app, db, make_person, make_event, make_registration
):
    person = _person(make_person, name="Rina Akan Hadir")
    make_registration(make_event(starts_at=NOW + timedelta(days=10)), person)
    result = services.purge_people(older_than_years=3, now=NOW)
    assert result.people == 0


def test_purge_refuses_a_non_positive_period(app, runner):
    result = runner.invoke(args=["privacy", "purge", "--older-than", "0"])
    assert result.exit_code != 0
    assert "lebih dari 0 tahun" in result.output


def test_admin_exports_everything_about_one_person_as_json_and_it_is_audited(
    app, db, client, login_as, make_person, make_event, make_registration
):
    admin = login_as("admin")
    person = _person(make_person, name="Dewi Sartika")
    reg = _attended(db, make_event, make_registration, person, years_ago=1)
    other = make_person(name="Orang Lain")
    make_registration(person=other)

    page = client.get("/admin/data/orang?q=dewi")
    assert b"Dewi Sartika" in page.data and b"Orang Lain" not in page.data
    detail = client.get(f"/admin/data/orang/{person.id}")
    assert detail.status_code == 200 and b"registrations" in detail.data

    response = client.post(f"/admin/data/orang/{person.id}/ekspor", data={"format": "json"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["orang"]["name"] == "Dewi Sartika"
    assert data["orang"]["email"] == "budi@bekasikab.go.id"
    assert [r["id"] for r in data["data_terkait"]["registrations"]] == [reg.id]
    assert len(data["data_terkait"]["checkins"]) == 1
    assert [e["judul"] for e in data["acara"]] == [reg.event.title]
    assert "Orang Lain" not in response.get_data(as_text=True)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export"))
    assert entry.actor_id == admin.id and entry.object_id == person.id


def test_export_as_xlsx_neutralises_formulas(app, db, client, login_as, make_person):
    login_as("admin")
    person = make_person(name='=HYPERLINK("http://x","y")', position="@SUM(A1)")
    response = client.post(f"/admin/data/orang/{person.id}/ekspor", data={"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.data))
    values = {row[0]: row[1] for row in book["orang"].iter_rows(values_only=True)}
    assert values["name"] == '\'=HYPERLINK("http://x","y")'
    assert values["position"] == "'@SUM(A1)"


def test_admin_anonymises_one_person_on_request(app, db, client, login_as, make_person):
    login_as("admin")
    person = make_person(name="Minta Dihapus", email="x@y.id")
    refused = client.post(f"/admin/data/orang/{person.id}/anonimkan", data={})
    assert refused.status_code == 400 and b"Centang untuk menyatakan yakin" in refused.data
    done = client.post(
        f"/admin/data/orang/{person.id}/anonimkan", data={"confirm": "y"}, follow_redirects=True
    )
    assert b"telah dianonimkan" in done.data
    db.session.expire_all()
    assert db.session.get(Person, person.id).email is None


def test_cli_export_writes_a_file(app, runner, tmp_path, make_person):
    person = make_person(name="Ekspor Lewat CLI")
    out = tmp_path / "orang.json"
    result = runner.invoke(args=["privacy", "export", str(person.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["orang"]["name"] == "Ekspor Lewat CLI"


def test_only_admins_reach_the_personal_data_pages(app, client, login_as, make_person):
    person = make_person()
    for role in ("organizer", "verifier", "unit_operator", "checkin_staff"):
        login_as(role)
        assert client.get(f"/admin/data/orang/{person.id}").status_code == 403
        assert client.post(f"/admin/data/orang/{person.id}/ekspor").status_code == 403


def test_admin_menu_leads_to_the_personal_data_page(app, client, login_as):
    login_as("admin")
    home = client.get("/beranda")
    assert 'href="/admin/data/orang"' in home.text and "Data pribadi" in home.text
    login_as("organizer")
    assert 'href="/admin/data/orang"' not in client.get("/beranda").text


# --- issue 13: erasure that erases ---------------------------------------------------------------


def _certified(db, make_event, make_registration, person):
    from sosialisasi.audit.services import record
    from sosialisasi.documents.models import Certificate

    reg = _attended(db, make_event, make_registration, person, years_ago=7)
    cert = Certificate(
        event_id=reg.event_id,
        registration_id=reg.id,
        sequence=1,
        number=f"{reg.id:03d}/SERT/2023",
        name=person.name,
        nip=person.nip,
        unit_name="Dinas Contoh",
    )
    db.session.add(cert)
    db.session.flush()
    record("registration.create", actor=None, obj=reg, summary=person.name)
    record("person.update", actor=None, obj=person, summary=f"{person.name} ({person.nip})")
    record("documents.revoke", actor=None, obj=cert, summary=f"{cert.number} {person.name}")
    record("unit.update", actor=None, summary="Sari Wulandari Utama")  # someone else's name
    db.session.commit()
    return reg, cert


def _traces(db, cert_id: int, person_name: str, nip: str) -> list[str]:
    from sosialisasi.documents.models import Certificate

    db.session.expire_all()
    cert = db.session.get(Certificate, cert_id)
    left = []
    if person_name in cert.name or cert.nip:
        left.append(f"certificate: {cert.name} {cert.nip}")
    for summary in db.session.scalars(select(AuditEntry.summary)):
        if nip in summary or (person_name in summary and "Utama" not in summary):
            left.append(f"audit: {summary}")
    return left


def test_anonymising_a_person_also_reduces_their_certificates_and_audit_summaries(
    app, db, client, login_as, make_event, make_registration, make_person
):
    """Found at 893d9ec: the public verify page still showed the name and NIP of an
    anonymised person, and the audit summaries kept the name."""
    person = _person(make_person, name="Sari Wulandari", nip="198503152010012005")
    _reg, cert = _certified(db, make_event, make_registration, person)
    page = client.get(f"/verifikasi/{cert.code}")
    assert "Sari Wulandari" in page.text
    login_as("admin")
    client.post(f"/admin/data/orang/{person.id}/anonimkan", data={"confirm": "y"})
    assert _traces(db, cert.id, "Sari Wulandari", "198503152010012005") == []
    page = app.test_client().get(f"/verifikasi/{cert.code}")  # an anonymous visitor
    assert page.status_code == 200 and 'data-result="genuine"' in page.text
    assert "pemegang dianonimkan" in page.text
    assert "Sari" not in page.text and "198503152010012005" not in page.text
    unrelated = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.update"))
    assert unrelated.summary == "Sari Wulandari Utama"


def test_purge_also_reduces_certificates_and_audit_summaries(
    app, db, make_event, make_registration, make_person
):
    person = _person(make_person, name="Budi Santoso Lama", nip="197001011995031001")
    _reg, cert = _certified(db, make_event, make_registration, person)
    services.purge_people(older_than_years=5, now=NOW)
    db.session.commit()
    assert _traces(db, cert.id, "Budi Santoso Lama", "197001011995031001") == []


def test_anonymising_also_reduces_the_attendance_snapshot(
    db, client, login_as, make_event, make_registration, make_person
):
    """Issue 13: erasure reaches "any stored snapshot"; the daftar hadir of a past event prints the
    registration's snapshot (issue 15), which kept the name."""
    from sosialisasi.registration.models import Registration

    person = _person(make_person, name="Rina Snapshot", nip="198503152010012013")
    reg = make_registration(make_event(), person)
    reg.snap_name, reg.snap_position = "Rina Snapshot, S.E.", "Analis"
    db.session.commit()
    login_as("admin")
    client.post(f"/admin/data/orang/{person.id}/anonimkan", data={"confirm": "y"})
    stored = db.session.get(Registration, reg.id)
    db.session.refresh(stored)
    assert "Rina" not in (stored.snap_name or "") and stored.snap_position == "Analis"


def test_person_page_counts_rows_in_sql_and_lists_the_ten_latest_events(
    app, db, client, login_as, make_person, make_event, make_registration
):
    login_as("admin")
    person = _person(make_person, name="Sri Wulandari")
    for i in range(12):
        event = make_event(
            f"Acara Privasi {i:02d}",
            starts_at=NOW - timedelta(days=30 * (12 - i)),
            status=EventStatus.FINISHED,
        )
        reg = make_registration(event, person)
        db.session.add(
            CheckIn(
                registration=reg,
                session=event.sessions[0],
                method=CheckInMethod.QR,
                at=event.starts_at + timedelta(minutes=5),
            )
        )
    db.session.commit()

    html = client.get(f"/admin/data/orang/{person.id}").get_data(as_text=True)
    exported = services.person_data(person)["data_terkait"]
    summary = services.person_summary(person)
    # The page's counts are those of the export, table by table.
    assert summary["counts"] == {name: len(rows) for name, rows in exported.items()}
    assert summary["counts"]["registrations"] == 12 and summary["counts"]["checkins"] == 12
    assert "12 baris" in html
    # The ten newest events, and a note that the export holds all twelve.
    assert "Acara Privasi 11" in html and "Acara Privasi 02" in html
    assert "Acara Privasi 01" not in html and "Acara Privasi 00" not in html
    assert "Menampilkan 10 acara terbaru dari 12" in html
