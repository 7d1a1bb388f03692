from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


def _limit(group):
    return int((group.get('rules') or {}).get('max_server_per_host') or 1)


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """Group policy ``anti-affinity``: members on different hosts, or at
    most ``rules.max_server_per_host`` of them per host."""

    def applies(self, spec):
        group = spec.get('group')
        return bool(group and group['policy'] == 'anti-affinity' and
                    group['hosts'])

    def passing_rows(self, table, rows, spec):
        group = spec['group']
        limit = _limit(group)
        return table.drop(rows, [host for host, there in
                                 group['hosts'].items() if there >= limit])

    def host_passes(self, host_state, spec):
        group = spec['group']
        limit = _limit(group)
        there = group['hosts'].get(host_state.host, 0)
        if there < limit:
            return True
        LOG.debug('%s already runs %d member(s) of anti-affinity group '
                  '(at most %d)', host_state.host, there, limit)
        return False
