"""Neutron v2.0 representations of Stratus rows."""
import ipaddress

from stratus.api.network import common


def network(net):
    body = {
        'id': net['uuid'], 'name': net['label'], 'description': '',
        'status': 'ACTIVE', 'admin_state_up': True,
        'tenant_id': net['project_id'] or '', 'project_id':
        net['project_id'] or '', 'shared': net['project_id'] is None,
        'router:external': bool(net['external']),
        'subnets': [common.subnet_id(net['uuid'])], 'mtu': 1500,
        'provider:network_type': 'vlan' if net['vlan'] else 'flat',
        'provider:physical_network': None if net['vlan'] else 'physnet1',
        'provider:segmentation_id': net['vlan'],
        'availability_zones': [], 'availability_zone_hints': [],
        'port_security_enabled': True, 'is_default': False,
        'ipv4_address_scope': None, 'ipv6_address_scope': None,
        'l2_adjacency': True,
    }
    body.update(common.stamps(net))
    return body


def subnet(net):
    cidr = ipaddress.ip_network(net['cidr'])
    last = cidr.broadcast_address - 1
    start = net['dhcp_start'] if not net['external'] else \
        str(ipaddress.ip_address(net['gateway']) + 1)
    body = {
        'id': common.subnet_id(net['uuid']), 'name': net['label'] + '-subnet',
        'description': '', 'network_id': net['uuid'],
        'tenant_id': net['project_id'] or '',
        'project_id': net['project_id'] or '', 'ip_version': 4,
        'cidr': net['cidr'], 'gateway_ip': net['gateway'],
        'enable_dhcp': not net['external'],
        'allocation_pools': [{'start': start, 'end': str(last)}],
        'dns_nameservers': [d for d in (net['dns1'], net['dns2']) if d],
        'host_routes': [], 'subnetpool_id': None, 'ipv6_address_mode': None,
        'ipv6_ra_mode': None, 'service_types': [], 'segment_id': None,
    }
    body.update(common.stamps(net))
    return body


def port(vif):
    body = {
        'id': vif['uuid'], 'name': '', 'description': '',
        'network_id': vif['network_uuid'],
        'tenant_id': vif['project_id'] or '',
        'project_id': vif['project_id'] or '',
        'mac_address': vif['address'], 'admin_state_up': True,
        'status': 'ACTIVE', 'device_id': vif['instance_uuid'],
        'device_owner': 'compute:nova',
        'fixed_ips': [{'subnet_id': common.subnet_id(vif['network_uuid']),
                       'ip_address': ip} for ip in vif['fixed_ips']],
        'security_groups': [], 'allowed_address_pairs': [],
        'extra_dhcp_opts': [], 'binding:vnic_type': 'normal',
        'port_security_enabled': True,
    }
    body.update(common.stamps(vif))
    return body


def floatingip(fip):
    body = {
        'id': fip['uuid'], 'floating_ip_address': fip['address'],
        'floating_network_id': fip['network_uuid'], 'router_id': None,
        'port_id': fip['port_uuid'], 'fixed_ip_address': fip['fixed_address'],
        'status': 'ACTIVE' if fip['port_uuid'] else 'DOWN',
        'tenant_id': fip['project_id'], 'project_id': fip['project_id'],
        'description': fip['description'] or '', 'port_details': None,
        'qos_policy_id': None, 'dns_domain': '', 'dns_name': '',
    }
    body.update(common.stamps(fip))
    return body


def rule(r):
    body = {
        'id': r['uuid'], 'security_group_id': r['group_uuid'],
        'direction': r['direction'], 'ethertype': r['ethertype'],
        'protocol': r['protocol'], 'port_range_min': r['port_range_min'],
        'port_range_max': r['port_range_max'],
        'remote_ip_prefix': r['remote_ip_prefix'],
        'remote_group_id': r['remote_group_id'],
        'remote_address_group_id': None,
        'description': r['description'] or '',
        'tenant_id': r['project_id'], 'project_id': r['project_id'],
    }
    body.update(common.stamps(r))
    return body


def security_group(g):
    body = {
        'id': g['uuid'], 'name': g['name'],
        'description': g['description'] or '',
        'tenant_id': g['project_id'], 'project_id': g['project_id'],
        'stateful': True, 'shared': False,
        'security_group_rules': [rule(r) for r in g['rules']],
    }
    body.update(common.stamps(g))
    return body
