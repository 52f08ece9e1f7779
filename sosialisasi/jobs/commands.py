"""``flask jobs worker``: the job worker (huey consumer) in the app; ``flask jobs recover``."""

from __future__ import annotations

import logging

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("jobs", help="Pekerjaan latar belakang (antrean huey).")
    def jobs() -> None:
        pass

    @jobs.command("worker")
    @click.option("--workers", "-w", default=2, show_default=True, help="Utas pekerja.")
    @click.option("--periodic/--no-periodic", default=True, help="Jalankan tugas berkala.")
    def worker(workers: int, periodic: bool) -> None:
        """Jalankan pekerja antrean (satu per mesin cukup; boleh lebih)."""
        from huey.consumer import Consumer

        from . import queue, services

        queue.init_app(app)
        logging.getLogger("huey").setLevel(logging.INFO)
        with app.app_context():
            again = services.recover()  # jobs a killed worker left behind
        if again:
            click.echo(f"jobs: {len(again)} pekerjaan dijalankan ulang")
        consumer = Consumer(
            queue.huey,
            workers=workers,
            worker_type="thread",
            periodic=periodic,
            check_worker_health=True,
            initial_delay=0.1,
            backoff=1.15,
            max_delay=1.0,
        )
        consumer.run()

    @jobs.command("recover")
    def recover() -> None:
        """Antrekan ulang pekerjaan yang pekerjanya berhenti."""
        from . import services

        again = services.recover()
        click.echo(f"jobs: {len(again)} pekerjaan dijalankan ulang")
