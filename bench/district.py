"""Issue 18, district scale: every list, dashboard and export page at a district's five years.

Two scratch SQLite databases hold the same shape of data, only the amount differs:

=============  ==========  ======  =============  ===============================
size           people      events  registrations  follow-up
=============  ==========  ======  =============  ===============================
small          2,000       14      7,000          60 units x 38 indicators x 1 year
district       100,000     600     300,000        60 units x 38 indicators x 5 years
=============  ==========  ======  =============  ===============================

Both start from ``flask seed`` (the unit catalogue, the frameworks). Events are spread over
2022-2026 (past ones finished or reported with 85 % checked in, the next ones open, a few
cancelled or drafts; eight ahead at both sizes, as many as the home page lists); every event has
about 500 registrations (300,000 / 600 = 7,000 / 14), so a
page of one event compares the same event-sized work and only what the whole district
accumulates differs. Follow-up: each year has its compliance year row, every unit a task per
indicator slot with states and deadlines spread, verified or submitted tasks one or two evidence
rows and their history, official results with indicator scores for the past years, supervision
products, and audit entries.

Every list, dashboard and export page (enumerated from the blueprints below; a page that does
not exist is reported "not measured") is fetched through Flask's test client logged in as an
administrator, alternating the two sizes. Figures per page: SQL statements per request
(``before_cursor_execute``) must be equal at both sizes (no N+1), and the median render time at
district size within 3x of the small size. Exports of one event (registrations CSV/XLSX, daftar
hadir, invitations) export the same ~500 rows at both sizes, so their whole time is compared;
district-wide exports (dashboard XLSX, nota dinas XLSX, JP XLSX) export one row per unit at both
sizes.

    python -m bench.district [--quick] [--json FILE]

Its size is earned: the seeding is one linear script of the district's data shape (people,
events, registrations, check-ins, the follow-up of five years, results, audit), and the page list
names every page measured.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .common import (
    Figure,
    PageClient,
    fill_rule,
    log,
    make_app,
    median,
    not_measured,
    ratio_figure,
    scratch_dir,
    script_main,
)

YEARS = (2022, 2023, 2024, 2025, 2026)
UNITS = 60
SLOTS = 38  # indicator slots per unit and year


@dataclass(frozen=True)
class Size:
    name: str
    people: int
    events: int
    registrations: int
    years: tuple[int, ...]
    audit: int


SMALL = Size("small", 2_000, 14, 7_000, YEARS[-1:], 1_000)
DISTRICT = Size("district", 100_000, 600, 300_000, YEARS, 100_000)
QUICK_DISTRICT = Size("district", 20_000, 60, 30_000, YEARS, 10_000)


@dataclass
class Seeded:
    login_id: str
    event_id: int  # a finished event with check-ins, follow-up plan and tasks
    unit_id: int
    person_id: int
    registration_id: int
    task_id: int
    assessment_id: int
    framework_id: int
    year: int
    past_year: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def _nip(n: int) -> str:
    """A well-formed NIP distinct for every n below ~3.6 million (birth day and sequence)."""
    born = date(1966, 1, 1) + timedelta(days=n // 997)
    tmt = 1990 + n % 30
    return f"{born:%Y%m%d}{tmt}{1 + n % 12:02d}{1 + n % 2}{1 + n % 997:03d}"


def _chunks(rows: list[dict], size: int = 5_000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, rows: list[dict]) -> None:
    """Bulk Core INSERT (executemany), in chunks."""
    from sosialisasi.extensions import db

    table = model.__table__
    for chunk in _chunks(rows):
        db.session.execute(table.insert(), chunk)


def _ids(model) -> list[int]:
    from sqlalchemy import select

    from sosialisasi.extensions import db

    return list(db.session.scalars(select(model.id).order_by(model.id)))


def seed(app, size: Size) -> Seeded:  # noqa: PLR0915 - one linear script of the data shape
    from sqlalchemy import select

    from sosialisasi.audit.models import AuditEntry
    from sosialisasi.auth.models import Role, User
    from sosialisasi.checkin.models import CheckIn, CheckInMethod
    from sosialisasi.cli import run_seed
    from sosialisasi.events.models import (
        Event,
        EventKind,
        EventSession,
        EventStatus,
        Invitation,
    )
    from sosialisasi.extensions import db
    from sosialisasi.followup.models import (
        Assessment,
        ComplianceYear,
        Evidence,
        EvidenceKind,
        FollowUpPlan,
        FollowUpTask,
        Framework,
        IndicatorScore,
        SupervisionKind,
        SupervisionProduct,
        TaskEvent,
        TaskOrigin,
        TaskStatus,
    )
    from sosialisasi.registration.models import (
        EmployeeKind,
        Person,
        Registration,
        RegistrationRole,
        RegistrationSource,
        RegistrationStatus,
    )
    from sosialisasi.training.models import TrainingSettings
    from sosialisasi.units.models import Unit, UnitKind

    started = time.perf_counter()
    rng = random.Random(18)
    with app.app_context():
        run_seed()
        db.session.commit()
        admin = User(username="bench", name="Admin Bench", role=Role.ADMIN)
        admin.set_password("bench-rahasia-123")
        verifier = User(username="verif", name="Verifikator Bench", role=Role.VERIFIER)
        verifier.set_password("bench-rahasia-123")
        db.session.add_all([admin, verifier])
        db.session.flush()
        units = list(
            db.session.scalars(
                select(Unit)
                .where(Unit.kind != UnitKind.PEMDA, Unit.active)
                .order_by(Unit.id)
                .limit(UNITS)
            )
        )
        unit_ids = [u.id for u in units]
        # The unit pages show the unit with the seeded 2022 result first.
        frameworks = list(db.session.scalars(select(Framework).order_by(Framework.year_from)))
        by_year = {
            y: next(
                f
                for f in frameworks
                if f.kind.value == "assessment" and f.indicators and f.covers(y)
            )
            for y in YEARS
        }

        # ------------------------------------------------------------------ people
        base = (db.session.scalar(select(db.func.max(Person.id))) or 0) + 1
        people = []
        for i in range(size.people):
            gender = "L" if i % 2 else "P"
            people.append(
                {
                    "id": base + i,
                    "name": f"Peserta {i:06d} Sutrisno, S.AP.",
                    "name_key": f"peserta {i:06d} sutrisno s ap",
                    "nip": _nip(i) if i % 5 else None,
                    "kind": EmployeeKind.PNS if i % 5 else EmployeeKind.NON_ASN,
                    "gender": gender,
                    "position": "Analis Kebijakan Ahli Muda",
                    "rank": "Penata (III/c)",
                    "unit_id": unit_ids[i % UNITS],
                    "phone": f"+62812{i:08d}",
                    "email": f"peserta{i}@bekasikab.go.id",
                }
            )
        _insert(Person, people)
        person_ids = [p["id"] for p in people]
        del people

        # ------------------------------------------------------------------ events
        now = datetime.now(UTC).replace(microsecond=0)
        # Past events spread from January 2022 to two weeks ago; the next eight still ahead
        # (as many as the home page lists).
        upcoming = 8
        span_start = datetime(2022, 1, 10, 1, 0, tzinfo=UTC)
        span = (now - timedelta(days=14) - span_start).total_seconds()
        past_count = size.events - upcoming
        events = []
        for e in range(size.events):
            if e < past_count:
                starts = span_start + timedelta(seconds=span * (e + 0.5) / past_count)
                status = EventStatus.REPORTED if e % 3 else EventStatus.FINISHED
            else:
                starts = now + timedelta(days=7 + 3 * (e - past_count))
                status = EventStatus.OPEN
            starts = starts.replace(hour=1, minute=30, second=0)
            if e % 50 == 49:
                status = EventStatus.CANCELLED if starts < now else EventStatus.DRAFT
            kind = EventKind.BIMTEK if e % 3 == 2 else EventKind.SOSIALISASI
            events.append(
                {
                    "title": f"{kind.value.title()} Penilaian Kepatuhan {e + 1:03d}",
                    "kind": kind,
                    "venue": "Aula Bagian Organisasi",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=6),
                    "status": status,
                    "default_quota": 10,
                    "capacity": 600,
                    "created_by_id": admin.id,
                    "organizer_unit_id": unit_ids[0],
                }
            )
        _insert(Event, events)
        event_rows = db.session.execute(
            select(Event.id, Event.starts_at, Event.ends_at, Event.status).order_by(Event.id)
        ).all()
        _insert(
            EventSession,
            [
                {
                    "event_id": ev.id,
                    "title": "Acara utama",
                    "starts_at": ev.starts_at,
                    "ends_at": ev.ends_at,
                    "mandatory": True,
                }
                for ev in event_rows
            ],
        )
        session_of = dict(db.session.execute(select(EventSession.event_id, EventSession.id)).all())
        _insert(
            Invitation,
            [
                {"event_id": ev.id, "unit_id": uid, "quota": 10, "responded_at": ev.starts_at}
                for ev in event_rows
                for uid in unit_ids
            ],
        )
        _insert(
            TrainingSettings,
            [
                {"event_id": ev.id, "jp_credited": True, "excluded_session_ids": []}
                for n, ev in enumerate(event_rows)
                if n % 3 == 2
            ],
        )

        # ------------------------------------------------------------------ registrations
        registrations_started = time.perf_counter()
        per_event = size.registrations // size.events
        stride = 7919  # prime, so one event never names a person twice
        registrations = []
        for n, ev in enumerate(event_rows):
            first = n * per_event
            for k in range(per_event):
                idx = (first + k * stride) % size.people
                if ev.status is EventStatus.CANCELLED:
                    status = RegistrationStatus.CANCELLED
                elif k % 40 == 39:
                    status = RegistrationStatus.WAITLISTED
                else:
                    status = RegistrationStatus.REGISTERED
                registrations.append(
                    {
                        "event_id": ev.id,
                        "person_id": person_ids[idx],
                        "unit_id": unit_ids[idx % UNITS],
                        "role": RegistrationRole.PESERTA,
                        "status": status,
                        "source": RegistrationSource.OPERATOR,
                        "ticket_code": f"{n:04d}{k:05d}{rng.getrandbits(64):016x}",
                        "registered_by_id": admin.id,
                        "created_at": ev.starts_at - timedelta(days=7, minutes=k),
                    }
                )
        _insert(Registration, registrations)
        del registrations
        registrations_seconds = time.perf_counter() - registrations_started
        log(f"district: {size.name}: people, events, registrations seeded")

        # ------------------------------------------------------------------ check-ins
        past = {
            ev.id: ev
            for ev in event_rows
            if ev.status in (EventStatus.REPORTED, EventStatus.FINISHED)
        }
        reg_rows = db.session.execute(
            select(Registration.id, Registration.event_id).where(
                Registration.status == RegistrationStatus.REGISTERED
            )
        ).all()
        checkins = []
        for n, (rid, eid) in enumerate(reg_rows):
            ev = past.get(eid)
            if ev is None or n % 20 in (3, 7, 11):  # 85 % of those registered came
                continue
            checkins.append(
                {
                    "registration_id": rid,
                    "session_id": session_of[eid],
                    "at": ev.starts_at - timedelta(minutes=30) + timedelta(seconds=n % 3600),
                    "method": CheckInMethod.QR,
                    "operator_id": admin.id,
                }
            )
        _insert(CheckIn, checkins)
        counts = {"checkins": len(checkins), "registrations_s": round(registrations_seconds, 1)}
        del checkins, reg_rows

        # ------------------------------------------------------------------ follow-up
        _insert(
            ComplianceYear,
            [
                {"year": y, "target_category": "A", "cutoff_date": date(y, 10, 31), "notes": ""}
                for y in size.years
            ],
        )
        events_by_year: dict[int, list] = {}
        for ev in event_rows:
            if ev.id in past:
                events_by_year.setdefault(ev.starts_at.year, []).append(ev)
        plans = []
        for y in size.years:
            for ev in events_by_year.get(y, [])[:1] or []:
                plans.append(
                    {
                        "event_id": ev.id,
                        "framework_id": by_year[y].id,
                        "indicator_ids": [i.id for i in by_year[y].indicators],
                        "excluded_unit_ids": [],
                        "due_date": date(y, 11, 30),
                        "created_by_id": admin.id,
                    }
                )
        _insert(FollowUpPlan, plans)
        plan_of = {
            eid: (pid, fid)
            for pid, eid, fid in db.session.execute(
                select(FollowUpPlan.id, FollowUpPlan.event_id, FollowUpPlan.framework_id)
            )
        }
        plan_by_year = {}
        for eid, (pid, _fid) in plan_of.items():
            ev = next(e for e in event_rows if e.id == eid)
            plan_by_year[ev.starts_at.year] = (pid, eid)
        statuses_past = [TaskStatus.VERIFIED] * 8 + [TaskStatus.SUBMITTED, TaskStatus.REJECTED]
        statuses_now = list(TaskStatus)
        tasks = []
        for y in size.years:
            indicators = [i.id for i in by_year[y].indicators]
            plan_id, source_event = plan_by_year.get(y, (None, None))
            for u, uid in enumerate(unit_ids):
                for s in range(SLOTS):
                    n = u * SLOTS + s
                    pool = statuses_now if y == YEARS[-1] else statuses_past
                    status = pool[(n * 7 + y) % len(pool)]
                    due = date(y, 3, 1) + timedelta(days=(n * 13) % 270)
                    tasks.append(
                        {
                            "unit_id": uid,
                            "indicator_id": indicators[s % len(indicators)],
                            "origin": TaskOrigin.PLAN,
                            "plan_id": plan_id,
                            "source_event_id": source_event,
                            "assignee_person_id": person_ids[(u + s * UNITS) % size.people],
                            "title": f"Tindak lanjut indikator {s + 1} tahun {y}",
                            "description": "Lengkapi bukti dukung sesuai petunjuk indikator.",
                            "due_date": due,
                            "status": status,
                            "note": "Bukti diunggah." if status is not TaskStatus.OPEN else "",
                            "submitted_at": datetime(y, 3, 1, tzinfo=UTC)
                            if status in (TaskStatus.SUBMITTED, TaskStatus.VERIFIED)
                            else None,
                            "verifier_id": verifier.id if status is TaskStatus.VERIFIED else None,
                            "verified_at": datetime.combine(due, datetime.min.time(), UTC)
                            if status is TaskStatus.VERIFIED
                            else None,
                            "dedupe_key": f"bench:{y}:{uid}:{s}",
                            "created_by_id": admin.id,
                            "created_at": datetime(y, 2, 1, tzinfo=UTC),
                        }
                    )
        _insert(FollowUpTask, tasks)
        counts["tasks"] = len(tasks)
        task_rows = db.session.execute(
            select(FollowUpTask.id, FollowUpTask.status, FollowUpTask.created_at)
        ).all()
        history, evidence = [], []
        for n, (tid, status, created) in enumerate(task_rows):
            history.append(
                {"task_id": tid, "action": "created", "to_status": TaskStatus.OPEN, "at": created}
            )
            if status is not TaskStatus.OPEN:
                history.append(
                    {
                        "task_id": tid,
                        "action": "status",
                        "from_status": TaskStatus.OPEN,
                        "to_status": status,
                        "actor_id": verifier.id,
                        "at": created + timedelta(days=30),
                    }
                )
            if status in (TaskStatus.SUBMITTED, TaskStatus.VERIFIED, TaskStatus.REJECTED):
                for k in range(1 + n % 2):
                    evidence.append(
                        {
                            "task_id": tid,
                            "kind": EvidenceKind.LINK,
                            "url": f"https://bekasikab.go.id/bukti/{tid}/{k}",
                            "description": "Tautan bukti dukung",
                            "uploaded_by_id": admin.id,
                            "at": created + timedelta(days=20),
                        }
                    )
        _insert(TaskEvent, history)
        _insert(Evidence, evidence)
        counts["evidence"] = len(evidence)
        del history, evidence, tasks

        # Official results for the years before the last one (the last is still being assessed).
        have = set(db.session.execute(select(Assessment.unit_id, Assessment.year)).all())
        assessments = []
        result_years = [y for y in size.years if y != YEARS[-1]] or [YEARS[-2]]
        for y in result_years:
            fw = by_year[y]
            for u, uid in enumerate(unit_ids):
                if (uid, y) in have:
                    continue
                score = 55 + (u * 7 + y) % 40
                assessments.append(
                    {
                        "framework_id": fw.id,
                        "unit_id": uid,
                        "year": y,
                        "score": score,
                        "dimension_points": {
                            d.code: f"{d.weight * score / 100:.2f}" for d in fw.dimensions
                        },
                        "notes": "Hasil resmi (bench)",
                        "created_by_id": admin.id,
                    }
                )
        _insert(Assessment, assessments)
        scores = []
        for aid, fid in db.session.execute(
            select(Assessment.id, Assessment.framework_id).where(
                Assessment.notes == "Hasil resmi (bench)"
            )
        ):
            fw = next(f for f in frameworks if f.id == fid)
            for k, indicator in enumerate(fw.indicators):
                scores.append(
                    {"assessment_id": aid, "indicator_id": indicator.id, "score": (aid + k) % 4}
                )
        _insert(IndicatorScore, scores)
        _insert(
            SupervisionProduct,
            [
                {
                    "kind": list(SupervisionKind)[n % 4],
                    "number": f"B/{n + 1}/LM.{y}",
                    "issued_on": date(y, 4, 1),
                    "year": y,
                    "unit_id": unit_ids[n % UNITS],
                    "finding": "Standar pelayanan belum dipublikasikan.",
                    "due_date": date(y, 9, 30),
                    "followed_up_on": date(y, 9, 1) if n % 3 else None,
                    "created_by_id": admin.id,
                }
                for y in sorted(set(size.years) | set(result_years))
                for n in range(12)
            ],
        )
        _insert(
            AuditEntry,
            [
                {
                    "at": now - timedelta(minutes=n),
                    "actor_id": admin.id,
                    "action": "registration.create",
                    "object_type": "registration",
                    "object_id": n + 1,
                    "summary": f"Pendaftaran {n + 1}",
                    "data": {},
                }
                for n in range(size.audit)
            ],
        )
        db.session.commit()

        # What the pages are asked about: a recent finished event with a plan, its data.
        last_year = size.years[-1]
        _plan, event_id = plan_by_year[last_year]
        unit_id = unit_ids[1]
        # A person in charge of follow-up tasks who registered for events (at both sizes).
        task_id, person_id = db.session.execute(
            select(FollowUpTask.id, FollowUpTask.assignee_person_id)
            .where(FollowUpTask.unit_id == unit_id, FollowUpTask.status == TaskStatus.VERIFIED)
            .order_by(FollowUpTask.id.desc())
            .limit(1)
        ).one()
        registration_id = db.session.scalar(
            select(Registration.id)
            .where(Registration.person_id == person_id)
            .order_by(Registration.id.desc())
            .limit(1)
        )
        assessment_id = db.session.scalar(
            select(Assessment.id)
            .where(Assessment.unit_id == unit_id)
            .order_by(Assessment.year.desc())
            .limit(1)
        )
        counts.update(
            people=size.people,
            events=size.events,
            registrations=size.registrations,
        )
        seeded = Seeded(
            login_id=admin.get_id(),
            event_id=event_id,
            unit_id=unit_id,
            person_id=person_id,
            registration_id=registration_id,
            task_id=task_id,
            assessment_id=assessment_id,
            framework_id=by_year[last_year].id,
            year=last_year,
            past_year=result_years[-1],
            counts=counts,
        )
        db.session.remove()
    seeded.seconds = time.perf_counter() - started
    return seeded


# (figure name, endpoint, query string). Every page takes its ids from ``Seeded``.
PAGES: list[tuple[str, str, str]] = [
    ("home", "main.index", ""),
    ("events list", "events.index", ""),
    ("event detail", "events.detail", ""),
    ("registrations list", "registration.registrations", ""),
    ("registrations CSV", "registration.export_csv", ""),
    ("registrations XLSX", "registration.export_xlsx", ""),
    ("registration detail", "registration.registration_detail", ""),
    ("invitations", "registration.invitations", ""),
    ("invitations XLSX", "registration.invitations_xlsx", ""),
    ("people list", "registration.people", ""),
    ("people search", "registration.people", "q=sutrisno"),
    ("person detail", "registration.person_detail", ""),
    ("damaged NIPs", "registration.damaged_nips", ""),
    ("identity requests", "registration.identity_requests_list", ""),
    ("attendance index", "attendance.index", ""),
    ("attendance dashboard", "attendance.dashboard", ""),
    ("attendance data (refresh)", "attendance.dashboard_data", ""),
    ("attendance people", "attendance.people", ""),
    ("daftar hadir XLSX", "attendance.list_xlsx", ""),
    ("check-in index", "checkin.index", ""),
    ("check-in history", "checkin.history", ""),
    ("documents", "documents.documentation", ""),
    ("event report", "documents.report", ""),
    ("certificates", "documents.certificates", ""),
    ("training overview", "training.overview", ""),
    ("exam results", "training.exam_results", ""),
    ("headcounts", "training.headcounts", ""),
    ("headcounts XLSX", "training.headcounts_xlsx", ""),
    ("JP per unit", "training.unit_report", "unit"),
    ("JP per unit XLSX", "training.jp_xlsx", "year"),
    ("learning record", "training.person_record", ""),
    ("follow-up dashboard", "followup.dashboard", ""),
    ("follow-up dashboard (all units)", "followup.dashboard", "semua=1"),
    ("follow-up dashboard XLSX", "followup.dashboard_xlsx", ""),
    ("follow-up dashboard PDF", "followup.dashboard_pdf", ""),
    ("follow-up plan of an event", "followup.plan", ""),
    ("task list", "followup.tasks", ""),
    ("task list, overdue", "followup.tasks", "terlambat=1"),
    ("task detail", "followup.task_detail", ""),
    ("unit follow-up page", "followup.unit_view", ""),
    ("assessments list", "followup.assessments", ""),
    ("assessment detail", "followup.assessment_detail", ""),
    ("frameworks", "followup.frameworks", ""),
    ("framework detail", "followup.framework_detail", ""),
    ("district projection (this year)", "followup.year_view", ""),
    ("district projection (past year)", "followup.year_view", "past"),
    ("nota dinas XLSX", "followup.year_nota_xlsx", ""),
    ("supervision products", "followup.supervision_products", ""),
    ("units list", "units.index", ""),
    ("unit page", "units.detail", ""),
    ("audit log", "audit.index", ""),
    ("users", "auth.users", ""),
    ("personal data (people)", "ops.people", ""),
    ("personal data (person)", "ops.person", ""),
    ("my jobs", "jobs.mine", ""),
]


def _url(app, seeded: Seeded, endpoint: str, query: str) -> str | None:
    rule = next(
        (
            r.rule
            for r in app.url_map.iter_rules()
            if r.endpoint == endpoint and "GET" in (r.methods or ())
        ),
        None,
    )
    if rule is None:
        return None
    year = seeded.year
    if query == "past":
        year, query = seeded.past_year, ""
    elif query == "unit":
        query = f"unit={seeded.unit_id}&tahun={seeded.year}"
    elif query == "year":
        query = f"tahun={seeded.year}"
    url = fill_rule(
        rule,
        event_id=seeded.event_id,
        unit_id=seeded.unit_id,
        person_id=seeded.person_id,
        registration_id=seeded.registration_id,
        task_id=seeded.task_id,
        assessment_id=seeded.assessment_id,
        framework_id=seeded.framework_id,
        year=year,
    )
    return f"{url}?{query}" if query else url


def _rows(client: PageClient, url: str) -> int | None:
    """Data rows of an export (CSV lines or XLSX rows below the headings); None for a page."""
    path = url.split("?")[0]
    if not path.endswith((".csv", ".xlsx")):
        return None
    data = client.client.get(url).get_data()
    if path.endswith(".csv"):
        return max(0, data.count(b"\n") - 1)
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data), read_only=True)
    return sum(max(0, sum(1 for _ in sheet.iter_rows()) - 1) for sheet in book.worksheets)


def run(quick: bool) -> list[Figure]:
    import logging

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    large_size = QUICK_DISTRICT if quick else DISTRICT
    repeats = 3 if quick else 5
    figures: list[Figure] = []
    with scratch_dir("sosbench-district-") as tmp:
        sizes = {}
        for size in (SMALL, large_size):
            app = make_app(f"sqlite:///{tmp / f'district-{size.name}.db'}", tmp)
            log(f"district: seeding {size.name} ({size.registrations:,} registrations)")
            seeded = seed(app, size)
            log(f"district: {size.name} seeded in {seeded.seconds:.1f} s {seeded.counts}")
            sizes[size.name] = (app, seeded, PageClient(app, seeded.login_id))
        figures.append(
            Figure(
                "district.seed_seconds",
                f"seeding {large_size.registrations:,} registrations (bulk inserts)",
                round(sizes["district"][1].seconds, 1),
                "s",
                note="context",
                extra=sizes["district"][1].counts,
            )
        )
        for name, endpoint, query in PAGES:
            urls = {
                label: _url(app, seeded, endpoint, query)
                for label, (app, seeded, _client) in sizes.items()
            }
            key = "district." + name.replace(" ", "_").replace(",", "").replace("(", "").replace(
                ")", ""
            )
            if urls["small"] is None:
                figures.append(not_measured(key, name, f"no page {endpoint}"))
                continue
            failed = None
            for label in sizes:  # warm-up: templates compiled, caches filled
                status, *_ = sizes[label][2].get(urls[label])
                if status != 200:
                    failed = f"GET {urls[label]} answered {status} ({label})"
            if failed:
                figures.append(not_measured(key, name, failed))
                continue
            times: dict[str, list[float]] = {"small": [], "district": []}
            queries: dict[str, int] = {}
            for _ in range(repeats):
                for label in sizes:
                    _status, seconds, statements, _bytes = sizes[label][2].get(urls[label])
                    times[label].append(seconds)
                    queries[label] = max(queries.get(label, 0), statements)
            t_small, t_large = median(times["small"]), median(times["district"])
            rows = {label: _rows(sizes[label][2], urls[label]) for label in sizes}
            log(
                f"{name}: {queries['small']} / {queries['district']} queries, "
                f"{t_small * 1000:.1f} / {t_large * 1000:.1f} ms"
            )
            figures.append(
                ratio_figure(
                    f"{key}.queries",
                    f"{name}: SQL per request",
                    queries["district"],
                    queries["small"],
                    "queries",
                    "==",
                    1.0,
                    route=urls["small"],
                )
            )
            if rows["small"] and rows["district"] > 1.5 * rows["small"]:
                # An export whose rows grow with the district: the time per row is compared.
                figures.append(
                    ratio_figure(
                        f"{key}.time_per_row",
                        f"{name}: time per row ({rows['district']:,} vs {rows['small']:,} rows)",
                        t_large * 1000 / rows["district"],
                        t_small * 1000 / rows["small"],
                        "ms",
                        "<=",
                        3.0,
                        route=urls["small"],
                        rows=rows,
                    )
                )
                continue
            figures.append(
                ratio_figure(
                    f"{key}.time",
                    f"{name}: render time",
                    t_large * 1000,
                    t_small * 1000,
                    "ms",
                    "<=",
                    3.0,
                    route=urls["small"],
                    rows=rows,
                )
            )
    return figures


if __name__ == "__main__":
    script_main(run)
