"""counts from the index: registrations indexed by (person_id, status, event_id) in place of
person_id alone (a unit's JP of a year) and by (event_id, status, unit_id) in place of
(event_id, status) (the attendance dashboard's counts per unit)

Revision ID: 0014_counts
Revises: 0013_search
Create Date: 2026-12-03 12:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_counts"
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
        batch_op.create_index(
            "ix_registrations_event_id_status_unit_id",
            ["event_id", "status", "unit_id"],
            unique=False,
        )
        batch_op.drop_index("ix_registrations_event_id_status")


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registrations_event_id_status", ["event_id", "status"], unique=False
        )
        batch_op.drop_index("ix_registrations_event_id_status_unit_id")
        batch_op.create_index("ix_registrations_person_id", ["person_id"], unique=False)
        batch_op.drop_index("ix_registrations_person_id_status_event_id")
