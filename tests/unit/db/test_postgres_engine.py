"""PostgreSQL engines: psycopg 3 for plain URLs, one writer at a time (the
contract the quota checks and address allocation rely on), readers beside
it, and a writer that waits too long fails with a retryable error."""
import threading

import pytest
import sqlalchemy as sa

from stratus import conf
from stratus import exception
from stratus.db import api as db_api
from stratus.db import instances as instances_db
from stratus.db import models
from tests.fixtures import postgres

CONF = conf.CONF


@pytest.fixture
def pg_db():
    """A fresh PostgreSQL database of the run's cluster, in either mode."""
    pg = postgres.cluster()
    url = postgres.empty_database()
    CONF.set_override('connection', url, group='database')
    db_api.dispose()
    models.Base.metadata.create_all(db_api.get_engine())
    yield pg
    db_api.dispose()
    CONF.clear_override('connection', group='database')
    pg.drop_database(sa.engine.make_url(url).database)


def test_plain_postgresql_url_uses_psycopg_3():
    CONF.set_override('connection', 'postgresql://u@/db?host=/nowhere',
                      group='database')
    try:
        db_api.dispose()
        assert db_api.get_engine().dialect.driver == 'psycopg'
    finally:
        db_api.dispose()
        CONF.clear_override('connection', group='database')


def _waiting_for_writer_lock(pg):
    return pg.execute("SELECT count(*) FROM pg_locks WHERE "
                      "locktype = 'advisory' AND NOT granted")[0][0]


def _wait(predicate):
    # No deadline of its own: pytest's run limit is the bound.
    event = threading.Event()
    while not predicate():
        event.wait(0.02)


def test_writers_queue_while_readers_go_on(pg_db):
    holder = db_api.writer()
    session = holder.__enter__()
    done = []
    try:
        session.add(models.KeyPair(name='k1', user_id='u',
                                   fingerprint='f', public_key='x'))
        session.flush()
        second = threading.Thread(target=lambda: done.append(
            _add_keypair('k2')))
        second.start()
        _wait(lambda: _waiting_for_writer_lock(pg_db) == 1)
        assert done == []
        # A reader is not held up and sees only committed rows.
        with db_api.reader() as reader:
            assert reader.scalar(sa.select(sa.func.count()).select_from(
                models.KeyPair)) == 0
    finally:
        holder.__exit__(None, None, None)
    second.join(120)
    assert done == ['k2']
    with db_api.reader() as reader:
        assert sorted(reader.scalars(sa.select(models.KeyPair.name))) == \
            ['k1', 'k2']


def _add_keypair(name):
    with db_api.writer() as session:
        session.add(models.KeyPair(name=name, user_id='u',
                                   fingerprint='f', public_key='x'))
    return name


def test_writer_past_the_lock_timeout_is_unavailable(pg_db, flags):
    flags(group='database', busy_timeout=1)
    db_api.dispose()
    holder = db_api.writer()
    # The lock is taken with the transaction's first statement.
    holder.__enter__().execute(sa.select(1))
    try:
        with pytest.raises(exception.ServiceUnavailable):
            _add_keypair('late')
    finally:
        holder.__exit__(None, None, None)
    assert _add_keypair('on-time') == 'on-time'


def test_values_postgresql_refuses_are_invalid_input(pg_db):
    # A NUL in a filter (SQLite would just match nothing).
    with pytest.raises(exception.Invalid, match='NUL'):
        instances_db.get_all(filters={'name': 'a\x00b'})
    # Longer than the column (SQLite would store it).
    with pytest.raises(exception.Invalid, match='too long'):
        _add_keypair('k' * 300)
    assert _add_keypair('k' * 255) == 'k' * 255
