"""``flask units import FILE``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from ..common.tabular import TableError, read_table
from ..extensions import db
from . import services


def register(app: Flask) -> None:
    @app.cli.group("units", help="Katalog perangkat daerah.")
    def units() -> None:
        pass

    @units.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_command(path: Path) -> None:
        """Impor unit dari CSV/XLSX (kolom: Kode, Nama, Singkatan, Jenis, Induk, Alias)."""
        try:
            table = read_table(
                path.read_bytes(), path.name, services.UNIT_COLUMNS, required=("name", "kind")
            )
        except TableError as err:
            raise click.ClickException(str(err)) from None
        result = services.import_units(services.text_rows(table), source=path.name)
        db.session.commit()
        for problem in result.problems:
            click.echo(f"baris {problem.row}: {problem.message}", err=True)
        click.echo(
            f"created={result.created} updated={result.updated} errors={len(result.problems)}"
        )
