"""Shared pieces of the benchmark scripts: figures, scratch databases, servers, seeding.

Every figure is a ratio against a baseline measured in the same run (the machine is shared and
absolute times drift), or an absolute ceiling where the issue sets one (memory, scanner latency).
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_PG_DB", "test_bench")

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
}


@dataclass
class Figure:
    key: str
    name: str
    value: float | None
    unit: str = ""
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def ratio_figure(
    key: str,
    name: str,
    value: float,
    baseline: float,
    unit: str,
    op: str,
    limit: float,
    note: str = "",
    **extra,
) -> Figure:
    """``value / baseline`` compared with ``limit`` (e.g. ">=", 0.7)."""
    ratio = value / baseline if baseline else float("inf")
    return Figure(
        key,
        name,
        value,
        unit,
        baseline,
        ratio,
        f"{op} {limit:g}x",
        OPS[op](round(ratio, 3), limit),
        note,
        extra,
    )


def absolute_figure(
    key: str, name: str, value: float, unit: str, op: str, limit: float, note: str = "", **extra
) -> Figure:
    target = f"{op} {limit:g} {unit}".rstrip()
    return Figure(key, name, value, unit, None, None, target, OPS[op](value, limit), note, extra)


def not_measured(key: str, name: str, reason: str, target: str = "") -> Figure:
    return Figure(key, name, None, target=target, passed=None, note=f"not measured: {reason}")


# ---------------------------------------------------------------------------- running a script


def script_main(run: Callable[[bool], list[Figure]]) -> None:
    """``python -m bench.<script> [--quick] [--json FILE]``: run, print the table, write JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure fails (CI)")
    args = parser.parse_args()
    # SIGTERM (the runner's timeout) becomes SystemExit, so that ``finally`` stops the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(args.quick)
    print(format_table(figures))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(f) for f in figures], indent=2))
    if args.strict and any(f.passed is False for f in figures):
        sys.exit(1)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 0.01 else f"{value:.2f}"


def format_table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "baseline", "ratio", "target", "result")]
    for f in figures:
        value = f"{_fmt(f.value)} {f.unit}".strip() if f.value is not None else "-"
        baseline = f"{_fmt(f.baseline)} {f.unit}".strip() if f.baseline is not None else "-"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        result = {True: "PASS", False: "FAIL", None: "-"}[f.passed]
        if f.note.startswith("not measured"):
            result = f.note
        elif f.note:
            result = f"{result} ({f.note})"
        rows.append((f.name, value, baseline, ratio, f.target, result))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for n, r in enumerate(rows):
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(lines)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- databases


@contextmanager
def scratch_dir(prefix: str = "sosbench-") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def pg_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def pg_reset(dbname: str = PG_DB) -> str:
    """An empty ``dbname`` on the local PostgreSQL (created when missing); returns its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": dbname})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    admin.dispose()
    url = f"{PG_ADMIN_URL}/{dbname}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def bench_env(database_url: str, tmp: Path) -> dict[str, str]:
    """Environment for the app under test: scratch database, no rate limits, no instance files."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-" + secrets.token_hex(8),
        INSTANCE_PATH=str(tmp / "instance"),
        UPLOAD_FOLDER=str(tmp / "uploads"),
        RATELIMIT_ENABLED="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def make_app(database_url: str, tmp: Path, *, create: bool = True):
    """The Sosialisasi app on a scratch database, schema made with ``db.create_all()``."""
    for key, value in bench_env(database_url, tmp).items():
        if key in {"SECRET_KEY", "INSTANCE_PATH", "UPLOAD_FOLDER", "RATELIMIT_ENABLED"}:
            os.environ.setdefault(key, value)
    from sosialisasi import create_app
    from sosialisasi.config import Config
    from sosialisasi.extensions import db

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_FOLDER = str(tmp / "uploads")
    config.RATELIMIT_ENABLED = False
    config.WTF_CSRF_ENABLED = False
    app = create_app(config)
    if create:
        with app.app_context():
            db.create_all()
    return app


@contextmanager
def app_context(database_url: str, tmp: Path, *, create: bool = True):
    """``make_app`` with its application context pushed; the engine is disposed after."""
    from sosialisasi.extensions import db

    app = make_app(database_url, tmp, create=create)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


# ---------------------------------------------------------------------------- seeding


@dataclass
class Seeded:
    event_id: int
    session_id: int
    user_id: int
    username: str
    password: str
    token: str
    tickets: list[str]
    unit_ids: list[int]
    login_id: str = ""  # what Flask-Login keeps in the session (User.get_id())


