"""Engine and transactions.

Two ways into the database: ``reader()`` for read-only work and ``writer()``
for anything that writes. On SQLite the writer opens its transaction with
``BEGIN IMMEDIATE`` so that read-then-write transactions of several daemons
queue on the busy timeout instead of failing with 'database is locked' at
commit (measured: ~80% of such writes fail with deferred BEGIN). Readers keep
the deferred BEGIN so that WAL lets them run beside a writer.

PostgreSQL keeps that contract: every writer transaction first takes one
transaction-scoped advisory lock, so writers run one at a time exactly as
on SQLite, and checks such as "count the project's instances, then insert"
(quotas) or "pick a free address, then take it" need no row locks of their
own. Readers take no lock and run at REPEATABLE READ: like a SQLite WAL
reader, all their statements see one snapshot (the scheduler sums usage
and then drops its in-memory claims for instances placed meanwhile; at READ
COMMITTED a placement committed between the two would be counted nowhere).
"""
import contextlib
import fcntl
import functools
import itertools
import os
import random
import sys
import threading
import time

import sqlalchemy as sa
from oslo_log import log as logging
from sqlalchemy import event, exc as sa_exc, orm

from stratus import conf
from stratus import exception
from stratus import json_codec

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_lock = threading.Lock()
_engines = {}
_makers = {}

# Benchmarks only (tools/bench/throughput.py): with STRATUS_SQL_COUNT_DIR
# set, every process counts the SQL statements it sends and writes the
# running total to DIR/<pid> twice a second. Off by default.
_SQL_COUNT_DIR = os.environ.get('STRATUS_SQL_COUNT_DIR')
_sql_count = itertools.count()
_sql_writer = []


# Benchmarks only: with STRATUS_DB_HOLD_LOG=PREFIX every process appends
# one line per write transaction to PREFIX.<pid>: the function that opened
# it, seconds waited for the turn, seconds held. Off by default.
_HOLD_LOG = os.environ.get('STRATUS_DB_HOLD_LOG')


def _log_hold(waited, held):
    # writer() -> contextmanager __enter__ -> the caller: two frames up
    # from the generator, plus retry wrappers are skipped by name.
    frame = sys._getframe(3)
    while frame.f_code.co_name in ('wrapper', '__enter__', '__exit__'):
        frame = frame.f_back
    with open('%s.%d' % (_HOLD_LOG, os.getpid()), 'a') as f:
        f.write('%s:%s %.6f %.6f\n' % (
            os.path.basename(frame.f_code.co_filename), frame.f_code.co_name,
            waited, held))


def _count_statements(engine):
    @event.listens_for(engine, 'before_cursor_execute')
    def _on_execute(*_args):
        next(_sql_count)

    if _sql_writer and _sql_writer[-1].is_alive():
        return

    def write():
        path = os.path.join(_SQL_COUNT_DIR, str(os.getpid()))
        while True:
            # itertools.count has no peek: read it through its repr.
            total = int(repr(_sql_count)[6:-1])
            with open(path + '.tmp', 'w') as f:
                f.write('%d\n' % total)
            os.replace(path + '.tmp', path)
            time.sleep(0.5)
    thread = threading.Thread(target=write, name='sql-count', daemon=True)
    thread.start()
    _sql_writer.append(thread)


class _WriterQueue:
    """Writers of one SQLite file take turns here before BEGIN IMMEDIATE.

    SQLite's busy handler never learns that the lock was released: a
    waiting writer sleeps 1, 2, 5 ... up to 100 ms between tries, so under
    load most of a boot's time went to those sleeps while the file was
    idle (measured: 13 boots/s with the CPU half used). Here the threads
    of a process queue on a lock that wakes the next one at once, and the
    one at the head takes an flock on ``<db>-writer.lock`` against the
    other processes, tried every 0.2-2 ms; the kernel drops it if the
    holder dies. A queue that can't be entered within the busy timeout
    steps aside and leaves the wait to SQLite, so this only ever shortens
    waits, it never decides correctness.
    """

    def __init__(self, path, timeout):
        self.path = path
        self.timeout = timeout
        self._pid = None
        self._fd = None
        self._threads = threading.RLock()
        self._depth = threading.local()

    def _file(self):
        if self._pid != os.getpid():
            # A forked child must not share its parent's open file: flock
            # belongs to the open file, and both would hold it at once.
            self._threads = threading.RLock()
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def _take_file(self, fd, deadline):
        pause = 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    @contextlib.contextmanager
    def turn(self):
        try:
            fd = self._file()
        except OSError:
            # An unwritable folder: SQLite's own waiting still works.
            yield
            return
        depth = getattr(self._depth, 'n', 0)
        if depth:
            # A writer inside a writer: the outer one holds the turn.
            self._depth.n = depth + 1
            try:
                yield
            finally:
                self._depth.n = depth
            return
        deadline = time.monotonic() + self.timeout
        threads = self._threads
        if not threads.acquire(timeout=self.timeout):
            yield
            return
        try:
            locked = self._take_file(fd, deadline)
            self._depth.n = 1
            try:
                yield
            finally:
                self._depth.n = 0
                if locked:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            threads.release()


