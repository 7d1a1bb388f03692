"""Security group actions: CreateSecurityGroup, DescribeSecurityGroups,
AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress and
DeleteSecurityGroup, over the groups and rules the Neutron controller
uses (``stratus.db.security_groups``; ``default`` is made on first use).

EC2 names a group by ``GroupName`` or by ``sg-%08x`` (its integer id),
and shows rules as ``ipPermissions``: one item per protocol and port
range, listing its CIDR and group sources. Only the caller's project's
groups are visible.
"""
import ipaddress

from oslo_log import log as logging

from stratus import exception
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import params as p
from stratus.db import ec2 as ec2_db
from stratus.db import quotas as quotas_db
from stratus.db import security_groups as groups_db

LOG = logging.getLogger(__name__)

_MAX_TEXT = 255
# EC2 protocol names and numbers -> the stored protocol (None: any).
_PROTOCOLS = {'tcp': 'tcp', '6': 'tcp', 'udp': 'udp', '17': 'udp',
              'icmp': 'icmp', '1': 'icmp', 'icmpv6': 'icmpv6',
              '58': 'icmpv6', '-1': None, 'all': None}
_PORTED = ('tcp', 'udp')
_ICMP = ('icmp', 'icmpv6', 'ipv6-icmp')

_FILTERS = {
    'group-name': lambda g: [g['groupName']],
    'group-id': lambda g: [g['groupId']],
    'description': lambda g: [g['groupDescription']],
    'owner-id': lambda g: [g['ownerId']],
}


def visible(ctxt):
    """The caller's project's groups (``default`` made if missing)."""
    groups_db.ensure_default(ctxt.project_id)
    return groups_db.get_all(ctxt.project_id)


def _by_name_or_id(groups, name=None, ec2_id=None):
    if ec2_id is not None:
        number = ids.group_number(ec2_id)
        found = [g for g in groups if g['id'] == number]
    else:
        found = [g for g in groups if g['name'] == name]
    if not found:
        raise errors.group_not_found(ec2_id or name)
    return found[0]


def _named(ctxt, params):
    name = p.get_str(params, 'GroupName')
    ec2_id = p.get_str(params, 'GroupId')
    if name is None and ec2_id is None:
        raise errors.missing_parameter('GroupName')
    groups = visible(ctxt)
    return _by_name_or_id(groups, name, ec2_id), groups


def names_for_run(ctxt, names, ec2_ids):
    """Group names for RunInstances from ``SecurityGroup.N`` and
    ``SecurityGroupId.N`` (``default`` when neither is given).

    :raises: Ec2Error InvalidGroup.NotFound, InvalidGroupId.Malformed.
    """
    groups = visible(ctxt)
    chosen = [_by_name_or_id(groups, name=n)['name'] for n in names]
    chosen += [_by_name_or_id(groups, ec2_id=i)['name'] for i in ec2_ids]
    return list(dict.fromkeys(chosen)) or ['default']


def ids_by_name(ctxt):
    """{group name: ``sg-`` id} of the caller's project (for groupSet)."""
    return {g['name']: ids.group_ec2_id(g)
            for g in groups_db.get_all(ctxt.project_id)}


# -- rules as EC2 shows them ------------------------------------------------

def _ports(protocol, low, high):
    """(fromPort, toPort) as EC2 shows them; None for protocols without."""
    if protocol in _PORTED:
        return (0 if low is None else low, 65535 if high is None else high)
    if protocol in _ICMP:
        return (-1 if low is None else low, -1 if high is None else high)
    return (None, None)


def _key(rule):
    """What makes two rules the same permission (ethertype aside for a
    group source: EC2 names the group, not the address family)."""
    protocol = rule['protocol']
    ports = _ports(protocol, rule['port_range_min'], rule['port_range_max'])
    source = ('group', rule['remote_group_id']) if rule['remote_group_id'] \
        else ('cidr', rule['remote_ip_prefix'] or
              ('0.0.0.0/0' if rule['ethertype'] == 'IPv4' else '::/0'))
    return (rule['direction'], protocol, ports, source)


