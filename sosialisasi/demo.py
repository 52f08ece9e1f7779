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
from .events import services as event_services
from .events.models import EventKind, EventSession, EventStatus, Invitation
from .extensions import db
from .registration.models import EmployeeKind, Person, Registration, RegistrationRole
from .units.models import Unit, UnitKind

DEMO_USERS = [
    ("admin", "Administrator Sistem", Role.ADMIN, None),
    ("panitia", "Panitia Bagian Organisasi", Role.ORGANIZER, "BAG-ORGANISASI"),
    ("verifikator", "Verifikator Bagian Organisasi", Role.VERIFIER, "BAG-ORGANISASI"),
    ("operator.dinkes", "Operator Dinas Kesehatan", Role.UNIT_OPERATOR, "DINKES"),
    ("petugas", "Petugas Registrasi Ulang", Role.CHECKIN_STAFF, None),
]

FIRST = ["Ahmad", "Siti", "Dedi", "Rina", "Agus", "Dewi", "Budi", "Nur", "Hendra", "Yuli",
         "Asep", "Euis", "Rudi", "Lina", "Iwan", "Tati"]  # fmt: skip
LAST = ["Sutrisno", "Rahayu", "Hidayat", "Lestari", "Setiawan", "Permana", "Kurniawan",
        "Maulana", "Suryani", "Wijaya", "Saputra", "Nurhayati"]  # fmt: skip
POSITIONS = ["Kepala Subbagian Umum dan Kepegawaian", "Analis Kebijakan Ahli Muda",
             "Pengelola Layanan Operasional", "Sekretaris", "Kepala Seksi Pelayanan"]  # fmt: skip
RANKS = ["Penata Muda, III/a", "Penata Muda Tk. I, III/b", "Penata, III/c",
         "Penata Tk. I, III/d", "Pembina, IV/a"]  # fmt: skip


def _nip(rng: random.Random, gender: str) -> str:
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 25))
    tmt = f"{rng.randrange(1995, 2020)}{rng.randrange(1, 13):02d}"
    return f"{born:%Y%m%d}{tmt}{'1' if gender == 'L' else '2'}{rng.randrange(1, 999):03d}"


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
            signatory_name="Penjabat Sekretaris Daerah",
            signatory_position="Pj. Sekretaris Daerah Kabupaten Bekasi",
            default_quota=2,
        ),
        actor=organizer,
    )
    past.sessions[0].title = "Pembukaan oleh Pj. Sekretaris Daerah"
    past.sessions[0].ends_at = from_wib(date(2025, 2, 14), time(9, 0))
    ombudsman = event_services.add_speaker(
        past,
        name="Tim Perwakilan Ombudsman RI Jakarta Raya",
        title="Keasistenan Pencegahan Maladministrasi",
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
                      UnitKind.INSPEKTORAT, UnitKind.SATPOL)
    ]  # fmt: skip
    for unit in invited:
        past.invitations.append(Invitation(unit=unit, quota=2, responded_at=past.starts_at))
    db.session.flush()

    # Participants: most invited units sent one or two people; most of them came.
    for unit in invited:
        for _ in range(rng.choice([0, 1, 2, 2])):
            gender = rng.choice("LP")
            person = Person(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}, S.AP",
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

    today = utcnow().astimezone(WIB).date()
    upcoming_day = today + timedelta(days=21)
    upcoming = event_services.create_event(
        event_services.EventData(
            title="Bimbingan Teknis Penyusunan Standar Pelayanan dan Maklumat Pelayanan",
            kind=EventKind.BIMTEK,
            description=(
                "Tindak lanjut sosialisasi penilaian kepatuhan: penyusunan dan publikasi standar "
                "pelayanan, maklumat pelayanan, dan pengelolaan pengaduan."
            ),
            venue="Aula Gedung Sekretariat Daerah",
            address="Komplek Perkantoran Pemkab Bekasi, Cikarang Pusat",
            starts_at=from_wib(upcoming_day, time(8, 30)),
            ends_at=from_wib(upcoming_day + timedelta(days=1), time(15, 0)),
            organizer_unit=organisasi,
            default_quota=2,
            public_registration=True,
            registration_closes_at=from_wib(upcoming_day - timedelta(days=2), time(16, 0)),
        ),
        actor=organizer,
    )
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
