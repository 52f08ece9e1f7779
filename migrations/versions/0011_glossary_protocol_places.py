"""documents: the protocol order of letters' addressees, edited as one list per unit kind

Revision ID: 0011_glossary
Revises: 0010_district
Create Date: 2026-12-03 09:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_glossary"
down_revision = "0010_district"
branch_labels = None
depends_on = None

UNIT_KINDS = (
    "pemda", "setda", "bagian", "setwan", "inspektorat", "dinas", "badan", "satpol", "kecamatan",
    "kelurahan", "puskesmas", "rsud", "uptd", "external",
)  # fmt: skip


def upgrade():
    op.create_table(
        "protocol_places",
        sa.Column(
            "kind",
            sa.Enum(*UNIT_KINDS, name="unitkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_protocol_places")),
    )


def downgrade():
    op.drop_table("protocol_places")
