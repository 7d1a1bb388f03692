"""The services table as the admin APIs see it (list, enable/disable,
forced down, delete)."""
import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def get_all(binary=None, host=None):
    svc = models.Service
    with db_api.reader() as session:
        query = sa.select(svc).where(svc.deleted == 0).order_by(svc.id)
        if binary:
            query = query.where(svc.binary == binary)
        if host:
            query = query.where(svc.host == host)
        return [r.to_dict() for r in session.scalars(query)]


def _find(session, service_id=None, host=None, binary=None):
    svc = models.Service
    query = sa.select(svc).where(svc.deleted == 0)
    if service_id is not None:
        key = str(service_id)
        query = query.where(svc.id == int(key)) if key.isdigit() else \
            query.where(svc.uuid == key)
    else:
        query = query.where(svc.host == host, svc.binary == binary)
    row = session.scalars(query).first()
    if row is None:
        raise exception.ServiceNotFound(
            service_id=service_id if service_id is not None else
            '%s on %s' % (binary, host))
    return row


def get(service_id=None, host=None, binary=None):
    """By id/uuid, or by (host, binary).

    :raises: ServiceNotFound.
    """
    with db_api.reader() as session:
        return _find(session, service_id, host, binary).to_dict()


@db_api.retry_on_unavailable
def update(values, service_id=None, host=None, binary=None):
    """Set ``disabled``, ``disabled_reason`` and/or ``forced_down``.

    :raises: ServiceNotFound.
    """
    allowed = {'disabled', 'disabled_reason', 'forced_down'}
    with db_api.writer() as session:
        row = _find(session, service_id, host, binary)
        for key, value in values.items():
            if key in allowed:
                setattr(row, key, value)
        row.updated_at = models.utcnow()
        session.flush()
        return row.to_dict()


@db_api.retry_on_unavailable
def delete(service_id):
    """Soft-delete a service (and a compute service's node row).

    :raises: ServiceNotFound.
    """
    with db_api.writer() as session:
        row = _find(session, service_id)
        now = models.utcnow()
        row.deleted, row.deleted_at = row.id, now
        if row.binary == 'stratus-compute':
            node = models.ComputeNode
            for n in session.scalars(sa.select(node).where(
                    node.host == row.host, node.deleted == 0)):
                n.deleted, n.deleted_at = n.id, now
            ah = models.AggregateHost
            session.execute(sa.delete(ah).where(ah.host == row.host))
