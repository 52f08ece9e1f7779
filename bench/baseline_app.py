"""The ceiling for the check-in API: a minimal Flask + Flask-SQLAlchemy app.

``POST /checkin`` with ``{"code": ...}`` does what any check-in must do and nothing more: one
indexed lookup of the ticket, one insert, one commit, a small JSON answer. ``GET /hello`` is the
framework ceiling (no database at all). Run under gunicorn exactly like the real app:

    BASELINE_DATABASE_URL=sqlite:////tmp/x.db gunicorn -w 2 bench.baseline_app:app
    python -m bench.baseline_app seed N TICKETS_FILE     # schema + N tickets (codes to the file)

SQLite gets the same pragmas as the app (WAL, synchronous=NORMAL, busy timeout, foreign keys).
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, String, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Ticket(db.Model):
    __tablename__ = "baseline_tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(150))


class Scan(db.Model):
    __tablename__ = "baseline_scans"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("baseline_tickets.id"), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ.get("BASELINE_DATABASE_URL", "sqlite:///:memory:")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    if url.startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            event.listen(engine, "connect", _sqlite_pragmas)

    @app.get("/")
    @app.get("/hello")
    def hello():
        return "hello"

    @app.post("/checkin")
    def checkin():
        code = (request.get_json(silent=True) or {}).get("code")
        ticket = db.session.scalar(select(Ticket).where(Ticket.code == code))
        if ticket is None:
            return jsonify(result="unknown"), 404
        name = ticket.name  # read before the commit expires it (no second SELECT)
        db.session.add(Scan(ticket_id=ticket.id, at=datetime.now(UTC)))
        db.session.commit()
        return jsonify(result="ok", name=name), 201

    return app


app = create_app()


def seed(count: int, tickets_file: str) -> None:
    codes = [secrets.token_urlsafe(16) for _ in range(count)]
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.execute(
            Ticket.__table__.insert(),
            [{"code": c, "name": f"Peserta {i}"} for i, c in enumerate(codes)],
        )
        db.session.commit()
    with open(tickets_file, "w") as fh:
        fh.write("\n".join(codes) + "\n")


def count_scans() -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(Scan)) or 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "seed":
        seed(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 2 and sys.argv[1] == "count":
        print(count_scans())
    else:
        sys.exit(__doc__)
