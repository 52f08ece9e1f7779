"""Figure 2: pages that grow with data, at 50 and at 5,000 registrations.

Two scratch SQLite databases hold the same shape of data (reference data from ``flask seed``, one
event, its registrations, 80 % checked in, one follow-up task per five registrations); only the
size differs. Each page is fetched through Flask's test client, logged in as an administrator
(who sees everything, so nothing is hidden by scoping). SQL statements per request are counted
with a ``before_cursor_execute`` listener and must be the same at both sizes (no N+1); the
median render time at 5,000 must stay within 3x of the time at 50 (paginate what nobody reads at
once). The two sizes are measured alternately, so drifting load hits both.

    python -m bench.pages [--quick]
"""

from __future__ import annotations

from datetime import timedelta

from .common import (
    Figure,
    PageClient,
    fill_rule,
    find_rule,
    log,
    make_app,
    median,
    not_measured,
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
)

# (figure name, rule patterns); the first pattern that names an existing GET route is used.
PAGES = [
    ("registration list", (r"/acara/<int:event_id>/pendaftaran", r"registration\.registrations")),
    ("attendance dashboard", (r"/acara/<int:event_id>/kehadiran", r"attendance\.dashboard")),
    ("attendance dashboard data (refresh)", (r"/acara/<int:event_id>/kehadiran/data",)),
    ("follow-up dashboard", (r"/tindak-lanjut/dasbor", r"followup\.dashboard")),
    ("unit page", (r"/unit/<int:unit_id>", r"units\.detail")),
    ("event report", (r"/acara/<int:event_id>/dokumen/laporan", r"documents\.report")),
]


def seed(app, registrations: int):
    """Reference data, one event of ``registrations``, check-ins and follow-up tasks."""
    from sqlalchemy import insert, select

    from sosialisasi.cli import run_seed
    from sosialisasi.common.types import utcnow
    from sosialisasi.extensions import db
    from sosialisasi.registration.models import Registration

    with app.app_context():
        run_seed()
        db.session.commit()
        seeded = seed_event(registrations, with_checkins=registrations * 4 // 5, role="admin")
        try:
            from sosialisasi.followup.models import FollowUpTask, TaskStatus
            from sosialisasi.followup.services.frameworks import current_framework
        except ImportError:
            return seeded
        framework = current_framework()
        indicators = [i.id for i in framework.indicators] if framework is not None else []
        regs = db.session.execute(
            select(Registration.id, Registration.unit_id, Registration.person_id).where(
                Registration.event_id == seeded.event_id
            )
        ).all()
        statuses = list(TaskStatus)
        today = utcnow().date()
        tasks = [
            {
                "unit_id": unit_id,
                "indicator_id": indicators[n % len(indicators)] if indicators else None,
                "source_event_id": seeded.event_id,
                "source_registration_id": reg_id,
                "assignee_person_id": person_id,
                "title": f"Tindak lanjut indikator {n}",
                "due_date": today + timedelta(days=(n % 60) - 20),
                "status": statuses[n % len(statuses)],
            }
            for n, (reg_id, unit_id, person_id) in enumerate(regs[::5])
        ]
        if tasks:
            db.session.execute(insert(FollowUpTask), tasks)
        db.session.commit()
        return seeded


def run(quick: bool) -> list[Figure]:
    small, large = (50, 500) if quick else (50, 5_000)
    repeats = 3 if quick else 9
    figures: list[Figure] = []
    with scratch_dir() as tmp:
        sizes = {}
        for size in (small, large):
            app = make_app(f"sqlite:///{tmp / f'pages-{size}.db'}", tmp)
            log(f"pages: seeding {size} registrations")
            seeded = seed(app, size)
            sizes[size] = (app, seeded, PageClient(app, seeded.login_id))
        for name, patterns in PAGES:
            app = sizes[small][0]
            rule = find_rule(app, *patterns)
            if rule is None:
                figures.append(not_measured(f"pages.{name}", name, "no such page yet"))
                continue
            urls = {}
            for size, (_app, seeded, _client) in sizes.items():
                # The unit with the most registrations: the bench units share them evenly.
                urls[size] = fill_rule(rule, event_id=seeded.event_id, unit_id=seeded.unit_ids[0])
            times: dict[int, list[float]] = {small: [], large: []}
            queries: dict[int, int] = {}
            failed = None
            for size in (small, large):  # warm-up: templates compiled, caches filled
                status, *_ = sizes[size][2].get(urls[size])
                if status != 200:
                    failed = f"GET {urls[size]} answered {status}"
            if failed:
                figures.append(not_measured(f"pages.{name}", name, failed))
                continue
            for _ in range(repeats):
                for size in (small, large):
                    _status, seconds, statements, _bytes = sizes[size][2].get(urls[size])
                    times[size].append(seconds)
                    queries[size] = max(queries.get(size, 0), statements)
            t_small, t_large = median(times[small]), median(times[large])
            log(
                f"{name}: {queries[small]} / {queries[large]} queries, "
                f"{t_small * 1000:.1f} / {t_large * 1000:.1f} ms"
            )
            key = "pages." + name.split(" (")[0].replace(" ", "_").replace("-", "_")
            figures.append(
                ratio_figure(
                    f"{key}.queries",
                    f"{name}: SQL per request at {large} vs {small}",
                    queries[large],
                    queries[small],
                    "queries",
                    "==",
                    1.0,
                    route=rule,
                )
            )
            figures.append(
                ratio_figure(
                    f"{key}.time",
                    f"{name}: render time at {large} vs {small}",
                    t_large * 1000,
                    t_small * 1000,
                    "ms",
                    "<=",
                    3.0,
                    route=rule,
                )
            )
    return figures


if __name__ == "__main__":
    script_main(run)
