from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class RetryFilter(filters.BaseHostFilter):
    """Rejects hosts a rescheduled build already failed on."""

    def applies(self, spec):
        return bool((spec.get('retry') or {}).get('hosts'))

    def passing_rows(self, table, rows, spec):
        return table.drop(rows, spec['retry']['hosts'])

    def host_passes(self, host_state, spec):
        tried = (spec.get('retry') or {}).get('hosts') or []
        if host_state.host in tried:
            LOG.debug('%s already failed this build', host_state.host)
            return False
        return True
