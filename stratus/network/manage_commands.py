"""``stratus-manage network ...`` and ``stratus-manage floating ...``."""
import ipaddress

from stratus import conf
from stratus import exception
from stratus.db import floating_ips as floating_db
from stratus.db import networks as networks_db

CONF = conf.CONF


def add_commands(subparsers):
    net = subparsers.add_parser('network', help='Fixed-IP networks')
    net_sub = net.add_subparsers(dest='network_action')
    create = net_sub.add_parser('create', help='Create a network')
    create.add_argument('--label', required=True)
    create.add_argument('--fixed-range', required=True,
                        help='IPv4 cidr, e.g. 10.77.0.0/24')
    create.add_argument('--bridge', required=True,
                        help='Linux bridge of the network, e.g. br100')
    create.add_argument('--bridge-interface',
                        help='Interface enslaved to the bridge (flat mode)')
    create.add_argument('--vlan', type=int, help='VLAN id (VLAN mode)')
    create.add_argument('--project', help='Owning project id (default: '
                                          'shared by every project)')
    create.add_argument('--gateway')
    create.add_argument('--dhcp-start')
    create.add_argument('--dns1')
    create.add_argument('--dns2')
    create.add_argument('--multi-host', action='store_true')
    create.set_defaults(func=_network_create)
    lst = net_sub.add_parser('list', help='List networks')
    lst.set_defaults(func=_network_list)
    delete = net_sub.add_parser('delete', help='Delete an unused network')
    # Not dest 'network' (the [network] option group) nor 'name' (the
    # subcommand's own name).
    delete.add_argument('target', metavar='network', help='label or uuid')
    delete.set_defaults(func=_network_delete)

    flt = subparsers.add_parser('floating', help='Floating IP pools')
    flt_sub = flt.add_subparsers(dest='floating_action')
    fcreate = flt_sub.add_parser('create', help='Add a range to a pool')
    fcreate.add_argument('--pool', default='public')
    fcreate.add_argument('--ip-range', required=True,
                         help='IPv4 cidr, e.g. 172.31.77.0/24')
    fcreate.add_argument('--bridge', default='strpub0',
                         help='Local bridge the pool\'s addresses live on '
                              '(gets the range\'s first address)')
    fcreate.set_defaults(func=_floating_create)
    flist = flt_sub.add_parser('list', help='List allocated floating IPs')
    flist.set_defaults(func=_floating_list)


def _find(label_or_uuid, external=None):
    for net in networks_db.network_get_all(all_projects=True,
                                           external=external):
        if label_or_uuid in (net['label'], net['uuid']):
            return net
    return None


def _network_create():
    cmd = CONF.command
    existing = _find(cmd.label, external=False)
    if existing and existing['project_id'] == cmd.project:
        print('Network %s already exists (%s)' % (cmd.label,
                                                  existing['uuid']))
        return
    net = networks_db.network_create({
        'label': cmd.label, 'cidr': cmd.fixed_range, 'bridge': cmd.bridge,
        'bridge_interface': cmd.bridge_interface, 'vlan': cmd.vlan,
        'project_id': cmd.project, 'gateway': cmd.gateway,
        'dhcp_start': cmd.dhcp_start, 'dns1': cmd.dns1, 'dns2': cmd.dns2,
        'multi_host': cmd.multi_host, 'external': False})
    allocated, free = networks_db.network_counts(net['id'])
    print('Created network %s %s %s on %s (%d addresses free)' % (
        net['label'], net['uuid'], net['cidr'], net['bridge'], free))


def _network_list():
    print('%-36s %-12s %-18s %-10s %-5s %s' % ('uuid', 'label', 'cidr',
                                               'bridge', 'vlan', 'project'))
    for n in networks_db.network_get_all(all_projects=True):
        print('%-36s %-12s %-18s %-10s %-5s %s' % (
            n['uuid'], n['label'], n['cidr'], n['bridge'], n['vlan'] or '',
            'external' if n['external'] else (n['project_id'] or 'shared')))


def _network_delete():
    net = _find(CONF.command.target)
    if net is None:
        raise SystemExit('No network %s' % CONF.command.target)
    networks_db.network_delete(net['uuid'])
    print('Deleted network %s' % net['label'])


def _floating_create():
    cmd = CONF.command
    try:
        rng = ipaddress.ip_network(cmd.ip_range, strict=False)
    except ValueError as e:
        raise SystemExit(str(e))
    pool = _find(cmd.pool, external=True)
    if pool is None:
        pool = networks_db.network_create({
            'label': cmd.pool, 'cidr': str(rng), 'bridge': cmd.bridge,
            'external': True})
    try:
        count = floating_db.create_range(cmd.pool, pool['id'], str(rng),
                                         exclude=(pool['gateway'],))
    except exception.ServiceUnavailable as e:
        raise SystemExit(e.message)
    except Exception:
        print('Range %s is already (partly) in pool %s' % (rng, cmd.pool))
        return
    print('Added %d floating IPs to pool %s (bridge %s)' % (
        count, cmd.pool, pool['bridge']))


def _floating_list():
    for fip in floating_db.get_all():
        print('%-16s %-10s %-34s %s' % (fip['address'], fip['pool'],
                                        fip['project_id'],
                                        fip['fixed_address'] or '-'))
