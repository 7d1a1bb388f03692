"""Two real guests on one network of the test stack's own (a bridge, a
dnsmasq and iptables chains that only this run uses):

- each guest's console shows the DHCP lease our dnsmasq gave it, and it is
  the fixed IP that ``server show`` lists;
- security groups hold: each guest's iptables chain lets in the other
  member of the default group; a namespace of the test's own, wired to the
  bridge by a veth pair, is refused until an ICMP rule is added, reaches
  both guests then, and is refused again once the rule is deleted;
- the host reaches a guest through its floating IP (DNAT in our chain,
  listed in ``server show``);
- deleting a server releases its fixed IP (database and dnsmasq hosts
  file).

Traffic stays on the bridge and the test namespace; the network has no
uplink and our FORWARD chain drops anything leaving our bridges.
"""
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from tests.fixtures import guest
from tests.fixtures import stack_client


def _sh(*cmd, check=True):
    return subprocess.run(cmd, capture_output=True, text=True, check=check,
                          timeout=60)




def _unrouted(template, start):
    """The first ``template % n`` network no route of this machine
    covers."""
    for i in range(200):
        net = template % ((start + i) % 200 + 20)
        out = _sh('ip', '-o', 'route', 'show', 'to', 'match',
                  net.split('/')[0]).stdout
        if not [line for line in out.splitlines()
                if line.strip() and not line.startswith('default')]:
            return net
    raise AssertionError('no free range like %s' % template)


def _busybox():
    return shutil.which('busybox') or '/bin/busybox'


@pytest.fixture(scope='module')
def net(stack):
    tag = str(os.getpid())[-6:]
    fixed = _unrouted('10.79.%d.0/27', os.getpid() + 101)
    floating = _unrouted('172.31.%d.0/28', os.getpid())
    names = {'label': 'gnet-%s' % tag, 'bridge': 'stg%s' % tag,
             'pool': 'gpub-%s' % tag, 'pool_bridge': 'stf%s' % tag,
             'cidr': fixed, 'floating': floating,
             'probe_ns': 'stt-probe-%s' % tag, 'probe_if': 'stq%s' % tag}
    stack.manage('network', 'create', '--label', names['label'],
                 '--fixed-range', fixed, '--bridge', names['bridge'])
    stack.manage('floating', 'create', '--pool', names['pool'],
                 '--ip-range', floating, '--bridge', names['pool_bridge'])
    # A restart brings both networks up (init_host), as after a reboot.
    stack.stop_daemon('network')
    stack.start_daemon('network')
    stack.wait_for_heartbeat('stratus-network')
    try:
        yield names
    finally:
        _teardown(stack, names)


def _teardown(stack, names):
    # The servers over HTTP (the CLI's delete --wait polls every 2 s, and
    # each CLI process costs ~1.5 s here): all deletes sent, then awaited.
    # Failures are reported, not raised: the rest must be cleaned anyway.
    try:
        admin = stack_client.token(stack, 'admin')
        status, body, _ = stack_client.http(
            'GET', stack.compute_url + '/servers?all_tenants=1&name=%5Egnet-',
            token=admin)
        assert status == 200, body
        ids = [server['id'] for server in body['servers']]
        for server_id in ids:
            stack_client.http('DELETE', '%s/servers/%s' % (
                stack.compute_url, server_id), token=admin)
        for server_id in ids:
            stack_client.wait(lambda: stack_client.http(
                'GET', '%s/servers/%s' % (stack.compute_url, server_id),
                token=admin)[0] == 404, 180,
                'server %s deleted' % server_id, stack)
    except Exception as exc:
        sys.stderr.write('deleting the gnet- servers: %s\n' % exc)
    for fip in stack.openstack_json('floating', 'ip', 'list',
                                    check=False) or []:
        stack.openstack('floating', 'ip', 'delete', fip['ID'], check=False)
    stack.stop_daemon('network')
    for label in (names['label'], names['pool']):
        stack.manage('network', 'delete', label)
    _sh('ip', 'netns', 'del', names['probe_ns'], check=False)
    from stratus.network import linux_net
    from stratus import conf
    conf.CONF.set_override('iptables_chain_prefix',
                           stack.config_sections()['network'][
                               'iptables_chain_prefix'], 'network')
    try:
        drv = linux_net.LinuxNetDriver(
            state_dir=os.path.join(stack.state_path, 'networks'))
        for bridge in (names['bridge'], names['pool_bridge']):
            drv.remove_network({'label': bridge, 'bridge': bridge,
                                'vlan': None})
        drv.remove_chains()
    finally:
        conf.CONF.clear_override('iptables_chain_prefix', 'network')
    stack.start_daemon('network')


@pytest.fixture(scope='module')
def guest_image(stack):
    return guest.upload_guest(stack, 'ntest-guest-%d' % os.getpid())


def _fixed_ip(stack, server_id, label):
    addresses = stack.openstack_json('server', 'show', server_id)[
        'addresses']
    if isinstance(addresses, str):
        found = re.findall(r'\d+\.\d+\.\d+\.\d+', addresses)
        return found
    return [a for a in addresses.get(label, [])]


def _lease(stack, server_id):
    out = stack.openstack('console', 'log', 'show', server_id,
                          check=False).stdout
    found = re.findall(r'STRATUS-DHCP-LEASE ip=(\S+)', out)
    return found[-1] if found else None


