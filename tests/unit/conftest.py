import pytest

from stratus import conf
from stratus.db import api as db_api
from stratus.db import models
from tests.fixtures import postgres


@pytest.fixture
def flags():
    """Override options for one test: ``flags(name=value, group=...)``.

    A SQLite ``[database] connection`` becomes a PostgreSQL database when
    the run tests against PostgreSQL (``tests/fixtures/postgres.py``).
    """
    overridden = []

    def _set(group=None, **kwargs):
        for name, value in kwargs.items():
            if (group, name) == ('database', 'connection'):
                value = postgres.test_url(value)
            conf.CONF.set_override(name, value, group=group)
            overridden.append((name, group))
    yield _set
    for name, group in overridden:
        conf.CONF.clear_override(name, group=group)


@pytest.fixture
def db(flags):
    """A fresh in-memory database with the models' schema (PostgreSQL:
    a fresh migrated database)."""
    flags(group='database', connection='sqlite://')
    db_api.dispose()
    models.Base.metadata.create_all(db_api.get_engine())
    yield
    db_api.dispose()
