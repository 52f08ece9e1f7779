"""``flask backup``, ``flask restore`` and ``flask privacy purge|export``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from ..audit.services import record
from ..common.errors import DomainError
from ..extensions import db
from ..registration.models import Person
from . import backups, services


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup(path: Path) -> None:
        """Cadangkan basis data ke PATH (SQLite: salinan daring; PostgreSQL: pg_dump -Fc)."""
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        try:
            result = backups.backup_database(url, path)
        except DomainError as err:
            raise click.ClickException(err.message) from None
        record("backup", actor=None, summary=str(result.path), kind=result.kind, size=result.size)
        db.session.commit()
        click.echo(f"backup: {result.kind} -> {result.path} ({result.size} bytes)")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--to", "target", help="URL basis data tujuan (bawaan: basis data aplikasi).")
    @click.option("--yes", is_flag=True, help="Jangan tanya konfirmasi.")
    def restore(path: Path, target: str | None, yes: bool) -> None:
        """Pulihkan basis data dari cadangan PATH (isi sekarang DIGANTI)."""
        url = target or current_app.config["SQLALCHEMY_DATABASE_URI"]
        if not yes:
            click.confirm(
                f"Isi basis data {url} akan diganti dengan {path}. Lanjutkan?", abort=True
            )
        try:
            kind = backups.restore_database(path, url)
        except DomainError as err:
            raise click.ClickException(err.message) from None
        click.echo(f"restore: {kind} <- {path}")

    @app.cli.group("privacy", help="Data pribadi: masa simpan dan ekspor.")
    def privacy() -> None:
        pass

    @privacy.command("purge")
    @click.option(
        "--older-than",
        "years",
        type=float,
        default=None,
        help="Tahun tanpa kehadiran (bawaan: PRIVACY_RETENTION_YEARS).",
    )
    @click.option("--dry-run", is_flag=True, help="Hanya hitung, jangan ubah.")
    def purge(years: float | None, dry_run: bool) -> None:
        """Anonimkan orang yang tidak menghadiri apa pun selama masa simpan."""
        years = years if years is not None else current_app.config["PRIVACY_RETENTION_YEARS"]
        try:
            result = services.purge_people(older_than_years=years, dry_run=dry_run)
        except DomainError as err:
            raise click.ClickException(err.message) from None
        if not dry_run:
            record(
                "privacy.purge",
                actor=None,
                summary=f"{result.people} orang dianonimkan (tanpa kehadiran {years:g} tahun)",
                people=result.people,
                cutoff=result.cutoff.isoformat(),
            )
            db.session.commit()
        verb = "akan dianonimkan" if dry_run else "dianonimkan"
        click.echo(f"privacy purge: {result.people} orang {verb} (batas {result.cutoff:%Y-%m-%d})")

    @privacy.command("export")
    @click.argument("person_id", type=int)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
    def export(person_id: int, output: Path | None) -> None:
        """Ekspor semua data tentang satu orang (JSON; .xlsx bila --output berakhiran .xlsx)."""
        person = db.session.get(Person, person_id)
        if person is None:
            raise click.ClickException(f"Orang #{person_id} tidak ada.")
        fmt = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "json"
        body, _ = services.export_person(person, fmt, actor=None, device="cli")
        db.session.commit()
        if output is None:
            click.echo(body.decode("utf-8"))
            return
        output.write_bytes(body)
        click.echo(f"privacy export: orang #{person_id} -> {output}")
