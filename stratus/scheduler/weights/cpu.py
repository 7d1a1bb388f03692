from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class CPUWeigher(weights.BaseHostWeigher):
    """More free vCPUs (after the allocation ratio) weighs more."""

    column = 'free_vcpus'

    def multiplier(self):
        return CONF.scheduler.cpu_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_vcpus
