"""Volume actions: CreateVolume, DescribeVolumes, AttachVolume,
DetachVolume and DeleteVolume, over the volume API the block storage
and ``os-volume_attachments`` controllers use.

A handler sees only the caller's project's volumes: another project's
``vol-`` id is ``InvalidVolume.NotFound``.
"""
import re

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import instances
from stratus.api.ec2 import params as p
from stratus.db import ec2 as ec2_db
from stratus.volume import states

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# Cinder status -> EC2 volume state (EC2 knows creating, available,
# in-use, deleting, deleted and error).
_STATE = {
    states.CREATING: 'creating',
    states.AVAILABLE: 'available',
    states.ATTACHING: 'in-use',
    states.IN_USE: 'in-use',
    states.DETACHING: 'in-use',
    states.EXTENDING: 'available',
    states.DELETING: 'deleting',
    states.ERROR: 'error',
    states.ERROR_DELETING: 'error',
    states.ERROR_EXTENDING: 'error',
}
_IN_USE = (states.ATTACHING, states.IN_USE, states.DETACHING)
# EC2 device names (/dev/sdf, /dev/xvdf) name the guest's virtio disks.
_EC2_DEVICE = re.compile(r'^(/dev/)?(sd|xvd|vd)([b-z])$')

_FILTERS = {
    'volume-id': lambda v: [v['volumeId']],
    'status': lambda v: [v['status']],
    'availability-zone': lambda v: [v['availabilityZone']],
    'size': lambda v: [str(v['size'])],
    'attachment.instance-id': lambda v: [a['instanceId']
                                         for a in v['attachmentSet']],
    'attachment.status': lambda v: [a['status']
                                    for a in v['attachmentSet']],
    'attachment.device': lambda v: [a['device'] for a in v['attachmentSet']],
}


def state(volume):
    return _STATE.get(volume['status'], 'error')


def _attachment_view(volume, att, instance_ec2_id):
    return {
        'volumeId': ids.volume_ec2_id(volume),
        'instanceId': instance_ec2_id,
        'device': att['mountpoint'],
        'status': att['attach_status'],
        'attachTime': att.get('attach_time') or att.get('created_at'),
        'deleteOnTermination': bool(att.get('delete_on_termination')),
    }


def _instance_id(numbers, instance_uuid):
    number = numbers.get(instance_uuid)
    return None if number is None else 'i-%08x' % number


def _view(volume, attachments, numbers):
    return {
        'volumeId': ids.volume_ec2_id(volume),
        'size': volume['size'],
        'availabilityZone': volume['availability_zone'] or
        CONF.volume.storage_availability_zone,
        'status': state(volume),
        'createTime': volume['created_at'],
        'attachmentSet': [
            _attachment_view(volume, a, _instance_id(numbers,
                                                     a['instance_uuid']))
            for a in attachments],
        'volumeType': 'standard',
        'encrypted': False,
        'multiAttachEnabled': False,
        'tagSet': [],
    }


def _views(api, volumes):
    found = api.volume.attachments([v['id'] for v in volumes])
    numbers = ec2_db.instance_numbers(
        a['instance_uuid'] for atts in found.values() for a in atts)
    return [_view(v, found.get(v['id'], []), numbers) for v in volumes]


def _numbered(volumes):
    """``volumes`` with their EC2 numbers (``ec2_number``)."""
    numbers = ec2_db.volume_numbers(v['id'] for v in volumes)
    return [dict(v, ec2_number=numbers[v['id']]) for v in volumes]


def _find(api, ctxt, ec2_ids):
    """The caller's volumes named by ``ec2_ids``, in that order.

    :raises: Ec2Error InvalidVolumeID.Malformed / InvalidVolume.NotFound.
    """
    numbers = [ids.volume_number(i) for i in ec2_ids]
    uuids = ec2_db.volume_uuids(numbers)
    mine = {v['id']: v for v in api.volume.get_all(ctxt)}
    found = []
    for ec2_id, number in zip(ec2_ids, numbers):
        volume = mine.get(uuids.get(number))
        if volume is None:
            raise errors.volume_not_found(ec2_id)
        found.append(dict(volume, ec2_number=number))
    return found


def _one(api, ctxt, params):
    return _find(api, ctxt, [p.get_str(params, 'VolumeId',
                                       required=True)])[0]


# -- CreateVolume -----------------------------------------------------------

def _zone(params):
    zone = p.get_str(params, 'AvailabilityZone')
    if zone is None:
        return None
    known = set(ec2_db.availability_zones(CONF.default_availability_zone))
    known.add(CONF.volume.storage_availability_zone)
    if zone not in known:
        raise errors.invalid_parameter("Invalid availability zone: [%s]" %
                                       zone)
    return zone


