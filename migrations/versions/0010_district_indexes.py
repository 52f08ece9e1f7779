"""registrations: indexes (event_id, status) and (unit_id, event_id) for a district's years

Revision ID: 0010_district
Revises: 0009_reach
Create Date: 2026-12-03 10:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_district"
down_revision = "0009_reach"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registrations_event_id_status", ["event_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_registrations_unit_id_event_id", ["unit_id", "event_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_unit_id_event_id")
        batch_op.drop_index("ix_registrations_event_id_status")
