"""The command lines linux_net runs: bridges, VLANs, dnsmasq, NAT."""
import pytest

from stratus import exception
from stratus.network import linux_net

NET = {'label': 'private', 'bridge': 'strbr0', 'cidr': '10.77.0.0/24',
       'gateway': '10.77.0.1', 'netmask': '255.255.255.0',
       'dhcp_start': '10.77.0.2', 'vlan': None, 'bridge_interface': None,
       'dns1': None, 'dns2': None}


def test_flat_bridge_gets_gateway_address():
    cmds = [c for c, _ in linux_net.bridge_commands(NET)]
    assert cmds[0] == ['ip', 'link', 'add', 'strbr0', 'type', 'bridge']
    assert ['ip', 'addr', 'replace', '10.77.0.1/24', 'dev', 'strbr0'] in cmds
    assert cmds[-1] == ['ip', 'link', 'set', 'strbr0', 'up']


def test_vlan_interface_under_the_bridge():
    net = dict(NET, vlan=100, bridge='strbr100')
    cmds = [c for c, _ in linux_net.bridge_commands(net, 'strdum0')]
    assert ['ip', 'link', 'add', 'link', 'strdum0', 'name', 'vlan100',
            'type', 'vlan', 'id', '100'] in cmds
    assert ['ip', 'link', 'set', 'vlan100', 'master', 'strbr100'] in cmds
    with pytest.raises(exception.NetworkSetupError):
        linux_net.bridge_commands(net, None)


def test_bad_names_never_reach_a_command():
    with pytest.raises(exception.Invalid):
        linux_net.bridge_commands(dict(NET, bridge='br0; rm -rf /'))
    with pytest.raises(ValueError):
        linux_net.floating_rules('1.2.3.4 -j ACCEPT', '10.77.0.2', 'strpub0')


def test_dnsmasq_is_bound_to_the_bridge_with_static_hosts():
    paths = {'pid': '/s/pid', 'hosts': '/s/hosts', 'leases': '/s/leases'}
    cmd = linux_net.dnsmasq_command(dict(NET, dns1='10.77.0.1'), paths)
    assert '--interface=strbr0' in cmd and '--bind-interfaces' in cmd
    assert '--dhcp-hostsfile=/s/hosts' in cmd
    assert '--dhcp-range=set:strbr0,10.77.0.2,static,255.255.255.0,120s' \
        in cmd
    assert '--port=0' in cmd
    assert '--dhcp-option=option:dns-server,10.77.0.1' in cmd


def test_hosts_file_lines():
    text = linux_net.hosts_file_text([('FA:16:3E:00:00:01', '10.77.0.2',
                                       'abcdef12-3456')])
    assert text == 'fa:16:3e:00:00:01,host-abcdef12,10.77.0.2\n'


def test_floating_nat_only_towards_our_bridge():
    rules = linux_net.floating_rules('172.31.77.5', '10.77.0.2', 'strpub0')
    assert ('nat', 'stratus-PREROUTING',
            ['-d', '172.31.77.5/32', '-j', 'DNAT', '--to-destination',
             '10.77.0.2']) in rules
    snat = [r for t, c, r in rules if c == 'stratus-POSTROUTING'][0]
    assert snat == ['-s', '10.77.0.2/32', '-o', 'strpub0', '-j', 'SNAT',
                    '--to-source', '172.31.77.5']


def test_forwarding_stays_between_our_bridges():
    rules = linux_net.forward_rules(['strbr0', 'strpub0'])
    assert ['-i', 'strbr0', '-o', 'strpub0', '-j', 'ACCEPT'] in rules
    assert rules[-4:] == [['-i', 'strbr0', '-j', 'DROP'],
                          ['-o', 'strbr0', '-j', 'DROP'],
                          ['-i', 'strpub0', '-j', 'DROP'],
                          ['-o', 'strpub0', '-j', 'DROP']]


def test_driver_runs_inside_its_namespace(monkeypatch):
    seen = []

    class Done:
        returncode = 0
        stderr = ''

    monkeypatch.setattr(linux_net.subprocess, 'run',
                        lambda cmd, **kw: seen.append(cmd) or Done())
    drv = linux_net.LinuxNetDriver(namespace='strtest', state_dir='/tmp/x')
    drv.remove_floating('172.31.77.5', '10.77.0.2', 'strpub0')
    assert seen and all(c[:4] == ['ip', 'netns', 'exec', 'strtest']
                        for c in seen)
