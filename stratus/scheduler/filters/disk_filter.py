from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class DiskFilter(filters.BaseHostFilter):
    """Passes hosts with enough local disk left for root + ephemeral."""

    def passing_rows(self, table, rows, spec):
        flavor = spec['flavor']
        wanted = flavor.get('root_gb', 0) + flavor.get('ephemeral_gb', 0)
        return rows[table.free_disk_gb[rows] >= wanted]

    def host_passes(self, host_state, spec):
        flavor = spec['flavor']
        wanted = flavor.get('root_gb', 0) + flavor.get('ephemeral_gb', 0)
        if host_state.free_disk_gb >= wanted:
            return True
        LOG.debug('%s has %s GB usable disk, %d wanted', host_state.host,
                  host_state.free_disk_gb, wanted)
        return False
