"""Client side of the volume daemon (topic ``volume``).

History:
    1.0 - ping.
"""
from stratus import rpc

TOPIC = 'volume'


class VolumeAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.0')

    def ping(self, ctxt):
        return self.client.call(ctxt, 'ping')
