"""``flask attendance daftar-hadir EVENT_ID`` and ``flask attendance summary EVENT_ID``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask

from ..events.models import Event
from ..extensions import db
from .documents import daftar_hadir_pdf, daftar_hadir_xlsx
from .queries import attendance_summary


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"Acara {event_id} tidak ditemukan.")
    return event


def register(app: Flask) -> None:
    @app.cli.group("attendance", help="Kehadiran dan daftar hadir.")
    def attendance() -> None:
        pass

    @attendance.command("daftar-hadir")
    @click.argument("event_id", type=int)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
    @click.option("--blank", is_flag=True, help="Versi kosong untuk tanda tangan (tanpa waktu).")
    def daftar_hadir(event_id: int, output: Path, blank: bool) -> None:
        """Tulis daftar hadir sebagai PDF, atau XLSX bila OUTPUT berakhiran .xlsx."""
        event = _event(event_id)
        started = time.perf_counter()
        if output.suffix.lower() == ".xlsx":
            data = daftar_hadir_xlsx(event)
        else:
            data = daftar_hadir_pdf(event, blank=blank)
        output.write_bytes(data)
        click.echo(f"{output}: {len(data)} bytes in {time.perf_counter() - started:.2f} s")

    @attendance.command("summary")
    @click.argument("event_id", type=int)
    def summary(event_id: int) -> None:
        """Ringkasan kehadiran per sesi dan per unit (JSON)."""
        click.echo(json.dumps(attendance_summary(_event(event_id)), indent=2, ensure_ascii=False))
