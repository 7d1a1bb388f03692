"""Floating IPs: take one from a pool, point it at a fixed IP (NAT on the
host), move or drop it, give it back."""
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.db import floating_ips as floating_db
from stratus.db import networks as networks_db
from stratus.db import quotas as quotas_db
from stratus.network import allocation

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def allocate(project_id, pool=None, address=None, description=None):
    """:returns: the floating IP dict.

    :raises: NoMoreFloatingIps, QuotaExceeded (``floating_ips``).
    """
    pool = pool or CONF.network.default_floating_pool
    fip = floating_db.allocate(project_id, pool, address, description,
                               check=quotas_db.check_floating_ip)
    LOG.info('Floating IP %s allocated to project %s', fip['address'],
             project_id)
    return fip


def _pool_network(fip):
    return networks_db.network_get(fip['network_id'])


def associate(driver, host, fip_id, port_id=None, fixed_address=None):
    """Associate with the port (VIF) ``port_id``'s fixed IP.

    :returns: the floating IP dict after the change.
    :raises: PortNotFound, FloatingIpNotFound, FixedIpNotFound.
    """
    vifs = networks_db.vif_get_all({'uuid': port_id}) if port_id else []
    if not vifs:
        raise exception.PortNotFound(port_id=port_id)
    vif = vifs[0]
    if fixed_address is None:
        if not vif['fixed_ips']:
            raise exception.FixedIpNotFound(
                instance_uuid=vif['instance_uuid'])
        fixed_address = vif['fixed_ips'][0]
    fip, previous = floating_db.associate(fip_id, fixed_address,
                                          vif['instance_uuid'], host)
    pool_net = _pool_network(fip)
    if previous:
        driver.remove_floating(previous['address'],
                               previous['fixed_address'], pool_net['bridge'])
    driver.ensure_network(pool_net)
    driver.ensure_floating(fip['address'], fixed_address, pool_net['bridge'])
    LOG.info('Floating IP %s -> %s (%s)', fip['address'], fixed_address,
             vif['instance_uuid'])
    if previous and previous['instance_uuid'] != vif['instance_uuid']:
        allocation.refresh_instance_info(previous['instance_uuid'])
    allocation.refresh_instance_info(vif['instance_uuid'])
    return floating_db.get(fip['uuid'])


def disassociate(driver, fip_id):
    """:returns: the floating IP dict after the change."""
    before = floating_db.disassociate(fip_id)
    if before:
        driver.remove_floating(before['address'], before['fixed_address'],
                               before['bridge'])
        allocation.refresh_instance_info(before['instance_uuid'])
        LOG.info('Floating IP %s disassociated from %s', before['address'],
                 before['fixed_address'])
    return floating_db.get(fip_id)


def release(driver, fip_id):
    """Disassociate if needed and return the address to its pool."""
    disassociate(driver, fip_id)
    floating_db.release(fip_id)


def restore(driver):
    """Re-apply every association on the host (daemon start)."""
    for fip in floating_db.get_all():
        if fip['fixed_address']:
            driver.ensure_network(_pool_network(fip))
            driver.ensure_floating(fip['address'], fip['fixed_address'],
                                   fip['bridge'])