def _addresses(stack, server_id):
    shown = stack.openstack_json('server', 'show', server_id)
    return json.dumps(shown['addresses'])


def test_two_guests_dhcp_reach_floating_and_release(stack, net,
                                                     guest_image):
    servers = {}
    for n in (1, 2):
        name = 'gnet-%d-%s' % (n, uuid.uuid4().hex[:4])
        srv = stack.openstack_json('server', 'create', '--flavor', '1',
                                   '--image', guest_image, '--network',
                                   net['label'], '--wait', name,
                                   timeout=300)
        assert srv['status'] == 'ACTIVE'
        servers[srv['id']] = name
    cidr = ipaddress.ip_network(net['cidr'])
    fixed = {}
    for server_id in servers:
        listed = re.findall(r'\d+\.\d+\.\d+\.\d+',
                            _addresses(stack, server_id))
        assert len(listed) == 1, listed
        assert ipaddress.ip_address(listed[0]) in cidr
        fixed[server_id] = listed[0]
    assert len(set(fixed.values())) == 2
    # Each guest got exactly that address from our dnsmasq.
    for server_id, ip in fixed.items():
        leased = stack_client.wait(
            lambda: _lease(stack, server_id), 180,
            'the DHCP lease on the console of %s' % server_id, stack)
        assert leased == ip
    hosts = os.path.join(stack.state_path, 'networks', net['bridge'],
                         'hosts')
    with open(hosts) as f:
        hosts_text = f.read()
    assert all(ip in hosts_text for ip in fixed.values())

    # A namespace of ours on the bridge reaches both guests.
    probe_ip = str(list(cidr.hosts())[-1])
    _sh('ip', 'netns', 'add', net['probe_ns'])
    _sh('ip', 'link', 'add', net['probe_if'], 'type', 'veth', 'peer',
        'name', 'eth0', 'netns', net['probe_ns'])
    _sh('ip', 'link', 'set', net['probe_if'], 'master', net['bridge'], 'up')
    _sh('ip', '-n', net['probe_ns'], 'addr', 'add',
        '%s/%d' % (probe_ip, cidr.prefixlen), 'dev', 'eth0')
    _sh('ip', '-n', net['probe_ns'], 'link', 'set', 'eth0', 'up')
    def pings(ip):
        return _sh('ip', 'netns', 'exec', net['probe_ns'], _busybox(),
                   'ping', '-c', '1', '-W', '2', ip,
                   check=False).returncode == 0

    # Security groups hold: the default group lets in only its members
    # (each guest's chain accepts the other guest), so the namespace is
    # refused until a rule lets ICMP in from anywhere.
    prefix = stack.config_sections()['network']['iptables_chain_prefix']
    for server_id, ip in fixed.items():
        chain = _sh('iptables', '-w', '-S', '%s-i%s' % (
            prefix, server_id.replace('-', '')[:8])).stdout
        other = [o for o in fixed.values() if o != ip][0]
        assert '-A %s-i%s -s %s/32 -j ACCEPT' % (
            prefix, server_id.replace('-', '')[:8], other) in chain
        assert chain.rstrip().endswith('-j DROP')
        assert not pings(ip)
    rule = stack.openstack_json('security', 'group', 'rule', 'create',
                                '--protocol', 'icmp', '--remote-ip',
                                '0.0.0.0/0', 'default')
    for ip in fixed.values():
        stack_client.wait(lambda: pings(ip), 60,
                          'the test namespace reaching %s' % ip, stack)
    stack.openstack('security', 'group', 'rule', 'delete', rule['id'])
    for ip in fixed.values():
        stack_client.wait(lambda: not pings(ip), 60,
                          'ICMP refused again to %s' % ip, stack)

    # A floating IP: listed by server show, NATed in our chain, and the
    # host reaches the guest through it.
    first = next(iter(servers))
    fip = stack.openstack_json('floating', 'ip', 'create', net['pool'])[
        'floating_ip_address']
    assert ipaddress.ip_address(fip) in ipaddress.ip_network(
        net['floating'])
    stack.openstack('server', 'add', 'floating', 'ip', first, fip)
    stack_client.wait(lambda: fip in _addresses(stack, first), 30,
                      'the floating IP in server show', stack)
    nat = _sh('iptables', '-w', '-t', 'nat', '-S',
              '%s-PREROUTING' % prefix).stdout
    assert '-d %s/32 -j DNAT --to-destination %s' % (fip, fixed[first]) \
        in nat
    stack_client.wait(lambda: _sh(_busybox(), 'ping', '-c', '1', '-W', '2',
                                  fip, check=False).returncode == 0, 60,
                      'the host reaching the guest at %s' % fip, stack)

    # Deleting a server gives its fixed IP back.
    stack.openstack('server', 'delete', '--wait', first, timeout=180)
    rows = stack.query('SELECT allocated, instance_uuid FROM fixed_ips '
                       'WHERE address = ?', fixed[first])
    assert rows and rows[0][0] in (0, False) and rows[0][1] is None
    with open(hosts) as f:
        hosts_text = f.read()
    assert fixed[first] not in hosts_text
    second = [s for s in servers if s != first][0]
    assert fixed[second] in hosts_text
    nat = _sh('iptables', '-w', '-t', 'nat', '-S',
              '%s-PREROUTING' % prefix).stdout
    assert fixed[first] not in nat
