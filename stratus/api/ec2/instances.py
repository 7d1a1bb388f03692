"""Instance actions: RunInstances, DescribeInstances, Terminate, Stop,
Start, Reboot and GetConsoleOutput, over ``stratus.compute.api``.

Every handler takes (``backends.Backends``, context, parameters) and
returns the response body as plain data (see ``render``).
"""
import base64
import binascii

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import instance_views as views
from stratus.api.ec2 import params as p
from stratus.api.ec2 import security_groups
from stratus.db import ec2 as ec2_db
from stratus.db import instances as instances_db
from stratus.db import keypairs as keypairs_db
from stratus.db import models

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# Filter name -> function(instance) giving the values it matches.
_FILTERS = {
    'instance-id': lambda i: [ids.instance_ec2_id(i)],
    'instance-state-name': lambda i: [views.state(i)[1]],
    'instance-state-code': lambda i: [str(views.state(i)[0])],
    'reservation-id': lambda i: [i.get('reservation_id')],
    'instance-type': lambda i: [(i.get('flavor') or {}).get('name')],
    'key-name': lambda i: [i.get('key_name')],
    'availability-zone': lambda i: [i.get('availability_zone') or
                                    CONF.default_availability_zone],
}


def _image_numbers(instances):
    return ec2_db.ec2_ids_for_images(i.get('image_ref') for i in instances)


def find(ctxt, ec2_ids, include_deleted=True):
    """The caller's instances named by ``ec2_ids``, in that order.

    :raises: Ec2Error InvalidInstanceID.Malformed / .NotFound.
    """
    numbers = [ids.instance_number(i) for i in ec2_ids]
    keep = CONF.api.ec2_terminated_visible if include_deleted else 0
    rows = ec2_db.instances_for_ec2(ctxt.project_id, keep, ids=numbers)
    by_id = {r['id']: r for r in rows
             if include_deleted or not r['deleted']}
    for ec2_id, number in zip(ec2_ids, numbers):
        if number not in by_id:
            raise errors.instance_not_found(ec2_id)
    return [by_id[n] for n in numbers]


def _required_ids(params):
    found = p.get_list(params, 'InstanceId')
    if not found:
        raise errors.missing_parameter('InstanceId')
    return found


# -- RunInstances -----------------------------------------------------------

def _image(ctxt, ec2_id):
    try:
        return ec2_db.image_by_ec2_id(ctxt, ids.image_number(ec2_id))
    except exception.ImageNotFound:
        raise errors.image_not_found(ec2_id)


def _flavor(name):
    flavor = ec2_db.flavor_by_name(name)
    if flavor is None:
        raise errors.invalid_parameter("Invalid value '%s' for "
                                       "InstanceType." % name)
    return flavor


def _user_data(value):
    if value is None:
        return None
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise errors.invalid_parameter('Invalid BASE64 encoding of user '
                                       'data.')
    return value


def _run_params(ctxt, params):
    image = _image(ctxt, p.get_str(params, 'ImageId', required=True))
    flavor = _flavor(p.get_str(params, 'InstanceType', default='m1.small'))
    min_count = p.get_int(params, 'MinCount', required=True, minimum=1)
    max_count = p.get_int(params, 'MaxCount', required=True, minimum=1)
    if max_count < min_count:
        raise errors.invalid_parameter('MinCount (%d) must not be larger '
                                       'than MaxCount (%d).' %
                                       (min_count, max_count))
    key_name = p.get_str(params, 'KeyName')
    if key_name is not None:
        try:
            keypairs_db.get(ctxt.user_id, key_name)
        except exception.KeypairNotFound:
            raise errors.keypair_not_found(key_name)
    groups = security_groups.names_for_run(
        ctxt, p.get_list(params, 'SecurityGroup'),
        p.get_list(params, 'SecurityGroupId'))
    return {
        'name': 'server', 'image_id': image['id'],
        'flavor_id': flavor['flavorid'], 'min_count': min_count,
        'max_count': max_count, 'key_name': key_name,
        'user_data': _user_data(p.get_str(params, 'UserData')),
        'availability_zone': p.get_str(params,
                                       'Placement.AvailabilityZone'),
        'security_groups': groups,
    }


def run_instances(api, ctxt, params):
    compute = api.compute
    instances, reservation_id = compute.create(ctxt,
                                               _run_params(ctxt, params))
    LOG.info('EC2 RunInstances: reservation %s, instances %s',
             reservation_id, [i['uuid'] for i in instances])
    return views.reservation(reservation_id, instances,
                             _image_numbers(instances),
                             group_ids=security_groups.ids_by_name(ctxt))


# -- DescribeInstances ------------------------------------------------------

def _matches(inst, filters):
    for name, wanted in filters.items():
        values = _FILTERS[name](inst)
        if not any(v in wanted for v in values):
            return False
    return True


def describe_instances(api, ctxt, params):
    compute = api.compute
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    wanted = p.get_list(params, 'InstanceId')
    if wanted:
        rows = find(ctxt, wanted)
    else:
        rows = ec2_db.instances_for_ec2(ctxt.project_id,
                                        CONF.api.ec2_terminated_visible)
    rows = [r for r in rows if _matches(r, filters)]
    faults = compute.get_faults([r['uuid'] for r in rows
                                 if r['vm_state'] == 'error'])
    return {'reservationSet': views.reservations(
        rows, _image_numbers(rows), faults,
        security_groups.ids_by_name(ctxt))}


# -- state changes ----------------------------------------------------------

def _reloaded(inst):
    try:
        return instances_db.get(inst['uuid'], read_deleted=True)
    except exception.InstanceNotFound:
        return dict(inst, deleted=inst['id'], vm_state='deleted')


def _state_changes(compute, ctxt, params, act, skip_when=None):
    """Run ``act(uuid)`` on each named instance; report the states."""
    changes = []
    for inst in find(ctxt, _required_ids(params)):
        before = views.state(inst)
        if skip_when is None or not skip_when(inst):
            act(inst['uuid'])
        after = views.state(_reloaded(inst))
        changes.append({'instanceId': ids.instance_ec2_id(inst),
                        'currentState': views.state_body(after),
                        'previousState': views.state_body(before)})
    return {'instancesSet': changes}


def terminate_instances(api, ctxt, params):
    compute = api.compute
    def act(uuid):
        try:
            compute.delete(ctxt, uuid)
        except exception.InstanceNotFound:
            pass  # finished deleting meanwhile
    return _state_changes(compute, ctxt, params, act,
                          skip_when=lambda i: bool(i['deleted']))


def stop_instances(api, ctxt, params):
    compute = api.compute
    return _state_changes(compute, ctxt, params,
                          lambda uuid: compute.stop(ctxt, uuid))


def start_instances(api, ctxt, params):
    compute = api.compute
    return _state_changes(compute, ctxt, params,
                          lambda uuid: compute.start(ctxt, uuid))


def reboot_instances(api, ctxt, params):
    compute = api.compute
    for inst in find(ctxt, _required_ids(params), include_deleted=False):
        compute.reboot(ctxt, inst['uuid'], 'SOFT')
    return {'return': True}


def get_console_output(api, ctxt, params):
    compute = api.compute
    ec2_id = p.get_str(params, 'InstanceId', required=True)
    inst = find(ctxt, [ec2_id], include_deleted=False)[0]
    text = compute.get_console_output(ctxt, inst['uuid']) or ''
    if isinstance(text, str):
        text = text.encode('utf-8', 'replace')
    return {'instanceId': ec2_id, 'timestamp': models.utcnow(),
            'output': base64.b64encode(text).decode('ascii')}
