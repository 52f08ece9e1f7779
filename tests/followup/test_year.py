"""Issue 14, parts 3, 5, 6: lokus, supervision products register, target, gap and trajectory."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from sosialisasi.followup.models import Framework, SupervisionProduct, TaskStatus
from sosialisasi.followup.queries.compliance import district_projection
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services
from sosialisasi.followup.services.assessments import record_assessment
from sosialisasi.followup.services.years import gap_to


def test_gap_to_target_is_exact_for_the_2024_figures(ombudsman, client, login_as, db):
    assert gap_to(Decimal("88.00"), Decimal("87.88")).points == Decimal("0.12")
    login_as("verifier")
    response = client.post("/tindak-lanjut/tahun/2024/target", data={"target_category": "A"})
    assert response.status_code == 302
    page = client.get("/tindak-lanjut/tahun/2024").get_data(as_text=True)
    standing = page[page.index('id="standing"') :]
    assert "87,88" in standing
    assert "kurang 0,12 poin" in standing
    # The trajectory lists the official results year by year.
    trajectory = page[page.index('id="trajectory"') :]
    trajectory = trajectory[: trajectory.index("</table>")]
    assert trajectory.index("2022") < trajectory.index("2023") < trajectory.index("2024")
    assert "83,22" in trajectory and "87,88" in trajectory


def test_lokus_import_names_the_unknown_line_and_the_projection_is_over_the_lokus(
    ombudsman, make_unit, client, login_as, db
):
    a = make_unit("Dinas Lokus Satu", short_name="DLS", public_service=True)
    b = make_unit("Dinas Lokus Dua", public_service=True)
    outside = make_unit("Dinas Bukan Lokus")
    never = make_unit("Dinas Lokus Baru", public_service=True)
    for unit, score in ((a, "90.00"), (b, "80.00"), (outside, "40.00")):
        record_assessment(unit, ombudsman, year=2024, score=score, actor=None)
    db.session.commit()
    login_as("verifier")
    bad = "Dinas Lokus Satu\nDinas Entah Berantah\n"
    response = client.post("/tindak-lanjut/tahun/2025/lokus", data={"lokus": bad})
    assert response.status_code == 422
    assert "Baris 2: unit “Dinas Entah Berantah” tidak dikenal." in response.get_data(as_text=True)
    good = "DLS\nDinas Lokus Dua\nDinas Lokus Baru\n"
    assert client.post("/tindak-lanjut/tahun/2025/lokus", data={"lokus": good}).status_code == 302
    fw = db.session.scalar(select(Framework).where(Framework.code == "OMBUDSMAN-2025"))
    district = district_projection(fw, 2025)
    assert {u.name for u in district.units} == {a.name, b.name, never.name}
    # Over the lokus only (not the 40.00 unit), never-assessed units left out: (90 + 80) / 2.
    assert abs(district.score - Decimal("85.00")) <= Decimal("0.02")
    assert [u.name for u in district.unassessed] == [never.name]
    page = client.get("/tindak-lanjut/tahun/2025").get_data(as_text=True)
    assert "Dinas Lokus Baru" in page[page.index('id="standing"') :]


def test_supervision_product_register_tasks_and_tanpa_maladministrasi(
    ombudsman, make_unit, make_user, client, login_as, db
):
    unit = make_unit("Dinas Produk Pengawasan")
    verifier = login_as("verifier")
    operator = make_user("unit_operator", unit=unit)
    year = date.today().year
    response = client.post(
        "/tindak-lanjut/produk-pengawasan",
        data={
            "kind": "saran_perbaikan",
            "number": "SP/77",
            "issued_on": date(year, 1, 5).isoformat(),
            "unit_id": unit.id,
            "year": year,
        },
    )
    assert response.status_code == 302
    page = client.get("/tindak-lanjut/produk-pengawasan").get_data(as_text=True)
    assert "tanpa tenggat" in page[page.index('data-product="SP/77"') :]
    overdue_due = date.today() - timedelta(days=2)
    response = client.post(
        "/tindak-lanjut/produk-pengawasan",
        data={
            "kind": "tindakan_korektif",
            "number": "TK/78",
            "issued_on": (overdue_due - timedelta(days=30)).isoformat(),
            "unit_id": unit.id,
            "due_date": overdue_due.isoformat(),
            "year": year,
            "finding": "Standar pelayanan belum dipublikasikan",
        },
    )
    product = db.session.scalar(
        select(SupervisionProduct).where(SupervisionProduct.number == "TK/78")
    )
    page = client.get(f"/tindak-lanjut/tahun/{year}").get_data(as_text=True)
    box = page[page.index('id="supervision-year"') :]
    assert "Tidak memenuhi" in box and "TK/78" in box and "SP/77" not in box.split("</ul>")[0]

    response = client.post(
        f"/tindak-lanjut/produk-pengawasan/{product.id}",
        data={"titles": "Publikasikan standar pelayanan\nPasang maklumat"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.get(SupervisionProduct, product.id)
    assert len(product.tasks) == 2 and all(t.unit_id == unit.id for t in product.tasks)
    for task in product.tasks:
        evidence_services.add_evidence_link(task, url="https://contoh.go.id/sp", actor=operator)
        task_services.submit_task(task, actor=operator)
        task_services.verify_task(task, actor=verifier)
    db.session.commit()
    assert all(t.status is TaskStatus.VERIFIED for t in product.tasks)
    # Followed up today, after its deadline: late, but followed up before the cut-off.
    page = client.get(f"/tindak-lanjut/produk-pengawasan/{product.id}").get_data(as_text=True)
    assert "ditindaklanjuti terlambat" in page
    page = client.get(f"/tindak-lanjut/tahun/{year}").get_data(as_text=True)
    assert "masih memenuhi syarat" in page[page.index('id="supervision-year"') :]


def test_units_carry_public_service_and_products(make_unit, client, login_as, db):
    unit = make_unit("Dinas Kependudukan Uji", code="DUK")
    login_as("admin")
    response = client.post(
        f"/unit/{unit.id}/ubah",
        data={
            "code": "DUK",
            "name": unit.name,
            "kind": "dinas",
            "parent_id": 0,
            "public_service": "y",
            "products": "KTP-el\nKartu Keluarga\n\nKTP-el",
            "active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert unit.public_service and [p.name for p in unit.products] == ["KTP-el", "Kartu Keluarga"]
    page = client.get(f"/unit/{unit.id}").get_data(as_text=True)
    assert "unit layanan publik" in page and "KTP-el, Kartu Keluarga" in page


def test_nota_dinas_pdf_has_letterhead_number_addressee_table_and_signature(
    ombudsman, make_unit, client, login_as, db
):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from sosialisasi.documents.services import get_letterhead, seed_letterhead

    seed_letterhead()
    a = make_unit("Dinas Nota Satu", public_service=True)
    make_unit("Dinas Nota Baru", public_service=True)
    record_assessment(a, ombudsman, year=2024, score="86.50", actor=None)
    db.session.commit()
    login_as("verifier")
    client.post("/tindak-lanjut/tahun/2025/target", data={"target_category": "A",
                                                          "target_score": "90"})  # fmt: skip
    client.post(
        "/tindak-lanjut/tahun/2025/lokus", data={"lokus": "Dinas Nota Satu\nDinas Nota Baru"}
    )
    args = "nomor=000.8/123/Org&kepada=sekda&nama=Dra. Contoh Pejabat, M.Si.&nip=197001012000032001"
    response = client.get(f"/tindak-lanjut/tahun/2025/nota-dinas.pdf?{args}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())  # table cells wrap
    letterhead = get_letterhead()
    assert letterhead.government_name.upper() in text  # kop surat
    for expected in ("NOTA DINAS", "000.8/123/Org", "Sekretaris Daerah Kabupaten Bekasi",
                     "Yth.", "Dinas Nota Satu", "Dinas Nota Baru", "belum dinilai",
                     "Kepala Bagian Organisasi", "Dra. Contoh Pejabat, M.Si.",
                     "NIP. 19700101 200003 2 001", "kurang", "Tanpa Maladministrasi"):  # fmt: skip
        assert expected in text, expected
    xlsx = client.get(f"/tindak-lanjut/tahun/2025/nota-dinas.xlsx?{args}")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Dinas Nota Satu" in values and "Dinas Nota Baru" in values


def test_verifier_home_answers_where_do_we_stand_with_numbers(
    ombudsman, make_unit, make_user, client, login_as, db
):
    unit = make_unit("Dinas Angka Contoh", short_name="DAC")
    verifier = login_as("verifier")
    operator = make_user("unit_operator", unit=unit)
    by_code = {i.code: i for i in ombudsman.indicators}
    late = task_services.create_task(
        unit, title="", indicator=by_code["PG-03"], due_date=date.today() - timedelta(days=3),
        actor=verifier,
    )  # fmt: skip
    task = task_services.create_task(
        unit, title="", indicator=by_code["PG-04"], due_date=date.today() + timedelta(days=3),
        actor=verifier,
    )  # fmt: skip
    evidence_services.add_evidence_link(task, url="https://contoh.go.id/a", actor=operator)
    task_services.submit_task(task, actor=operator)
    supervision_due = date.today() - timedelta(days=1)
    from sosialisasi.followup.models import SupervisionKind
    from sosialisasi.followup.services.supervision import save_product

    save_product(
        None, kind=SupervisionKind.REKOMENDASI, number="REK/9",
        issued_on=supervision_due - timedelta(days=20), unit=unit, due_date=supervision_due,
        year=date.today().year, actor=verifier,
    )  # fmt: skip
    db.session.commit()
    assert late.is_overdue(date.today())
    page = client.get("/beranda").get_data(as_text=True)
    numbers = page[page.index('id="verifier-numbers"') :]
    assert '<div class="display-6" id="n-to-verify">1</div>' in numbers
    assert 'id="n-overdue">1</div>' in numbers
    assert 'id="n-products-due">1</div>' in numbers
    assert "DAC</a> 1" in page[page.index('id="overdue-by-unit"') :]


def test_milestone_reminds_units_with_open_tasks_by_command_and_whatsapp_text(
    ombudsman, make_unit, make_user, client, login_as, runner, db
):
    unit = make_unit("Dinas Kalender Contoh")
    verifier = login_as("verifier")
    make_user("unit_operator", unit=unit, email="operator@contoh.go.id")
    by_code = {i.code: i for i in ombudsman.indicators}
    # Due in 60 days: outside the usual 7-day window, but the field visit is in 5 days.
    task_services.create_task(
        unit, title="", indicator=by_code["PG-03"], due_date=date.today() + timedelta(days=60),
        actor=verifier,
    )  # fmt: skip
    db.session.commit()
    result = runner.invoke(args=["followup", "remind"])
    assert "tidak ada tugas" in result.output
    visit = date.today() + timedelta(days=5)
    response = client.post(
        f"/tindak-lanjut/tahun/{visit.year}/jadwal",
        data={"kind": "field_visit", "on_date": visit.isoformat(), "title": "Lokus Disdukcapil",
              "remind_days": 7},
    )  # fmt: skip
    assert response.status_code == 302
    result = runner.invoke(args=["followup", "remind"])
    assert "Kepada: operator@contoh.go.id" in result.output
    assert "Menjelang Kunjungan lapangan Ombudsman: Lokus Disdukcapil" in result.output
    assert "5 hari lagi" in result.output
    page = client.get(f"/tindak-lanjut/tahun/{visit.year}").get_data(as_text=True)
    calendar = page[page.index('id="calendar"') :]
    assert "Teks WhatsApp untuk disalin" in calendar
    assert "Dinas Kalender Contoh: 1 tugas" in calendar
    assert "https://wa.me/?text=" in calendar


def test_lokus_imported_from_a_spreadsheet_names_the_row_of_an_unknown_unit(
    ombudsman, make_unit, client, login_as, db
):
    import io

    from openpyxl import Workbook

    from sosialisasi.units.models import ServiceProduct

    capil = make_unit("Dinas Kependudukan Lokus", short_name="Capil Lokus", public_service=True)
    capil.products.append(ServiceProduct(name="KTP-el"))
    db.session.commit()
    login_as("organizer")

    def upload(rows):
        wb = Workbook()
        wb.active.append(["Unit", "Produk layanan"])
        for row in rows:
            wb.active.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return client.post(
            "/tindak-lanjut/tahun/2025/lokus",
            data={"lokus": "", "file": (io.BytesIO(buffer.getvalue()), "lokus.xlsx")},
            content_type="multipart/form-data",
        )

    response = upload([["Capil Lokus", "KTP-el"], ["Dinas Tidak Ada", None]])
    assert response.status_code == 422
    assert "Baris 3: unit “Dinas Tidak Ada” tidak dikenal." in response.get_data(as_text=True)
    response = upload([["Capil Lokus", "KTP-el"], ["Capil Lokus", "Paspor"]])
    assert "Baris 3: Dinas Kependudukan Lokus tidak punya produk layanan “Paspor”." in (
        response.get_data(as_text=True)
    )
    response = upload([["Capil Lokus", "KTP-el"], ["Capil Lokus", None]])
    assert response.status_code == 302
    page = client.get("/tindak-lanjut/tahun/2025").get_data(as_text=True)
    assert "Capil Lokus; KTP-el" in page or "Dinas Kependudukan Lokus; KTP-el" in page