def create_volume(api, ctxt, params):
    snapshot = p.get_str(params, 'SnapshotId')
    if snapshot is not None:
        raise errors.Ec2Error('InvalidSnapshot.NotFound',
                              "The snapshot '%s' does not exist: this "
                              "cloud has no volume snapshots." % snapshot)
    size = p.get_int(params, 'Size', required=True, minimum=1)
    volume_type = p.get_str(params, 'VolumeType', default='standard')
    if volume_type != 'standard':
        raise errors.invalid_parameter("Volume type '%s' is not offered; "
                                       "use 'standard'." % volume_type)
    try:
        volume = api.volume.create(ctxt, {
            'size': size, 'availability_zone': _zone(params),
            'name': None, 'description': None})
    except exception.QuotaExceeded as e:
        raise errors.Ec2Error('VolumeLimitExceeded', e.message)
    volume = _numbered([volume])[0]
    LOG.info('EC2 CreateVolume: %s (%s)', ids.volume_ec2_id(volume),
             volume['id'])
    return _view(volume, [], {})


# -- DescribeVolumes --------------------------------------------------------

def describe_volumes(api, ctxt, params):
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    wanted = p.get_list(params, 'VolumeId')
    if wanted:
        volumes = list({v['id']: v for v in _find(api, ctxt,
                                                    wanted)}.values())
    else:
        volumes = _numbered(list(reversed(api.volume.get_all(ctxt))))
    items = [v for v in _views(api, volumes) if all(
        any(value in values for value in _FILTERS[name](v))
        for name, values in filters.items())]
    return {'volumeSet': items}


# -- AttachVolume / DetachVolume --------------------------------------------

def _device(params):
    device = p.get_str(params, 'Device', required=True)
    match = _EC2_DEVICE.match(device)
    if match is None:
        raise errors.invalid_parameter("Value (%s) for parameter device is "
                                       "invalid. Expected /dev/sd[b-z] or "
                                       "/dev/vd[b-z]." % device)
    return '/dev/vd' + match.group(3)


def attach_volume(api, ctxt, params):
    volume = _one(api, ctxt, params)
    device = _device(params)
    instance_id = p.get_str(params, 'InstanceId', required=True)
    inst = instances.find(ctxt, [instance_id], include_deleted=False)[0]
    if volume['status'] != states.AVAILABLE:
        code = 'VolumeInUse' if volume['status'] in _IN_USE else \
            'IncorrectState'
        raise errors.Ec2Error(code, "Volume %s is %s, not available." %
                              (ids.volume_ec2_id(volume), state(volume)))
    try:
        att = api.volume.attach(ctxt, inst, volume['id'], device)
    except exception.InstanceInvalidState:
        raise errors.Ec2Error('IncorrectInstanceState', 'Instance %s is '
                              'not running or stopped.' % instance_id)
    return _attachment_view(volume, att, instance_id)


def detach_volume(api, ctxt, params):
    volume = _one(api, ctxt, params)
    live = [a for a in api.volume.attachments([volume['id']]).get(
        volume['id'], []) if a['attach_status'] == states.ATTACHED]
    numbers = ec2_db.instance_numbers(a['instance_uuid'] for a in live)
    instance_id = p.get_str(params, 'InstanceId')
    if instance_id is not None:
        wanted = ids.instance_number(instance_id)
        live = [a for a in live if numbers.get(a['instance_uuid']) == wanted]
    device = p.get_str(params, 'Device')
    if device is not None:
        live = [a for a in live
                if a['mountpoint'] in (device, _device(params))]
    if not live:
        raise errors.Ec2Error('IncorrectState', 'Volume %s is not attached'
                              '%s.' % (ids.volume_ec2_id(volume),
                                       ' to %s' % instance_id
                                       if instance_id else ''))
    att = live[0]
    inst = api.compute.get(ctxt, att['instance_uuid'])
    api.volume.detach(ctxt, inst, volume['id'])
    body = _attachment_view(volume, att, ids.instance_ec2_id(inst))
    body['status'] = 'detaching'
    return body


# -- DeleteVolume -----------------------------------------------------------

def delete_volume(api, ctxt, params):
    volume = _one(api, ctxt, params)
    if volume['status'] in _IN_USE:
        raise errors.Ec2Error('VolumeInUse', 'Volume %s is attached to an '
                              'instance.' % ids.volume_ec2_id(volume))
    try:
        api.volume.delete(ctxt, volume['id'])
    except exception.VolumeNotFound:
        pass  # gone meanwhile, as the caller wanted
    except exception.VolumeInvalidState as e:
        if e.kwargs.get('status') in _IN_USE:
            raise errors.Ec2Error('VolumeInUse', 'Volume %s is attached to '
                                  'an instance.' % ids.volume_ec2_id(volume))
        raise errors.Ec2Error('IncorrectState', 'Volume %s cannot be '
                              'deleted while it is %s.' %
                              (ids.volume_ec2_id(volume), state(volume)))
    return {'return': True}
