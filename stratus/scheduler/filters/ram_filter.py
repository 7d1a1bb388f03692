from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class RamFilter(filters.BaseHostFilter):
    """Passes hosts with enough RAM left, after the allocation ratio."""

    def passing_rows(self, table, rows, spec):
        return rows[table.free_ram_mb[rows] >= spec['flavor']['memory_mb']]

    def host_passes(self, host_state, spec):
        wanted = spec['flavor']['memory_mb']
        if host_state.free_ram_mb >= wanted:
            return True
        LOG.debug('%s has %d MiB usable RAM, %d wanted', host_state.host,
                  host_state.free_ram_mb, wanted)
        return False