def nip_for(n: int) -> str:
    """A well-formed 18-digit PNS NIP, distinct per n (birth date, TMT, gender, sequence)."""
    year = 1965 + n % 30
    month = 1 + n % 12
    day = 1 + n % 28
    tmt_year = 1990 + n % 30
    gender = 1 + n % 2
    return f"{year}{month:02d}{day:02d}{tmt_year}{1 + n % 12:02d}{gender}{n % 1000:03d}"


def seed_event(
    registrations: int,
    *,
    units: int = 40,
    status: str = "running",
    with_checkins: int = 0,
    role: str = "organizer",
    starts_in_minutes: int = -30,
) -> Seeded:
    """An event open for check-in now, ``registrations`` participants from ``units`` units.

    Bulk inserts (one statement per table) so that seeding is quick and does not dominate.
    """
    from datetime import timedelta

    from sqlalchemy import insert, select

    from sosialisasi.auth.models import Role, User
    from sosialisasi.auth.services import create_token
    from sosialisasi.checkin.models import CheckIn, CheckInMethod
    from sosialisasi.common.types import utcnow
    from sosialisasi.events.models import Event, EventSession, EventStatus, Invitation
    from sosialisasi.extensions import db
    from sosialisasi.registration.models import (
        Person,
        Registration,
        RegistrationRole,
        RegistrationSource,
        RegistrationStatus,
        new_ticket_code,
    )
    from sosialisasi.units.models import Unit, UnitKind
    from sosialisasi.units.services import root_unit

    now = utcnow().replace(microsecond=0)
    root = root_unit()
    unit_rows = [
        Unit(
            code=f"B{i:03d}",
            name=f"Dinas Bench {i:03d}",
            short_name=f"DB{i:03d}",
            kind=UnitKind.DINAS if i % 3 else UnitKind.KECAMATAN,
            parent_id=root.id,
            aliases=[f"Bench {i}"],
        )
        for i in range(units)
    ]
    db.session.add_all(unit_rows)
    password = "bench-rahasia-123"  # noqa: S105 - scratch database only
    user = User(username="bench", name="Panitia Bench", role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    event = Event(
        title="Sosialisasi Penilaian Kepatuhan (bench)",
        venue="Aula Bench",
        starts_at=now + timedelta(minutes=starts_in_minutes),
        ends_at=now + timedelta(hours=8),
        status=EventStatus(status),
        default_quota=max(2, registrations // max(units, 1) + 1),
        created_by_id=user.id,
    )
    session = EventSession(
        title="Acara utama", starts_at=event.starts_at, ends_at=event.ends_at, mandatory=True
    )
    event.sessions.append(session)
    for unit in unit_rows:
        event.invitations.append(Invitation(unit=unit, quota=event.default_quota))
    db.session.add(event)
    db.session.flush()
    if hasattr(event, "staff"):
        event.staff.append(user)
    token, _ = create_token(user, "bench")
    db.session.flush()
    unit_ids = [u.id for u in unit_rows]

    base_person = (db.session.scalar(select(db.func.max(Person.id))) or 0) + 1
    people = [
        {
            "id": base_person + i,
            "name": f"Peserta Bench {i:05d}, S.Kom.",
            "nip": nip_for(i + 1) if i < 9000 else None,
            "position": "Analis Kebijakan",
            "rank": "Penata (III/c)",
            "unit_id": unit_ids[i % len(unit_ids)],
            "phone": f"+62812{i:08d}",
            "name_key": f"peserta bench {i:05d}",
        }
        for i in range(registrations)
    ]
    tickets = [new_ticket_code() for _ in range(registrations)]
    regs = [
        {
            "event_id": event.id,
            "person_id": base_person + i,
            "unit_id": unit_ids[i % len(unit_ids)],
            "role": RegistrationRole.PESERTA,
            "status": RegistrationStatus.REGISTERED,
            "source": RegistrationSource.IMPORT,
            "ticket_code": tickets[i],
        }
        for i in range(registrations)
    ]
    for start in range(0, registrations, 2000):
        db.session.execute(insert(Person), people[start : start + 2000])
        db.session.execute(insert(Registration), regs[start : start + 2000])
    if db.session.get_bind().dialect.name == "postgresql":
        # People were given explicit ids: move the sequence past them, or the app's own inserts
        # (public registration in the fault run) would collide with them.
        db.session.execute(
            db.text(
                "SELECT setval(pg_get_serial_sequence('people', 'id'), "
                "(SELECT max(id) FROM people))"
            )
        )
    if with_checkins:
        reg_ids = db.session.scalars(
            select(Registration.id)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
            .limit(with_checkins)
        ).all()
        db.session.execute(
            insert(CheckIn),
            [
                {
                    "registration_id": rid,
                    "session_id": session.id,
                    "at": now - timedelta(minutes=20) + timedelta(seconds=i),
                    "method": CheckInMethod.QR,
                    "operator_id": user.id,
                }
                for i, rid in enumerate(reg_ids)
            ],
        )
    db.session.commit()
    return Seeded(
        event.id,
        session.id,
        user.id,
        user.username,
        password,
        token,
        tickets,
        unit_ids,
        user.get_id(),
    )


# ---------------------------------------------------------------------------- servers


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def start_gunicorn(
    app_spec: str, env: dict[str, str], log_path: Path, *, workers: int = 2, timeout: float = 60
) -> Server:
    """gunicorn with sync workers on 127.0.0.1, a free port chosen by the kernel (port 0)."""
    cmd = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        "127.0.0.1:0",
        "--graceful-timeout",
        "5",
        "--log-level",
        "info",
        app_spec,
    ]
    logf = open(log_path, "w")  # noqa: SIM115 - stays open for the server's life
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    port = None
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if port is None:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
            if match:
                port = int(match.group(1))
        if port and text.count("Booting worker") >= workers:
            server = Server(proc, port, log_path)
            if _wait_http(server.url, deadline):
                return server
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    server = Server(proc, port or 0, log_path)
    server.stop()
    raise RuntimeError(f"gunicorn did not start: {log_path.read_text(errors='replace')[-2000:]}")


def _wait_http(url: str, deadline: float) -> bool:
    import urllib.error
    import urllib.request

    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=5)  # noqa: S310 - 127.0.0.1 only
            return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means a worker is serving
        except OSError:
            time.sleep(0.1)
    return False


