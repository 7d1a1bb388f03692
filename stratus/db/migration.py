"""Schema changes through alembic only: ``stratus-manage db sync``."""
import os

from alembic import command
from alembic.config import Config
from alembic.runtime import migration as alembic_migration

from stratus.db import api as db_api

_HERE = os.path.dirname(os.path.abspath(__file__))


def _config():
    cfg = Config()
    cfg.set_main_option('script_location', os.path.join(_HERE, 'migrations'))
    return cfg


def db_sync(revision='head', engine=None):
    """Upgrade the configured database (or ``engine``'s) to ``revision``."""
    engine = engine or db_api.get_engine()
    with engine.begin() as conn:
        cfg = _config()
        cfg.attributes['connection'] = conn
        command.upgrade(cfg, revision)


def db_version():
    """The revision the configured database is at (None when empty)."""
    engine = db_api.get_engine(immediate=False)
    with engine.connect() as conn:
        return alembic_migration.MigrationContext.configure(
            conn).get_current_revision()
