"""Record an instance action event around one hop of a flow.

The conductor, scheduler and API write events straight into the database;
the compute daemon sends them through the conductor. Both use ``recorded``
with their own recorder so the event shape is the same everywhere.
"""
import contextlib
import traceback

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class DbRecorder:
    """Writes events into the database (any daemon but compute)."""

    def __init__(self, host=None):
        self.host = host

    def start(self, context, instance_uuid, event):
        from stratus.db import instances
        instances.event_start(instance_uuid, context.request_id, event,
                              self.host)

    def finish(self, context, instance_uuid, event, result, tb=None,
               details=None):
        from stratus.db import instances
        instances.event_finish(instance_uuid, context.request_id, event,
                               result, tb, details)


@contextlib.contextmanager
def recorded(recorder, context, instance_uuids, event):
    """Open ``event`` for each instance; close it Success or Error.

    A failure to record is logged and never breaks the flow itself.
    """
    if isinstance(instance_uuids, str):
        instance_uuids = [instance_uuids]
    _each(recorder.start, context, instance_uuids, event)
    try:
        yield
    except BaseException:
        tb = traceback.format_exc()
        _each(recorder.finish, context, instance_uuids, event, 'Error', tb)
        raise
    _each(recorder.finish, context, instance_uuids, event, 'Success')


def _each(func, context, instance_uuids, *args):
    for instance_uuid in instance_uuids:
        try:
            func(context, instance_uuid, *args)
        except Exception:
            LOG.warning('Could not record event %s of %s', args[0],
                        instance_uuid, exc_info=True)