# ---------------------------------------------------------------------------- load with wrk


def ensure_wrk() -> str:
    """Path to wrk, installed from Debian when missing (CI machines are fresh)."""
    for candidate in ("/usr/bin/wrk", "/usr/local/bin/wrk"):
        if os.path.exists(candidate):
            return candidate
    if os.geteuid() != 0:
        raise RuntimeError("wrk is missing: run 'sudo apt-get install wrk'")
    log("installing wrk (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return "/usr/bin/wrk"


@dataclass
class LoadResult:
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    status: dict[str, int]
    exhausted: bool = False


def run_wrk(
    url: str,
    *,
    seconds: float,
    connections: int = 16,
    threads: int = 2,
    tickets_file: Path | None = None,
    token: str = "",
) -> LoadResult:
    """wrk against ``url``; with ``tickets_file`` every request POSTs a distinct ticket."""
    wrk = ensure_wrk()
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(Path(__file__).parent / "checkin.lua"),
        url,
        "--",
        str(tickets_file or ""),
        str(threads),
        token,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {out.stdout[-1500:]} {out.stderr[-500:]}")
    data = json.loads(line[len("BENCH_JSON ") :])
    duration = data["duration_us"] / 1e6
    errors = sum(v for k, v in data["errors"].items() if k != "status")
    status = {str(k): int(v) for k, v in data["status"].items()}
    errors += sum(v for k, v in status.items() if not k.startswith("2"))
    return LoadResult(
        requests=data["requests"],
        duration_s=duration,
        rps=data["requests"] / duration if duration else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        status=status,
        exhausted=bool(data.get("exhausted")),
    )


# ---------------------------------------------------------------------------- in-process pages


class PageClient:
    """Flask's test client logged in (``login_id`` is ``User.get_id()``), counting SQL statements.

    Each request starts like a real one: an empty ``g`` and a fresh database session.
    """

    def __init__(self, app, login_id: str) -> None:
        from sqlalchemy import event

        from sosialisasi.extensions import db

        self.app = app
        self.db = db
        self.client = app.test_client()
        with self.client.session_transaction() as session:
            session["_user_id"] = login_id
            session["_fresh"] = True
        self.statements = 0

        def count(*_args) -> None:
            self.statements += 1

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)

    def get(self, url: str) -> tuple[int, float, int, int]:
        """(status, seconds, SQL statements, bytes) for one GET."""
        from flask import g, has_app_context

        if has_app_context():  # an outer context is reused by the test client: clean it
            for key in list(g):
                g.pop(key)
            self.db.session.remove()
        self.statements = 0
        started = time.perf_counter()
        response = self.client.get(url)
        data = response.get_data()
        elapsed = time.perf_counter() - started
        return response.status_code, elapsed, self.statements, len(data)


def find_rule(app, *patterns: str) -> str | None:
    """The first URL rule (a GET) matching one of the regular expressions, or None."""
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())]
    for pattern in patterns:
        for rule in rules:
            if re.fullmatch(pattern, rule.rule) or re.fullmatch(pattern, rule.endpoint):
                return rule.rule
    return None


def fill_rule(rule: str, **values: object) -> str:
    """``/acara/<int:event_id>/x`` -> ``/acara/7/x``."""

    def sub(match: re.Match) -> str:
        return str(values[match.group(1)])

    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", sub, rule)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
