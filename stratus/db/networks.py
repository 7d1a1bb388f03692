"""Networks, fixed IPs and virtual interfaces (the network daemon's rows).

Allocation is atomic: a fixed IP is taken with a compare-and-swap UPDATE
(``allocated = false`` in the WHERE clause) inside the writer transaction
(``BEGIN IMMEDIATE`` on SQLite), and MAC addresses are unique in the schema,
so two concurrent boots can never share an address.
"""
import ipaddress
import random
import uuid

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import conf
from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

CONF = conf.CONF


def _net_dict(row):
    return row.to_dict()


# -- networks ---------------------------------------------------------------
def network_create(values, reserve_after=None):
    """Create a network and one fixed_ips row per address of its cidr.

    :param values: column values; ``cidr`` required. ``gateway`` defaults to
        the first host address, ``dhcp_start`` to the one after it.
    :param reserve_after: external (floating) networks: no fixed IP rows.
    :returns: the network as a dict.
    :raises: Invalid for a bad cidr or gateway.
    """
    try:
        net = ipaddress.ip_network(values['cidr'], strict=False)
    except ValueError as e:
        raise exception.Invalid(reason=str(e))
    if net.version != 4 or net.num_addresses < 4:
        raise exception.Invalid(reason='an IPv4 cidr of /30 or larger is '
                                       'needed, not %s' % net)
    hosts = list(net.hosts())
    values = dict(values)
    values['cidr'] = str(net)
    values.setdefault('uuid', str(uuid.uuid4()))
    values['gateway'] = values.get('gateway') or str(hosts[0])
    values['netmask'] = str(net.netmask)
    values['broadcast'] = str(net.broadcast_address)
    values['dhcp_start'] = values.get('dhcp_start') or str(hosts[1])
    gateway = ipaddress.ip_address(values['gateway'])
    dhcp_start = ipaddress.ip_address(values['dhcp_start'])
    if gateway not in net or dhcp_start not in net:
        raise exception.Invalid(reason='gateway and dhcp_start must be in '
                                       '%s' % net)
    with db_api.writer() as session:
        row = models.Network(**values)
        session.add(row)
        session.flush()
        if not values.get('external'):
            session.execute(sa.insert(models.FixedIp), [
                {'network_id': row.id, 'address': str(addr),
                 'reserved': (addr in (net.network_address,
                                       net.broadcast_address, gateway) or
                              addr < dhcp_start),
                 'allocated': False, 'leased': False}
                for addr in net])
        return _net_dict(row)


def network_delete(network_uuid):
    """:raises: NetworkNotFound, Conflict while addresses are in use."""
    with db_api.writer() as session:
        row = _network_row(session, network_uuid)
        used = session.scalar(sa.select(sa.func.count()).select_from(
            models.FixedIp).where(models.FixedIp.network_id == row.id,
                                  models.FixedIp.allocated.is_(True)))
        if used:
            raise exception.Conflict(reason='network %s has %d addresses '
                                            'in use' % (network_uuid, used))
        session.execute(sa.delete(models.FixedIp).where(
            models.FixedIp.network_id == row.id))
        row.deleted = row.id
        row.deleted_at = models.utcnow()


def _network_row(session, network_id):
    query = sa.select(models.Network).where(models.Network.deleted == 0)
    if isinstance(network_id, int):
        query = query.where(models.Network.id == network_id)
    else:
        query = query.where(models.Network.uuid == network_id)
    row = session.scalars(query).first()
    if row is None:
        raise exception.NetworkNotFound(network_id=network_id)
    return row


def network_get(network_id):
    """:param network_id: uuid (str) or id (int). :raises: NetworkNotFound."""
    with db_api.reader() as session:
        return _net_dict(_network_row(session, network_id))


def network_get_all(project_id=None, external=None, label=None,
                    all_projects=False):
    """Networks a project sees: its own plus the shared ones (no project)."""
    query = sa.select(models.Network).where(models.Network.deleted == 0)
    if not all_projects:
        query = query.where(sa.or_(models.Network.project_id.is_(None),
                                   models.Network.project_id == project_id))
    if external is not None:
        query = query.where(models.Network.external.is_(bool(external)))
    if label is not None:
        query = query.where(models.Network.label == label)
    with db_api.reader() as session:
        return [_net_dict(r) for r in
                session.scalars(query.order_by(models.Network.id))]


def network_counts(network_id):
    """:returns: (allocated, free) fixed IPs of a network."""
    with db_api.reader() as session:
        rows = session.execute(
            sa.select(models.FixedIp.allocated, sa.func.count()).where(
                models.FixedIp.network_id == network_id,
                models.FixedIp.reserved.is_(False)).group_by(
                models.FixedIp.allocated)).all()
    counts = {bool(a): n for a, n in rows}
    return counts.get(True, 0), counts.get(False, 0)


# -- allocation -------------------------------------------------------------
def _random_mac():
    prefix = CONF.network.mac_prefix
    tail = ':'.join('%02x' % random.randint(0, 255) for _ in range(3))
    return '%s:%s' % (prefix, tail)


