"""EC2 volume id mappings

A volume's EC2 id was the first 32 bits of its UUID; two volumes of a
project could share them. Volumes now get numbers from this table, as in
Nova's EC2 API (``volume_id_mappings``). Existing volumes are numbered
when EC2 first shows them.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ec2_volume_mappings',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid'))


def downgrade():
    op.drop_table('ec2_volume_mappings')
