"""volumes, volume attachments and volume host capacity

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volume_pools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('driver', sa.String(length=64), nullable=False),
    sa.Column('availability_zone', sa.String(length=255), nullable=True),
    sa.Column('total_gb', sa.Float(), nullable=False),
    sa.Column('free_gb', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('host')
    )
    op.create_table('volumes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=True),
    sa.Column('display_description', sa.Text(), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('attach_status', sa.String(length=255), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('availability_zone', sa.String(length=255), nullable=True),
    sa.Column('bootable', sa.Boolean(), nullable=False),
    sa.Column('source_image_id', sa.String(length=36), nullable=True),
    sa.Column('volume_type', sa.String(length=255), nullable=True),
    sa.Column('provider_location', sa.String(length=255), nullable=True),
    sa.Column('disk_format', sa.String(length=16), nullable=True),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('launched_at', sa.DateTime(), nullable=True),
    sa.Column('terminated_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('deleted', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('volumes_host_deleted_idx', 'volumes',
                    ['host', 'deleted'], unique=False)
    op.create_index('volumes_project_deleted_idx', 'volumes',
                    ['project_id', 'deleted'], unique=False)
    op.create_table('volume_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('volume_id', sa.String(length=36), nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('mountpoint', sa.String(length=255), nullable=False),
    sa.Column('attach_status', sa.String(length=255), nullable=False),
    sa.Column('attached_host', sa.String(length=255), nullable=True),
    sa.Column('connection_info', sa.JSON(), nullable=True),
    sa.Column('delete_on_termination', sa.Boolean(), nullable=False),
    sa.Column('attach_time', sa.DateTime(), nullable=True),
    sa.Column('detach_time', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('deleted', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_uuid', 'mountpoint', 'deleted'),
    sa.UniqueConstraint('uuid')
    )
    op.create_index(op.f('ix_volume_attachments_instance_uuid'),
                    'volume_attachments', ['instance_uuid'], unique=False)
    op.create_index(op.f('ix_volume_attachments_volume_id'),
                    'volume_attachments', ['volume_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_volume_attachments_volume_id'),
                  table_name='volume_attachments')
    op.drop_index(op.f('ix_volume_attachments_instance_uuid'),
                  table_name='volume_attachments')
    op.drop_table('volume_attachments')
    op.drop_index('volumes_project_deleted_idx', table_name='volumes')
    op.drop_index('volumes_host_deleted_idx', table_name='volumes')
    op.drop_table('volumes')
    op.drop_table('volume_pools')