def allocate(network_id, instance_uuid, project_id, host):
    """Create a VIF (unique random MAC) and take a free fixed IP for it.

    :returns: ``(vif dict, fixed ip dict)``.
    :raises: NoMoreFixedIps when the network is full.
    """
    for attempt in range(CONF.network.mac_attempts):
        try:
            return _allocate_once(network_id, instance_uuid, project_id,
                                  host, _random_mac())
        except sa_exc.IntegrityError:
            continue    # MAC collision: try another one
    raise exception.NetworkSetupError(reason='no unique MAC address after '
                                             '%d attempts' % (attempt + 1))


@db_api.retry_on_unavailable
def _allocate_once(network_id, instance_uuid, project_id, host, mac):
    with db_api.writer() as session:
        vif = models.VirtualInterface(uuid=str(uuid.uuid4()), address=mac,
                                      network_id=network_id,
                                      instance_uuid=instance_uuid,
                                      project_id=project_id)
        session.add(vif)
        session.flush()
        fixed = _take_fixed_ip(session, network_id, instance_uuid, vif.id,
                               host)
        return vif.to_dict(), fixed


def _take_fixed_ip(session, network_id, instance_uuid, vif_id, host):
    table = models.FixedIp
    while True:
        candidate = session.scalar(
            sa.select(table.id).where(
                table.network_id == network_id,
                table.allocated.is_(False), table.reserved.is_(False),
                table.instance_uuid.is_(None)).order_by(table.id).limit(1))
        if candidate is None:
            raise exception.NoMoreFixedIps(net=network_id)
        # Compare-and-swap: only wins while the row is still free.
        result = session.execute(
            sa.update(table).where(table.id == candidate,
                                   table.allocated.is_(False)).values(
                allocated=True, instance_uuid=instance_uuid,
                virtual_interface_id=vif_id, host=host,
                updated_at=models.utcnow()))
        if result.rowcount == 1:
            return session.get(table, candidate).to_dict()


def deallocate(instance_uuid):
    """Free every fixed IP and VIF of an instance; floating IPs on them are
    disassociated (they stay with their project).

    :returns: ``(network ids touched, floating IP dicts disassociated)``.
    """
    with db_api.writer() as session:
        fixed = session.scalars(sa.select(models.FixedIp).where(
            models.FixedIp.instance_uuid == instance_uuid)).all()
        fixed_ids = [f.id for f in fixed]
        floats = []
        if fixed_ids:
            for fip in session.scalars(sa.select(models.FloatingIp).where(
                    models.FloatingIp.fixed_ip_id.in_(fixed_ids))):
                floats.append(dict(fip.to_dict(), fixed_address=next(
                    f.address for f in fixed if f.id == fip.fixed_ip_id)))
                fip.fixed_ip_id = None
                fip.host = None
        networks = {f.network_id for f in fixed}
        for f in fixed:
            f.allocated = False
            f.leased = False
            f.instance_uuid = None
            f.virtual_interface_id = None
            f.host = None
        vifs = session.scalars(sa.select(models.VirtualInterface).where(
            models.VirtualInterface.instance_uuid == instance_uuid)).all()
        networks |= {v.network_id for v in vifs}
        session.execute(sa.delete(models.VirtualInterface).where(
            models.VirtualInterface.instance_uuid == instance_uuid))
        return sorted(networks), floats


def dhcp_hosts(network_id):
    """``[(mac, ip, instance_uuid)]`` of the allocated addresses."""
    with db_api.reader() as session:
        rows = session.execute(
            sa.select(models.VirtualInterface.address,
                      models.FixedIp.address,
                      models.FixedIp.instance_uuid).join(
                models.VirtualInterface,
                models.VirtualInterface.id ==
                models.FixedIp.virtual_interface_id).where(
                models.FixedIp.network_id == network_id,
                models.FixedIp.allocated.is_(True)).order_by(
                models.FixedIp.id)).all()
    return [tuple(r) for r in rows]


def vifs_for_instance(instance_uuid):
    """``[(vif, network, [fixed ip dicts with 'floating_ips'])]``."""
    with db_api.reader() as session:
        vifs = session.scalars(sa.select(models.VirtualInterface).where(
            models.VirtualInterface.instance_uuid == instance_uuid).order_by(
            models.VirtualInterface.id)).all()
        result = []
        for vif in vifs:
            net = session.get(models.Network, vif.network_id)
            ips = []
            for fixed in session.scalars(sa.select(models.FixedIp).where(
                    models.FixedIp.virtual_interface_id == vif.id)):
                entry = fixed.to_dict()
                entry['floating_ips'] = [f.address for f in session.scalars(
                    sa.select(models.FloatingIp).where(
                        models.FloatingIp.fixed_ip_id == fixed.id))]
                ips.append(entry)
            result.append((vif.to_dict(), _net_dict(net), ips))
        return result


def vif_get_all(filters=None):
    """VIFs (Neutron ports) with their fixed IPs, filtered by column."""
    query = sa.select(models.VirtualInterface)
    for key, value in (filters or {}).items():
        query = query.where(getattr(models.VirtualInterface, key) == value)
    with db_api.reader() as session:
        out = []
        for vif in session.scalars(query.order_by(models.VirtualInterface.id)):
            entry = vif.to_dict()
            entry['network_uuid'] = session.get(models.Network,
                                                vif.network_id).uuid
            entry['fixed_ips'] = [f.address for f in session.scalars(
                sa.select(models.FixedIp).where(
                    models.FixedIp.virtual_interface_id == vif.id))]
            out.append(entry)
        return out
