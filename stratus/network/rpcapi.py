"""Client side of the network daemon (topic ``network``).

History:
    1.0 - ping, allocate_for_instance, deallocate_for_instance.
    1.1 - get_instance_nw_info, setup_networks_on_host,
          allocate_floating_ip, associate_floating_ip,
          disassociate_floating_ip, release_floating_ip.
    1.2 - get_instance_firewall_rules.
"""
from stratus import rpc

TOPIC = 'network'


class NetworkAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.0')

    def ping(self, ctxt):
        return self.client.call(ctxt, 'ping')

    def allocate_for_instance(self, ctxt, instance_uuid, project_id, host,
                              requested_networks=None):
        """:returns: network info, a list of VIF dicts (call)."""
        return self.client.call(ctxt, 'allocate_for_instance',
                                instance_uuid=instance_uuid,
                                project_id=project_id, host=host,
                                requested_networks=requested_networks)

    def deallocate_for_instance(self, ctxt, instance_uuid):
        return self.client.call(ctxt, 'deallocate_for_instance',
                                instance_uuid=instance_uuid)

    def get_instance_nw_info(self, ctxt, instance_uuid):
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'get_instance_nw_info',
                          instance_uuid=instance_uuid)

    def get_instance_firewall_rules(self, ctxt, instance_uuid):
        """:returns: the instance's ingress rules, group sources resolved
        to member IPs (call)."""
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'get_instance_firewall_rules',
                          instance_uuid=instance_uuid)

    def setup_networks_on_host(self, ctxt, host):
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'setup_networks_on_host', host=host)

    def allocate_floating_ip(self, ctxt, project_id, pool=None, address=None,
                             description=None):
        """:returns: the floating IP dict (call)."""
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'allocate_floating_ip',
                          project_id=project_id, pool=pool, address=address,
                          description=description)

    def associate_floating_ip(self, ctxt, floating_id, port_id,
                              fixed_address=None):
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'associate_floating_ip',
                          floating_id=floating_id, port_id=port_id,
                          fixed_address=fixed_address)

    def disassociate_floating_ip(self, ctxt, floating_id):
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'disassociate_floating_ip',
                          floating_id=floating_id)

    def release_floating_ip(self, ctxt, floating_id):
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'release_floating_ip',
                          floating_id=floating_id)
