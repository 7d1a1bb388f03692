from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Group policy ``affinity``: every member on one host.

    While no member has a host yet, any host passes; the driver records
    each choice in ``spec['group']['hosts']`` so the next instance of the
    same request follows the first.
    """

    def applies(self, spec):
        group = spec.get('group')
        return bool(group and group['policy'] == 'affinity' and
                    group['hosts'])

    def passing_rows(self, table, rows, spec):
        return table.keep(rows, spec['group']['hosts'])

    def host_passes(self, host_state, spec):
        if host_state.host in spec['group']['hosts']:
            return True
        LOG.debug('%s runs no member of affinity group', host_state.host)
        return False
