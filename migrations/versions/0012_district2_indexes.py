"""district scale: indexes on registrations.substitute_for_id, audit_entries (object_type,
object_id) and the NIP's sequence number (substr(nip, 16)) for the damaged-NIP review

Revision ID: 0012_district2
Revises: 0011_glossary
Create Date: 2026-12-03 10:35:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_district2"
down_revision = "0011_glossary"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registrations_substitute_for_id", ["substitute_for_id"], unique=False
        )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entries_object", ["object_type", "object_id"], unique=False
        )
    # An expression index: built from the rows already there, nothing to backfill.
    op.create_index("ix_people_nip_sequence", "people", [sa.text("substr(nip, 16)")])


def downgrade():
    op.drop_index("ix_people_nip_sequence", table_name="people")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_object")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_substitute_for_id")
