"""Demo data for a first look: users of every role and two events.

The finished event is modelled on the 14 February 2025 "Sosialisasi Penilaian Kepatuhan Pelayanan
Publik" at Hotel Primebiz, Cikarang Selatan. People in it are fictitious.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import select

from .auth import services as auth_services
from .auth.models import Role
from .checkin.models import CheckIn, CheckInMethod
from .common.text import fold
from .common.types import utcnow
from .common.wib import WIB, from_wib
from .documents.models import EventReport
from .events import services as event_services
from .events.holidays import is_working_day, next_working_day
from .events.models import EventKind, EventSession, EventStatus, Invitation
from .extensions import db
from .registration.models import EmployeeKind, Person, Registration, RegistrationRole
from .registration.snapshots import freeze_event
from .units.models import Unit, UnitKind

DEMO_USERS = [
    ("admin", "Administrator Sistem", Role.ADMIN, None),
    ("panitia", "Panitia Bagian Organisasi", Role.ORGANIZER, "BAG-ORGANISASI"),
    ("verifikator", "Verifikator Bagian Organisasi", Role.VERIFIER, "BAG-ORGANISASI"),
    ("operator.dinkes", "Operator Dinas Kesehatan", Role.UNIT_OPERATOR, "DINKES"),
    ("petugas", "Petugas Registrasi Ulang", Role.CHECKIN_STAFF, None),
]

# Names agree with the gender digit of the NIP (1 laki-laki, 2 perempuan).
FIRST = {
    "L": ["Ahmad", "Dedi", "Agus", "Budi", "Hendra", "Asep", "Rudi", "Iwan", "Yusuf", "Wawan"],
    "P": ["Siti", "Rina", "Dewi", "Nurul", "Yuli", "Euis", "Lina", "Tati", "Ratna", "Neneng"],
}
LAST = {
    "L": ["Sutrisno", "Hidayat", "Setiawan", "Permana", "Kurniawan", "Maulana", "Wijaya",
          "Saputra"],
    "P": ["Rahayu", "Lestari", "Suryani", "Nurhayati", "Wulandari", "Kartika", "Rahmawati",
          "Fitriani"],
}  # fmt: skip
GELAR = ["S.AP.", "S.E.", "S.Sos.", "S.H.", "S.Kom.", "S.Kep.", "A.Md.", ""]
POSITIONS = ["Kepala Subbagian Umum dan Kepegawaian", "Analis Kebijakan Ahli Muda",
             "Pengelola Layanan Operasional", "Sekretaris", "Kepala Seksi Pelayanan"]  # fmt: skip
RANKS = ["Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)",
         "Penata Tingkat I (III/d)", "Pembina (IV/a)"]  # fmt: skip


def _nip(rng: random.Random, gender: str) -> str:
    """A NIP that agrees with the person: a birth date, a TMT CPNS after the 19th birthday and
    before 2021, the gender digit, a sequence 001-998 (never 000)."""
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 25))
    tmt_year = rng.randrange(born.year + 19, min(2021, born.year + 36))
    tmt = f"{tmt_year}{rng.randrange(1, 13):02d}"
    return f"{born:%Y%m%d}{tmt}{'1' if gender == 'L' else '2'}{rng.randrange(1, 999):03d}"


def _name(rng: random.Random, gender: str) -> str:
    name = f"{rng.choice(FIRST[gender])} {rng.choice(LAST[gender])}"
    gelar = rng.choice(GELAR)
    return f"{name}, {gelar}" if gelar else name


# The officials who sign the demo documents (fictitious people; NIPs that agree with them).
INVITER = {
    "signatory_name": "Drs. H. Asep Permana, M.Si.",
    "signatory_position": "Pj. Sekretaris Daerah",
    "signatory_nip": "197005121995031003",
    "signatory_rank": "Pembina Utama Madya (IV/d)",
    "signatory_capacity": "a.n.",
    "signatory_for": "BUPATI BEKASI",
}
PENANGGUNG_JAWAB = {
    "report_signatory_name": "Rina Kurniasih, S.Sos., M.Si.",
    "report_signatory_position": "Kepala Bagian Organisasi Sekretariat Daerah",
    "report_signatory_rank": "Pembina (IV/a)",
    "report_signatory_nip": "197803152005012003",
}
PUSKESMAS = [
    ("PKM-CIBATU", "UPTD Puskesmas Cibatu", "Puskesmas Cibatu"),
    ("PKM-CIKARANG", "UPTD Puskesmas Cikarang", "Puskesmas Cikarang"),
    ("PKM-MEKARMUKTI", "UPTD Puskesmas Mekarmukti", "Puskesmas Mekarmukti"),
]
LETTERHEAD_ADDRESS = (
    "Kompleks Perkantoran Pemerintah Kabupaten Bekasi, Desa Sukamahi, "
    "Kecamatan Cikarang Pusat, Kabupaten Bekasi 17530"
)


REPORT = {
    "number": "000.1.2/045/Org",
    "report_date": date(2025, 2, 17),
    "background": (
        "Ombudsman Republik Indonesia setiap tahun menilai kepatuhan penyelenggaraan pelayanan "
        "publik. Kabupaten Bekasi memperoleh nilai 87,88 (kategori B) pada tahun 2024 dan "
        "menargetkan kategori kualitas tertinggi."
    ),
    "legal_basis": (
        "1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
        "2. Undang-Undang Nomor 37 Tahun 2008 tentang Ombudsman Republik Indonesia\n"
        "3. Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 "
        "Tahun 2009 tentang Pelayanan Publik"
    ),
    "purpose": (
        "Menyamakan pemahaman perangkat daerah tentang indikator penilaian kepatuhan dan "
        "menyiapkan bukti pemenuhan standar pelayanan."
    ),
    "minutes": (
        "# Paparan narasumber\n"
        "- Penilaian meliputi dimensi input, proses, output dan pengaduan.\n"
        "- Enam komponen standar pelayanan wajib dipublikasikan di lokasi dan daring.\n\n"
        "# Diskusi\n"
        "1. Dinas Kesehatan menanyakan bukti publikasi standar pelayanan puskesmas.\n"
        "2. DPMPTSP menanyakan pengelolaan pengaduan melalui SP4N-LAPOR!."
    ),
    "conclusions": (
        "Setiap perangkat daerah memeriksa kembali standar pelayanan, maklumat pelayanan dan "
        "pengelolaan pengaduannya."
    ),
    "followup_plan": "Bukti tindak lanjut diunggah paling lambat 30 hari setelah kegiatan.",
}


def _demo_logo() -> bytes:
    """A plain placeholder emblem (a shield), so that every demo document prints; an
    administrator replaces it with the real logo on the Kop surat page."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 280), "white")
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 20), (220, 20), (220, 160), (120, 260), (20, 160)], fill=(0, 110, 60))
    draw.polygon([(50, 45), (190, 45), (190, 150), (120, 225), (50, 150)], fill=(250, 200, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _letterhead(admin) -> None:
    """Fill what the seeded letterhead leaves blank (an administrator's values are kept)."""
    from .documents import services as documents_services

    current = documents_services.get_letterhead()

    def kept(name: str, default: str) -> str:
        return (getattr(current, name, "") or "") or default

    data = documents_services.LetterheadData(
        government_name=kept("government_name", "PEMERINTAH KABUPATEN BEKASI"),
        secretariat=kept("secretariat", "SEKRETARIAT DAERAH"),
        address=kept("address", LETTERHEAD_ADDRESS),
        city=kept("city", "Cikarang Pusat"),
        phone=kept("phone", "(021) 89970000"),
        website=kept("website", "bekasikab.go.id"),
        email=kept("email", ""),
        certificate_pattern=kept("certificate_pattern", ""),
    )
    has_logo = current is not None and current.logo_path
    documents_services.save_letterhead(data, logo=None if has_logo else _demo_logo(), actor=admin)


def _sign(event) -> None:
    for name, value in {**INVITER, **PENANGGUNG_JAWAB}.items():
        setattr(event, name, value)


def load_demo() -> list[tuple[str, str, str]]:
    rng = random.Random(20250214)
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    accounts = []
    users = {}
    for username, name, role, unit_code in DEMO_USERS:
        password = auth_services.generate_password()
        unit = units.get(unit_code) if unit_code and role is Role.UNIT_OPERATOR else None
        users[username] = auth_services.create_user(
            username=username, name=name, role=role, unit=unit, password=password
        )
        accounts.append((username, role.value, password))
    organizer = users["panitia"]
    organisasi = units.get("BAG-ORGANISASI")
    _letterhead(users["admin"])
    dinkes = units.get("DINKES")
    for code, name, short in PUSKESMAS:
        if code not in units:
            units[code] = Unit(
                code=code, name=name, short_name=short, kind=UnitKind.PUSKESMAS, parent=dinkes
            )
            db.session.add(units[code])

    past = event_services.create_event(
        event_services.EventData(
            title="Sosialisasi Penilaian Kepatuhan Pelayanan Publik",
            kind=EventKind.SOSIALISASI,
            description=(
                "Sosialisasi penilaian kepatuhan penyelenggaraan pelayanan publik oleh Perwakilan "
                "Ombudsman RI Jakarta Raya bagi seluruh perangkat daerah, dalam rangka menuju "
                "kategori kualitas tertinggi."
            ),
            venue="Hotel Primebiz Cikarang",
            address="Cikarang Selatan, Kabupaten Bekasi",
            starts_at=from_wib(date(2025, 2, 14), time(8, 0)),
            ends_at=from_wib(date(2025, 2, 14), time(12, 0)),
            organizer_unit=organisasi,
            letter_number="005/123/Org",
            letter_date=date(2025, 2, 10),
            default_quota=2,
        ),
        actor=organizer,
    )
    _sign(past)
    past.document_code = "SOS-KEPATUHAN"
    past.classification_code = "000.1.2"
    past.sessions[0].title = "Pembukaan oleh Pj. Sekretaris Daerah"
    past.sessions[0].ends_at = from_wib(date(2025, 2, 14), time(9, 0))
    ombudsman = event_services.add_speaker(
        past,
        name="Muhammad Rizal, S.H., M.H.",
        title="Kepala Keasistenan Pencegahan Maladministrasi",
        institution="Perwakilan Ombudsman RI Jakarta Raya",
    )
    past.sessions.append(
        EventSession(
            title="Paparan Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik",
            starts_at=from_wib(date(2025, 2, 14), time(9, 0)),
            ends_at=from_wib(date(2025, 2, 14), time(11, 0)),
            speaker=ombudsman,
        )
    )
    past.sessions.append(
        EventSession(
            title="Diskusi dan tanya jawab",
            starts_at=from_wib(date(2025, 2, 14), time(11, 0)),
            ends_at=from_wib(date(2025, 2, 14), time(12, 0)),
            mandatory=False,
        )
    )
    invited = [
        u for u in units.values()
        if u.kind in (UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN, UnitKind.RSUD,
                      UnitKind.INSPEKTORAT, UnitKind.SATPOL, UnitKind.PUSKESMAS)
    ]  # fmt: skip
    for unit in invited:
        past.invitations.append(Invitation(unit=unit, quota=2, responded_at=past.starts_at))
    db.session.flush()

    # Participants: most invited units sent one or two people; most of them came.
    for unit in invited:
        for _ in range(rng.choice([0, 1, 2, 2])):
            gender = rng.choice("LP")
            person = Person(
                name=_name(rng, gender),
                nip=_nip(rng, gender),
                kind=EmployeeKind.PNS,
                gender=gender,
                position=rng.choice(POSITIONS),
                rank=rng.choice(RANKS),
                unit=unit,
                phone=f"+628{rng.randrange(10**9, 10**10)}",
            )
            person.name_key = fold(person.name)
            if db.session.scalar(select(Person.id).where(Person.nip == person.nip)):
                continue
            reg = Registration(
                event=past,
                person=person,
                unit=unit,
                role=RegistrationRole.PESERTA,
                registered_by_id=organizer.id,
            )
            db.session.add(reg)
            if rng.random() < 0.85:
                for s in past.sessions:
                    if s.mandatory:
                        at = s.starts_at - timedelta(minutes=rng.randrange(0, 30))
                        db.session.add(
                            CheckIn(registration=reg, session=s, at=at, method=CheckInMethod.QR)
                        )
    past.status = EventStatus.FINISHED
    db.session.flush()
    freeze_event(past)  # who attended, as they were then
    db.session.add(EventReport(event_id=past.id, updated_by_id=organizer.id, **REPORT))

    today = utcnow().astimezone(WIB).date()
    # A working day that is no libur nasional or cuti bersama, nor is the day after it.
    upcoming_day = next_working_day(today + timedelta(days=21))
    while not is_working_day(upcoming_day + timedelta(days=1)):
        upcoming_day = next_working_day(upcoming_day + timedelta(days=1))
    upcoming = event_services.create_event(
        event_services.EventData(
            title="Bimbingan Teknis Penyusunan Standar Pelayanan dan Maklumat Pelayanan",
            kind=EventKind.BIMTEK,
            description=(
                "Tindak lanjut sosialisasi penilaian kepatuhan: penyusunan dan publikasi standar "
                "pelayanan, maklumat pelayanan, dan pengelolaan pengaduan."
            ),
            venue="Aula Gedung Sekretariat Daerah",
            address="Kompleks Perkantoran Pemerintah Kabupaten Bekasi, Cikarang Pusat",
            starts_at=from_wib(upcoming_day, time(8, 30)),
            ends_at=from_wib(upcoming_day + timedelta(days=1), time(15, 0)),
            organizer_unit=organisasi,
            default_quota=2,
            letter_number="005/210/Org",
            letter_date=next_working_day(upcoming_day - timedelta(days=14)),
            public_registration=True,
            registration_closes_at=from_wib(upcoming_day - timedelta(days=2), time(16, 0)),
        ),
        actor=organizer,
    )
    _sign(upcoming)
    upcoming.sessions[0].title = "Hari 1: Standar pelayanan (14 komponen)"
    upcoming.sessions[0].ends_at = from_wib(upcoming_day, time(15, 0))
    upcoming.sessions.append(
        EventSession(
            title="Hari 2: Maklumat pelayanan, SKM dan pengelolaan pengaduan",
            starts_at=from_wib(upcoming_day + timedelta(days=1), time(8, 30)),
            ends_at=from_wib(upcoming_day + timedelta(days=1), time(15, 0)),
        )
    )
    event_services.add_speaker(
        upcoming,
        name="Kepala Bagian Organisasi",
        title="Kepala Bagian",
        institution="Sekretariat Daerah Kabupaten Bekasi",
    )
    for code in ("DINKES", "DISDIK", "DINSOS", "DPMPTSP", "DISDUKCAPIL"):
        if code in units:
            upcoming.invitations.append(Invitation(unit=units[code], quota=3))
    upcoming.status = EventStatus.OPEN
    upcoming.staff = [users["petugas"]]
    past.staff = [users["petugas"]]
    db.session.flush()
    return accounts