def _permissions(rules, direction, groups_by_uuid, owner):
    perms = {}
    for rule in rules:
        if rule['direction'] != direction:
            continue
        _dir, protocol, ports, (kind, source) = _key(rule)
        perm = perms.setdefault((protocol, ports), {
            'ipProtocol': protocol or '-1', 'fromPort': ports[0],
            'toPort': ports[1], 'groups': [], 'ipRanges': [],
            'ipv6Ranges': [], 'prefixListIds': []})
        if kind == 'group':
            other = groups_by_uuid.get(source)
            pair = {'userId': owner,
                    'groupId': ids.group_ec2_id(other) if other else None,
                    'groupName': other['name'] if other else None}
            if pair not in perm['groups']:
                perm['groups'].append(pair)
        elif ':' in source:
            perm['ipv6Ranges'].append({'cidrIpv6': source})
        else:
            perm['ipRanges'].append({'cidrIp': source})
    return list(perms.values())


def _view(group, groups_by_uuid):
    return {
        'ownerId': group['project_id'],
        'groupId': ids.group_ec2_id(group),
        'groupName': group['name'],
        'groupDescription': group['description'] or '',
        'ipPermissions': _permissions(group['rules'], 'ingress',
                                      groups_by_uuid, group['project_id']),
        'ipPermissionsEgress': _permissions(group['rules'], 'egress',
                                            groups_by_uuid,
                                            group['project_id']),
        'tagSet': [],
    }


# -- CreateSecurityGroup / DescribeSecurityGroups / Delete ------------------

def _text(params, name):
    value = p.get_str(params, name, required=True)
    if len(value) > _MAX_TEXT or not value.isprintable():
        raise errors.invalid_parameter('Value (%s) for parameter %s is '
                                       'invalid.' % (value, name))
    return value


def create_security_group(api, ctxt, params):
    name = _text(params, 'GroupName')
    description = _text(params, 'GroupDescription')
    if p.get_str(params, 'VpcId') is not None:
        raise errors.Ec2Error('InvalidVpcID.NotFound', 'This cloud has no '
                              'VPCs; leave VpcId out.')
    if name.lower().startswith('sg-'):
        raise errors.invalid_parameter("Group names may not start with "
                                       "'sg-'.")
    groups = visible(ctxt)
    if any(g['name'] == name for g in groups):
        raise errors.Ec2Error('InvalidGroup.Duplicate', "The security group "
                              "'%s' already exists" % name)
    limit = quotas_db.get_limits(ctxt.project_id)['security_groups']
    if limit != quotas_db.UNLIMITED and len(groups) >= limit:
        raise errors.Ec2Error('SecurityGroupLimitExceeded', 'The maximum '
                              'number of security groups (%d) has been '
                              'reached.' % limit)
    group = groups_db.create(ctxt.project_id, name, description)
    LOG.info('EC2 CreateSecurityGroup: %s (%s)', name,
             ids.group_ec2_id(group))
    return {'return': True, 'groupId': ids.group_ec2_id(group),
            'tagSet': []}


def describe_security_groups(api, ctxt, params):
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    groups = visible(ctxt)
    names = p.get_list(params, 'GroupName')
    ec2_ids = p.get_list(params, 'GroupId')
    chosen = [_by_name_or_id(groups, name=n) for n in names]
    chosen += [_by_name_or_id(groups, ec2_id=i) for i in ec2_ids]
    if names or ec2_ids:
        chosen = list({g['id']: g for g in chosen}.values())
    else:
        chosen = groups
    by_uuid = {g['uuid']: g for g in groups}
    items = [_view(g, by_uuid) for g in chosen]
    items = [i for i in items if all(
        any(v in values for v in _FILTERS[name](i))
        for name, values in filters.items())]
    return {'securityGroupInfo': items}


def delete_security_group(api, ctxt, params):
    group, groups = _named(ctxt, params)
    if group['default_marker']:
        raise errors.Ec2Error('CannotDelete', "The default security group "
                              "cannot be deleted.")
    users = [i for i in ec2_db.instances_for_ec2(ctxt.project_id, 0)
             if not i['deleted'] and
             group['name'] in (i.get('security_groups') or [])]
    if users:
        raise errors.Ec2Error('DependencyViolation', "Security group '%s' "
                              "is in use by %s." % (
                                  group['name'], ', '.join(
                                      ids.instance_ec2_id(i)
                                      for i in users)))
    for other in groups:
        if other['id'] != group['id'] and any(
                r['remote_group_id'] == group['uuid']
                for r in other['rules']):
            raise errors.Ec2Error('DependencyViolation', "Security group "
                                  "'%s' is referenced by group '%s'." %
                                  (group['name'], other['name']))
    groups_db.delete(group['uuid'], ctxt.project_id)
    return {'return': True, 'groupId': ids.group_ec2_id(group)}


# -- Authorize / Revoke ingress ---------------------------------------------

