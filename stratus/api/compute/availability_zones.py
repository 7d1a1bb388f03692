"""``/os-availability-zone`` (and ``/detail`` for admins).

A compute host's zone comes from the aggregate that names one, else from
its service row, else ``[DEFAULT] default_availability_zone``; every other
service is in the ``internal`` zone.
"""
from stratus import conf
from stratus import policy
from stratus import servicegroup
from stratus.api.compute import admin_policies as policies
from stratus.api.compute import common
from stratus.db import aggregates as aggregates_db
from stratus.db import services as services_db

CONF = conf.CONF
INTERNAL_ZONE = 'internal'
COMPUTE_BINARY = 'stratus-compute'


def zone_of(service, host_info):
    """The zone of one services row (``host_info`` from
    ``aggregates.host_info()``)."""
    if service['binary'] != COMPUTE_BINARY:
        return INTERNAL_ZONE
    entry = host_info.get(service['host']) or {}
    return entry.get('zone') or service.get('availability_zone') or \
        CONF.default_availability_zone


class AvailabilityZonesController:
    def _zones(self, with_internal):
        services = services_db.get_all()
        info = aggregates_db.host_info()
        zones = {}
        for svc in services:
            zone = zone_of(svc, info)
            if zone == INTERNAL_ZONE and not with_internal:
                continue
            entry = zones.setdefault(zone, {'available': False,
                                            'hosts': {}})
            if not svc['disabled']:
                entry['available'] = True
            entry['hosts'].setdefault(svc['host'], {})[svc['binary']] = {
                'available': servicegroup.is_up(svc),
                'active': not svc['disabled'],
                'updated_at': common.isotime_us(
                    svc['last_seen_up'] or svc['updated_at'] or
                    svc['created_at'])}
        # Aggregate zones with no host yet are not listed (as in Nova).
        return zones

    def index(self, req):
        policy.authorize(req.context, policies.AZ_LIST)
        zones = self._zones(with_internal=False)
        return {'availabilityZoneInfo': [
            {'zoneName': name, 'zoneState': {'available': z['available']},
             'hosts': None}
            for name, z in sorted(zones.items(),
                                  key=lambda kv: (not kv[1]['available'],
                                                  kv[0]))]}

    def detail(self, req):
        policy.authorize(req.context, policies.AZ_DETAIL)
        zones = self._zones(with_internal=True)
        return {'availabilityZoneInfo': [
            {'zoneName': name, 'zoneState': {'available': z['available']},
             'hosts': z['hosts'] or None}
            for name, z in sorted(zones.items(),
                                  key=lambda kv: (not kv[1]['available'],
                                                  kv[0]))]}