_queues = {}


def _sqlite_engine(url, immediate):
    engine = sa.create_engine(
        url, connect_args={'timeout': CONF.database.busy_timeout,
                           'check_same_thread': False},
        pool_pre_ping=False, json_deserializer=json_codec.loads)

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if url.database and url.database != ':memory:':
            cur.execute('PRAGMA journal_mode=WAL')
            cur.execute('PRAGMA synchronous=NORMAL')
        cur.execute('PRAGMA busy_timeout=%d' %
                    (CONF.database.busy_timeout * 1000))
        cur.execute('PRAGMA foreign_keys=ON')
        cur.close()

    @event.listens_for(engine, 'begin')
    def _on_begin(conn):
        conn.exec_driver_sql('BEGIN IMMEDIATE' if immediate else 'BEGIN')

    return engine


def _memory_engine(url):
    # One shared connection: every session sees the same in-memory database.
    engine = sa.create_engine(
        url, connect_args={'check_same_thread': False},
        poolclass=sa.pool.StaticPool, json_deserializer=json_codec.loads)

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        dbapi_conn.execute('PRAGMA foreign_keys=ON')

    @event.listens_for(engine, 'begin')
    def _on_begin(conn):
        conn.exec_driver_sql('BEGIN')

    return engine


# pg_advisory_xact_lock key of the one-writer-at-a-time lock (any constant
# no other code uses; this one spells "stratus").
_PG_WRITER_LOCK = 0x73747261747573


def _postgres_engine(url, immediate):
    if url.drivername == 'postgresql':
        # psycopg 3 is what requirements.txt installs, not psycopg2.
        url = url.set(drivername='postgresql+psycopg')
    engine = sa.create_engine(
        url, isolation_level='READ COMMITTED' if immediate
        else 'REPEATABLE READ',
        # A dead server is found at checkout, not mid-transaction.
        pool_pre_ping=True, pool_size=5, max_overflow=15, pool_timeout=30,
        pool_recycle=3600,
        # Like SQLite's busy timeout: a writer that waits longer for the
        # writer lock (or any row lock) fails with a retryable error
        # instead of hanging.
        connect_args={'connect_timeout': CONF.database.busy_timeout,
                      'options': '-c lock_timeout=%d' %
                                 (CONF.database.busy_timeout * 1000)})

    if immediate:
        @event.listens_for(engine, 'begin')
        def _on_begin(conn):
            # READ COMMITTED takes its snapshot per statement, so every
            # statement after this one sees all earlier writers' commits.
            conn.exec_driver_sql('SELECT pg_advisory_xact_lock(%d)' %
                                 _PG_WRITER_LOCK)

    return engine


_forbidden = None


def forbid(reason):
    """Make every later database access fail (the compute daemon calls it:
    it reaches the database only through the conductor)."""
    global _forbidden
    _forbidden = reason


def get_engine(immediate=True):
    """The engine for the configured URL (writer or reader flavour)."""
    if _forbidden:
        raise RuntimeError('Database access is not allowed here: %s' %
                           _forbidden)
    url = CONF.database.connection
    key = (url, immediate)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() == 'sqlite':
                if parsed.database in (None, '', ':memory:'):
                    # Readers and writers must share the one connection.
                    shared = (url, 'memory')
                    engine = _engines.get(shared) or _memory_engine(parsed)
                    _engines[shared] = engine
                else:
                    engine = _sqlite_engine(parsed, immediate)
                    if immediate:
                        _queues[url] = _WriterQueue(
                            parsed.database + '-writer.lock',
                            CONF.database.busy_timeout)
            elif parsed.get_backend_name() == 'postgresql':
                engine = _postgres_engine(parsed, immediate)
            else:
                engine = sa.create_engine(url, pool_pre_ping=True,
                                          pool_size=10, max_overflow=20)
            if _SQL_COUNT_DIR:
                _count_statements(engine)
            _engines[key] = engine
            _makers[key] = orm.sessionmaker(bind=engine,
                                            expire_on_commit=False)
        return engine