def _int(fields, name):
    return p.get_int(fields, name)


def _rule_ports(protocol, fields):
    low, high = _int(fields, 'FromPort'), _int(fields, 'ToPort')
    if protocol in _PORTED:
        if low is None or high is None:
            raise errors.invalid_parameter('Both FromPort and ToPort are '
                                           'needed for %s.' % protocol)
        if not (0 <= low <= high <= 65535):
            raise errors.invalid_parameter('Invalid port range %s-%s.' %
                                           (low, high))
        return low, high
    if protocol in _ICMP:
        low = -1 if low is None else low
        high = -1 if high is None else high
        if not (-1 <= low <= 255 and -1 <= high <= 255) or \
                (low == -1 and high != -1):
            raise errors.invalid_parameter('Invalid ICMP type %s and code '
                                           '%s.' % (low, high))
        return (None if low == -1 else low, None if high == -1 else high)
    return None, None


def _protocol(fields):
    value = p.get_str(fields, 'IpProtocol', required=True).lower()
    if value in _PROTOCOLS:
        return _PROTOCOLS[value]
    if value.isdigit() and int(value) <= 255:
        return value
    raise errors.invalid_parameter("Invalid value '%s' for IP protocol." %
                                   value)


def _cidr(value):
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise errors.invalid_parameter("Invalid CIDR '%s'." % value)


def _sources(fields, groups):
    """[(ethertype, remote_ip_prefix, remote group uuid)] of a permission."""
    found = []
    cidrs = [r.get('CidrIp') for r in p.get_structs(fields, 'IpRanges')]
    cidrs += [r.get('CidrIpv6') for r in p.get_structs(fields,
                                                         'Ipv6Ranges')]
    if fields.get('CidrIp'):
        cidrs.append(fields['CidrIp'])
    for cidr in cidrs:
        if not cidr:
            raise errors.missing_parameter('CidrIp')
        prefix = _cidr(cidr)
        found.append(('IPv6' if ':' in prefix else 'IPv4', prefix, None))
    pairs = p.get_structs(fields, 'Groups')
    if fields.get('SourceSecurityGroupName'):
        pairs.append({'GroupName': fields['SourceSecurityGroupName']})
    for pair in pairs:
        if not pair.get('GroupId') and not pair.get('GroupName'):
            raise errors.missing_parameter('GroupName')
        other = _by_name_or_id(groups, pair.get('GroupName'),
                               pair.get('GroupId'))
        found.append(('IPv4', None, other['uuid']))
    return found or [('IPv4', '0.0.0.0/0', None)]


def _requested_rules(params, groups):
    """Rule values the request names, in either of EC2's two forms."""
    perms = p.get_structs(params, 'IpPermissions')
    if not perms:
        perms = [params]
    rules = []
    for fields in perms:
        protocol = _protocol(fields)
        low, high = _rule_ports(protocol, fields)
        for ethertype, prefix, group_uuid in _sources(fields, groups):
            rules.append({'direction': 'ingress', 'ethertype': ethertype,
                          'protocol': protocol, 'port_range_min': low,
                          'port_range_max': high,
                          'remote_ip_prefix': prefix,
                          'remote_group_id': group_uuid})
    return rules


def authorize_security_group_ingress(api, ctxt, params):
    group, groups = _named(ctxt, params)
    existing = {_key(r) for r in group['rules']}
    wanted = _requested_rules(params, groups)
    for rule in wanted:
        if _key(rule) in existing:
            raise errors.Ec2Error('InvalidPermission.Duplicate', 'The '
                                  'specified rule already exists in group '
                                  '%s.' % group['name'])
        existing.add(_key(rule))
    for rule in wanted:
        groups_db.rule_create(group['uuid'], ctxt.project_id, rule)
    return {'return': True}


def revoke_security_group_ingress(api, ctxt, params):
    group, groups = _named(ctxt, params)
    doomed = []
    for rule in _requested_rules(params, groups):
        matches = [r for r in group['rules'] if _key(r) == _key(rule)]
        if not matches:
            raise errors.Ec2Error('InvalidPermission.NotFound', 'The '
                                  'specified rule does not exist in group '
                                  '%s.' % group['name'])
        doomed += [r['uuid'] for r in matches if r['uuid'] not in doomed]
    for rule_uuid in doomed:
        try:
            groups_db.rule_delete(rule_uuid, ctxt.project_id)
        except exception.SecurityGroupRuleNotFound:
            pass  # revoked meanwhile
    return {'return': True}
