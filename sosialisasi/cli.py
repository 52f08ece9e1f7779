"""Flask commands: ``seed``, ``demo``, ``users ...``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from .auth import services as auth_services
from .auth.models import Role, User
from .common.errors import DomainError
from .documents.services import seed_letterhead
from .extensions import db
from .followup.seed import seed_followup
from .units import services as unit_services
from .units.catalogue import catalogue
from .units.models import Unit


def run_seed() -> list[str]:
    """Load the reference data; idempotent. Returns one line per part for the console."""
    result = unit_services.seed_units(catalogue())
    lines = [f"units: created={result.created} updated={result.updated}"]
    # In this order: the follow-up results name units, so the units come first.
    for seeder in SEEDERS:
        lines.append(seeder())
    return lines


# Other areas' seeders, named here (each returns its summary line).
SEEDERS: tuple[Callable[[], str], ...] = (seed_followup, seed_letterhead)


DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


def write_demo_accounts(lines: list[str]) -> Path:
    """The demo accounts in ``instance/demo-accounts.txt``, readable by the owner only (0600);
    ``make run`` prints it again at the end of its set-up, before the server's log starts."""
    from .config import INSTANCE

    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / DEMO_ACCOUNTS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # also when the file existed with wider rights
    return path


def register(app: Flask) -> None:
    @app.cli.command("seed")
    def seed() -> None:
        """Muat data referensi (unit Kabupaten Bekasi, kerangka penilaian). Aman diulang."""
        for line in run_seed():
            click.echo(line)
        db.session.commit()

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Hanya bila belum ada pengguna.")
    def demo(if_empty: bool) -> None:
        """Isi data contoh: pengguna setiap peran dan dua acara."""
        from .demo import load_demo

        if if_empty and db.session.scalar(select(func.count(User.id))):
            click.echo("demo: data sudah ada, dilewati")
            return
        run_seed()
        accounts = load_demo()
        db.session.commit()
        lines = [
            "Akun contoh:",
            *(f"  {username:<16} {role:<15} {password}" for username, role, password in accounts),
            "Ganti kata sandi melalui menu nama Anda (kanan atas) > Ganti kata sandi.",
        ]
        path = write_demo_accounts(lines)
        # ``make run`` prints the file once, at the end of its set-up; run alone, say where it is.
        click.echo(f"demo: akun contoh ditulis ke {path} (hanya dapat dibaca pemilik berkas)")

    @app.cli.group("users", help="Kelola akun pengguna.")
    def users() -> None:
        pass

    @users.command("create")
    @click.argument("username")
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--unit", "unit_code", help="Kode unit (wajib untuk unit_operator).")
    @click.option("--name", help="Nama lengkap.")
    @click.option("--email")
    @click.option("--password", help="Kosongkan untuk dibuatkan.")
    def create(username, role, unit_code, name, email, password) -> None:
        """Buat pengguna baru; kata sandi yang dibuatkan dicetak sekali."""
        unit = None
        if unit_code:
            unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.upper()))
            if unit is None:
                raise click.ClickException(f"unit {unit_code} tidak ditemukan")
        plain = password or auth_services.generate_password()
        try:
            user = auth_services.create_user(
                username=username,
                name=name or username,
                role=Role(role),
                email=email,
                unit=unit,
                password=plain,
            )
        except DomainError as err:
            raise click.ClickException(err.message) from None
        db.session.commit()
        click.echo(f"created {user.username} role={user.role.value}")
        if not password:
            click.echo(f"password: {plain}")

    @users.command("password")
    @click.argument("username")
    def password(username) -> None:
        """Buat kata sandi baru untuk pengguna (dicetak sekali)."""
        user = auth_services.find_user(username)
        if user is None:
            raise click.ClickException(f"pengguna {username} tidak ditemukan")
        plain = auth_services.generate_password()
        auth_services.set_password(user, plain)
        db.session.commit()
        click.echo(f"password: {plain}")

    @users.command("token")
    @click.argument("username")
    @click.option("--name", default="cli", help="Nama token (mis. nama perangkat).")
    def token(username, name) -> None:
        """Cetak token API (Bearer) baru untuk pengguna; disimpan dalam bentuk hash."""
        user = auth_services.find_user(username)
        if user is None:
            raise click.ClickException(f"pengguna {username} tidak ditemukan")
        if not user.active:
            raise click.ClickException(f"pengguna {username} tidak aktif")
        plain, _ = auth_services.create_token(user, name)
        db.session.commit()
        click.echo(plain)
