"""Linux host networking: bridges, VLAN interfaces, dnsmasq, iptables.

Command lines are built by small pure functions (unit-tested) and run by
``LinuxNetDriver``, optionally inside a network namespace. Only the names
and addresses of our own networks are ever touched: iptables rules live in
chains of our own (``stratus-*``, the prefix is configurable) that are
flushed and rebuilt, never the
built-in chains beyond one jump rule each; forwarded traffic may only move
between our own bridges, so guests never reach the host's uplink.
"""
import ipaddress
import os
import re
import signal
import subprocess

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.network import driver

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_NAME = re.compile(r'^[A-Za-z0-9_.-]{1,15}$')
# (table, built-in chain) that each get a chain of our own.
_HOOKS = (('nat', 'PREROUTING'), ('nat', 'OUTPUT'), ('nat', 'POSTROUTING'),
          ('filter', 'FORWARD'))


def chain(builtin):
    """Our chain hanging from ``builtin``: ``stratus-FORWARD``..."""
    return '%s-%s' % (CONF.network.iptables_chain_prefix, builtin)


def chains():
    """``[(table, our chain, built-in chain it hangs from)]``."""
    return [(table, chain(builtin), builtin) for table, builtin in _HOOKS]


def _name(value):
    if not _NAME.match(str(value or '')):
        raise exception.Invalid(reason='bad interface name %r' % value)
    return value


def _ip(value):
    return str(ipaddress.ip_address(value))


def vlan_iface(network):
    return 'vlan%d' % int(network['vlan'])


def bridge_commands(network, vlan_interface=None):
    """Commands that create the bridge (and VLAN interface), each paired
    with whether a failure means 'already there' (ignored)."""
    bridge = _name(network['bridge'])
    prefix = ipaddress.ip_network(network['cidr']).prefixlen
    cmds = [(['ip', 'link', 'add', bridge, 'type', 'bridge'], True)]
    if network.get('vlan'):
        if not vlan_interface:
            raise exception.NetworkSetupError(
                reason='VLAN network %s needs [network] vlan_interface' %
                network['label'])
        vif = vlan_iface(network)
        cmds += [(['ip', 'link', 'add', 'link', _name(vlan_interface),
                   'name', vif, 'type', 'vlan', 'id',
                   str(int(network['vlan']))], True),
                 (['ip', 'link', 'set', vif, 'master', bridge], False),
                 (['ip', 'link', 'set', vif, 'up'], False)]
    elif network.get('bridge_interface'):
        iface = _name(network['bridge_interface'])
        cmds.append((['ip', 'link', 'set', iface, 'master', bridge], False))
    cmds += [(['ip', 'addr', 'replace', '%s/%d' % (_ip(network['gateway']),
                                                   prefix),
               'dev', bridge], False),
             (['ip', 'link', 'set', bridge, 'up'], False)]
    return cmds


def dnsmasq_command(network, paths, dnsmasq='dnsmasq', lease_time=120):
    """The dnsmasq of one network: DHCP only, on its bridge only, static
    leases from the hosts file (``paths``: pid, hosts, leases)."""
    bridge = _name(network['bridge'])
    cmd = [dnsmasq, '--conf-file=', '--no-hosts', '--no-resolv',
           '--port=0', '--strict-order', '--bind-interfaces',
           '--interface=%s' % bridge, '--except-interface=lo',
           '--listen-address=%s' % _ip(network['gateway']),
           '--user=root',
           '--pid-file=%s' % paths['pid'],
           '--dhcp-hostsfile=%s' % paths['hosts'],
           '--dhcp-leasefile=%s' % paths['leases'],
           '--dhcp-range=set:%s,%s,static,%s,%ds' % (
               bridge, _ip(network['dhcp_start']),
               _ip(network['netmask']), lease_time),
           '--dhcp-no-override', '--dhcp-authoritative',
           '--dhcp-option=option:router,%s' % _ip(network['gateway'])]
    dns = [d for d in (network.get('dns1'), network.get('dns2')) if d]
    if dns:
        cmd.append('--dhcp-option=option:dns-server,%s' %
                   ','.join(_ip(d) for d in dns))
    return cmd


def hosts_file_text(hosts):
    """``mac,host-<uuid8>,ip`` lines, one per allocated address."""
    return ''.join('%s,host-%s,%s\n' % (mac.lower(), (uuid or 'x')[:8],
                                        _ip(ip))
                   for mac, ip, uuid in hosts)


def floating_rules(floating_address, fixed_address, bridge):
    """``[(table, chain, rule args)]`` of one floating IP."""
    fip, fixed = _ip(floating_address), _ip(fixed_address)
    dnat = ['-d', '%s/32' % fip, '-j', 'DNAT', '--to-destination', fixed]
    return [('nat', chain('PREROUTING'), dnat),
            ('nat', chain('OUTPUT'), dnat),
            # SNAT only towards our own public bridge, never the uplink.
            ('nat', chain('POSTROUTING'),
             ['-s', '%s/32' % fixed, '-o', _name(bridge), '-j', 'SNAT',
              '--to-source', fip])]


