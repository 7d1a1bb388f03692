from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class DiskWeigher(weights.BaseHostWeigher):
    """More free local disk (after the allocation ratio) weighs more."""

    column = 'free_disk_gb'

    def multiplier(self):
        return CONF.scheduler.disk_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_disk_gb
