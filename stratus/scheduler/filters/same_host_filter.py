from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class SameHostFilter(filters.BaseHostFilter):
    """Hint ``same_host=[uuids]``: only hosts running one of them.

    The host manager resolves the uuids to ``spec['same_host_hosts']``.
    """

    def applies(self, spec):
        return bool((spec.get('scheduler_hints') or {}).get('same_host'))

    def passing_rows(self, table, rows, spec):
        return table.keep(rows, spec.get('same_host_hosts') or ())

    def host_passes(self, host_state, spec):
        if host_state.host in (spec.get('same_host_hosts') or ()):
            return True
        LOG.debug('%s runs none of the same_host instances',
                  host_state.host)
        return False
