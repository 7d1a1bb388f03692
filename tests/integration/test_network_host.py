"""linux_net for real, inside network namespaces this test creates and
removes: the bridge gets the gateway, our dnsmasq leases the fixed IP to a
DHCP client (busybox udhcpc with the allocated MAC, in a second namespace
wired to the bridge by a veth pair), the hosts file follows allocations,
floating NAT rules land in our own chain, and VLAN mode puts a VLAN
interface on a dummy device under a per-project bridge. Nothing here
touches the host's own namespace."""
import os
import shutil
import subprocess
import uuid

import pytest

from stratus import conf
from stratus import exception
from stratus.network import linux_net

NET = {'label': 'private', 'bridge': 'strbr0', 'cidr': '10.77.0.0/24',
       'gateway': '10.77.0.1', 'netmask': '255.255.255.0',
       'dhcp_start': '10.77.0.2', 'vlan': None, 'bridge_interface': None,
       'dns1': None, 'dns2': None, 'external': False}
MAC = 'fa:16:3e:12:34:56'


def _sh(*cmd, check=True):
    return subprocess.run(cmd, capture_output=True, text=True, check=check)


def _busybox():
    for path in ('/bin/busybox', '/usr/bin/busybox'):
        if os.path.exists(path):
            return path
    pytest.fail('busybox-static is not installed (tools/install-deps.sh)')


@pytest.fixture
def netns(tmp_path):
    tag = uuid.uuid4().hex[:6]
    host, client = 'strt-h-%s' % tag, 'strt-c-%s' % tag
    _sh('ip', 'netns', 'add', host)
    _sh('ip', 'netns', 'add', client)
    drv = linux_net.LinuxNetDriver(namespace=host,
                                   state_dir=str(tmp_path / 'networks'))
    try:
        yield drv, host, client
    finally:
        drv.remove_network(NET)
        _sh('ip', 'netns', 'del', client, check=False)
        _sh('ip', 'netns', 'del', host, check=False)


def test_bridge_dhcp_lease_and_floating_nat(netns, tmp_path):
    drv, host, client = netns
    drv.ensure_network(NET)
    drv.ensure_network(NET)             # idempotent
    addr = _sh('ip', '-n', host, '-4', 'addr', 'show', 'strbr0').stdout
    assert '10.77.0.1/24' in addr
    drv.update_dhcp(NET, [(MAC, '10.77.0.9', 'inst-one')])
    hosts = (tmp_path / 'networks' / 'strbr0' / 'hosts').read_text()
    assert hosts == '%s,host-inst-one,10.77.0.9\n' % MAC
    pid = drv._dnsmasq_pid(drv._paths(NET), 'strbr0')
    assert pid

    # A DHCP client behind a veth pair on the bridge, in its own namespace.
    _sh('ip', '-n', host, 'link', 'add', 'strv0', 'type', 'veth',
        'peer', 'name', 'eth0', 'netns', client)
    _sh('ip', '-n', host, 'link', 'set', 'strv0', 'master', 'strbr0')
    _sh('ip', '-n', host, 'link', 'set', 'strv0', 'up')
    _sh('ip', '-n', client, 'link', 'set', 'eth0', 'address', MAC)
    _sh('ip', '-n', client, 'link', 'set', 'eth0', 'up')
    script = tmp_path / 'udhcpc.sh'
    script.write_text('#!/bin/sh\n[ "$1" = bound ] && echo "LEASE ip=$ip '
                      'router=$router"\nexit 0\n')
    script.chmod(0o755)
    lease = _sh('ip', 'netns', 'exec', client, _busybox(), 'udhcpc', '-i',
                'eth0', '-n', '-q', '-f', '-t', '5', '-T', '1', '-s',
                str(script), check=False)
    assert 'LEASE ip=10.77.0.9 router=10.77.0.1' in lease.stdout, \
        lease.stdout + lease.stderr

    # The hosts file follows allocations; dnsmasq stays the same process.
    drv.update_dhcp(NET, [])
    assert (tmp_path / 'networks' / 'strbr0' / 'hosts').read_text() == ''
    assert drv._dnsmasq_pid(drv._paths(NET), 'strbr0') == pid

    pub = dict(NET, label='public', bridge='strpub0',
               cidr='172.31.77.0/24', gateway='172.31.77.1',
               dhcp_start='172.31.77.2', external=True)
    try:
        drv.ensure_network(pub)
        drv.ensure_floating('172.31.77.5', '10.77.0.9', 'strpub0')
        nat = _sh('ip', 'netns', 'exec', host, 'iptables', '-t', 'nat',
                  '-S').stdout
        assert '-A stratus-PREROUTING -d 172.31.77.5/32 -j DNAT ' \
               '--to-destination 10.77.0.9' in nat
        assert '-A PREROUTING -j stratus-PREROUTING' in nat
        assert '-o strpub0 -j SNAT --to-source 172.31.77.5' in nat
        fwd = _sh('ip', 'netns', 'exec', host, 'iptables', '-S',
                  'stratus-FORWARD').stdout
        assert '-A stratus-FORWARD -i strbr0 -j DROP' in fwd
        drv.remove_floating('172.31.77.5', '10.77.0.9', 'strpub0')
        nat = _sh('ip', 'netns', 'exec', host, 'iptables', '-t', 'nat',
                  '-S').stdout
        assert '172.31.77.5' not in nat
    finally:
        drv.remove_network(pub)


@pytest.fixture
def vlan_interface():
    conf.CONF.set_override('vlan_interface', 'strdum0', group='network')
    yield 'strdum0'
    conf.CONF.clear_override('vlan_interface', group='network')


def _kernel_has_vlans(host):
    probe = _sh('ip', '-n', host, 'link', 'add', 'link', 'strdum0', 'name',
                'strprobe', 'type', 'vlan', 'id', '4000', check=False)
    _sh('ip', '-n', host, 'link', 'del', 'strprobe', check=False)
    return probe.returncode == 0


def test_vlan_mode_makes_vlan_interface_and_bridge(netns, vlan_interface):
    drv, host, _client = netns
    # A veth end stands in for the physical NIC (no dummy module needed).
    _sh('ip', '-n', host, 'link', 'add', vlan_interface, 'type', 'veth',
        'peer', 'name', 'strdum1')
    _sh('ip', '-n', host, 'link', 'set', vlan_interface, 'up')
    net = dict(NET, bridge='strbr100', vlan=100, cidr='10.77.100.0/24',
               gateway='10.77.100.1', dhcp_start='10.77.100.2')
    if not _kernel_has_vlans(host):
        # No 802.1Q in this kernel: a clear error, not a half-made network
        # that looks fine.
        with pytest.raises(exception.NetworkSetupError) as err:
            drv.ensure_network(net)
        assert 'type vlan id 100' in err.value.message
        return
    drv.ensure_network(net)
    drv.ensure_network(net)
    link = _sh('ip', '-n', host, '-d', 'link', 'show', 'vlan100').stdout
    assert 'vlan protocol 802.1Q id 100' in link
    assert 'master strbr100' in link
    assert '10.77.100.1/24' in _sh('ip', '-n', host, 'addr', 'show',
                                   'strbr100').stdout
    drv.remove_network(net)
    assert _sh('ip', '-n', host, 'link', 'show', 'vlan100',
               check=False).returncode != 0


def test_dnsmasq_binary_present():
    assert shutil.which('dnsmasq'), 'dnsmasq-base is not installed'
