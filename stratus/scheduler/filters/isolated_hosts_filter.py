from oslo_log import log as logging

from stratus import conf
from stratus.scheduler import filters

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class IsolatedHostsFilter(filters.BaseHostFilter):
    """``isolated_images`` run only on ``isolated_hosts``; with
    ``restrict_isolated_hosts_to_isolated_images`` no other image runs
    there."""

    def applies(self, spec):
        return bool(CONF.scheduler.isolated_hosts or
                    CONF.scheduler.isolated_images)

    def filter_all(self, host_states, spec):
        if not self.applies(spec):
            return host_states
        # Read the options once per decision, not once per host.
        spec = dict(spec, _isolation=(
            set(CONF.scheduler.isolated_images),
            set(CONF.scheduler.isolated_hosts),
            CONF.scheduler.restrict_isolated_hosts_to_isolated_images))
        return [h for h in host_states if self.host_passes(h, spec)]

    def passing_rows(self, table, rows, spec):
        hosts = CONF.scheduler.isolated_hosts
        if (spec.get('image') or {}).get('id') in \
                set(CONF.scheduler.isolated_images):
            return table.keep(rows, hosts)
        if CONF.scheduler.restrict_isolated_hosts_to_isolated_images:
            return table.drop(rows, hosts)
        return rows

    def host_passes(self, host_state, spec):
        images, hosts, restrict = spec.get('_isolation') or (
            set(CONF.scheduler.isolated_images),
            set(CONF.scheduler.isolated_hosts),
            CONF.scheduler.restrict_isolated_hosts_to_isolated_images)
        image_isolated = (spec.get('image') or {}).get('id') in images
        host_isolated = host_state.host in hosts
        if image_isolated and not host_isolated:
            LOG.debug('%s is not an isolated host; the image is isolated',
                      host_state.host)
            return False
        if restrict and host_isolated and not image_isolated:
            LOG.debug('%s is isolated; the image is not', host_state.host)
            return False
        return True
