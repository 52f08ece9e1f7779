"""``flask registrations import EVENT_ID FILE [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from ..auth.models import Role, User
from ..common.errors import DomainError
from ..common.tabular import TableError
from ..events.models import Event
from ..extensions import db
from . import imports as importer

group = AppGroup("registrations", help="Pendaftaran peserta.")


@group.command("import")
@click.argument("event_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Tampilkan nasib tiap baris tanpa menyimpan.")
@click.option(
    "--reason",
    default="Daftar peserta dari panitia (impor)",
    show_default=True,
    help="Alasan yang dicatat bila unit melebihi kuota; kosongkan untuk menolak baris tersebut.",
)
@click.option("--as", "username", default=None, help="Akun panitia yang dicatat sebagai pengimpor.")
def import_command(event_id: int, file: Path, dry_run: bool, reason: str, username: str | None):
    """Import participants of EVENT_ID from a CSV/XLSX FILE.

    Prints one line per problem row and ends with
    ``imported=N updated=N skipped=N errors=N`` (new people, existing people updated, duplicates
    skipped, rows with errors).
    """
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"Acara {event_id} tidak ditemukan.")
    actor = None
    if username:
        actor = db.session.scalar(select(User).where(User.username == username))
        if actor is None or not actor.has_role(Role.ORGANIZER):
            raise click.ClickException(f"Akun panitia '{username}' tidak ditemukan.")
    data = file.read_bytes()

    def progress(done: int, total: int) -> None:
        click.echo(f"... {done}/{total} baris", err=True)

    def problems(rows: list[importer.Row]) -> None:
        for row in rows:
            if row.fate in (importer.Fate.ERROR, importer.Fate.DUPLICATE):
                click.echo(f"baris {row.number}: {row.fate.label.lower()}: {row.reason}")

    try:
        if dry_run:
            stream = importer.open_plan(
                event, data, file.name, over_quota_reason=reason, on_progress=progress
            )
            for rows in stream.chunks:
                problems(rows)
            plan = stream.plan
        else:
            plan = importer.apply_import(
                event,
                data,
                file.name,
                actor=actor,
                over_quota_reason=reason,
                on_progress=progress,
                keep_rows=False,
                on_chunk=problems,
            )
    except TableError as err:
        db.session.rollback()
        raise click.ClickException(f"Berkas tidak dapat dibaca: {err}") from None
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    if dry_run:
        db.session.rollback()
        click.echo("(uji coba: tidak ada yang disimpan)")
    else:
        db.session.commit()
    click.echo(plan.summary())


def register(app: Flask) -> None:
    app.cli.add_command(group)
