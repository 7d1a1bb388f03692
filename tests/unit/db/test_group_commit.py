"""Group commit (stratus/db/api.py group_write): concurrent small writes
share a transaction, and one call's failure stays its own."""
import threading
import time

import pytest
import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models
from stratus import servicegroup


def _run_together(funcs):
    """Start the first call, hold it inside its transaction until the
    others have queued behind it, then let everything finish."""
    results = [None] * len(funcs)
    first_in = threading.Event()
    release = threading.Event()

    def first(session, *args):
        first_in.set()
        assert release.wait(5)
        return funcs[0](session, *args)

    def call(i, func):
        try:
            results[i] = ('ok', db_api.group_write(func))
        except Exception as e:
            results[i] = ('error', e)
    threads = [threading.Thread(target=call, args=(0, first))]
    threads[0].start()
    assert first_in.wait(5)
    for i, func in enumerate(funcs[1:], 1):
        threads.append(threading.Thread(target=call, args=(i, func)))
        threads[-1].start()
    deadline = time.monotonic() + 5
    while len(db_api._group._queue) < len(funcs) - 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    release.set()
    for t in threads:
        t.join(5)
    return results


def test_calls_queued_behind_a_write_share_the_next_transaction(db):
    # The sessions themselves, not their id()s: a freed session's id can
    # be reused by the next one, which made two transactions look like one.
    sessions = []

    def report(n):
        def func(session):
            sessions.append(session)
            return servicegroup._report(session, 'h%d' % n,
                                        'stratus-compute', 'compute', False)
        return func
    results = _run_together([report(n) for n in range(6)])
    assert [r[0] for r in results] == ['ok'] * 6
    assert [r[1]['host'] for r in results] == ['h%d' % n for n in range(6)]
    # The first alone, the five that queued behind it together.
    assert len({id(s) for s in sessions}) == 2
    assert sessions[1:] == [sessions[1]] * 5
    with db_api.reader() as session:
        assert session.scalar(sa.select(sa.func.count(models.Service.id))) \
            == 6


def test_an_application_error_fails_only_its_own_call(db):
    def ok(n):
        return lambda session: servicegroup._report(
            session, 'h%d' % n, 'stratus-compute', 'compute', False)

    def refused(session):
        raise exception.InstanceNotFound(instance_id='x')
    results = _run_together([ok(0), ok(1), refused, ok(2)])
    assert [r[0] for r in results] == ['ok', 'ok', 'error', 'ok']
    assert isinstance(results[2][1], exception.InstanceNotFound)


def test_a_database_error_fails_only_its_own_call(db):
    def ok(n):
        return lambda session: servicegroup._report(
            session, 'h%d' % n, 'stratus-compute', 'compute', False)

    def broken(session):
        session.execute(sa.text('INSERT INTO no_such_table VALUES (1)'))
    results = _run_together([ok(0), ok(1), broken, ok(2)])
    assert [r[0] for r in results] == ['ok', 'ok', 'error', 'ok']
    with db_api.reader() as session:
        hosts = set(session.scalars(sa.select(models.Service.host)))
    assert hosts == {'h0', 'h1', 'h2'}


def test_a_lone_call_returns_and_raises_as_a_plain_transaction(db):
    assert db_api.group_write(
        lambda session: session.scalar(sa.text('SELECT 7'))) == 7
    with pytest.raises(exception.InstanceNotFound):
        db_api.group_write(lambda session: (_ for _ in ()).throw(
            exception.InstanceNotFound(instance_id='y')))
