from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class DifferentHostFilter(filters.BaseHostFilter):
    """Hint ``different_host=[uuids]``: only hosts running none of them.

    The host manager resolves the uuids to ``spec['different_host_hosts']``.
    """

    def applies(self, spec):
        return bool(spec.get('different_host_hosts'))

    def passing_rows(self, table, rows, spec):
        return table.drop(rows, spec['different_host_hosts'])

    def host_passes(self, host_state, spec):
        if host_state.host not in spec['different_host_hosts']:
            return True
        LOG.debug('%s runs one of the different_host instances',
                  host_state.host)
        return False
