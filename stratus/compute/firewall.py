"""Security groups on the compute host, as Nova's IptablesFirewallDriver:
one iptables chain per instance, applied before its guest starts.

Traffic bridged to a guest passes the FORWARD chain (the bridge netfilter
hook, which ``setup`` turns on): our ``<prefix>-inst`` chain sits first in
FORWARD and sends what is addressed to a guest's fixed IP to that guest's
chain, which accepts replies, DHCP from its network's server and what its
groups allow, and drops the rest. Egress is not filtered (as
nova-network). Only our own chains are flushed and rebuilt.
"""
import ipaddress
import subprocess

from oslo_log import log as logging

from stratus import conf
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)

BRIDGE_NF = '/proc/sys/net/bridge/bridge-nf-call-iptables'


def _prefix():
    return CONF.network.iptables_chain_prefix


def dispatch_chain():
    return '%s-inst' % _prefix()


def instance_chain(instance_uuid):
    # iptables chain names end at 28 characters: prefix (<=15) + 10.
    return '%s-i%s' % (_prefix(), str(instance_uuid).replace('-', '')[:8])


def fixed_ips(network_info):
    return [ip['address'] for vif in network_info or ()
            for ip in vif.get('ips') or () if ip.get('version', 4) == 4]


def rule_args(rule, source):
    """iptables arguments accepting ``rule`` from ``source``, or None for
    a rule this firewall can't express (it then allows nothing)."""
    try:
        source = str(ipaddress.ip_network(source, strict=False))
    except ValueError:
        return None
    if ':' in source:
        return None
    proto = str(rule.get('protocol') or '').lower()
    low, high = rule.get('port_min'), rule.get('port_max')
    args = ['-s', source]
    if proto in ('', 'any'):
        pass
    elif proto in ('tcp', 'udp'):
        args += ['-p', proto]
        if low is not None:
            high = low if high is None else high
            args += ['-m', proto, '--dport', '%d:%d' % (int(low), int(high))]
    elif proto == 'icmp':
        args += ['-p', 'icmp']
        if low is not None:
            args += ['--icmp-type', '%d' % int(low) if high is None else
                     '%d/%d' % (int(low), int(high))]
    elif proto.isdigit():
        args += ['-p', proto]
    else:
        return None
    return args + ['-j', 'ACCEPT']


def instance_rules(network_info, rules):
    """The rules of one instance's chain, in order."""
    lines = [['-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
             ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j',
              'ACCEPT']]
    for vif in network_info or ():
        gateway = vif.get('gateway')
        if gateway:
            lines.append(['-s', '%s/32' % ipaddress.ip_address(gateway),
                          '-p', 'udp', '--sport', '67', '--dport', '68',
                          '-j', 'ACCEPT'])
    for rule in rules or ():
        for source in rule.get('sources') or ():
            args = rule_args(rule, source)
            if args is not None:
                lines.append(args)
    lines.append(['-j', 'DROP'])
    return lines


class IptablesFirewall:
    """Applies and removes instance chains (root's iptables)."""

    def _ipt(self, *args, ignore_errors=False):
        cmd = ['iptables', '-w', '-t', 'filter'] + list(args)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode and not ignore_errors:
            raise exception.VirtDriverError(
                reason='%s: %s' % (' '.join(cmd), proc.stderr.strip()))
        return proc

    def setup(self):
        """Our dispatch chain, first in FORWARD; bridged traffic seen."""
        try:
            with open(BRIDGE_NF) as f:
                if f.read().strip() != '1':
                    with open(BRIDGE_NF, 'w') as out:
                        out.write('1\n')
        except OSError as e:
            LOG.warning('Bridged traffic may bypass security groups: %s', e)
        chain = dispatch_chain()
        self._ipt('-N', chain, ignore_errors=True)
        # First, before the network daemon's forward chain accepts
        # bridge-to-bridge traffic.
        while not self._ipt('-D', 'FORWARD', '-j', chain,
                            ignore_errors=True).returncode:
            pass
        self._ipt('-I', 'FORWARD', '1', '-j', chain)

    def _dispatch_rules(self, chain):
        out = self._ipt('-S', dispatch_chain(), ignore_errors=True).stdout
        return [line.split()[2:] for line in out.splitlines()
                if line.startswith('-A ') and line.endswith('-j ' + chain)]

    def apply(self, instance_uuid, network_info, rules):
        """(Re)build the instance's chain and its dispatch rules."""
        ips = fixed_ips(network_info)
        if not ips:
            self.remove(instance_uuid)
            return
        self.setup()
        chain = instance_chain(instance_uuid)
        self._ipt('-N', chain, ignore_errors=True)
        self._ipt('-F', chain)
        for line in instance_rules(network_info, rules):
            self._ipt('-A', chain, *line)
        for old in self._dispatch_rules(chain):
            self._ipt('-D', dispatch_chain(), *old, ignore_errors=True)
        for ip in ips:
            self._ipt('-A', dispatch_chain(), '-d', '%s/32' % ip, '-j',
                      chain)
        LOG.info('Security group rules of %s applied (%d rules)',
                 instance_uuid, len(rules or ()))

    def remove(self, instance_uuid):
        chain = instance_chain(instance_uuid)
        for old in self._dispatch_rules(chain):
            self._ipt('-D', dispatch_chain(), *old, ignore_errors=True)
        self._ipt('-F', chain, ignore_errors=True)
        self._ipt('-X', chain, ignore_errors=True)


class NoopFirewall:
    def setup(self):
        pass

    def apply(self, instance_uuid, network_info, rules):
        pass

    def remove(self, instance_uuid):
        pass


def enforced(fw):
    """True when ``fw`` really filters traffic (not the no-op driver)."""
    return not isinstance(fw, NoopFirewall)


def load():
    if CONF.compute.firewall_driver == 'iptables' and \
            CONF.compute.driver == 'libvirt':
        return IptablesFirewall()
    return NoopFirewall()


def refresh_instance(mgr, context, instance_uuid, network_info,
                     raise_errors=False):
    """Ask the network service for the instance's rules and apply them.

    :param raise_errors: a build must not start a guest whose rules could
        not be applied; a refresh logs and goes on.
    """
    if not enforced(mgr.firewall) or not network_info:
        return
    try:
        rules = mgr.network.get_instance_firewall_rules(context,
                                                        instance_uuid)
        mgr.firewall.apply(instance_uuid, network_info, rules)
    except Exception:
        if raise_errors:
            raise
        LOG.warning('Could not apply the security groups of %s',
                    instance_uuid, exc_info=True)


def forget_instance(mgr, instance_uuid):
    try:
        mgr.firewall.remove(instance_uuid)
    except Exception:
        LOG.warning('Could not remove the firewall chain of %s',
                    instance_uuid, exc_info=True)
