from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class RAMWeigher(weights.BaseHostWeigher):
    """More free RAM weighs more."""

    def multiplier(self):
        return CONF.scheduler.ram_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_ram_mb

    def weigh_all(self, host_states, spec):
        return [h.memory_mb_total * h.ram_allocation_ratio -
                h.reserved_host_memory_mb - h.memory_mb_used
                for h in host_states]
