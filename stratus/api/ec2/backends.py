"""The service layers an EC2 handler calls, as the OpenStack API
controllers call them: the compute API, the volume API (which runs in
the api daemon) and the network daemon's client for floating IPs."""
from stratus import rpc


class Backends:
    """What every handler gets as its first argument.

    :param compute: the compute API (``stratus.compute.api.API``).
    """

    volume = rpc.LazyClient('stratus.api.volume.api', 'VolumeAPI')
    network = rpc.LazyClient('stratus.network.rpcapi', 'NetworkAPI')

    def __init__(self, compute):
        self.compute = compute
