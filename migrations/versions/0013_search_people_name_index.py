"""people search by part of a name through an index: on SQLite an FTS5 trigram table
``people_fts`` kept in step by triggers on ``people`` (filled here from the people already
there); on PostgreSQL ``pg_trgm`` and a GIN trigram index on ``people.name_key`` (skipped, with
a warning in the log, when the extension cannot be created)

The DDL lives in ``sosialisasi.registration.people_fts`` (``db.create_all()`` makes the same
through an ``after_create`` event); migrations/env.py keeps these objects out of autogenerate.

Revision ID: 0013_search
Revises: 0012_district2
Create Date: 2026-12-03 11:00:00

"""

from alembic import op

from sosialisasi.registration import people_fts

# revision identifiers, used by Alembic.
revision = "0013_search"
down_revision = "0012_district2"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        people_fts.install_sqlite(bind)
    elif bind.dialect.name == "postgresql":
        people_fts.install_postgresql(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        people_fts.drop_sqlite(bind)
    elif bind.dialect.name == "postgresql":
        # pg_trgm stays: other objects may use it, and dropping it may need rights we lack.
        people_fts.drop_postgresql(bind)
