"""The host side of the network service behind a small interface.

``linux`` (``stratus.network.linux_net``) makes bridges, VLAN interfaces,
dnsmasq and iptables rules; ``noop`` does nothing, for tests and for
deployments where something else wires the host.
"""
import abc

from stratus import conf

CONF = conf.CONF


class HostDriver(abc.ABC):
    """What the network manager asks of the host.

    Every method is idempotent: calling it twice leaves the host as one call
    would. Failures raise ``exception.NetworkSetupError``.
    """

    @abc.abstractmethod
    def ensure_network(self, network):
        """Bridge (and VLAN interface) up, carrying the gateway address.

        :param network: the network dict (bridge, vlan, gateway, cidr...).
        """

    @abc.abstractmethod
    def update_dhcp(self, network, hosts):
        """Write the dnsmasq hosts file of ``network`` and (re)load it.

        :param hosts: ``[(mac, ip, instance_uuid)]``.
        """

    @abc.abstractmethod
    def remove_network(self, network):
        """Stop the network's dnsmasq and delete its bridge."""

    @abc.abstractmethod
    def ensure_floating(self, floating_address, fixed_address, bridge):
        """Put the floating address on ``bridge`` and add DNAT/SNAT."""

    @abc.abstractmethod
    def remove_floating(self, floating_address, fixed_address, bridge):
        """Undo ``ensure_floating`` (missing pieces are not an error)."""


class NoopDriver(HostDriver):
    """Records what it was asked and touches nothing."""

    def __init__(self):
        self.calls = []

    def ensure_network(self, network):
        self.calls.append(('ensure_network', network['bridge']))

    def update_dhcp(self, network, hosts):
        self.calls.append(('update_dhcp', network['bridge'], list(hosts)))

    def remove_network(self, network):
        self.calls.append(('remove_network', network['bridge']))

    def ensure_floating(self, floating_address, fixed_address, bridge):
        self.calls.append(('ensure_floating', floating_address,
                           fixed_address))

    def remove_floating(self, floating_address, fixed_address, bridge):
        self.calls.append(('remove_floating', floating_address,
                           fixed_address))


def load_driver(name=None):
    """The host driver named by ``[network] host_driver``."""
    name = name or CONF.network.host_driver
    if name == 'noop':
        return NoopDriver()
    from stratus.network import linux_net
    return linux_net.LinuxNetDriver(namespace=CONF.network.namespace)