def _maker(immediate):
    get_engine(immediate)
    return _makers[(CONF.database.connection, immediate)]


def dispose():
    """Forget every engine (tests switch URLs; daemons after fork)."""
    with _lock:
        for engine in set(_engines.values()):
            engine.dispose()
        _engines.clear()
        _makers.clear()
        _queues.clear()


# Locked, lost or unreachable database (SQLite 'database is locked', a
# stopped PostgreSQL, a dropped connection): the caller may try again.
_TRANSIENT = (sa_exc.OperationalError, sa_exc.InterfaceError)


def _refused(err):
    # A value the database refuses (PostgreSQL: a NUL character, a string
    # longer than its column; SQLite takes both) is the caller's bad input.
    reason = str(getattr(err, 'orig', err)).strip().splitlines()[0]
    return exception.Invalid(reason='the database refused a value: %s' %
                             reason)


@contextlib.contextmanager
def writer():
    """A read-write transaction, committed when the block ends."""
    maker = _maker(True)
    queue = _queues.get(CONF.database.connection)
    session = maker()
    try:
        waited = time.monotonic()
        with queue.turn() if queue else contextlib.nullcontext():
            began = time.monotonic()
            with session.begin():
                yield session
            if _HOLD_LOG:
                _log_hold(began - waited, time.monotonic() - began)
    except _TRANSIENT as e:
        raise _unavailable(e) from e
    except sa_exc.DataError as e:
        raise _refused(e) from e
    finally:
        session.close()


@contextlib.contextmanager
def reader():
    """A read-only transaction."""
    session = _maker(False)()
    try:
        with session.begin():
            yield session
    except _TRANSIENT as e:
        raise _unavailable(e) from e
    except sa_exc.DataError as e:
        raise _refused(e) from e
    finally:
        session.close()


class _Call:
    __slots__ = ('func', 'args', 'done', 'value', 'error')

    def __init__(self, func, args):
        self.func, self.args = func, args
        self.done, self.value, self.error = False, None, None


class _GroupCommit:
    """Small writes that arrive together share one write transaction.

    The first caller writes; callers arriving meanwhile queue, and the
    next of them writes the whole queue in one transaction: one turn of
    the write lock, one BEGIN and one COMMIT for a burst of heartbeats,
    resource reports and instance state changes instead of one each (at
    1,000 compute hosts the heartbeats alone kept the lock busy). A lone
    call costs what it did before.

    ``func(session, *args)`` must not have written anything when it
    raises an application error (a compare-and-swap that found another
    state): other calls of the batch still commit. A database error
    fails the shared transaction; every call of the batch then runs
    again in a transaction of its own, so one bad call never fails the
    others.
    """

    def __init__(self):
        self._cv = threading.Condition()
        self._queue = []
        self._busy = False

    def run(self, func, *args):
        call = _Call(func, args)
        with self._cv:
            self._queue.append(call)
            while self._busy and not call.done:
                self._cv.wait()
            if not call.done:
                self._busy = True
                batch, self._queue = self._queue, []
        if not call.done:
            try:
                self._write(batch)
            finally:
                with self._cv:
                    for c in batch:
                        c.done = True
                    self._busy = False
                    self._cv.notify_all()
        if call.error is not None:
            raise call.error
        return call.value

    @staticmethod
    def _write(batch):
        try:
            with writer() as session:
                for c in batch:
                    try:
                        c.value = c.func(session, *c.args)
                    except exception.StratusException as e:
                        c.error = e
            return
        except Exception:
            if len(batch) == 1:
                batch[0].error = sys.exc_info()[1]
                return
        for c in batch:
            c.value = c.error = None
            try:
                with writer() as session:
                    c.value = c.func(session, *c.args)
            except Exception as e:
                c.error = e


_group = _GroupCommit()


def group_write(func, *args):
    """``func(session, *args)`` in a write transaction that calls from
    other threads arriving at the same time may share (see
    ``_GroupCommit``); returns what ``func`` returns."""
    return _group.run(func, *args)


def _unavailable(err):
    LOG.warning('Database error: %s', err)
    return exception.ServiceUnavailable(reason='the database is busy or '
                                               'unreachable, try again')


def retry_on_unavailable(func):
    """Retry a whole transaction function when the database was busy.

    Only for functions whose every effect is inside their transaction, so a
    retry can't apply anything twice.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        attempts = CONF.database.max_retries
        for attempt in range(attempts + 1):
            try:
                return func(*args, **kwargs)
            except exception.ServiceUnavailable:
                if attempt == attempts:
                    raise
                time.sleep(min(2.0, 0.05 * 2 ** attempt) * random.random())
    return wrapper
