from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class DiskWeigher(weights.BaseHostWeigher):
    """More free local disk (after the allocation ratio) weighs more."""

    def multiplier(self):
        return CONF.scheduler.disk_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_disk_gb

    def weigh_all(self, host_states, spec):
        return [h.local_gb_total * h.disk_allocation_ratio -
                h.reserved_host_disk_gb - h.local_gb_used
                for h in host_states]
