"""The volumes of a boot (Nova's ``_prep_block_device``): made from an
image or given by id, reserved for the instance and connected before the
spawn, recorded ``in-use`` after it.

A volume made from an image is created by the volume service (which has
the scheduler place it) and waited for here, as Nova's compute waits for
Cinder. Whatever goes wrong is left for the build's clean-up, which
releases the instance's reservations (``compute.volumes.release_all``).
"""
import time

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import instance_events
from stratus.compute import volumes as compute_volumes

CONF = conf.CONF
LOG = logging.getLogger(__name__)

ROOT_DEVICE = '/dev/vda'


def _mountpoints(bdms):
    """Boot index 0 is the root disk (vda); the others keep their asked
    device name or take the next free one."""
    used = {ROOT_DEVICE}
    given = {}
    for bdm in bdms:
        if bdm.get('boot_index') == 0:
            given[id(bdm)] = ROOT_DEVICE
        elif bdm.get('device_name'):
            name = '/dev/' + str(bdm['device_name']).rsplit('/', 1)[-1]
            given[id(bdm)] = name
            used.add(name)
    letters = iter('bcdefghijklmnopqrstuvwxyz')
    for bdm in bdms:
        if id(bdm) not in given:
            name = ROOT_DEVICE
            while name in used:
                name = '/dev/vd' + next(letters)
            given[id(bdm)] = name
            used.add(name)
    return given


def prepare(mgr, context, instance, bdms):
    """Create, reserve and connect every volume of ``bdms``.

    :param bdms: the request's block device mappings, as the API checked
        them (``source_type`` image or volume, ``destination_type``
        volume).
    :returns: ``block_device_info`` for the virt driver.
    :raises: VolumeNotCreated, VolumeNotFound, VolumeInvalidState...
    """
    volumes = compute_volumes.volume_api(mgr)
    bdms = sorted((b for b in bdms if b.get('destination_type') == 'volume'),
                  key=lambda b: (b.get('boot_index') is None or
                                 b.get('boot_index') < 0,
                                 b.get('boot_index') or 0))
    mountpoints = _mountpoints(bdms)
    connector = {'host': mgr.host}
    mapping = []
    for bdm in bdms:
        with instance_events.recorded(mgr.event_recorder, context,
                                      instance['uuid'], 'volume_attach'):
            if bdm['source_type'] == 'image':
                volume = volumes.create_volume_for_instance(
                    context, bdm['volume_size'],
                    instance.get('availability_zone'),
                    name='%s-boot' % instance['uuid'],
                    image=bdm.get('image'))
                volume = _wait_available(volumes, context, volume['id'])
            else:
                volume = volumes.get_volume(context, bdm['uuid'])
            attachment = volumes.reserve_volume(
                context, volume['id'], instance['uuid'], mountpoints[id(bdm)],
                bool(bdm.get('delete_on_termination')))
            info = volumes.initialize_connection(context, volume['host'],
                                                 volume['id'], connector)
        info['serial'] = volume['id']
        mapping.append({'connection_info': info,
                        'mount_device': attachment['mountpoint'],
                        'boot_index': bdm.get('boot_index'),
                        'attachment_id': attachment['uuid']})
        LOG.info('Volume %s ready for %s at %s', volume['id'],
                 instance['uuid'], attachment['mountpoint'])
    return {'block_device_mapping': mapping}


def _wait_available(volumes, context, volume_id):
    """Poll the new volume until it is made (as Nova's
    ``_await_block_device_map_created``), backing off to 1 s."""
    deadline = time.monotonic() + CONF.compute.block_device_allocate_timeout
    interval = 0.1
    while True:
        volume = volumes.get_volume(context, volume_id)
        if volume['status'] == 'available':
            return volume
        if volume['status'] != 'creating' or time.monotonic() > deadline:
            raise exception.VolumeNotCreated(
                volume_id=volume_id, status=volume['status'],
                reason=volume.get('status_reason') or 'timed out')
        time.sleep(interval)
        interval = min(interval * 2, 1.0)


def finish(mgr, context, block_device_info):
    """The guest runs with its volumes: record them ``in-use``."""
    volumes = compute_volumes.volume_api(mgr)
    for bdm in (block_device_info or {}).get('block_device_mapping', ()):
        volumes.attach_volume(context, bdm['attachment_id'],
                              bdm['connection_info'], mgr.host)

