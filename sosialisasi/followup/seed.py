"""Reference data loaded by ``flask seed`` (idempotent): frameworks, bands, Bekasi's history.

Sources: DOMAIN.md sections 1 and 2. Everything here becomes rows an administrator can edit;
a second run fills what is missing and never overwrites what an administrator changed.

Its size is earned: most of it is the reference data itself (four frameworks' dimensions,
indicators and bands, and the district's published results), written as literal tables.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..units.models import Unit, UnitKind
from .models import (
    Assessment,
    Dimension,
    DistrictResult,
    Framework,
    FrameworkKind,
    Indicator,
    ScoreBand,
)

OMBUDSMAN = {
    "code": "OMBUDSMAN-2022",
    "name": "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik Ombudsman RI 2022-2024",
    "method": "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik",
    "kind": FrameworkKind.ASSESSMENT,
    "year_from": 2022,
    "year_to": 2024,
    "description": "Empat dimensi; setiap indikator bernilai 0-3; nilai pemda adalah rata-rata "
    "unit yang dinilai.",
    "dimensions": [
        ("INPUT", "Input (kompetensi pelaksana, sarana dan manajemen)", "21.85"),
        ("PROSES", "Proses (pemenuhan standar pelayanan)", "32.37"),
        ("OUTPUT", "Output (persepsi maladministrasi)", "24.24"),
        ("PENGADUAN", "Pengaduan (pengelolaan pengaduan)", "21.54"),
    ],
    "indicators": [
        (
            "INPUT",
            "IN-K01",
            "Pengetahuan petugas tentang 14 komponen standar pelayanan",
            "Materi dan daftar hadir pembinaan petugas tentang standar pelayanan",
        ),
        (
            "INPUT",
            "IN-K02",
            "Pengetahuan petugas tentang tugas dan kewenangannya",
            "SK pembagian tugas, uraian tugas petugas layanan",
        ),
        (
            "INPUT",
            "IN-K03",
            "Pengetahuan petugas tentang Ombudsman RI",
            "Materi sosialisasi Ombudsman yang dibagikan kepada petugas",
        ),
        (
            "INPUT",
            "IN-K04",
            "Pengetahuan petugas tentang bentuk-bentuk maladministrasi",
            "Notulen pembinaan internal tentang maladministrasi",
        ),
        (
            "INPUT",
            "IN-K05",
            "Pengetahuan petugas tentang rekomendasi Ombudsman",
            "Catatan pembinaan tentang tindakan korektif dan rekomendasi",
        ),
        ("INPUT", "IN-K06", "Pelayanan ramah kelompok rentan", "Foto layanan prioritas, SOP"),
        ("INPUT", "IN-S01", "Pengawasan internal", "SK tim pengawas internal, laporan pengawasan"),
        (
            "INPUT",
            "IN-S02",
            "Jumlah pelaksana sesuai analisis beban kerja (ABK)",
            "Dokumen ABK unit layanan",
        ),
        ("INPUT", "IN-S03", "Jaminan pelayanan / kompensasi", "Dokumen jaminan pelayanan"),
        (
            "INPUT",
            "IN-S04",
            "Jaminan keamanan dan keselamatan pelayanan",
            "Foto APAR, jalur evakuasi, dokumen jaminan keamanan",
        ),
        (
            "INPUT",
            "IN-S05",
            "Instrumen evaluasi kinerja pelaksana",
            "Formulir dan hasil evaluasi kinerja petugas",
        ),
        (
            "INPUT",
            "IN-S06",
            "Dasar hukum standar pelayanan",
            "SK penetapan standar pelayanan yang ditandatangani",
        ),
        (
            "INPUT",
            "IN-S07",
            "Sarana dan prasarana bagi pengguna layanan",
            "Foto ruang tunggu, toilet, loket",
        ),
        (
            "INPUT",
            "IN-S08",
            "Sarana khusus bagi pengguna berkebutuhan khusus",
            "Foto ramp, kursi roda, toilet difabel, loket prioritas",
        ),
        ("INPUT", "IN-S09", "Penyuluhan kepada masyarakat", "Dokumentasi penyuluhan"),
        ("PROSES", "PR-01", "Persyaratan dipublikasikan", "Foto papan dan URL publikasi daring"),
        (
            "PROSES",
            "PR-02",
            "Sistem, mekanisme dan prosedur dipublikasikan",
            "Foto alur layanan dan URL publikasi daring",
        ),
        (
            "PROSES",
            "PR-03",
            "Jangka waktu pelayanan dipublikasikan",
            "Foto papan dan URL publikasi daring",
        ),
        ("PROSES", "PR-04", "Biaya/tarif dipublikasikan", "Foto papan dan URL publikasi daring"),
        (
            "PROSES",
            "PR-05",
            "Produk pelayanan dipublikasikan",
            "Foto papan dan URL publikasi daring",
        ),
        (
            "PROSES",
            "PR-06",
            "Maklumat pelayanan (publikasi dan substansi)",
            "Foto maklumat yang ditandatangani kepala unit dan dipajang",
        ),
        (
            "PROSES",
            "PR-07",
            "Pelayanan khusus (difabel, lansia, ibu hamil)",
            "Foto loket/layanan prioritas",
        ),
        ("PROSES", "PR-08", "Visi dan misi pelayanan", "Foto visi-misi yang dipajang"),
        ("PROSES", "PR-09", "Moto pelayanan", "Foto moto pelayanan yang dipajang"),
        (
            "PROSES",
            "PR-10",
            "Atribut petugas (seragam, tanda pengenal)",
            "Foto petugas dengan atribut",
        ),
        ("PROSES", "PR-11", "Pelayanan terpadu", "Dokumen dan foto layanan terpadu"),
        ("OUTPUT", "OUT-01", "Tidak ada penundaan berlarut", "Rekap waktu penyelesaian layanan"),
        ("OUTPUT", "OUT-02", "Tidak ada permintaan imbalan", "Pakta integritas, papan anti pungli"),
        ("OUTPUT", "OUT-03", "Tidak ada penyimpangan prosedur", "Hasil pengawasan internal"),
        ("OUTPUT", "OUT-04", "Petugas kompeten", "Sertifikat pelatihan petugas"),
        (
            "OUTPUT",
            "OUT-05",
            "Tidak ada perlakuan tidak patut / diskriminasi",
            "Hasil survei pengguna layanan",
        ),
        (
            "PENGADUAN",
            "PG-01",
            "Sarana pengaduan (langsung dan SP4N-LAPOR!)",
            "Foto kotak/loket pengaduan, tangkapan layar akun SP4N-LAPOR!",
        ),
        (
            "PENGADUAN",
            "PG-02",
            "Prosedur pengaduan dipublikasikan",
            "Foto alur pengaduan dan URL publikasi",
        ),
        (
            "PENGADUAN",
            "PG-03",
            "Petugas pengelola pengaduan ditetapkan (SK)",
            "SK petugas pengelola pengaduan",
        ),
        (
            "PENGADUAN",
            "PG-04",
            "Petugas memahami Perpres 76/2013",
            "Materi pembinaan pengelola pengaduan",
        ),
        (
            "PENGADUAN",
            "PG-05",
            "Pencatatan, tindak lanjut dan pelaporan pengaduan",
            "Buku register dan laporan pengaduan",
        ),
        ("PENGADUAN", "PG-06", "Pembinaan petugas pengelola pengaduan", "Dokumentasi pembinaan"),
        (
            "PENGADUAN",
            "PG-07",
            "Kepatuhan atas tindakan korektif dan rekomendasi Ombudsman",
            "Laporan pelaksanaan tindakan korektif",
        ),
    ],
    "bands": [
        ("A", "88.00", "100.00", "hijau tua", "Kualitas Tertinggi"),
        ("B", "78.00", "87.99", "hijau muda", "Kualitas Tinggi"),
        ("C", "54.00", "77.99", "kuning", "Kualitas Sedang"),
        ("D", "32.00", "53.99", "merah", "Kualitas Rendah"),
        ("E", "0.00", "31.99", "merah", "Kualitas Terendah"),
    ],
}

# Who an indicator of the 2022-2024 instrument applies to. Service-standard indicators (the
# published standard, users' perception, facilities for users) apply to public-service units
# only, the five published components once per service product; management indicators (staff
# duties, internal supervision, complaint handlers) to every unit.
SERVICE_ONLY = {
    "IN-K01", "IN-K06", "IN-S03", "IN-S06", "IN-S07", "IN-S08", "IN-S09",
    "PR-01", "PR-02", "PR-03", "PR-04", "PR-05", "PR-06", "PR-07", "PR-08", "PR-09", "PR-10",
    "PR-11", "OUT-01", "OUT-02", "OUT-03", "OUT-04", "OUT-05", "PG-01", "PG-02",
    # 2025 instrument
    "M-IN-01", "M-IN-04", "M-PR-01", "M-PR-02", "M-PR-03", "M-PR-04", "M-OUT-01", "M-OUT-02",
    "M-PG-01",
}  # fmt: skip
PER_PRODUCT = {"PR-01", "PR-02", "PR-03", "PR-04", "PR-05", "M-PR-02", "M-PR-03"}

LEGAL_BASIS_2025 = (
    "Peraturan Ombudsman RI Nomor 61 Tahun 2025 tentang Penilaian Maladministrasi "
    "Penyelenggaraan Pelayanan Publik"
)
OPINI = {
    "name": "Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik Ombudsman RI",
    "method": "Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik",
    "legal_basis": LEGAL_BASIS_2025,
    "opinion_rule": True,
    # The 2025 limits are not published in a form we hold: the 2022-2024 limits, provisional.
    "bands_provisional": True,
    "kind": FrameworkKind.ASSESSMENT,
    "description": "Hasilnya Opini Ombudsman RI: kategori kualitas ditambah \u201cTanpa "
    "Maladministrasi\u201d bila semua produk pengawasan (Tindakan Korektif, Saran Perbaikan, "
    "Saran Penyempurnaan, Rekomendasi) yang jatuh tempo sampai batas waktu telah "
    "ditindaklanjuti. Bobot dan batas pita sementara memakai 2022-2024 sampai dikoreksi.",
    "dimensions": [
        ("INPUT", "Input (pengetahuan pelaksana, perencanaan, pengawasan internal)", "21.85"),
        ("PROSES", "Proses (persepsi maladministrasi oleh pelaksana dan pengguna)", "32.37"),
        ("OUTPUT", "Output (data sekunder)", "24.24"),
        ("PENGADUAN", "Pengaduan (budaya pengaduan, kepatuhan produk pengawasan)", "21.54"),
    ],
    "indicators": [
        ("INPUT", "M-IN-01", "Pengetahuan pelaksana tentang standar pelayanan dan "
         "maladministrasi", "Materi dan daftar hadir pembinaan petugas layanan"),
        ("INPUT", "M-IN-02", "Perencanaan pelayanan (standar pelayanan ditetapkan dan "
         "dievaluasi)", "SK standar pelayanan, laporan evaluasi"),
        ("INPUT", "M-IN-03", "Pengawasan internal", "SK tim pengawas internal, laporan"),
        ("INPUT", "M-IN-04", "Sarana dan pelayanan ramah kelompok rentan",
         "Foto ramp, loket prioritas, SOP"),
        ("PROSES", "M-PR-01", "Persepsi maladministrasi oleh pelaksana",
         "Hasil pengawasan internal, pakta integritas"),
        ("PROSES", "M-PR-02", "Persepsi maladministrasi oleh pengguna layanan",
         "Hasil survei pengguna, rekap waktu penyelesaian"),
        ("PROSES", "M-PR-03", "Standar pelayanan dipublikasikan (persyaratan, prosedur, "
         "waktu, biaya, produk)", "Foto papan dan URL publikasi daring per produk"),
        ("PROSES", "M-PR-04", "Maklumat pelayanan", "Foto maklumat yang ditandatangani"),
        ("OUTPUT", "M-OUT-01", "Data sekunder kinerja pelayanan (IPP, SKM)",
         "Hasil IPP KemenPANRB, laporan SKM"),
        ("OUTPUT", "M-OUT-02", "Tindak lanjut hasil SKM", "Rencana dan laporan tindak lanjut SKM"),
        ("PENGADUAN", "M-PG-01", "Sarana pengaduan dan SP4N-LAPOR!",
         "Foto kotak pengaduan, tangkapan layar SP4N-LAPOR!"),
        ("PENGADUAN", "M-PG-02", "Pengelola pengaduan ditetapkan; pengaduan dicatat, "
         "ditindaklanjuti dan dilaporkan", "SK pengelola, register dan laporan pengaduan"),
        ("PENGADUAN", "M-PG-03", "Kepatuhan atas produk pengawasan Ombudsman",
         "Laporan pelaksanaan tindakan korektif dan saran"),
    ],
    "bands": [
        ("A", "88.00", "100.00", "hijau tua", "Kualitas Tertinggi"),
        ("B", "78.00", "87.99", "hijau muda", "Kualitas Tinggi"),
        ("C", "54.00", "77.99", "kuning", "Kualitas Sedang"),
        ("D", "32.00", "53.99", "merah", "Kualitas Rendah"),
        ("E", "0.00", "31.99", "merah", "Kualitas Terendah"),
    ],
}  # fmt: skip
OPINI_2025 = {**OPINI, "code": "OMBUDSMAN-2025", "year_from": 2025, "year_to": 2025,
              "name": f"{OPINI['name']} 2025"}  # fmt: skip
OPINI_2026 = {**OPINI, "code": "OMBUDSMAN-2026", "year_from": 2026, "year_to": None,
              "name": f"{OPINI['name']} 2026"}  # fmt: skip

# Public-service units of the Ombudsman's pemda sample and their service products (DOMAIN 1.4);
# set once when a unit has no products yet, editable afterwards.
SERVICE_UNITS = {
    "DISDUKCAPIL": ["KTP-el", "Kartu Keluarga", "Akta kelahiran"],
    "DPMPTSP": ["Perizinan berusaha", "Persetujuan bangunan gedung"],
    "DINKES": ["Perizinan fasilitas kesehatan"],
    "DISDIK": ["Penerimaan peserta didik baru", "Legalisasi ijazah"],
    "DINSOS": ["Rekomendasi bantuan sosial", "Surat keterangan DTKS"],
}
SERVICE_KINDS = {UnitKind.PUSKESMAS: ["Rawat jalan"], UnitKind.RSUD: ["Rawat jalan", "Rawat inap"]}

# Pelayanan terpadu is assessed where several services meet at one counter.
NOT_EVERYWHERE = {"PR-11": ["dinas", "badan", "kecamatan", "rsud", "puskesmas"]}

OMBUDSMAN_ZONES = {
    "code": "OMBUDSMAN-2013",
    "name": "Penilaian Kepatuhan Ombudsman RI 2013-2021 (tiga zona)",
    "kind": FrameworkKind.ASSESSMENT,
    "year_from": 2013,
    "year_to": 2021,
    "description": "Zona hijau, kuning dan merah.",
    "dimensions": [],
    "indicators": [],
    "bands": [
        ("HIJAU", "81.00", "100.00", "hijau", "Kepatuhan tinggi"),
        ("KUNING", "51.00", "80.99", "kuning", "Kepatuhan sedang"),
        ("MERAH", "0.00", "50.99", "merah", "Kepatuhan rendah"),
    ],
}

CHECKLIST = {
    "code": "STANDAR-PELAYANAN",
    "name": "Daftar periksa standar pelayanan (UU 25/2009, PermenPANRB 15/2014 dan 14/2017)",
    "kind": FrameworkKind.CHECKLIST,
    "year_from": 2014,
    "year_to": None,
    "description": "14 komponen standar pelayanan, maklumat pelayanan dan SKM.",
    "dimensions": [
        ("PENYAMPAIAN", "Komponen penyampaian pelayanan (dipublikasikan)", "37.50"),
        ("PENGELOLAAN", "Komponen pengelolaan pelayanan (internal)", "50.00"),
        ("MAKLUMAT", "Maklumat pelayanan", "6.25"),
        ("SKM", "Survei Kepuasan Masyarakat", "6.25"),
    ],
    "indicators": [
        ("PENYAMPAIAN", "SP-01", "Persyaratan", "Foto papan dan URL publikasi daring"),
        ("PENYAMPAIAN", "SP-02", "Sistem, mekanisme dan prosedur", "Foto papan alur dan URL"),
        ("PENYAMPAIAN", "SP-03", "Jangka waktu pelayanan", "Foto papan dan URL"),
        ("PENYAMPAIAN", "SP-04", "Biaya/tarif", "Foto papan dan URL"),
        ("PENYAMPAIAN", "SP-05", "Produk pelayanan", "Foto papan dan URL"),
        (
            "PENYAMPAIAN",
            "SP-06",
            "Penanganan pengaduan, saran dan masukan",
            "Foto papan alur pengaduan dan URL",
        ),
        ("PENGELOLAAN", "SP-07", "Dasar hukum", "SK standar pelayanan yang ditandatangani"),
        ("PENGELOLAAN", "SP-08", "Sarana, prasarana dan/atau fasilitas", "Foto sarana"),
        ("PENGELOLAAN", "SP-09", "Kompetensi pelaksana", "Sertifikat/daftar pelatihan"),
        ("PENGELOLAAN", "SP-10", "Pengawasan internal", "SK dan laporan pengawasan"),
        ("PENGELOLAAN", "SP-11", "Jumlah pelaksana", "Dokumen ABK"),
        ("PENGELOLAAN", "SP-12", "Jaminan pelayanan", "Dokumen jaminan pelayanan"),
        (
            "PENGELOLAAN",
            "SP-13",
            "Jaminan keamanan dan keselamatan pelayanan",
            "Dokumen dan foto sarana keselamatan",
        ),
        ("PENGELOLAAN", "SP-14", "Evaluasi kinerja pelaksana", "Laporan evaluasi kinerja"),
        (
            "MAKLUMAT",
            "MK-01",
            "Maklumat pelayanan ditandatangani dan dipajang",
            "Foto maklumat yang dipajang",
        ),
        (
            "SKM",
            "SKM-01",
            "Survei Kepuasan Masyarakat (9 unsur) dan tindak lanjutnya",
            "Kuesioner, laporan SKM, publikasi hasil, rencana tindak lanjut",
        ),
    ],
    "bands": [],
}

BEKASI_2022 = [
    ("DPMPTSP", "82.70"),
    ("DISDIK", "62.62"),
    ("DINKES", "66.29"),
    ("DINSOS", "62.72"),
    ("DISDUKCAPIL", "77.45"),
    ("PUS-PUSKESMAS-CIBATU", "75.91"),
    ("PUS-PUSKESMAS-CIKARANG", "83.48"),
]
BEKASI_DISTRICT = [(2023, "83.22"), (2024, "87.88")]
# Codes as the units import makes them, so that importing the puskesmas list updates these rows.
PUSKESMAS = [("PUS-PUSKESMAS-CIBATU", "Puskesmas Cibatu", "PKM Cibatu"),
             ("PUS-PUSKESMAS-CIKARANG", "Puskesmas Cikarang", "PKM Cikarang")]  # fmt: skip


def _framework(spec: dict) -> tuple[Framework, int]:
    created = 0
    fw = db.session.scalar(select(Framework).where(Framework.code == spec["code"]))
    if fw is None:
        fw = Framework(
            code=spec["code"],
            name=spec["name"],
            kind=spec["kind"],
            year_from=spec["year_from"],
            year_to=spec["year_to"],
            description=spec["description"],
            method=spec.get("method", ""),
            legal_basis=spec.get("legal_basis", ""),
            opinion_rule=spec.get("opinion_rule", False),
            bands_provisional=spec.get("bands_provisional", False),
        )
        db.session.add(fw)
        db.session.flush()
        created += 1
    dims = {d.code: d for d in fw.dimensions}
    for pos, (code, name, weight) in enumerate(spec["dimensions"], start=1):
        if code not in dims:
            dims[code] = Dimension(code=code, name=name, weight=Decimal(weight), position=pos)
            fw.dimensions.append(dims[code])
            created += 1
    db.session.flush()
    codes = {i.code for i in fw.indicators}
    for pos, (dim, code, name, hint) in enumerate(spec["indicators"], start=1):
        if code not in codes:
            db.session.add(
                Indicator(
                    framework=fw,
                    dimension=dims[dim],
                    code=code,
                    name=name,
                    evidence_hint=hint,
                    unit_kinds=NOT_EVERYWHERE.get(code, []),
                    service_only=code in SERVICE_ONLY,
                    per_product=code in PER_PRODUCT,
                    position=pos,
                )
            )
            created += 1
    if not fw.bands:
        for category, low, high, zone, opinion in spec["bands"]:
            fw.bands.append(
                ScoreBand(
                    category=category,
                    min_score=Decimal(low),
                    max_score=Decimal(high),
                    zone=zone,
                    opinion=opinion,
                )
            )
            created += 1
    db.session.flush()
    return fw, created


def _puskesmas() -> int:
    created = 0
    dinkes = db.session.scalar(select(Unit).where(Unit.code == "DINKES"))
    for code, name, short in PUSKESMAS:
        if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
            continue
        from ..units.services import find_unit

        if find_unit(name) is not None:
            continue
        db.session.add(
            Unit(
                code=code,
                name=name,
                short_name=short,
                kind=UnitKind.PUSKESMAS,
                parent=dinkes,
                aliases=[f"UPTD {name}"],
            )
        )
        created += 1
    db.session.flush()
    return created


def _service_units() -> int:
    """Mark the sampled units as public-service units with their products (once)."""
    from ..units.models import ServiceProduct

    changed = 0
    units = db.session.scalars(select(Unit).options(db.selectinload(Unit.products))).all()
    for unit in units:
        names = SERVICE_UNITS.get(unit.code) or SERVICE_KINDS.get(unit.kind)
        if not names or unit.products:
            continue
        unit.public_service = True
        unit.products.extend(ServiceProduct(name=name) for name in names)
        changed += 1
    db.session.flush()
    return changed


def seed_followup() -> str:
    """Frameworks, bands, the 2022 unit results and the district history of Kabupaten Bekasi."""
    from ..units.services import find_unit, root_unit
    from .services.assessments import record_assessment, record_district_result

    created = 0
    ombudsman, n = _framework(OMBUDSMAN)
    created += n
    for spec in (OMBUDSMAN_ZONES, CHECKLIST, OPINI_2025, OPINI_2026):
        created += _framework(spec)[1]
    units = _puskesmas()
    units += _service_units()
    results = 0
    for code, score in BEKASI_2022:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None and code.startswith("PUS-"):
            unit = find_unit({c: n for c, n, _ in PUSKESMAS}[code])
        if unit is None:
            continue
        exists = db.session.scalar(
            select(Assessment.id).where(Assessment.unit_id == unit.id, Assessment.year == 2022)
        )
        if exists is None:
            record_assessment(
                unit,
                ombudsman,
                year=2022,
                score=score,
                notes="Hasil resmi Ombudsman RI 2022",
                actor=None,
            )
            results += 1
    root = root_unit()
    for year, score in BEKASI_DISTRICT:
        known = db.session.scalar(
            select(DistrictResult.id).where(
                DistrictResult.root_unit_id == root.id, DistrictResult.year == year
            )
        )
        if known is None:
            record_district_result(
                root, ombudsman, year=year, score=score, notes="Hasil resmi Ombudsman RI"
            )
            results += 1
    return f"followup: created={created} units={units} results={results}"
