"""district scale: registrations indexed by (person_id, status, event_id) in place of person_id
alone, so a unit's JP of a year reads its people's registrations from the index

Revision ID: 0014_jp
Revises: 0013_search
Create Date: 2026-12-03 12:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_jp"
down_revision = "0013_search"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registrations_person_id_status_event_id",
            ["person_id", "status", "event_id"],
            unique=False,
        )
        batch_op.drop_index("ix_registrations_person_id")


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index("ix_registrations_person_id", ["person_id"], unique=False)
        batch_op.drop_index("ix_registrations_person_id_status_event_id")
