from stratus import conf
from stratus.scheduler import weights

CONF = conf.CONF


class RAMWeigher(weights.BaseHostWeigher):
    """More free RAM weighs more."""

    column = 'free_ram_mb'

    def multiplier(self):
        return CONF.scheduler.ram_weight_multiplier

    def weigh(self, host_state, spec):
        return host_state.free_ram_mb
