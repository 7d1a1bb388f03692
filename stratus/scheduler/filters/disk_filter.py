from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class DiskFilter(filters.BaseHostFilter):
    """Passes hosts with enough local disk left for root + ephemeral."""

    def filter_all(self, host_states, spec):
        if filters.debugging(LOG):
            return super().filter_all(host_states, spec)
        flavor = spec['flavor']
        wanted = flavor.get('root_gb', 0) + flavor.get('ephemeral_gb', 0)
        return [h for h in host_states
                if h.local_gb_total * h.disk_allocation_ratio -
                h.reserved_host_disk_gb - h.local_gb_used >= wanted]

    def host_passes(self, host_state, spec):
        flavor = spec['flavor']
        wanted = flavor.get('root_gb', 0) + flavor.get('ephemeral_gb', 0)
        if host_state.free_disk_gb >= wanted:
            return True
        LOG.debug('%s has %s GB usable disk, %d wanted', host_state.host,
                  host_state.free_disk_gb, wanted)
        return False
