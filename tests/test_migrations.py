"""The migrations build the same schema as the models, on SQLite and PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _flask(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_upgrade_from_empty_matches_models_and_seed_demo_run(tmp_path):
    env = os.environ | {
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}",
        "INSTANCE_PATH": str(tmp_path),
    }
    assert _flask("db", "upgrade", env=env).returncode == 0
    check = _flask("db", "check", env=env)
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    demo = _flask("demo", "--if-empty", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "demo-accounts.txt" in demo.stdout  # `make run` prints the file at its end
    assert "admin" in (tmp_path / "demo-accounts.txt").read_text()
    again = _flask("demo", "--if-empty", env=env)
    assert "dilewati" in again.stdout


def test_migrations_apply_on_the_test_database(database_url, tmp_path):
    """On PostgreSQL: the migrations on a scratch schema of the test database (the test above
    does the same on a SQLite file of its own, whatever the test database is)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: TEST_DATABASE_URL does not name a PostgreSQL database")
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS migcheck CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA migcheck"))
    url = database_url + ("&" if "?" in database_url else "?") + "options=-csearch_path%3Dmigcheck"
    env = os.environ | {"SECRET_KEY": "x", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)}
    try:
        up = _flask("db", "upgrade", env=env)
        assert up.returncode == 0, up.stderr
        check = _flask("db", "check", env=env)
        assert "No new upgrade operations detected" in check.stdout + check.stderr, check.stderr
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS migcheck CASCADE"))
        engine.dispose()
