from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)


class AvailabilityZoneFilter(filters.BaseHostFilter):
    """Passes hosts in the requested availability zone (any without one)."""

    def applies(self, spec):
        return bool(spec.get('availability_zone'))

    def passing_rows(self, table, rows, spec):
        return table.where(rows, table.zone, table.zone_codes,
                           spec['availability_zone'])

    def host_passes(self, host_state, spec):
        zone = spec.get('availability_zone')
        if not zone or zone == host_state.availability_zone:
            return True
        LOG.debug('%s is in zone %s, not %s', host_state.host,
                  host_state.availability_zone, zone)
        return False
