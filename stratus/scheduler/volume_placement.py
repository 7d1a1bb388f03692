"""Where a new volume goes: an up, enabled ``stratus-volume`` host in the
requested availability zone with the most free capacity.

Free capacity is the smaller of what the host last reported and its total
minus the volumes already placed on it (file volumes are thin, so the
report alone would over-commit). The chosen host is written into the
volume row before the cast, so the next decision already counts it.
"""
import sqlalchemy as sa
from oslo_log import log as logging

from stratus import exception
from stratus import servicegroup
from stratus.db import api as db_api
from stratus.db import models
from stratus.db import volumes as volumes_db
from stratus.volume import states

LOG = logging.getLogger(__name__)

VOLUME_BINARY = 'stratus-volume'


def host_candidates():
    """``[{'host', 'availability_zone', 'free_gb'}]`` of usable hosts."""
    svc = models.Service
    with db_api.reader() as session:
        services = [s.to_dict() for s in session.scalars(sa.select(svc).where(
            svc.binary == VOLUME_BINARY, svc.deleted == 0))]
    pools = {p['host']: p for p in volumes_db.pools_get()}
    allocated = volumes_db.allocated_gb_by_host()
    now = models.utcnow()
    found = []
    for service in services:
        pool = pools.get(service['host'])
        if pool is None or service['disabled'] or \
                not servicegroup.is_up(service, now):
            LOG.debug('Volume host %s is down, disabled or unreported',
                      service['host'])
            continue
        free = min(pool['free_gb'],
                   pool['total_gb'] - allocated.get(service['host'], 0))
        found.append({'host': service['host'], 'free_gb': free,
                      'availability_zone': pool['availability_zone']})
    return found


def select_host(size, availability_zone=None):
    """:returns: the host name. :raises: NoValidHost."""
    candidates = host_candidates()
    if availability_zone:
        candidates = [c for c in candidates
                      if c['availability_zone'] == availability_zone]
    fitting = [c for c in candidates if c['free_gb'] >= size]
    if not fitting:
        raise exception.NoValidHost(
            reason='No volume host has %d GiB free%s (%d hosts up).' % (
                size, ' in zone %s' % availability_zone
                if availability_zone else '', len(candidates)))
    best = max(fitting, key=lambda c: (c['free_gb'], c['host']))
    return best['host']


def schedule_create_volume(context, volume_rpcapi, volume_id, request_spec):
    """Pick a host, record it and cast to it; on NoValidHost the volume
    goes to ``error`` with the reason. Never raises."""
    spec = request_spec or {}
    try:
        volume = volumes_db.get(volume_id)
        host = select_host(volume['size'], spec.get('availability_zone'))
        volumes_db.update(volume_id, {'host': host},
                          expected_status=states.CREATING)
    except exception.NoValidHost as e:
        LOG.warning('Volume %s: %s', volume_id, e.message)
        _set_error(volume_id, e.message)
        return
    except (exception.VolumeNotFound, exception.VolumeInvalidState):
        LOG.info('Volume %s went away before it was scheduled', volume_id)
        return
    LOG.info('Volume %s scheduled to %s', volume_id, host)
    try:
        volume_rpcapi.create_volume(context, host, volume_id, spec)
    except Exception as e:
        LOG.exception('Cast of volume %s to %s failed', volume_id, host)
        _set_error(volume_id, 'The volume host %s is unreachable: %s' %
                   (host, e))


def _set_error(volume_id, reason):
    try:
        volumes_db.update(volume_id, {'status': states.ERROR,
                                      'status_reason': reason},
                          expected_status=states.CREATING)
    except (exception.VolumeNotFound, exception.VolumeInvalidState):
        pass
