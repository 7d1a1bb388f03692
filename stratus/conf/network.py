from oslo_config import cfg

group = cfg.OptGroup('network', title='Network daemon options')

opts = [
    cfg.StrOpt('manager', default='flat_dhcp',
               choices=['noop', 'flat_dhcp', 'vlan'],
               help='How fixed IPs are handed out: flat_dhcp (one bridge '
                    'per network, dnsmasq hands out the fixed IPs), vlan '
                    '(as flat_dhcp plus a VLAN interface on '
                    '``vlan_interface`` under each VLAN network\'s bridge) '
                    'or noop (instances get no interfaces).'),
    cfg.StrOpt('host_driver', default='linux', choices=['linux', 'noop'],
               help='What sets up bridges, dnsmasq and NAT on the host: '
                    '``linux`` (ip, dnsmasq, iptables) or ``noop`` (nothing; '
                    'for tests without root networking).'),
    cfg.StrOpt('namespace',
               help='Run every host networking command inside this network '
                    'namespace (``ip netns exec``); tests use it to keep '
                    'bridges, dnsmasq and iptables away from the host.'),
    cfg.StrOpt('vlan_interface',
               help='Physical interface VLAN interfaces are created on '
                    '(VLAN networks).'),
    cfg.StrOpt('iptables_chain_prefix', default='stratus',
               regex=r'^[A-Za-z0-9_]{1,15}$',
               help='Prefix of the iptables chains of our own '
                    '(``<prefix>-FORWARD``...). Two clouds on one host '
                    '(a test stack beside a devstack-style one) need '
                    'different prefixes so that neither rebuilds the '
                    'other\'s rules.'),
    cfg.StrOpt('dnsmasq_path', default='dnsmasq',
               help='The dnsmasq binary.'),
    cfg.IntOpt('dhcp_lease_time', default=120, min=120,
               help='DHCP lease time in seconds.'),
    cfg.StrOpt('mac_prefix', default='fa:16:3e',
               help='First three octets of every generated MAC address.'),
    cfg.IntOpt('mac_attempts', default=10, min=1,
               help='Random MACs tried before an allocation fails.'),
    cfg.StrOpt('default_floating_pool', default='public',
               help='Pool a floating IP comes from when none is named.'),
    cfg.StrOpt('default_network_label', default='private',
               help='Shared network an instance joins when it asks for '
                    'none and its project has no network of its own.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'network': opts}
