"""Figure 3: importing a 10,000-row XLSX of participants, against openpyxl reading the same file.

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


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_xlsx", "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, RATELIMIT_ENABLED="0"),
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Figure]:
    rows = 300 if quick else 10_000
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
                inv.quota = rows
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
        else:
            result = child_import(rest[0], rest[1], int(rest[2]))
        print(json.dumps(result))
    else:
        script_main(run)
