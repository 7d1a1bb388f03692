"""Networking through the real routers: a network and a floating pool made
as stratus-manage makes them, a boot that gets a fixed IP, the Neutron API
(networks, ports, floating IPs, security groups) and a delete that releases
the address. The host driver is ``noop``: no root networking needed."""

import pytest
import sqlalchemy as sa

from stratus import conf
from stratus.api import auth
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.image import router as image_router
from stratus.api.network import router as network_router
from stratus.db import api as db_api
from stratus.db import flavors
from stratus.db import floating_ips as floating_db
from stratus.db import models
from stratus.db import networks as networks_db
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

CONF = conf.CONF


@pytest.fixture
def cloud(tmp_path):
    services.configure(tmp_path, overrides={
        ('identity', 'password_hash_rounds'): 1000,
        ('network', 'host_driver'): 'noop'})
    tokens.invalidate_cache()
    bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.ensure_defaults()
    private = networks_db.network_create({
        'label': 'private', 'cidr': '10.77.0.0/29', 'bridge': 'strbr0'})
    public = networks_db.network_create({
        'label': 'public', 'cidr': '172.31.77.0/29', 'bridge': 'strpub0',
        'external': True})
    floating_db.create_range('public', public['id'], '172.31.77.0/29',
                             exclude=(public['gateway'],))
    running = services.Cloud(compute_hosts=('compute1',)).start()
    identity = Http(identity_router.create_router())

    def token(user, password, project):
        return password_token(identity, user, password, project)[0]

    admin_token = token('admin', 'admin-pw', 'admin')
    image = Http(image_router.create_router(), admin_token)
    image_id = image('POST', '/v2/images', {
        'name': 'tiny', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'public'}).data['id']
    image('PUT', '/v2/images/%s/file' % image_id, raw=b'x' * 1024,
          ctype='application/octet-stream')
    demo_token = token('demo', 'demo-pw', 'demo')
    yield {'compute': Http(compute_router.create_router(auth.authenticate),
                           demo_token),
           'network': Http(network_router.create_router(), demo_token),
           'admin_network': Http(network_router.create_router(),
                                 admin_token),
           'image_id': image_id, 'private': private, 'public': public,
           'cloud': running}
    running.stop()
    CONF.clear_override('host_driver', group='network')
    tokens.invalidate_cache()


def _server(http, server_id):
    resp = http('GET', '/v2.1/servers/%s' % server_id)
    return resp.data['server'] if resp.status_int == 200 else None


def _allocated():
    with db_api.reader() as session:
        return session.scalars(sa.select(models.FixedIp.address).where(
            models.FixedIp.allocated.is_(True))).all()


def test_boot_floating_ip_and_delete(cloud):
    compute, network = cloud['compute'], cloud['network']
    nets = network('GET', '/v2.0/networks?name=private').data['networks']
    assert [n['id'] for n in nets] == [cloud['private']['uuid']]
    assert nets[0]['shared'] is True
    resp = compute('POST', '/v2.1/servers', {'server': {
        'name': 's1', 'imageRef': cloud['image_id'], 'flavorRef': '1',
        'networks': [{'uuid': nets[0]['id']}]}})
    assert resp.status_int == 202, resp.body
    sid = resp.data['server']['id']
    server = services.wait_for(
        lambda: (_server(compute, sid) or {}).get('status') == 'ACTIVE' and
        _server(compute, sid), what='ACTIVE')
    fixed = server['addresses']['private'][0]
    assert fixed['addr'] == '10.77.0.2'
    assert fixed['OS-EXT-IPS:type'] == 'fixed'
    ports = network('GET', '/v2.0/ports?device_id=%s' % sid).data['ports']
    assert ports[0]['fixed_ips'][0]['ip_address'] == '10.77.0.2'
    assert ports[0]['mac_address'] == fixed['OS-EXT-IPS-MAC:mac_addr']

    resp = network('POST', '/v2.0/floatingips', {'floatingip': {
        'floating_network_id': cloud['public']['uuid']}})
    assert resp.status_int == 201, resp.body
    fip = resp.data['floatingip']
    assert fip['floating_ip_address'] == '172.31.77.2'
    assert fip['status'] == 'DOWN'
    resp = network('PUT', '/v2.0/floatingips/%s' % fip['id'],
                   {'floatingip': {'port_id': ports[0]['id']}})
    assert resp.status_int == 200, resp.body
    assert resp.data['floatingip']['fixed_ip_address'] == '10.77.0.2'
    addrs = _server(compute, sid)['addresses']['private']
    assert [(a['addr'], a['OS-EXT-IPS:type']) for a in addrs] == [
        ('10.77.0.2', 'fixed'), ('172.31.77.2', 'floating')]
    noop = cloud['cloud'].services[2].manager.driver
    assert ('ensure_floating', '172.31.77.2', '10.77.0.2') in noop.calls
    listed = network('GET', '/v2.0/floatingips?floating_ip_address='
                     '172.31.77.2').data['floatingips']
    assert [f['port_id'] for f in listed] == [ports[0]['id']]

    assert compute('DELETE', '/v2.1/servers/%s' % sid).status_int == 204
    services.wait_for(lambda: _server(compute, sid) is None, what='gone')
    assert _allocated() == []
    assert ('remove_floating', '172.31.77.2', '10.77.0.2') in noop.calls
    left = network('GET', '/v2.0/floatingips/%s' % fip['id']).data
    assert left['floatingip']['port_id'] is None
    assert network('DELETE', '/v2.0/floatingips/%s' %
                   fip['id']).status_int == 204
    assert network('GET', '/v2.0/floatingips').data['floatingips'] == []


