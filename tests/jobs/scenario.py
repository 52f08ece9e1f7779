"""A big import for job tests, usable in the test process and from a subprocess
(``python -m tests.jobs.scenario setup|state``) against the database named by ``DATABASE_URL``."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta

from openpyxl import Workbook


def rows_csv(n: int, unit: str = "Dinkes") -> bytes:
    out = io.StringIO()
    out.write("Nama,NIP,Unit Kerja\n")
    for i in range(n):
        birth = date(1965, 1, 1) + timedelta(days=i)
        out.write(f"Peserta Impor {i},{birth:%Y%m%d}201505{1 + i % 2}{1 + i % 999:03d},{unit}\n")
    return out.getvalue().encode()


def rows_xlsx(n: int, unit: str = "Dinkes") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Nama", "NIP", "Unit Kerja"])
    for i in range(n):
        birth = date(1965, 1, 1) + timedelta(days=i)
        ws.append([f"Peserta Impor {i}", f"{birth:%Y%m%d}201505{1 + i % 2}{1 + i % 999:03d}", unit])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_world(db, quota: int = 100_000):
    """A unit, an open event inviting it with ``quota`` places, an organizer."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from sosialisasi.auth.models import Role, User
    from sosialisasi.events.models import Event, EventSession, EventStatus, Invitation
    from sosialisasi.units.models import Unit, UnitKind

    # The seeded catalogue's Dinkes when the reference data is there (the test suite), else new.
    unit = db.session.scalar(select(Unit).where(Unit.code == "DINKES")) or Unit(
        code="DINKES", name="Dinas Kesehatan", short_name="Dinkes", kind=UnitKind.DINAS
    )
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    event = Event(
        title="Sosialisasi Besar",
        venue="Aula",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        status=EventStatus.OPEN,
        default_quota=quota,
    )
    event.sessions.append(EventSession(title="Acara utama", starts_at=start, ends_at=event.ends_at))
    event.invitations.append(Invitation(unit=unit, quota=quota))
    user = User(username="penyelenggara", name="Penyelenggara", role=Role.ORGANIZER)
    user.set_password("rahasia-sekali-123")
    db.session.add_all([unit, event, user])
    db.session.commit()
    return event, user


def _setup(n: int) -> dict:
    """Create the tables and the world, stage ``n`` rows, queue their import as a job."""
    from sosialisasi.extensions import db
    from sosialisasi.jobs import services
    from sosialisasi.registration.imports import staging

    db.create_all()
    event, user = make_world(db)
    staged = staging.stage(event, rows_csv(n), "besar.csv", actor=user, over_quota_reason=None)
    db.session.rollback()
    job = services.enqueue(
        "import.apply", {"token": staged.token}, actor=user, event=event, key="kill-test"
    )
    db.session.commit()
    services.dispatch(job)
    return {"job": job.id, "event": event.id}


def _state(job_id: str) -> dict:
    from sqlalchemy import func, select

    from sosialisasi.extensions import db
    from sosialisasi.jobs import queue
    from sosialisasi.jobs.models import Job
    from sosialisasi.registration.models import Person, Registration

    job = db.session.get(Job, job_id)
    return {
        "status": job.status,
        "attempts": job.attempts,
        "error": job.error,
        "registrations": db.session.scalar(select(func.count(Registration.id))),
        "people": db.session.scalar(select(func.count(Person.id))),
        "progress": queue.peek(f"pg:{job_id}"),
    }


if __name__ == "__main__":
    from sosialisasi import create_app

    app = create_app()
    with app.app_context():
        if sys.argv[1] == "setup":
            print(json.dumps(_setup(int(sys.argv[2]))))
        else:
            print(json.dumps(_state(sys.argv[2])))
