"""Record an instance action event around one hop of a flow.

Every recorder gets the event's own start and finish times, taken where
the hop runs, so that writing them can happen off the request's path and
in any order: the conductor writes through a background thread, the
compute daemon sends casts to the conductor. ``recorded`` is the one way
flows record a hop.
"""
import contextlib
import queue
import threading
import time
import traceback

from oslo_log import log as logging
from oslo_utils import timeutils

LOG = logging.getLogger(__name__)


class EventQueue:
    """Events handed to ``sink`` in batches, from one background thread,
    in arrival order; a caller never waits for its own bookkeeping.

    ``linger`` seconds after the first event of a batch, every event that
    arrived meanwhile goes with it: one boot's dozen events cost one
    message or one write transaction instead of a dozen.
    """

    BATCH = 200

    def __init__(self, sink, linger=0.0, name='events'):
        self._sink = sink
        self._linger = linger
        self._name = name
        self._queue = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()

    def submit(self, item):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=self._name, daemon=True)
                self._thread.start()
        self._queue.put(item)

    def _run(self):
        while True:
            batch = [self._queue.get()]
            deadline = time.monotonic() + self._linger
            while len(batch) < self.BATCH:
                try:
                    batch.append(self._queue.get(
                        timeout=max(0.0, deadline - time.monotonic()))
                        if self._linger else self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._sink(batch)
            except Exception:
                LOG.warning('Could not record %d instance events',
                            len(batch), exc_info=True)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def flush(self, timeout=None):
        """Wait until every submitted event went to the sink.

        :returns: False when ``timeout`` seconds passed first.
        """
        q = self._queue
        with q.all_tasks_done:
            return q.all_tasks_done.wait_for(
                lambda: not q.unfinished_tasks, timeout)


def _start_item(context, instance_uuid, event, start_time, host):
    return ('start', {
        'instance_uuid': instance_uuid, 'request_id': context.request_id,
        'event': event, 'host': host, 'start_time': start_time})


def _finish_item(context, instance_uuid, event, result, tb, start_time,
                 finish_time, details, host):
    return ('finish', {
        'instance_uuid': instance_uuid, 'request_id': context.request_id,
        'event': event, 'result': result, 'traceback': tb,
        'details': details, 'start_time': start_time,
        'finish_time': finish_time, 'host': host})


class EventWriter:
    """Writes events into the database, many per transaction: under load
    a burst of events costs one write transaction, not dozens (the
    database's write lock is what limits throughput on SQLite). Used by
    the conductor for its own events and for those compute hosts send it.
    """

    def __init__(self, host=None):
        self.host = host
        self._queue = EventQueue(self._write, name='event-writer')

    @staticmethod
    def _write(batch):
        from stratus.db import instances
        instances.write_events(batch)

    def submit_many(self, items):
        for item in items:
            self._queue.submit(item)

    def flush(self):
        """Wait until every submitted event is written."""
        self._queue.flush()

    # The recorder interface of ``recorded``.
    def start(self, context, instance_uuid, event, start_time, host=None):
        self._queue.submit(_start_item(context, instance_uuid, event,
                                       start_time, host or self.host))

    def finish(self, context, instance_uuid, event, result, tb, start_time,
               finish_time, details=None, host=None):
        self._queue.submit(_finish_item(
            context, instance_uuid, event, result, tb, start_time,
            finish_time, details, host or self.host))


class SendingRecorder:
    """The recorder of a daemon without database access: events go to
    ``send(batch)`` (a cast to the conductor), gathered for ``linger``
    seconds, so that a boot's events travel in one or two messages.
    Times are taken where the hop runs, so the delay changes no figure.
    A second by default: the batch then reaches the conductor after the
    guest started, not while its start competes for the CPU with the
    conductor's handling (measured: ~40 ms of a TCG start on two cores).
    """

    def __init__(self, host, send, linger=1.0):
        self.host = host
        self._queue = EventQueue(send, linger, name='event-sender')

    def start(self, context, instance_uuid, event, start_time):
        self._queue.submit(_start_item(context, instance_uuid, event,
                                       start_time, self.host))

    def finish(self, context, instance_uuid, event, result, tb, start_time,
               finish_time):
        self._queue.submit(_finish_item(
            context, instance_uuid, event, result, tb, start_time,
            finish_time, None, self.host))

    def flush(self, timeout=None):
        return self._queue.flush(timeout)


_WRITER = None
_WRITER_LOCK = threading.Lock()


def writer(host=None):
    """This process's ``EventWriter``."""
    global _WRITER
    with _WRITER_LOCK:
        if _WRITER is None:
            _WRITER = EventWriter(host)
        return _WRITER


@contextlib.contextmanager
def recorded(recorder, context, instance_uuids, event):
    """Open ``event`` for each instance; close it Success or Error.

    A failure to record is logged and never breaks the flow itself.
    """
    if isinstance(instance_uuids, str):
        instance_uuids = [instance_uuids]
    started = timeutils.utcnow()
    _each(recorder.start, context, instance_uuids, event, started)
    try:
        yield
    except BaseException:
        tb = traceback.format_exc()
        _each(recorder.finish, context, instance_uuids, event, 'Error', tb,
              started, timeutils.utcnow())
        raise
    _each(recorder.finish, context, instance_uuids, event, 'Success', None,
          started, timeutils.utcnow())


def record_finished(recorder, context, instance_uuid, event, start_time,
                    finish_time):
    """Record a sub-step that already ran (Success); never raises."""
    _each(recorder.finish, context, [instance_uuid], event, 'Success', None,
          start_time, finish_time)


def _each(func, context, instance_uuids, *args):
    for instance_uuid in instance_uuids:
        try:
            func(context, instance_uuid, *args)
        except Exception:
            LOG.warning('Could not record event %s of %s', args[0],
                        instance_uuid, exc_info=True)