def test_full_network_puts_instance_in_error(cloud):
    compute = cloud['compute']
    # /29: .0 network, .1 gateway, .7 broadcast: five addresses to give.
    ids = []
    for i in range(6):
        resp = compute('POST', '/v2.1/servers', {'server': {
            'name': 'n%d' % i, 'imageRef': cloud['image_id'],
            'flavorRef': '1'}})
        ids.append(resp.data['server']['id'])
    services.wait_for(lambda: all(
        (_server(compute, s) or {}).get('status') in ('ACTIVE', 'ERROR')
        for s in ids), timeout=20, what='builds done')
    states = [_server(compute, s) for s in ids]
    errors = [s for s in states if s['status'] == 'ERROR']
    assert len(errors) == 1
    assert 'No fixed IP addresses available' in errors[0]['fault']['message']
    assert len(set(_allocated())) == 5


def test_neutron_api_errors_and_security_groups(cloud):
    network, admin = cloud['network'], cloud['admin_network']
    assert network('GET', '/v2.0/networks/nope').status_int == 404
    assert network('GET', '/v2.0/networks/nope').data['NeutronError']
    assert network('POST', '/v2.0/networks', {'network': {
        'name': 'x'}}).status_int == 403
    resp = network('POST', '/v2.0/floatingips', {'floatingip': {
        'floating_network_id': cloud['private']['uuid']}})
    assert resp.status_int == 400
    assert network('POST', '/v2.0/floatingips', {}).status_int == 400
    subnets = network('GET', '/v2.0/subnets').data['subnets']
    assert {s['cidr'] for s in subnets} == {'10.77.0.0/29',
                                            '172.31.77.0/29'}
    groups = network('GET', '/v2.0/security-groups').data['security_groups']
    assert [g['name'] for g in groups] == ['default']
    resp = network('POST', '/v2.0/security-group-rules', {
        'security_group_rule': {'security_group_id': groups[0]['id'],
                                'direction': 'ingress', 'protocol': 'tcp',
                                'port_range_min': 22,
                                'port_range_max': 22}})
    assert resp.status_int == 201, resp.body
    bad = network('POST', '/v2.0/security-group-rules', {
        'security_group_rule': {'security_group_id': groups[0]['id'],
                                'direction': 'sideways'}})
    assert bad.status_int == 400
    # Another project's group and floating IP are not found.
    admin_groups = admin('GET', '/v2.0/security-groups?name=default&'
                         'project_id=%s' % groups[0]['project_id'])
    assert len(admin_groups.data['security_groups']) == 1
    admin_fip = admin('POST', '/v2.0/floatingips', {'floatingip': {
        'floating_network_id': cloud['public']['uuid']}}).data['floatingip']
    assert network('GET', '/v2.0/floatingips/%s' %
                   admin_fip['id']).status_int == 404
    assert network('DELETE', '/v2.0/security-groups/%s' %
                   groups[0]['id']).status_int == 409
