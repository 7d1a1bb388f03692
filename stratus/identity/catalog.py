"""The service catalog, built from configuration.

One row per service; adding a service (network, volume, ec2) is one more
row in ``SERVICES``.
"""
import uuid

from stratus import conf

CONF = conf.CONF

# type, name, [api] option holding the port, path after host:port
SERVICES = (
    ('identity', 'keystone', 'identity_port', '/v3'),
    ('compute', 'nova', 'compute_port', '/v2.1'),
    ('image', 'glance', 'image_port', ''),
    ('network', 'neutron', 'network_port', ''),
    ('ec2', 'ec2', 'ec2_port', '/services/Cloud'),
    # Cinder v3 without the project id in the URL (3.67+ style): the
    # block storage API serves both forms.
    ('block-storage', 'cinder', 'volume_port', '/v3'),
    ('volumev3', 'cinderv3', 'volume_port', '/v3'),
)
INTERFACES = ('public', 'internal', 'admin')


def _stable_id(*parts):
    # Same ids on every call and in every process: clients may cache them.
    return uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(parts)).hex


def build_catalog():
    """:returns: the catalog as Keystone v3 tokens carry it."""
    region = CONF.api.region_name
    catalog = []
    for stype, name, port_opt, path in SERVICES:
        port = getattr(CONF.api, port_opt, None)
        if port is None:
            continue
        url = 'http://%s:%s%s' % (CONF.api.public_host, port, path)
        catalog.append({
            'id': _stable_id(stype, name),
            'type': stype, 'name': name,
            'endpoints': [{'id': _stable_id(stype, name, iface),
                           'interface': iface, 'region': region,
                           'region_id': region, 'url': url}
                          for iface in INTERFACES],
        })
    return catalog
