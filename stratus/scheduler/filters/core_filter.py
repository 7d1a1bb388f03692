from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class CoreFilter(filters.BaseHostFilter):
    """Passes hosts with enough vCPUs left, after the allocation ratio."""

    def filter_all(self, host_states, spec):
        if filters.debugging(LOG):
            return super().filter_all(host_states, spec)
        wanted = spec['flavor']['vcpus']
        return [h for h in host_states
                if h.vcpus_total * h.cpu_allocation_ratio - h.vcpus_used >=
                wanted]

    def passing_rows(self, table, rows, spec):
        return rows[table.free_vcpus[rows] >= spec['flavor']['vcpus']]

    def host_passes(self, host_state, spec):
        wanted = spec['flavor']['vcpus']
        if host_state.free_vcpus >= wanted:
            return True
        LOG.debug('%s has %s free vCPUs, %d wanted', host_state.host,
                  host_state.free_vcpus, wanted)
        return False
