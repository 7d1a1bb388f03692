"""Fixed IPs for instances: choose networks, allocate atomically, wire the
host (bridge, dnsmasq hosts file) and describe the result as network info.

Network info is a list of VIF dicts, what the libvirt designer plugs in
(``address`` = MAC, ``bridge``) and what the compute API's address view
reads (``network.label``, ``ips[].address/type/floating_ips``).
"""
import ipaddress

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.db import instances as instances_db
from stratus.db import networks as networks_db

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def choose_networks(project_id, requested_networks):
    """The networks an instance joins.

    :param requested_networks: None (auto: the project's own networks, else
        the shared default), [] (none) or ``[{'uuid': ...}]``.
    :returns: ``[(network dict, requested fixed ip or None)]``.
    :raises: NetworkNotFound for a network the project can't use, Invalid
        for a port request.
    """
    if requested_networks is None:
        own = [n for n in networks_db.network_get_all(project_id,
                                                      external=False)
               if n['project_id'] == project_id]
        if own:
            return [(own[0], None)]
        shared = networks_db.network_get_all(None, external=False)
        default = [n for n in shared
                   if n['label'] == CONF.network.default_network_label]
        chosen = default or shared
        return [(chosen[0], None)] if chosen else []
    chosen = []
    for req in requested_networks:
        if req.get('port'):
            raise exception.Invalid(reason='booting with a pre-created port '
                                           'is not supported')
        net = networks_db.network_get(req['uuid'])
        if net['external'] or net['project_id'] not in (None, project_id):
            raise exception.NetworkNotFound(network_id=req['uuid'])
        chosen.append((net, req.get('fixed_ip')))
    return chosen


def allocate_for_instance(driver, instance_uuid, project_id, host,
                          requested_networks):
    """Allocate, wire and describe; on failure nothing stays allocated.

    :returns: network info (list of VIF dicts).
    :raises: NoMoreFixedIps, NetworkNotFound, NetworkSetupError.
    """
    if CONF.network.manager == 'noop':
        return []
    chosen = choose_networks(project_id, requested_networks)
    if not chosen:
        LOG.info('No network for %s; it gets no interfaces', instance_uuid)
        return []
    try:
        for net, fixed_ip in chosen:
            if fixed_ip:
                raise exception.Invalid(reason='requesting a fixed IP is '
                                               'not supported')
            vif, fixed = networks_db.allocate(net['id'], instance_uuid,
                                              project_id, host)
            LOG.info('Instance %s got %s (%s) on %s', instance_uuid,
                     fixed['address'], vif['address'], net['label'])
            driver.ensure_network(net)
            driver.update_dhcp(net, networks_db.dhcp_hosts(net['id']))
    except Exception:
        with_logging_release(driver, instance_uuid)
        raise
    return network_info(instance_uuid)


def with_logging_release(driver, instance_uuid):
    try:
        deallocate_for_instance(driver, instance_uuid)
    except Exception:
        LOG.exception('Could not release the addresses of %s',
                      instance_uuid)


def deallocate_for_instance(driver, instance_uuid):
    """Free the instance's fixed IPs and VIFs, drop its floating NAT and
    its dnsmasq host entries."""
    network_ids, floats = networks_db.deallocate(instance_uuid)
    for fip in floats:
        driver.remove_floating(fip['address'], fip['fixed_address'],
                               _bridge_of(fip['network_id']))
    for network_id in network_ids:
        try:
            net = networks_db.network_get(network_id)
        except exception.NetworkNotFound:
            continue
        driver.update_dhcp(net, networks_db.dhcp_hosts(network_id))
    if network_ids:
        LOG.info('Released the addresses of %s', instance_uuid)


def _bridge_of(network_id):
    try:
        return networks_db.network_get(network_id)['bridge']
    except exception.NetworkNotFound:
        return None


def network_info(instance_uuid):
    """The instance's VIFs as network info dicts, from the database."""
    info = []
    for vif, net, ips in networks_db.vifs_for_instance(instance_uuid):
        dns = [d for d in (net['dns1'], net['dns2']) if d]
        info.append({
            'id': vif['uuid'],
            'address': vif['address'],
            'bridge': net['bridge'],
            'vlan': net['vlan'],
            'type': 'bridge',
            'network': {'id': net['uuid'], 'label': net['label'],
                        'bridge': net['bridge'], 'vlan': net['vlan'],
                        'cidr': net['cidr'], 'gateway': net['gateway'],
                        'dns': dns},
            'ips': [{'address': ip['address'],
                     'version': ipaddress.ip_address(ip['address']).version,
                     'type': 'fixed',
                     'floating_ips': [{'address': f, 'version': 4,
                                       'type': 'floating'}
                                      for f in ip['floating_ips']]}
                    for ip in ips],
            'gateway': net['gateway'],
            'dns': dns,
            'cidr': net['cidr'],
            'netmask': net['netmask'],
        })
    return info


def refresh_instance_info(instance_uuid):
    """Write the current network info into the instance row (after a
    floating IP moved), so the compute API shows it."""
    if not instance_uuid:
        return
    try:
        instances_db.update(instance_uuid,
                            {'network_info': network_info(instance_uuid)})
    except exception.InstanceNotFound:
        pass
