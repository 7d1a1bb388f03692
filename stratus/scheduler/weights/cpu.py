from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class CPUWeigher(weights.BaseHostWeigher):
    """More free vCPUs (after the allocation ratio) weighs more."""

    def multiplier(self):
        return CONF.scheduler.cpu_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_vcpus

    def weigh_all(self, host_states, spec):
        return [h.vcpus_total * h.cpu_allocation_ratio - h.vcpus_used
                for h in host_states]
