"""Per-project quota limits and the usage they are checked against.

A project without a row for a resource gets ``DEFAULTS``; -1 is unlimited.
Usage is counted from the live rows (instances, key pairs, volumes, floating
IPs), never cached, so a check and the insert it guards must share one
writer transaction.
"""
import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

UNLIMITED = -1

DEFAULTS = {
    'instances': 10,
    'cores': 20,
    'ram': 51200,
    'key_pairs': 100,
    'metadata_items': 128,
    'injected_files': 5,
    'injected_file_content_bytes': 10240,
    'injected_file_path_bytes': 255,
    'server_groups': 10,
    'server_group_members': 10,
    'fixed_ips': -1,
    'floating_ips': 10,
    'security_groups': 10,
    'security_group_rules': 20,
}

# Cinder's quota set: kept out of DEFAULTS, which is what the compute
# API's os-quota-sets shows.
VOLUME_DEFAULTS = {
    'volumes': 10,
    'gigabytes': 1000,
}


def _limits(session, project_id):
    limits = dict(DEFAULTS, **VOLUME_DEFAULTS)
    rows = session.scalars(sa.select(models.Quota).where(
        models.Quota.project_id == project_id)).all()
    for row in rows:
        if row.resource in limits:
            limits[row.resource] = row.hard_limit
    return limits


def get_limits(project_id, session=None):
    """:returns: {resource: hard limit} with defaults filled in."""
    if session is not None:
        return _limits(session, project_id)
    with db_api.reader() as session:
        return _limits(session, project_id)


def _instance_usage(session, project_id):
    inst = models.Instance
    # count(*), not count(id): every column read is in
    # instances_project_usage_idx, so the sum never touches the wide rows.
    count, cores, ram = session.execute(sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(inst.vcpus), 0),
        sa.func.coalesce(sa.func.sum(inst.memory_mb), 0)).where(
        inst.project_id == project_id, inst.deleted == 0)).one()
    return {'instances': int(count), 'cores': int(cores), 'ram': int(ram)}


def get_usage(project_id, session=None):
    """:returns: {'instances', 'cores', 'ram'} in use by ``project_id``."""
    if session is not None:
        return _instance_usage(session, project_id)
    with db_api.reader() as session:
        return _instance_usage(session, project_id)


def count_key_pairs(session, user_id):
    kp = models.KeyPair
    return session.scalar(sa.select(sa.func.count(kp.id)).where(
        kp.user_id == user_id, kp.deleted == 0))


def instances_allowed(session, project_id, per_instance, wanted, minimum):
    """How many of ``wanted`` instances the quota lets ``project_id`` add.

    :param per_instance: {'cores': n, 'ram': mb} of one instance.
    :returns: a number between ``minimum`` and ``wanted``.
    :raises: QuotaExceeded when not even ``minimum`` fit.
    """
    limits = _limits(session, project_id)
    used = _instance_usage(session, project_id)
    needs = {'instances': 1, 'cores': per_instance['cores'],
             'ram': per_instance['ram']}
    allowed = wanted
    worst = None
    for resource, need in needs.items():
        limit = limits[resource]
        if limit == UNLIMITED or need <= 0:
            continue
        fits = max(0, (limit - used[resource]) // need)
        if fits < allowed:
            allowed = fits
            worst = resource
    if allowed < minimum:
        raise exception.QuotaExceeded(
            resource=worst, requested=minimum * needs[worst],
            used=used[worst], allowed=limits[worst])
    return allowed


def _check(limits, used, needs):
    for resource, need in needs.items():
        limit = limits[resource]
        if limit != UNLIMITED and used[resource] + need > limit:
            raise exception.QuotaExceeded(
                resource=resource, requested=need, used=used[resource],
                allowed=limit)


def check_volume(session, project_id, size):
    """Refuse a new volume of ``size`` GiB over the project's ``volumes``
    or ``gigabytes`` quota. Call it in the writer transaction that inserts
    the volume, so that parallel creates can't both pass.

    :raises: QuotaExceeded.
    """
    vol = models.Volume
    count, gigabytes = session.execute(sa.select(
        sa.func.count(vol.id), sa.func.coalesce(sa.func.sum(vol.size), 0)
    ).where(vol.project_id == project_id, vol.deleted == 0)).one()
    _check(_limits(session, project_id),
           {'volumes': int(count), 'gigabytes': int(gigabytes)},
           {'volumes': 1, 'gigabytes': size})


def check_floating_ip(session, project_id):
    """Refuse one more floating IP over the project's ``floating_ips``
    quota. Call it in the writer transaction that takes the address.

    :raises: QuotaExceeded.
    """
    fip = models.FloatingIp
    count = session.scalar(sa.select(sa.func.count(fip.id)).where(
        fip.project_id == project_id))
    _check(_limits(session, project_id), {'floating_ips': int(count)},
           {'floating_ips': 1})


@db_api.retry_on_unavailable
def update(project_id, values):
    """Set hard limits of ``project_id``; unknown resources are refused.

    :raises: Invalid.
    """
    unknown = set(values) - set(DEFAULTS) - set(VOLUME_DEFAULTS)
    if unknown:
        raise exception.Invalid(reason='Unknown quota resources %s.' %
                                ', '.join(sorted(unknown)))
    with db_api.writer() as session:
        rows = {r.resource: r for r in session.scalars(
            sa.select(models.Quota).where(
                models.Quota.project_id == project_id))}
        for resource, limit in values.items():
            row = rows.get(resource)
            if row is None:
                session.add(models.Quota(project_id=project_id,
                                         resource=resource,
                                         hard_limit=int(limit)))
            else:
                row.hard_limit = int(limit)
        session.flush()
        return _limits(session, project_id)


@db_api.retry_on_unavailable
def reset(project_id):
    """Drop the project's own limits: it falls back to the defaults."""
    with db_api.writer() as session:
        session.execute(sa.delete(models.Quota).where(
            models.Quota.project_id == project_id))
