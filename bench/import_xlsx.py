"""Figure 3: importing a 10,000-row XLSX of participants, against openpyxl reading the same file;
and (issue 18) the full import of a 50,000-row XLSX as the app runs it.

The file looks like the ones units send: a title row above the header, Indonesian column names,
NIPs as text, units written as full names, short names or aliases, phones in local form. The
import runs in a child process (``apply_import`` then one commit, as the command line does) on a
fresh copy of a scratch SQLite database, and reports its own wall time and peak RSS
(``ru_maxrss``: the whole process, app included). The baseline is a child process that opens the
file with ``openpyxl.load_workbook(read_only=True)`` and reads every cell value. Baseline and
import alternate so that load from other processes hits both.

    python -m bench.import_xlsx [--quick]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .common import (
    ROOT,
    Figure,
    absolute_figure,
    app_context,
    log,
    median,
    nip_for,
    not_measured,
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
)


def make_xlsx(path: Path, rows: int, units: list[tuple[str, str, str]]) -> None:
    """``rows`` participants; ``units`` are (name, short name, alias) triples."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Peserta")
    ws.append(["DAFTAR PESERTA SOSIALISASI PENILAIAN KEPATUHAN PELAYANAN PUBLIK"])
    ws.append([])
    ws.append(["No", "Nama", "NIP", "Jabatan", "Pangkat/Gol", "Unit Kerja", "No HP/WA", "Email"])
    for i in range(rows):
        name, short, alias = units[i % len(units)]
        unit = (name, short, alias)[i % 3]
        nip = nip_for(50_000 + i) if i % 10 else ""
        ws.append(
            [
                i + 1,
                f"Peserta Impor {i:05d}, S.Kom.",
                nip,
                "Analis Kebijakan Ahli Muda",
                "Penata (III/c)",
                unit,
                f"0813{i:08d}",
                f"peserta{i}@bekasikab.go.id",
            ]
        )
    wb.save(path)


