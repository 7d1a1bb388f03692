from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class RamFilter(filters.BaseHostFilter):
    """Passes hosts with enough RAM left, after the allocation ratio."""

    def filter_all(self, host_states, spec):
        if filters.debugging(LOG):
            return super().filter_all(host_states, spec)
        # host_passes inlined: a function call per host costs more than
        # the test itself.
        wanted = spec['flavor']['memory_mb']
        return [h for h in host_states
                if h.memory_mb_total * h.ram_allocation_ratio -
                h.reserved_host_memory_mb - h.memory_mb_used >= wanted]

    def host_passes(self, host_state, spec):
        wanted = spec['flavor']['memory_mb']
        if host_state.free_ram_mb >= wanted:
            return True
        LOG.debug('%s has %d MiB usable RAM, %d wanted', host_state.host,
                  host_state.free_ram_mb, wanted)
        return False