def forward_rules(bridges):
    """Forwarding allowed between our bridges only; dropped otherwise."""
    bridges = sorted({_name(b) for b in bridges})
    rules = [['-i', a, '-o', b, '-j', 'ACCEPT'] for a in bridges
             for b in bridges]
    for b in bridges:
        rules += [['-i', b, '-j', 'DROP'], ['-o', b, '-j', 'DROP']]
    return rules


class LinuxNetDriver(driver.HostDriver):
    """Runs ip, dnsmasq and iptables (inside ``namespace`` if given)."""

    def __init__(self, namespace=None, state_dir=None):
        self.namespace = namespace
        self.state_dir = state_dir or os.path.join(CONF.state_path,
                                                   'networks')
        self._bridges = set()
        self._chains_ready = False

    # -- plumbing -----------------------------------------------------------
    def _run(self, cmd, ignore_errors=False):
        if self.namespace:
            cmd = ['ip', 'netns', 'exec', self.namespace] + list(cmd)
        LOG.debug('Running %s', ' '.join(cmd))
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode and not ignore_errors:
            raise exception.NetworkSetupError(
                reason='%s: %s' % (' '.join(cmd), proc.stderr.strip()))
        return proc

    def _paths(self, network):
        base = os.path.join(self.state_dir, _name(network['bridge']))
        os.makedirs(base, exist_ok=True)
        return {name: os.path.join(base, name)
                for name in ('pid', 'hosts', 'leases')}

    def _ensure_chains(self):
        if self._chains_ready:
            return
        for table, ours, parent in chains():
            self._ipt(table, '-N', ours, ignore_errors=True)
            if self._ipt(table, '-C', parent, ['-j', ours], True):
                self._ipt(table, '-I', parent, ['-j', ours])
        self._chains_ready = True

    def remove_chains(self):
        """Unhook and delete our chains (teardown; unstack.sh does the
        same for the default prefix)."""
        for table, ours, parent in chains():
            while not self._ipt(table, '-D', parent, ['-j', ours], True):
                pass
            self._ipt(table, '-F', ours, ignore_errors=True)
            self._ipt(table, '-X', ours, ignore_errors=True)
        self._chains_ready = False

    def _ipt(self, table, op, chain, rule=(), ignore_errors=False):
        return self._run(['iptables', '-w', '-t', table, op, chain] +
                         list(rule), ignore_errors=ignore_errors).returncode

    def _rebuild_forward(self):
        self._ipt('filter', '-F', chain('FORWARD'))
        for rule in forward_rules(self._bridges):
            self._ipt('filter', '-A', chain('FORWARD'), rule)

    # -- HostDriver ---------------------------------------------------------
    def ensure_network(self, network):
        for cmd, may_exist in bridge_commands(network,
                                              CONF.network.vlan_interface):
            proc = self._run(cmd, ignore_errors=may_exist)
            if proc.returncode and 'exists' not in proc.stderr:
                raise exception.NetworkSetupError(
                    reason='%s: %s' % (' '.join(cmd), proc.stderr.strip()))
        self._ensure_chains()
        self._bridges.add(network['bridge'])
        self._rebuild_forward()

    def _dnsmasq_pid(self, paths, bridge):
        try:
            with open(paths['pid']) as f:
                pid = int(f.read().strip())
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                cmdline = f.read().decode(errors='replace')
        except (OSError, ValueError):
            return None
        return pid if '--interface=%s' % bridge in cmdline else None

    def update_dhcp(self, network, hosts):
        if network.get('external'):
            return
        paths = self._paths(network)
        tmp = paths['hosts'] + '.tmp'
        with open(tmp, 'w') as f:
            f.write(hosts_file_text(hosts))
        os.replace(tmp, paths['hosts'])
        pid = self._dnsmasq_pid(paths, network['bridge'])
        if pid:
            os.kill(pid, signal.SIGHUP)
            return
        self._run(dnsmasq_command(network, paths, CONF.network.dnsmasq_path,
                                  CONF.network.dhcp_lease_time))
        LOG.info('dnsmasq started for %s on %s', network['label'],
                 network['bridge'])

    def remove_network(self, network):
        paths = self._paths(network)
        pid = self._dnsmasq_pid(paths, network['bridge'])
        if pid:
            os.kill(pid, signal.SIGTERM)
        if network.get('vlan'):
            self._run(['ip', 'link', 'del', vlan_iface(network)],
                      ignore_errors=True)
        self._run(['ip', 'link', 'del', _name(network['bridge'])],
                  ignore_errors=True)
        self._bridges.discard(network['bridge'])
        if self._chains_ready:
            self._rebuild_forward()

    def ensure_floating(self, floating_address, fixed_address, bridge):
        self._ensure_chains()
        self._run(['ip', 'addr', 'replace', '%s/32' % _ip(floating_address),
                   'dev', _name(bridge)])
        for table, chain, rule in floating_rules(floating_address,
                                                 fixed_address, bridge):
            if self._ipt(table, '-C', chain, rule, True):
                self._ipt(table, '-A', chain, rule)

    def remove_floating(self, floating_address, fixed_address, bridge):
        for table, chain, rule in floating_rules(floating_address,
                                                 fixed_address, bridge):
            self._ipt(table, '-D', chain, rule, True)
        self._run(['ip', 'addr', 'del', '%s/32' % _ip(floating_address),
                   'dev', _name(bridge)], ignore_errors=True)