def big_nip(i: int) -> str:
    """A well-formed PNS NIP distinct for each i below 270,000 (``nip_for`` repeats after
    21,000): birth 1960-1984, TMT 2010-2039 by blocks of 9,000."""
    from datetime import date, timedelta

    birth = date(1960, 1, 1) + timedelta(days=i % 9000)
    tmt = 2010 + (i // 9000) % 30
    return f"{birth:%Y%m%d}{tmt}{1 + i % 12:02d}{1 + i % 2}{1 + (i // 270_000) % 999:03d}"


def make_big_xlsx(path: Path, rows: int, units: list[tuple[str, str, str]]) -> None:
    """As :func:`make_xlsx`, with NIPs distinct over 50,000 rows and every 50th row in error
    (an unknown unit), so that the errors file and the error rows are part of the work."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Peserta")
    ws.append(["DAFTAR PESERTA SOSIALISASI PENILAIAN KEPATUHAN PELAYANAN PUBLIK"])
    ws.append([])
    ws.append(["No", "Nama", "NIP", "Jabatan", "Pangkat/Gol", "Unit Kerja", "No HP/WA", "Email"])
    for i in range(rows):
        name, short, alias = units[i % len(units)]
        unit = "Dinas Tidak Dikenal" if i % 50 == 49 else (name, short, alias)[i % 3]
        ws.append(
            [
                i + 1,
                f"Peserta Besar {i:05d}, S.Kom.",
                big_nip(i) if i % 10 else "",
                "Analis Kebijakan Ahli Muda",
                "Penata (III/c)",
                unit,
                f"0813{i:08d}",
                f"besar{i}@bekasikab.go.id",
            ]
        )
    wb.save(path)


def child_read(path: str) -> dict:
    from openpyxl import load_workbook

    started = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    cells = 0
    for row in wb.active.iter_rows(values_only=True):
        cells += sum(1 for v in row if v is not None)
    wb.close()
    return {"seconds": time.perf_counter() - started, "cells": cells}


def child_import(database_url: str, path: str, event_id: int) -> dict:
    tmp = Path(path).parent
    with app_context(database_url, tmp, create=False):
        from sosialisasi.events.models import Event
        from sosialisasi.extensions import db
        from sosialisasi.registration import importer

        event = db.session.get(Event, event_id)
        data = Path(path).read_bytes()
        started = time.perf_counter()
        plan = importer.apply_import(
            event, data, Path(path).name, actor=None, over_quota_reason="bench"
        )
        db.session.commit()
        seconds = time.perf_counter() - started
        summary = plan.summary()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "summary": summary}


def child_full(database_url: str, path: str, event_id: int) -> dict:
    """Preview then apply, as the import page's jobs do (``staging.stage``, then
    ``staging.apply_staged`` + commit + ``forget_data``)."""
    import tracemalloc

    traced = os.environ.get("IMPORT_TRACEMALLOC") == "1"
    tmp = Path(path).parent
    with app_context(database_url, tmp, create=False):
        from sqlalchemy import select

        from sosialisasi.auth.models import User
        from sosialisasi.events.models import Event
        from sosialisasi.extensions import db
        from sosialisasi.registration.imports import staging

        event = db.session.get(Event, event_id)
        actor = db.session.scalar(select(User).where(User.username == "bench"))
        data = Path(path).read_bytes()
        if traced:
            tracemalloc.start(12)
        started = time.perf_counter()
        staged = staging.stage(event, data, Path(path).name, actor=actor, over_quota_reason="bench")
        db.session.rollback()
        preview_seconds = time.perf_counter() - started
        preview, token = staged.plan.summary(), staged.token
        del staged, data
        applied = staging.apply_staged(event, token, actor=actor)
        db.session.commit()
        staging.forget_data(applied)
        seconds = time.perf_counter() - started
        summary = applied.plan.summary()
        holders = []
        if traced:
            snapshot = tracemalloc.take_snapshot()
            current, peak = tracemalloc.get_traced_memory()
            holders = [f"traced peak {peak / 2**20:.1f} MB, now {current / 2**20:.1f} MB"] + [
                str(stat) for stat in snapshot.statistics("lineno")[:10]
            ]
            tracemalloc.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "preview_seconds": preview_seconds,
        "peak_mb": peak_mb,
        "preview": preview,
        "summary": summary,
        "holders": holders,
    }


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_xlsx", "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, RATELIMIT_ENABLED="0"),
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Figure]:
    rows = 300 if quick else 10_000
    big = 600 if quick else 50_000
    repeats = 1 if quick else 2
    try:
        from sosialisasi.registration import importer  # noqa: F401
    except ImportError:
        return [not_measured("import", "XLSX import", "registration.importer does not exist yet")]
    with scratch_dir() as tmp:
        seed_db = tmp / "seed.db"
        with app_context(f"sqlite:///{seed_db}", tmp):
            from sosialisasi.events.models import Invitation
            from sosialisasi.extensions import db
            from sosialisasi.units.models import Unit

            seeded = seed_event(0, status="open", starts_in_minutes=7 * 24 * 60)
            for inv in db.session.scalars(db.select(Invitation)):
                inv.quota = big
            db.session.commit()
            units = [
                (u.name, u.short_name or u.name, (u.aliases or [u.name])[0])
                for u in db.session.scalars(db.select(Unit).where(Unit.id.in_(seeded.unit_ids)))
            ]
        xlsx = tmp / "peserta.xlsx"
        make_xlsx(xlsx, rows, units)
        log(f"import: {rows} rows, {xlsx.stat().st_size // 1024} KB")
        reads, imports = [child_read_run(xlsx)], []
        for n in range(repeats):
            db_copy = tmp / f"import-{n}.db"
            shutil.copy(seed_db, db_copy)
            result = _child("import", f"sqlite:///{db_copy}", str(xlsx), str(seeded.event_id))
            log(f"import {n + 1}: {result}")
            imports.append(result)
            reads.append(child_read_run(xlsx))
        big_xlsx = tmp / "besar.xlsx"
        make_big_xlsx(big_xlsx, big, units)
        log(f"full import: {big} rows, {big_xlsx.stat().st_size // 1024} KB")
        big_reads = [child_read_run(big_xlsx)]
        db_copy = tmp / "full.db"
        shutil.copy(seed_db, db_copy)
        full = _child("full", f"sqlite:///{db_copy}", str(big_xlsx), str(seeded.event_id))
        log(f"full import: { {k: v for k, v in full.items() if k != 'holders'} }")
        for line in full["holders"]:
            log(f"  {line}")
        big_reads.append(child_read_run(big_xlsx))
    errors = big // 50
    big_expected = f"imported={big - errors} updated=0 skipped=0 errors={errors}"
    big_note = "" if full["summary"] == big_expected else f"unexpected result: {full['summary']}"
    big_figures = [
        ratio_figure(
            "import.full_time",
            f"{big:,}-row XLSX preview + apply (the app's path) vs openpyxl read-only read",
            full["seconds"],
            median([r["seconds"] for r in big_reads]),
            "s",
            "<=",
            5.0,
            note=big_note or f"preview {full['preview_seconds']:.1f} s",
            summary=full["summary"],
        ),
        absolute_figure(
            "import.full_peak_rss",
            f"{big:,}-row XLSX preview + apply peak RSS (whole process)",
            round(full["peak_mb"]),
            "MB",
            "<=",
            400,
        ),
    ]
    expected = f"imported={rows} "
    summary = imports[-1]["summary"]
    seconds = median([r["seconds"] for r in imports])
    baseline = median([r["seconds"] for r in reads])
    return [
        ratio_figure(
            "import.time",
            f"{rows}-row XLSX import vs openpyxl read-only read",
            seconds,
            baseline,
            "s",
            "<=",
            5.0,
            note="" if summary.startswith(expected) else f"unexpected result: {summary}",
            summary=summary,
        ),
        absolute_figure(
            "import.peak_rss",
            f"{rows}-row XLSX import peak RSS (whole process)",
            max(r["peak_mb"] for r in imports),
            "MB",
            "<=",
            300,
        ),
        *big_figures,
    ]


def child_read_run(xlsx: Path) -> dict:
    result = _child("read", str(xlsx))
    log(f"openpyxl read: {result['seconds']:.2f} s")
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "read":
            result = child_read(rest[0])
        elif kind == "full":
            result = child_full(rest[0], rest[1], int(rest[2]))
        else:
            result = child_import(rest[0], rest[1], int(rest[2]))
        print(json.dumps(result))
    else:
        script_main(run)
