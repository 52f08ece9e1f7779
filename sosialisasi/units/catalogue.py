"""Reference units of Kabupaten Bekasi (DOMAIN.md section 3), loaded by ``flask seed``.

Puskesmas (51) are not listed here: an administrator imports them (``flask units import``).
Names change with reorganisations; this list is only the starting point, edited in the app.
"""

from __future__ import annotations

import re

KECAMATAN = [
    "Babelan", "Bojongmangu", "Cabangbungin", "Cibarusah", "Cibitung", "Cikarang Barat",
    "Cikarang Pusat", "Cikarang Selatan", "Cikarang Timur", "Cikarang Utara", "Karangbahagia",
    "Kedungwaringin", "Muara Gembong", "Pebayuran", "Serang Baru", "Setu", "Sukakarya",
    "Sukatani", "Sukawangi", "Tambelang", "Tambun Selatan", "Tambun Utara", "Tarumajaya",
]  # fmt: skip

# kelurahan -> its kecamatan
KELURAHAN = {
    "Bahagia": "Babelan",
    "Kebalen": "Babelan",
    "Wanasari": "Cibitung",
    "Telaga Asih": "Cikarang Barat",
    "Sertajaya": "Cikarang Timur",
    "Jatimulya": "Tambun Selatan",
    "Kertasari": "Pebayuran",
    "Setiaasih": "Tarumajaya",
}

BAGIAN = [
    ("TAPEM", "Bagian Tata Pemerintahan", "Bag. Tapem"),
    ("HUKUM", "Bagian Hukum", "Bag. Hukum"),
    ("ORGANISASI", "Bagian Organisasi", "Bag. Organisasi"),
    ("KESRA", "Bagian Kesejahteraan Rakyat", "Bag. Kesra"),
    ("PEREKONOMIAN", "Bagian Administrasi Perekonomian", "Bag. Perekonomian"),
    ("PEMBANGUNAN", "Bagian Administrasi Pembangunan", "Bag. Adpem"),
    ("KERJASAMA", "Bagian Kerja Sama", "Bag. Kerja Sama"),
    ("PBJ", "Bagian Pengadaan Barang/Jasa", "Bag. PBJ"),
    ("UMUM", "Bagian Umum", "Bag. Umum"),
    ("RENKEU", "Bagian Perencanaan dan Keuangan", "Bag. Renkeu"),
    ("PROKOMPIM", "Bagian Protokol dan Komunikasi Pimpinan", "Bag. Prokopim"),
]

DINAS = [
    ("DISDIK", "Dinas Pendidikan", "Disdik", []),
    ("DINKES", "Dinas Kesehatan", "Dinkes", []),
    ("DINSOS", "Dinas Sosial", "Dinsos", []),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", ["Dukcapil"]),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", []),
    (
        "DISKOMINFO",
        "Dinas Komunikasi, Informatika, Persandian dan Statistik",
        "Diskominfosantik",
        ["Diskominfo", "Kominfo"],
    ),
    ("DPPPA", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DPPPA", ["DP3A"]),
    ("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", []),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", []),
    (
        "DISPERKIMTAN",
        "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan",
        "Disperkimtan",
        [],
    ),
    ("DCKTR", "Dinas Cipta Karya dan Tata Ruang", "DCKTR", []),
    ("DSDABMBK", "Dinas Sumber Daya Air, Bina Marga dan Bina Konstruksi", "DSDABMBK", []),
    ("DLH", "Dinas Lingkungan Hidup", "DLH", []),
    ("DISHUB", "Dinas Perhubungan", "Dishub", []),
    ("DISNAKER", "Dinas Ketenagakerjaan", "Disnaker", []),
    (
        "DISKOPUKM",
        "Dinas Koperasi dan Usaha Mikro, Kecil dan Menengah",
        "Diskop UMKM",
        ["Dinas Koperasi dan UMKM", "Diskopukm", "Dinas Koperasi dan UKM"],
    ),
    ("DISDAG", "Dinas Perdagangan", "Disdag", []),
    ("DISPERIN", "Dinas Perindustrian", "Disperin", []),
    ("DISTAN", "Dinas Pertanian", "Distan", []),
    ("DISKAN", "Dinas Perikanan", "Diskan", []),
    ("DKP", "Dinas Ketahanan Pangan", "DKP", []),
    ("DISPAR", "Dinas Pariwisata", "Dispar", []),
    ("DISBUDPORA", "Dinas Kebudayaan, Pemuda dan Olahraga", "Disbudpora", []),
    ("DISARPUS", "Dinas Arsip dan Perpustakaan", "Disarpus", []),
    ("DAMKAR", "Dinas Pemadam Kebakaran", "Damkar", ["Pemadam Kebakaran"]),
]

BADAN = [
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda", []),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda", []),
    ("BPKD", "Badan Pengelola Keuangan Daerah", "BPKD", []),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", []),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD", []),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", []),
    ("BRIDA", "Badan Riset dan Inovasi Daerah", "BRIDA", ["Balitbangda"]),
]


def _code(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def catalogue() -> list[dict]:
    """Units in an order where every parent comes before its children."""
    units: list[dict] = [
        {"code": "SETDA", "name": "Sekretariat Daerah", "short_name": "Setda", "kind": "setda"},
        {"code": "SETWAN", "name": "Sekretariat DPRD", "short_name": "Setwan", "kind": "setwan"},
        {
            "code": "INSPEKTORAT",
            "name": "Inspektorat Daerah",
            "short_name": "Inspektorat",
            "kind": "inspektorat",
        },
        {
            "code": "SATPOLPP",
            "name": "Satuan Polisi Pamong Praja",
            "short_name": "Satpol PP",
            "kind": "satpol",
        },
        {
            "code": "RSUD",
            "name": "RSUD Kabupaten Bekasi",
            "short_name": "RSUD Kab. Bekasi",
            "kind": "rsud",
            "aliases": ["RSUD Cibitung"],
        },
        {"code": "RSUD-CABANGBUNGIN", "name": "RSUD Cabangbungin", "kind": "rsud"},
    ]
    for code, name, short in BAGIAN:
        units.append(
            {
                "code": f"BAG-{code}",
                "name": name,
                "short_name": short,
                "kind": "bagian",
                "parent": "SETDA",
            }
        )
    for code, name, short, aliases in DINAS:
        units.append(
            {"code": code, "name": name, "short_name": short, "kind": "dinas", "aliases": aliases}
        )
    for code, name, short, aliases in BADAN:
        units.append(
            {"code": code, "name": name, "short_name": short, "kind": "badan", "aliases": aliases}
        )
    for name in KECAMATAN:
        units.append(
            {
                "code": f"KEC-{_code(name)}",
                "name": f"Kecamatan {name}",
                "short_name": f"Kec. {name}",
                "kind": "kecamatan",
            }
        )
    for name, kecamatan in KELURAHAN.items():
        units.append(
            {
                "code": f"KEL-{_code(name)}",
                "name": f"Kelurahan {name}",
                "short_name": f"Kel. {name}",
                "kind": "kelurahan",
                "parent": f"KEC-{_code(kecamatan)}",
            }
        )
    return units
