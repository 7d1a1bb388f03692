"""Client side of the network daemon (topic ``network``).

History:
    1.0 - ping, allocate_for_instance, deallocate_for_instance.
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
