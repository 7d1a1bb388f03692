"""How an instance looks in EC2: its state, its ``item`` of an
``instancesSet``, and reservations grouping instances."""
from stratus import conf
from stratus.api.compute.views import servers as server_views
from stratus.api.ec2 import ids
from stratus.compute import task_states
from stratus.compute import vm_states

CONF = conf.CONF

PENDING = (0, 'pending')
RUNNING = (16, 'running')
SHUTTING_DOWN = (32, 'shutting-down')
TERMINATED = (48, 'terminated')
STOPPING = (64, 'stopping')
STOPPED = (80, 'stopped')

STATE_NAMES = tuple(s[1] for s in (PENDING, RUNNING, SHUTTING_DOWN,
                                   TERMINATED, STOPPING, STOPPED))

# A task under way decides first; then the stable vm_state.
_BY_TASK = {
    task_states.DELETING: SHUTTING_DOWN,
    task_states.POWERING_OFF: STOPPING,
    task_states.POWERING_ON: PENDING,
}
_BY_VM = {
    vm_states.BUILDING: PENDING,
    vm_states.ACTIVE: RUNNING,
    vm_states.STOPPED: STOPPED,
    # A failed instance still holds its resources until terminated.
    vm_states.ERROR: STOPPED,
    vm_states.DELETED: TERMINATED,
    'paused': STOPPED,
    'suspended': STOPPED,
    'rescued': RUNNING,
    'resized': RUNNING,
}


def state(inst):
    """(code, name) of an instance dict."""
    if inst.get('deleted') or inst['vm_state'] == vm_states.DELETED:
        return TERMINATED
    found = _BY_TASK.get(inst.get('task_state'))
    if found is not None:
        return found
    return _BY_VM.get(inst['vm_state'], PENDING)


def state_body(code_name):
    return {'code': code_name[0], 'name': code_name[1]}


def _addresses(inst):
    fixed = floating = None
    for entries in server_views.addresses(inst.get('network_info')).values():
        for entry in entries:
            if entry['version'] != 4 or not entry['addr']:
                continue
            if entry['OS-EXT-IPS:type'] == 'floating':
                floating = floating or entry['addr']
            else:
                fixed = fixed or entry['addr']
    return fixed, floating


def _state_reason(inst, fault):
    if inst['vm_state'] != vm_states.ERROR:
        return None
    message = (fault or {}).get('message') or 'The instance failed.'
    return {'code': 'Server.InternalError',
            'message': 'Server.InternalError: %s' % message}


def _group_set(inst, group_ids):
    return [{'groupName': g, 'groupId': group_ids.get(g)}
            for g in inst.get('security_groups') or []]


def instance(inst, image_numbers, fault=None, group_ids=None):
    """The ``item`` of one instance.

    :param image_numbers: {image uuid: EC2 image number}.
    :param group_ids: {security group name: ``sg-`` id} of its project.
    """
    fixed, floating = _addresses(inst)
    image_number = image_numbers.get(inst.get('image_ref'))
    flavor = inst.get('flavor') or {}
    return {
        'instanceId': ids.instance_ec2_id(inst),
        'imageId': (ids.image_ec2_id(image_number)
                    if image_number is not None else None),
        'instanceState': state_body(state(inst)),
        'privateDnsName': inst.get('hostname') or '',
        'dnsName': floating or '',
        'reason': '',
        'keyName': inst.get('key_name'),
        'amiLaunchIndex': inst.get('launch_index') or 0,
        'productCodes': [],
        'instanceType': flavor.get('name'),
        'launchTime': inst.get('launched_at') or inst['created_at'],
        'placement': {'availabilityZone': inst.get('availability_zone') or
                      CONF.default_availability_zone,
                      'tenancy': 'default'},
        'monitoring': {'state': 'disabled'},
        'privateIpAddress': fixed,
        'ipAddress': floating,
        'stateReason': _state_reason(inst, fault),
        'architecture': 'x86_64',
        'rootDeviceType': 'instance-store',
        'rootDeviceName': '/dev/vda',
        'blockDeviceMapping': [],
        'virtualizationType': 'hvm',
        'groupSet': _group_set(inst, group_ids or {}),
        'tagSet': [],
    }


def reservations(instances, image_numbers, faults=None, group_ids=None):
    """``reservationSet`` items: instances grouped by reservation, in the
    order their reservations first appear."""
    faults = faults or {}
    grouped = {}
    for inst in instances:
        key = inst.get('reservation_id') or 'r-%08x' % inst['id']
        grouped.setdefault(key, []).append(inst)
    return [reservation(key, members, image_numbers, faults, group_ids)
            for key, members in grouped.items()]


def reservation(reservation_id, instances, image_numbers, faults=None,
                group_ids=None):
    faults = faults or {}
    group_ids = group_ids or {}
    first = instances[0]
    return {
        'reservationId': reservation_id,
        'ownerId': first['project_id'],
        'groupSet': _group_set(first, group_ids),
        'instancesSet': [instance(i, image_numbers, faults.get(i['uuid']),
                                  group_ids)
                         for i in sorted(instances,
                                         key=lambda i: i['launch_index']
                                         or 0)],
    }
