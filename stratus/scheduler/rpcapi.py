"""Client side of the scheduler (topic ``scheduler``).

History:
    1.0 - select_destinations.
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
