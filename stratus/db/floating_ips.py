"""Floating IPs: pools of public addresses a project takes and associates
with one of its fixed IPs."""
import ipaddress
import uuid

import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def _to_dict(session, row):
    values = row.to_dict()
    values['fixed_address'] = None
    values['instance_uuid'] = None
    values['port_uuid'] = None
    if row.fixed_ip_id is not None:
        fixed = session.get(models.FixedIp, row.fixed_ip_id)
        if fixed is not None:
            values['fixed_address'] = fixed.address
            values['instance_uuid'] = fixed.instance_uuid
            vif = session.get(models.VirtualInterface,
                              fixed.virtual_interface_id) \
                if fixed.virtual_interface_id else None
            values['port_uuid'] = vif.uuid if vif else None
    net = session.get(models.Network, row.network_id) \
        if row.network_id else None
    values['network_uuid'] = net.uuid if net else None
    values['bridge'] = net.bridge if net else None
    return values


def create_range(pool, network_id, ip_range, exclude=()):
    """Add every host address of ``ip_range`` (except ``exclude``) to a pool.

    :returns: the number of addresses added.
    """
    net = ipaddress.ip_network(ip_range, strict=False)
    rows = [{'uuid': str(uuid.uuid4()), 'address': str(a), 'pool': pool,
             'network_id': network_id, 'auto_assigned': False,
             'created_at': models.utcnow()}
            for a in net.hosts() if str(a) not in exclude]
    with db_api.writer() as session:
        session.execute(sa.insert(models.FloatingIp), rows)
    return len(rows)


@db_api.retry_on_unavailable
def allocate(project_id, pool, address=None, description=None,
             check=None):
    """Give a free address of ``pool`` to a project (compare-and-swap).

    :param check: ``check(session, project_id)`` run first in the same
        transaction (a quota check that must not race the take).
    :raises: NoMoreFloatingIps, Conflict when ``address`` is taken, or
        what ``check`` raises.
    """
    table = models.FloatingIp
    with db_api.writer() as session:
        if check is not None:
            check(session, project_id)
        while True:
            query = sa.select(table.id).where(table.pool == pool,
                                              table.project_id.is_(None))
            if address:
                query = query.where(table.address == address)
            candidate = session.scalar(query.order_by(table.id).limit(1))
            if candidate is None:
                if address:
                    raise exception.Conflict(reason='floating IP %s is not '
                                                    'available' % address)
                raise exception.NoMoreFloatingIps(pool=pool)
            result = session.execute(sa.update(table).where(
                table.id == candidate, table.project_id.is_(None)).values(
                project_id=project_id, description=description,
                updated_at=models.utcnow()))
            if result.rowcount == 1:
                return _to_dict(session, session.get(table, candidate))


def _row(session, fip_id):
    table = models.FloatingIp
    cond = table.uuid == fip_id if '.' not in str(fip_id) else \
        table.address == fip_id
    row = session.scalars(sa.select(table).where(
        cond, table.project_id.is_not(None))).first()
    if row is None:
        raise exception.FloatingIpNotFound(id=fip_id)
    return row


def get(fip_id):
    """:param fip_id: uuid or address. :raises: FloatingIpNotFound."""
    with db_api.reader() as session:
        return _to_dict(session, _row(session, fip_id))


def get_all(project_id=None, filters=None):
    """Allocated floating IPs (of one project, or all when None)."""
    table = models.FloatingIp
    query = sa.select(table).where(table.project_id.is_not(None))
    if project_id is not None:
        query = query.where(table.project_id == project_id)
    for key, value in (filters or {}).items():
        query = query.where(getattr(table, key) == value)
    with db_api.reader() as session:
        return [_to_dict(session, r)
                for r in session.scalars(query.order_by(table.id))]


def associate(fip_id, fixed_address, instance_uuid, host):
    """Point a floating IP at the instance's fixed IP ``fixed_address``.

    :returns: ``(floating dict, previous floating dict or None)``.
    """
    with db_api.writer() as session:
        row = _row(session, fip_id)
        previous = _to_dict(session, row) if row.fixed_ip_id else None
        fixed = session.scalars(sa.select(models.FixedIp).where(
            models.FixedIp.address == fixed_address,
            models.FixedIp.instance_uuid == instance_uuid,
            models.FixedIp.allocated.is_(True))).first()
        if fixed is None:
            raise exception.FixedIpNotFound(instance_uuid=instance_uuid)
        row.fixed_ip_id = fixed.id
        row.host = host
        row.updated_at = models.utcnow()
        session.flush()
        return _to_dict(session, row), previous


def disassociate(fip_id):
    """:returns: the floating dict as it was (None if not associated)."""
    with db_api.writer() as session:
        row = _row(session, fip_id)
        if row.fixed_ip_id is None:
            return None
        before = _to_dict(session, row)
        row.fixed_ip_id = None
        row.host = None
        row.updated_at = models.utcnow()
        return before


def release(fip_id):
    """Return a floating IP to its pool. :raises: FloatingIpAssociated."""
    with db_api.writer() as session:
        row = _row(session, fip_id)
        if row.fixed_ip_id is not None:
            raise exception.FloatingIpAssociated(address=row.address)
        row.project_id = None
        row.description = None
        row.auto_assigned = False
        row.updated_at = models.utcnow()
