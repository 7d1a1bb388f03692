"""The alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from stratus.db import api as db_api
from stratus.db import migration
from stratus.db import models


def test_migrations_match_models(flags, tmp_path):
    flags(group='database', connection='sqlite:///%s' %
          (tmp_path / 'm.sqlite'))
    db_api.dispose()
    migration.db_sync()
    assert migration.db_version() is not None
    with db_api.get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn),
                                models.Base.metadata)
    db_api.dispose()
    assert diff == []


def test_db_sync_twice_is_harmless(flags, tmp_path):
    flags(group='database', connection='sqlite:///%s' %
          (tmp_path / 'm.sqlite'))
    db_api.dispose()
    migration.db_sync()
    first = migration.db_version()
    migration.db_sync()
    assert migration.db_version() == first
    db_api.dispose()
