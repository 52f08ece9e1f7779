"""organizer: users.must_change_password (bulk-created operators change the initial password at
first login); session_speakers (several speakers per session)

Revision ID: 0007_organizer
Revises: 0006_compliance
Create Date: 2026-12-03 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_organizer'
down_revision = '0006_compliance'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        'session_speakers',
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('speaker_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], name=op.f('fk_session_speakers_session_id_event_sessions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_session_speakers_speaker_id_speakers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('session_id', 'speaker_id', name=op.f('pk_session_speakers')),
    )
    # Existing sessions keep their speaker as the session's (only) speaker.
    op.execute(
        "INSERT INTO session_speakers (session_id, speaker_id) "
        "SELECT id, speaker_id FROM event_sessions WHERE speaker_id IS NOT NULL"
    )


def downgrade():
    op.drop_table('session_speakers')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
