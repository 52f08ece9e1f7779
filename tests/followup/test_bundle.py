"""Issue 14, part 7: the evidence bundle for the field visit holds exactly the verified files,
under their dimension and indicator folders, and an index PDF that lists them. Issue 18: the
bundle is made by a job; the page's button starts it and the job's page offers the ZIP."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from pypdf import PdfReader

from sosialisasi.followup.bundle import INDEX_NAME, evidence_bundle
from sosialisasi.followup.services import evidence as evidence_services
from sosialisasi.followup.services import tasks as task_services

from .conftest import PDF, PNG


def test_bundle_zip_holds_exactly_the_verified_files_with_an_index(
    ombudsman, make_unit, make_user, client, login_as, db
):
    unit = make_unit("Dinas Bundel Contoh", public_service=True)
    verifier = make_user("verifier", name="Verifikator Organisasi")
    operator = make_user("unit_operator", unit=unit)
    folder = client.application.config["UPLOAD_FOLDER"]
    by_code = {i.code: i for i in ombudsman.indicators}

    def task_with(code, files, *, verify, link=None):
        task = task_services.create_task(
            unit, title="", indicator=by_code[code], due_date=date.today() + timedelta(days=9),
            actor=verifier,
        )  # fmt: skip
        for name, data in files:
            evidence_services.add_evidence_file(
                task, filename=name, data=data, upload_folder=folder, actor=operator
            )
        if link:
            evidence_services.add_evidence_link(task, url=link, actor=operator)
        db.session.commit()  # files are written when the session commits
        task_services.submit_task(task, actor=operator)
        if verify:
            task_services.verify_task(task, actor=verifier)
        db.session.commit()
        return task

    task_with("PR-06", [("maklumat.pdf", PDF), ("foto maklumat.png", PNG)], verify=True,
              link="https://contoh.go.id/maklumat")  # fmt: skip
    task_with("PG-03", [("sk pengelola.pdf", PDF)], verify=True)
    task_with("PR-01", [("persyaratan.pdf", PDF)], verify=False)  # submitted, not verified

    login_as("verifier")
    response = bundle_download(client, unit)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "berkas-bukti-Dinas-Bundel-Contoh.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert names == {
        "00-indeks-bukti.pdf",
        "02-PROSES/PR-06-Maklumat-pelayanan-publikasi-dan-substansi/maklumat.pdf",
        "02-PROSES/PR-06-Maklumat-pelayanan-publikasi-dan-substansi/foto-maklumat.png",
        "04-PENGADUAN/PG-03-Petugas-pengelola-pengaduan-ditetapkan-SK/sk-pengelola.pdf",
    }
    assert (
        archive.read("02-PROSES/PR-06-Maklumat-pelayanan-publikasi-dan-substansi/maklumat.pdf")
        == PDF
    )
    index = PdfReader(io.BytesIO(archive.read("00-indeks-bukti.pdf")))
    text = " ".join(p.extract_text() for p in index.pages)
    for expected in ("PR-06", "PG-03", "PR-01", "maklumat.pdf", "foto-maklumat.png",
                     "sk-pengelola.pdf", "https://contoh.go.id/maklumat",
                     "Verifikator Organisasi", "Terverifikasi", "Diajukan"):  # fmt: skip
        assert expected in text, expected
    assert "persyaratan.pdf" not in text  # not verified: no file in the bundle

    # The job's ZIP holds what the bundle made in the request held before (issue 18): the same
    # files with the same bytes, and an index naming the same tasks.
    direct, _entries = evidence_bundle(unit, upload_folder=folder)
    before = zipfile.ZipFile(io.BytesIO(direct))
    assert set(before.namelist()) == names
    for name in names - {INDEX_NAME}:
        assert archive.read(name) == before.read(name)
    before_index = PdfReader(io.BytesIO(before.read(INDEX_NAME)))
    assert " ".join(p.extract_text() for p in before_index.pages) == text

    # The unit's own operator may make it; another unit's may not.
    login_as(operator)
    assert bundle_download(client, unit).status_code == 200
    login_as(make_user("unit_operator"))
    assert client.post(f"/tindak-lanjut/unit/{unit.id}/berkas-bukti").status_code == 404


def bundle_download(client, unit):
    """Press the bundle button: a job, whose page (reached by the redirect) offers the ZIP."""
    started = client.post(f"/tindak-lanjut/unit/{unit.id}/berkas-bukti")
    assert started.status_code == 303 and "/tugas/" in started.location
    page = client.get(started.location)
    assert page.status_code == 200 and "Unduh hasil" in page.get_data(as_text=True)
    return client.get(started.location.rstrip("/") + "/berkas")


def test_the_same_bundle_asked_twice_is_one_job_and_a_change_makes_a_new_one(
    ombudsman, make_unit, make_user, client, login_as, db
):
    unit = make_unit("Dinas Bundel Ganda", public_service=True)
    verifier = make_user("verifier")
    task = task_services.create_task(
        unit, title="Maklumat", due_date=date.today() + timedelta(days=9), actor=verifier
    )
    db.session.commit()
    login_as(verifier)
    first = client.post(f"/tindak-lanjut/unit/{unit.id}/berkas-bukti").location
    assert client.post(f"/tindak-lanjut/unit/{unit.id}/berkas-bukti").location == first
    task.title = "Maklumat pelayanan"
    db.session.commit()
    assert client.post(f"/tindak-lanjut/unit/{unit.id}/berkas-bukti").location != first


def test_a_service_products_bundle_is_its_own_job_and_another_units_product_is_refused(
    make_unit, make_user, client, login_as, db
):
    from sosialisasi.jobs.models import Job
    from sosialisasi.units.models import ServiceProduct

    capil = make_unit("Disdukcapil Bundel", short_name="Capil Bundel", public_service=True)
    other = make_unit("Dinas Lain Bundel", public_service=True)
    capil.products.append(ServiceProduct(name="KTP-el"))
    other.products.append(ServiceProduct(name="Izin"))
    db.session.commit()
    login_as("verifier")
    url = f"/tindak-lanjut/unit/{capil.id}/berkas-bukti"
    started = client.post(url, data={"produk": capil.products[0].id})
    assert started.status_code == 303
    job = db.session.get(Job, started.location.rstrip("/").rsplit("/", 1)[-1])
    assert job.params["product_id"] == capil.products[0].id
    download = client.get(started.location.rstrip("/") + "/berkas")
    assert "berkas-bukti-Capil-Bundel-KTP-el.zip" in download.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(download.data)).namelist() == ["00-indeks-bukti.pdf"]
    assert client.post(url, data={"produk": other.products[0].id}).status_code == 404
    assert client.get(url).status_code == 405  # a job is started by a form post only
