"""A locked or stopped database: the API answers 503 with a Nova fault
body (``serviceUnavailable``, what Nova's fault wrapper names a 503) and
writes nothing; writers retry and succeed once the database is back.

Each test picks its database itself, in either mode of the run.
"""
import logging
import sqlite3
import threading

import pytest

from stratus import conf
from stratus import policy
from stratus.db import api as db_api
from stratus.db import instances as instances_db
from stratus.db import migration
from stratus.db import models
from tests.fixtures import compute_api as fixtures
from tests.fixtures import postgres

CONF = conf.CONF


def _use(url):
    CONF([], project='stratus', default_config_files=[],
         default_config_dirs=[])
    CONF.set_override('connection', url, 'database')
    # Short waits, few retries: the test needs the failure, not patience.
    CONF.set_override('busy_timeout', 1, 'database')
    CONF.set_override('max_retries', 1, 'database')
    db_api.dispose()
    policy.reset()


@pytest.fixture
def sqlite_env(tmp_path):
    path = tmp_path / 'stratus.sqlite'
    _use('sqlite:///%s' % path)
    models.Base.metadata.create_all(db_api.get_engine())
    yield fixtures.ComputeEnv(), str(path)
    db_api.dispose()
    CONF.reset()


@pytest.fixture
def pg_env():
    """A cluster of its own: the test stops and restarts it."""
    pg = postgres.Cluster().start()
    try:
        _use(pg.create_database('stratus'))
        migration.db_sync()
        yield fixtures.ComputeEnv(), pg
    finally:
        db_api.dispose()
        CONF.reset()
        pg.destroy()


def _lock(path):
    """Another connection holding the SQLite write lock."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute('BEGIN EXCLUSIVE')
    return conn


def _assert_unavailable(resp):
    assert resp.status_int == 503, resp.body
    fault = resp.json_body_or_none['serviceUnavailable']
    assert fault['code'] == 503
    assert 'database' in fault['message']


def test_locked_sqlite_is_503_then_works(sqlite_env):
    env, path = sqlite_env
    holder = _lock(path)
    try:
        _assert_unavailable(env.boot())
        assert fixtures.count_rows(models.Instance) == 0
        assert fixtures.count_rows(models.InstanceAction) == 0
    finally:
        holder.rollback()
        holder.close()
    server_id = env.boot_ok()
    assert env.member.get('/servers/%s' % server_id).status_int == 200
    assert fixtures.count_rows(models.Instance) == 1


class _Seen(logging.Handler):
    """Sets ``event`` when the database layer logs a database error."""

    def __init__(self):
        super().__init__()
        self.event = threading.Event()

    def emit(self, record):
        if 'Database error' in record.getMessage():
            self.event.set()


def test_writer_retries_until_the_lock_is_released(sqlite_env, flags):
    env, path = sqlite_env
    server_id = env.boot_ok()
    flags(group='database', max_retries=30)
    seen = _Seen()
    logging.getLogger('stratus.db.api').addHandler(seen)
    holder = _lock(path)
    result = []
    worker = threading.Thread(target=lambda: result.append(
        instances_db.update(server_id, {'display_name': 'renamed'})))
    try:
        worker.start()
        # Released only after a first attempt failed on the lock.
        assert seen.event.wait(120)
    finally:
        holder.rollback()
        holder.close()
        logging.getLogger('stratus.db.api').removeHandler(seen)
    worker.join(120)
    assert [r['display_name'] for r in result] == ['renamed']
    assert instances_db.get(server_id)['display_name'] == 'renamed'


def test_stopped_postgresql_is_503_then_works(pg_env):
    env, pg = pg_env
    first = env.boot_ok()
    pg.stop()
    try:
        _assert_unavailable(env.boot())
        _assert_unavailable(env.member.get('/servers'))
    finally:
        pg.start()
    second = env.boot_ok()
    listed = {s['id'] for s in
              env.member.get('/servers').json_body_or_none['servers']}
    assert listed == {first, second}
    assert fixtures.count_rows(models.Instance) == 2
