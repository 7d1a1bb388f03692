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


class DbRecorder:
    """Writes events into the database (any daemon but compute)."""

    def __init__(self, host=None):
        self.host = host

    def start(self, context, instance_uuid, event, start_time):
        from stratus.db import instances
        instances.event_start(instance_uuid, context.request_id, event,
                              self.host, start_time)

    def finish(self, context, instance_uuid, event, result, tb, start_time,
               finish_time):
        from stratus.db import instances
        instances.event_finish(instance_uuid, context.request_id, event,
                               result, tb, None, start_time, finish_time,
                               self.host)


class BackgroundRecorder:
    """Hands another recorder's writes to one thread, in order, so that a
    flow never waits for its own bookkeeping."""

    def __init__(self, recorder):
        self.recorder = recorder
        self._queue = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()

    def _submit(self, func, *args):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name='event-writer', daemon=True)
                self._thread.start()
        self._queue.put((func, args))

    def _run(self):
        while True:
            func, args = self._queue.get()
            try:
                func(*args)
            except Exception:
                LOG.warning('Could not record event %s', args[2],
                            exc_info=True)
            finally:
                self._queue.task_done()

    def start(self, *args):
        self._submit(self.recorder.start, *args)

    def finish(self, *args):
        self._submit(self.recorder.finish, *args)

    def flush(self):
        """Wait until every submitted write is done (tests, shutdown)."""
        self._queue.join()


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


def _each(func, context, instance_uuids, *args):
    for instance_uuid in instance_uuids:
        try:
            func(context, instance_uuid, *args)
        except Exception:
            LOG.warning('Could not record event %s of %s', args[0],
                        instance_uuid, exc_info=True)
