"""Service liveness: heartbeats into the services table and the up test."""
import datetime
import uuid

from stratus import conf
from stratus.db import api as db_api
from stratus.db import models

CONF = conf.CONF


class DbReporter:
    """Writes heartbeats straight into the database (all but compute)."""

    @db_api.retry_on_unavailable
    def report(self, host, binary, topic, stopping=False):
        report_service(host, binary, topic, stopping)


def report_service(host, binary, topic, stopping=False):
    """Create or refresh the services row of (host, binary).

    :param stopping: the daemon is going away; it is shown down at once
        instead of after ``service_down_time``.
    :returns: the row as a dict.
    """
    return db_api.group_write(_report, host, binary, topic, stopping)


def _report(session, host, binary, topic, stopping):
    now = models.utcnow()
    svc = models.Service
    found = svc.update_one(
        session, {'host': host, 'binary': binary, 'deleted': 0},
        {'topic': topic, 'report_count': svc.__table__.c.report_count + 1,
         'last_seen_up': None if stopping else now, 'updated_at': now})
    if found is not None:
        return found
    row = svc(uuid=str(uuid.uuid4()), host=host, binary=binary, topic=topic,
              report_count=1, last_seen_up=None if stopping else now)
    session.add(row)
    session.flush()
    return service_to_dict(row)


def service_to_dict(row):
    return row.to_dict()


def is_up(service, now=None, down_time=None):
    """True when the service heartbeated within ``service_down_time``.

    :param service: a services row or its dict.
    :param down_time: ``service_down_time`` as a timedelta, for callers
        that ask about thousands of services at once.
    """
    get = service.get if isinstance(service, dict) else \
        lambda k: getattr(service, k)
    if get('forced_down'):
        return False
    last = get('last_seen_up')
    if last is None:
        return False
    now = now or models.utcnow()
    return (now - last) < (down_time or datetime.timedelta(
        seconds=CONF.service_down_time))
