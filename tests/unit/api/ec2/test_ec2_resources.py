"""Pure logic behind the EC2 volume, address and security group actions:
their ids, the volume states, and rules read from both parameter forms
and shown as ``ipPermissions``."""
import pytest

from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import security_groups as sg
from stratus.api.ec2 import volumes

GROUPS = [{'id': 1, 'uuid': 'u-default', 'name': 'default'},
          {'id': 10, 'uuid': 'u-web', 'name': 'web'}]


def test_volume_ids_show_the_mapped_number():
    volume = {'id': '0a1b2c3d-0000-4000-8000-000000000000',
              'ec2_number': 0x1b}
    assert ids.volume_ec2_id(volume) == 'vol-0000001b'
    assert ids.volume_number('vol-0a1b2c3d') == 0x0a1b2c3d
    for bad in ('vol-', 'vol-xyz', 'sg-0a1b2c3d', '0a1b2c3d'):
        with pytest.raises(errors.Ec2Error) as info:
            ids.volume_number(bad)
        assert info.value.code == 'InvalidVolumeID.Malformed'


def test_group_and_address_ids():
    assert ids.group_ec2_id({'id': 26}) == 'sg-0000001a'
    assert ids.group_number('sg-0000001a') == 26
    assert ids.allocation_ec2_id({'id': 3}) == 'eipalloc-00000003'
    assert ids.association_ec2_id({'id': 3}) == 'eipassoc-00000003'


@pytest.mark.parametrize('status, state', [
    ('creating', 'creating'), ('available', 'available'),
    ('attaching', 'in-use'), ('in-use', 'in-use'), ('detaching', 'in-use'),
    ('deleting', 'deleting'), ('error', 'error'),
    ('error_deleting', 'error'), ('something-new', 'error')])
def test_volume_states_as_ec2_names_them(status, state):
    assert volumes.state({'status': status}) == state


def test_flat_form_defaults_to_anywhere():
    rules = sg._requested_rules({'IpProtocol': 'tcp', 'FromPort': '22',
                                 'ToPort': '23'}, GROUPS)
    assert rules == [{'direction': 'ingress', 'ethertype': 'IPv4',
                      'protocol': 'tcp', 'port_range_min': 22,
                      'port_range_max': 23, 'remote_ip_prefix': '0.0.0.0/0',
                      'remote_group_id': None}]


def test_ip_permissions_form_with_ranges_and_groups():
    rules = sg._requested_rules({
        'IpPermissions.1.IpProtocol': '-1',
        'IpPermissions.1.Groups.1.GroupId': 'sg-0000000a',
        'IpPermissions.2.IpProtocol': '1',
        'IpPermissions.2.FromPort': '8',
        'IpPermissions.2.ToPort': '-1',
        'IpPermissions.2.IpRanges.1.CidrIp': '10.1.2.3/8',
        'IpPermissions.2.Ipv6Ranges.1.CidrIpv6': '2001:db8::/32'}, GROUPS)
    assert [(r['protocol'], r['port_range_min'], r['port_range_max'],
             r['ethertype'], r['remote_ip_prefix'], r['remote_group_id'])
            for r in rules] == [
        (None, None, None, 'IPv4', None, 'u-web'),
        ('icmp', 8, None, 'IPv4', '10.0.0.0/8', None),
        ('icmp', 8, None, 'IPv6', '2001:db8::/32', None)]


@pytest.mark.parametrize('params, code', [
    ({'IpProtocol': 'tcp', 'FromPort': '1'}, 'InvalidParameterValue'),
    ({'IpProtocol': 'udp', 'FromPort': '9', 'ToPort': '8'},
     'InvalidParameterValue'),
    ({'IpProtocol': 'icmp', 'FromPort': '-1', 'ToPort': '3'},
     'InvalidParameterValue'),
    ({'IpProtocol': '300'}, 'InvalidParameterValue'),
    ({}, 'MissingParameter'),
    ({'IpProtocol': '-1', 'SourceSecurityGroupName': 'db'},
     'InvalidGroup.NotFound'),
    ({'IpPermissions.1.IpProtocol': '-1',
      'IpPermissions.1.IpRanges.1.Description': 'no cidr'},
     'MissingParameter'),
    ({'IpPermissions.one.IpProtocol': '-1'}, 'InvalidParameterValue'),
])
def test_bad_permissions(params, code):
    with pytest.raises(errors.Ec2Error) as info:
        sg._requested_rules(params, GROUPS)
    assert info.value.code == code


def _rule(direction, protocol=None, low=None, high=None, prefix=None,
          group=None, ethertype='IPv4'):
    return {'direction': direction, 'protocol': protocol,
            'port_range_min': low, 'port_range_max': high,
            'remote_ip_prefix': prefix, 'remote_group_id': group,
            'ethertype': ethertype}


def test_rules_shown_as_ip_permissions():
    rules = [_rule('ingress', group='u-default'),
             _rule('ingress', group='u-default', ethertype='IPv6'),
             _rule('ingress', 'tcp', 80, 80, '0.0.0.0/0'),
             _rule('ingress', 'tcp', 80, 80, '2001:db8::/32',
                   ethertype='IPv6'),
             _rule('ingress', 'tcp'),
             _rule('egress')]
    by_uuid = {g['uuid']: g for g in GROUPS}
    perms = sg._permissions(rules, 'ingress', by_uuid, 'p1')
    assert perms == [
        {'ipProtocol': '-1', 'fromPort': None, 'toPort': None,
         'groups': [{'userId': 'p1', 'groupId': 'sg-00000001',
                     'groupName': 'default'}],
         'ipRanges': [], 'ipv6Ranges': [], 'prefixListIds': []},
        {'ipProtocol': 'tcp', 'fromPort': 80, 'toPort': 80, 'groups': [],
         'ipRanges': [{'cidrIp': '0.0.0.0/0'}],
         'ipv6Ranges': [{'cidrIpv6': '2001:db8::/32'}],
         'prefixListIds': []},
        # Neutron's "tcp, any port" is EC2's 0-65535.
        {'ipProtocol': 'tcp', 'fromPort': 0, 'toPort': 65535, 'groups': [],
         'ipRanges': [{'cidrIp': '0.0.0.0/0'}], 'ipv6Ranges': [],
         'prefixListIds': []}]
    assert sg._key(_rule('ingress', 'tcp')) == \
        sg._key(_rule('ingress', 'tcp', 0, 65535))
