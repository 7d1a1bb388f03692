"""Client side of the scheduler (topic ``scheduler``).

History:
    1.0 - select_destinations.
    1.1 - create_volume.
"""
from stratus import rpc

TOPIC = 'scheduler'


class SchedulerAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.0')

    def select_destinations(self, ctxt, request_spec, filter_properties,
                            instance_uuids):
        """Pick one host per instance (call).

        :returns: list of ``{'host', 'nodename', 'limits'}`` dicts in the
            order of ``instance_uuids``.
        :raises: NoValidHost.
        """
        return self.client.call(ctxt, 'select_destinations',
                                request_spec=request_spec,
                                filter_properties=filter_properties,
                                instance_uuids=instance_uuids)

    def create_volume(self, ctxt, volume_id, request_spec):
        """Pick a volume host and cast the create to it (cast).

        :param request_spec: ``{'size', 'availability_zone', 'image'}``.
        """
        self.client.prepare(version='1.1').cast(
            ctxt, 'create_volume', volume_id=volume_id,
            request_spec=request_spec)
