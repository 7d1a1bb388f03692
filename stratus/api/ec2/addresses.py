"""Elastic IP actions over floating IPs: AllocateAddress,
DescribeAddresses, AssociateAddress, DisassociateAddress and
ReleaseAddress. Reads come from the database, every change goes to the
network daemon (it owns the NAT rules), as the Neutron controller does.

An address is named by its ``PublicIp`` (EC2-Classic) or by its
``eipalloc-`` id; another project's address is ``InvalidAddress.NotFound``.
"""
from oslo_log import log as logging

from stratus import exception
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import instances
from stratus.api.ec2 import params as p
from stratus.db import ec2 as ec2_db
from stratus.db import floating_ips as floating_db
from stratus.db import networks as networks_db

LOG = logging.getLogger(__name__)

_FILTERS = {
    'public-ip': lambda a: [a['publicIp']],
    'allocation-id': lambda a: [a['allocationId']],
    'association-id': lambda a: [a.get('associationId')],
    'instance-id': lambda a: [a.get('instanceId')],
    'private-ip-address': lambda a: [a.get('privateIpAddress')],
    'domain': lambda a: [a['domain']],
}


def _view(fip, numbers):
    number = numbers.get(fip['instance_uuid'])
    associated = fip['fixed_address'] is not None
    return {
        'publicIp': fip['address'],
        'allocationId': ids.allocation_ec2_id(fip),
        'domain': 'standard',
        'instanceId': 'i-%08x' % number if number is not None else None,
        'associationId': ids.association_ec2_id(fip) if associated
        else None,
        'privateIpAddress': fip['fixed_address'],
        'publicIpv4Pool': fip['pool'],
        'tagSet': [],
    }


def _mine(ctxt):
    return floating_db.get_all(ctxt.project_id)


def _find(ctxt, public_ip=None, allocation_id=None):
    """The caller's address named by its IP or its allocation id.

    :raises: Ec2Error InvalidAddress.NotFound.
    """
    for fip in _mine(ctxt):
        if public_ip is not None and fip['address'] == public_ip:
            return fip
        if allocation_id is not None and \
                ids.allocation_ec2_id(fip) == allocation_id:
            return fip
    raise errors.address_not_found(public_ip or allocation_id)


def _named(ctxt, params, id_param='AllocationId'):
    public_ip = p.get_str(params, 'PublicIp')
    other = p.get_str(params, id_param)
    if public_ip is None and other is None:
        raise errors.missing_parameter('PublicIp')
    if id_param == 'AssociationId' and public_ip is None:
        for fip in _mine(ctxt):
            if fip['fixed_address'] and \
                    ids.association_ec2_id(fip) == other:
                return fip
        raise errors.Ec2Error('InvalidAssociationID.NotFound',
                              "The association ID '%s' does not exist" %
                              other)
    return _find(ctxt, public_ip, None if public_ip else other)


def allocate_address(api, ctxt, params):
    try:
        fip = api.network.allocate_floating_ip(
            ctxt, ctxt.project_id, p.get_str(params, 'PublicIpv4Pool'),
            p.get_str(params, 'Address'))
    except exception.QuotaExceeded:
        # The network daemon checks the quota in the allocating
        # transaction (no race between check and allocation); the generic
        # mapping would call it InstanceLimitExceeded.
        raise errors.Ec2Error('AddressLimitExceeded', 'The maximum number '
                              'of addresses has been reached.')
    except exception.NoMoreFloatingIps as e:
        raise errors.Ec2Error('AddressLimitExceeded', e.message)
    except exception.Conflict:
        raise errors.Ec2Error('InvalidAddress.NotFound', "Address '%s' is "
                              "not available." % p.get_str(params,
                                                           'Address'))
    LOG.info('EC2 AllocateAddress: %s to project %s', fip['address'],
             ctxt.project_id)
    return {'publicIp': fip['address'], 'domain': 'standard',
            'allocationId': ids.allocation_ec2_id(fip),
            'publicIpv4Pool': fip['pool']}


def describe_addresses(api, ctxt, params):
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    fips = _mine(ctxt)
    public_ips = p.get_list(params, 'PublicIp')
    allocation_ids = p.get_list(params, 'AllocationId')
    numbers = ec2_db.instance_numbers(f['instance_uuid'] for f in fips)
    items = [_view(f, numbers) for f in fips]
    known = {i['publicIp'] for i in items} | {i['allocationId']
                                              for i in items}
    for wanted in public_ips + allocation_ids:
        if wanted not in known:
            raise errors.address_not_found(wanted)
    if public_ips:
        items = [i for i in items if i['publicIp'] in public_ips]
    if allocation_ids:
        items = [i for i in items if i['allocationId'] in allocation_ids]
    items = [i for i in items if all(
        any(v in values for v in _FILTERS[name](i))
        for name, values in filters.items())]
    return {'addressesSet': items}


def _port_of(inst, fixed_address):
    """The instance's VIF holding ``fixed_address`` (or its first)."""
    for vif in networks_db.vif_get_all({'instance_uuid': inst['uuid']}):
        if vif['fixed_ips'] and (fixed_address is None or
                                 fixed_address in vif['fixed_ips']):
            return vif
    raise errors.Ec2Error('InvalidInstanceID', 'Instance %s has no '
                          'private address%s to associate with.' %
                          (ids.instance_ec2_id(inst),
                           ' ' + fixed_address if fixed_address else ''))


def associate_address(api, ctxt, params):
    instance_id = p.get_str(params, 'InstanceId', required=True)
    fip = _named(ctxt, params)
    inst = instances.find(ctxt, [instance_id], include_deleted=False)[0]
    private = p.get_str(params, 'PrivateIpAddress')
    if fip['fixed_address'] and fip['instance_uuid'] != inst['uuid'] and \
            not p.get_bool(params, 'AllowReassociation', default=True):
        raise errors.Ec2Error('Resource.AlreadyAssociated', 'Address %s is '
                              'already associated.' % fip['address'])
    vif = _port_of(inst, private)
    fip = api.network.associate_floating_ip(ctxt, fip['uuid'], vif['uuid'],
                                            private)
    LOG.info('EC2 AssociateAddress: %s -> %s', fip['address'], instance_id)
    return {'return': True, 'associationId': ids.association_ec2_id(fip)}


def disassociate_address(api, ctxt, params):
    """Disassociating an address that is not associated succeeds."""
    fip = _named(ctxt, params, 'AssociationId')
    if fip['fixed_address']:
        api.network.disassociate_floating_ip(ctxt, fip['uuid'])
    return {'return': True}


def release_address(api, ctxt, params):
    """As in EC2-Classic, an associated address is disassociated first."""
    fip = _named(ctxt, params)
    api.network.release_floating_ip(ctxt, fip['uuid'])
    LOG.info('EC2 ReleaseAddress: %s from project %s', fip['address'],
             ctxt.project_id)
    return {'return': True}
