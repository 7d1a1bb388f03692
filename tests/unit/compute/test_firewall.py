"""Security group rules as iptables arguments (the compute host's per
instance chain)."""
import pytest

from stratus.compute import firewall

VIF = {'gateway': '10.0.0.1', 'ips': [{'address': '10.0.0.5', 'version': 4}]}


@pytest.mark.parametrize('rule, source, expected', [
    ({'protocol': 'tcp', 'port_min': 22, 'port_max': 22}, '0.0.0.0/0',
     ['-s', '0.0.0.0/0', '-p', 'tcp', '-m', 'tcp', '--dport', '22:22',
      '-j', 'ACCEPT']),
    ({'protocol': 'udp', 'port_min': 53, 'port_max': None}, '10.0.0.9/32',
     ['-s', '10.0.0.9/32', '-p', 'udp', '-m', 'udp', '--dport', '53:53',
      '-j', 'ACCEPT']),
    ({'protocol': 'icmp', 'port_min': 8, 'port_max': 0}, '10.1.0.0/16',
     ['-s', '10.1.0.0/16', '-p', 'icmp', '--icmp-type', '8/0', '-j',
      'ACCEPT']),
    ({'protocol': None}, '10.0.0.7', ['-s', '10.0.0.7/32', '-j', 'ACCEPT']),
    ({'protocol': '47'}, '0.0.0.0/0',
     ['-s', '0.0.0.0/0', '-p', '47', '-j', 'ACCEPT']),
])
def test_rule_args(rule, source, expected):
    assert firewall.rule_args(rule, source) == expected


@pytest.mark.parametrize('rule, source', [
    ({'protocol': 'tcp'}, '10.0.0.0/8 -j ACCEPT'),   # no injection
    ({'protocol': 'tcp'}, '::/0'),                  # IPv4 only
    ({'protocol': 'sctp; rm'}, '0.0.0.0/0'),
])
def test_rules_it_cannot_express_allow_nothing(rule, source):
    assert firewall.rule_args(rule, source) is None


def test_instance_chain_accepts_replies_dhcp_and_rules_then_drops():
    lines = firewall.instance_rules([VIF], [
        {'protocol': 'tcp', 'port_min': 80, 'port_max': 81,
         'sources': ['0.0.0.0/0', '10.0.0.0/24']}])
    assert lines[0][-2:] == ['-j', 'DROP'] and 'INVALID' in lines[0]
    assert 'RELATED,ESTABLISHED' in lines[1]
    assert lines[2] == ['-s', '10.0.0.1/32', '-p', 'udp', '--sport', '67',
                        '--dport', '68', '-j', 'ACCEPT']
    assert [line[1] for line in lines[3:5]] == ['0.0.0.0/0', '10.0.0.0/24']
    assert lines[-1] == ['-j', 'DROP']


def test_chain_names_fit_iptables(flags):
    flags(iptables_chain_prefix='stt1234567rmq', group='network')
    name = firewall.instance_chain('0b6ac5b4-4a0f-4a8c-9e3f-5a2a2b6c4d11')
    assert name == 'stt1234567rmq-i0b6ac5b4' and len(name) <= 28
    assert firewall.fixed_ips([VIF]) == ['10.0.0.5']


def test_fake_driver_never_enforces(flags):
    flags(driver='fake', group='compute')
    assert isinstance(firewall.load(), firewall.NoopFirewall)
    flags(driver='libvirt', group='compute')
    assert isinstance(firewall.load(), firewall.IptablesFirewall)
    flags(firewall_driver='noop', group='compute')
    assert isinstance(firewall.load(), firewall.NoopFirewall)
