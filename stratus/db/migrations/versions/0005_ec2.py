"""EC2 credentials

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ec2_credentials',
    sa.Column('access', sa.String(length=64), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('access')
    )
    with op.batch_alter_table('ec2_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ec2_credentials_user_id'),
                              ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('ec2_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ec2_credentials_user_id'))
    op.drop_table('ec2_credentials')
