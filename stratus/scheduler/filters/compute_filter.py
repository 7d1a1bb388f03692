from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class ComputeFilter(filters.BaseHostFilter):
    """Passes hosts whose compute service is up and enabled."""

    def filter_all(self, host_states, spec):
        if filters.debugging(LOG):
            return super().filter_all(host_states, spec)
        return [h for h in host_states if h.enabled and h.up]

    def passing_rows(self, table, rows, spec):
        return rows[table.usable[rows]]

    def host_passes(self, host_state, spec):
        if not host_state.enabled:
            LOG.debug('%s is disabled', host_state.host)
            return False
        if not host_state.up:
            LOG.debug('%s has not heartbeated recently', host_state.host)
            return False
        return True
