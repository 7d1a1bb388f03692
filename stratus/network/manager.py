"""Server side of the network daemon (topic ``network``).

Entry points only: the work is in ``allocation`` (fixed IPs), ``floating``
(floating IPs) and the host driver (``driver``/``linux_net``).
"""
import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import servicegroup
from stratus.db import networks as networks_db
from stratus.network import allocation
from stratus.network import driver as host_driver
from stratus.network import firewall_rules
from stratus.network import floating

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class NetworkManager:
    target = messaging.Target(version='1.2')

    def __init__(self, driver=None):
        self.reporter = servicegroup.DbReporter()
        self.driver = driver or host_driver.load_driver()

    def init_host(self):
        """Bring every network and floating NAT back after a restart."""
        if CONF.network.manager == 'noop':
            return
        for net in networks_db.network_get_all(all_projects=True):
            try:
                self.driver.ensure_network(net)
                self.driver.update_dhcp(net,
                                        networks_db.dhcp_hosts(net['id']))
            except exception.StratusException as e:
                LOG.error('Could not set up network %s: %s', net['label'],
                          e.message)
        floating.restore(self.driver)

    def ping(self, context):
        return 'pong'

    @messaging.expected_exceptions(exception.NoMoreFixedIps,
                                   exception.NetworkNotFound,
                                   exception.Invalid)
    def allocate_for_instance(self, context, instance_uuid, project_id,
                              host, requested_networks=None):
        """Fixed IP + MAC on each requested network, host wired.

        :param requested_networks: None (auto), [] (none) or
            ``[{'uuid': network_uuid}]``.
        :returns: network info, a list of VIF dicts.
        :raises: NoMoreFixedIps when a network is full.
        """
        return allocation.allocate_for_instance(
            self.driver, instance_uuid, project_id, host, requested_networks)

    def deallocate_for_instance(self, context, instance_uuid):
        """Release every address of the instance (idempotent)."""
        allocation.deallocate_for_instance(self.driver, instance_uuid)

    def get_instance_nw_info(self, context, instance_uuid):
        """:returns: the instance's network info as allocated now."""
        return allocation.network_info(instance_uuid)

    def get_instance_firewall_rules(self, context, instance_uuid):
        """:returns: what ``firewall_rules.instance_rules`` resolves."""
        return firewall_rules.instance_rules(instance_uuid)

    def setup_networks_on_host(self, context, host=None):
        """Make sure every network's bridge and dnsmasq are up here."""
        self.init_host()

    @messaging.expected_exceptions(exception.NoMoreFloatingIps,
                                   exception.Conflict,
                                   exception.QuotaExceeded)
    def allocate_floating_ip(self, context, project_id, pool=None,
                             address=None, description=None):
        """:returns: the floating IP dict.

        :raises: NoMoreFloatingIps, Conflict, QuotaExceeded.
        """
        return floating.allocate(project_id, pool, address, description)

    @messaging.expected_exceptions(exception.NotFound)
    def associate_floating_ip(self, context, floating_id, port_id,
                              fixed_address=None):
        """Point a floating IP at a port's fixed IP (DNAT/SNAT).

        :returns: the floating IP dict.
        :raises: FloatingIpNotFound, PortNotFound, FixedIpNotFound.
        """
        return floating.associate(self.driver, CONF.host, floating_id,
                                  port_id, fixed_address)

    @messaging.expected_exceptions(exception.NotFound)
    def disassociate_floating_ip(self, context, floating_id):
        """:returns: the floating IP dict."""
        return floating.disassociate(self.driver, floating_id)

    @messaging.expected_exceptions(exception.NotFound)
    def release_floating_ip(self, context, floating_id):
        """Disassociate and return the address to its pool."""
        floating.release(self.driver, floating_id)
