from oslo_config import cfg

group = cfg.OptGroup('network', title='Network daemon options')

opts = [
    cfg.StrOpt('manager', default='flat_dhcp',
               choices=['noop', 'flat_dhcp', 'vlan'],
               help='How fixed IPs are handed out.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'network': opts}
