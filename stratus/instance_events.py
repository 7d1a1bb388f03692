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
import traceback

from oslo_log import log as logging
from oslo_utils import timeutils

LOG = logging.getLogger(__name__)


class EventWriter:
    """Writes events into the database from one background thread, many
    per transaction: a boot never waits for its own bookkeeping, and under
    load a burst of events costs one write transaction, not dozens (the
    database's write lock is what limits throughput on SQLite). Arrival
    order is kept. Used by the conductor for its own events and for those
    compute hosts send it.
    """

    BATCH = 200

    def __init__(self, host=None):
        self.host = host
        self._queue = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()

    def _submit(self, item):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name='event-writer', daemon=True)
                self._thread.start()
        self._queue.put(item)

    def _run(self):
        from stratus.db import instances
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                instances.write_events(batch)
            except Exception:
                LOG.warning('Could not record %d instance events',
                            len(batch), exc_info=True)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def flush(self):
        """Wait until every submitted event is written."""
        self._queue.join()

    # The recorder interface of ``recorded``.
    def start(self, context, instance_uuid, event, start_time, host=None):
        self._submit(('start', {
            'instance_uuid': instance_uuid,
            'request_id': context.request_id, 'event': event,
            'host': host or self.host, 'start_time': start_time}))

    def finish(self, context, instance_uuid, event, result, tb, start_time,
               finish_time, details=None, host=None):
        self._submit(('finish', {
            'instance_uuid': instance_uuid,
            'request_id': context.request_id, 'event': event,
            'result': result, 'traceback': tb, 'details': details,
            'start_time': start_time, 'finish_time': finish_time,
            'host': host or self.host}))


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
