"""DescribeAvailabilityZones: the zones of the compute services."""
from stratus import conf
from stratus.api.ec2 import errors
from stratus.api.ec2 import params as p
from stratus.db import ec2 as ec2_db

CONF = conf.CONF


def describe_availability_zones(api, ctxt, params):
    zones = ec2_db.availability_zones(CONF.default_availability_zone)
    names = p.get_list(params, 'ZoneName')
    for name in names:
        if name not in zones:
            raise errors.invalid_parameter("Invalid availability zone: "
                                           "[%s]" % name)
    filters = p.get_filters(params)
    for name in filters:
        if name not in ('zone-name', 'state', 'region-name'):
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    region = CONF.api.region_name
    items = []
    for zone in zones:
        if names and zone not in names:
            continue
        attrs = {'zone-name': zone, 'state': 'available',
                 'region-name': region}
        if any(attrs[f] not in values for f, values in filters.items()):
            continue
        items.append({'zoneName': zone, 'zoneState': 'available',
                      'regionName': region, 'zoneType': 'availability-zone',
                      'messageSet': []})
    return {'availabilityZoneInfo': items}
