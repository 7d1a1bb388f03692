"""Hostile input, tenant isolation and token lifetime, behind the real
routers with every daemon in this process (kombu+memory, fake driver).

One cloud for the module: project ``demo`` (user demo, member) owns a
server, a volume, a key pair, a security group, a floating IP and a
network; project ``beta`` (user eve, member) must not see or touch any of
them (404, as Nova answers), and members get 403 from admin-only APIs.
"""
import json
import random
import string
import uuid

import pytest

from stratus import conf
from stratus.api import auth
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.image import router as image_router
from stratus.api.network import router as network_router
from stratus.api.volume import router as volume_router
from stratus.db import floating_ips as floating_db
from stratus.db import flavors
from stratus.db import identity as identity_db
from stratus.db import instances as instances_db
from stratus.db import networks as networks_db
from stratus.identity import bootstrap
from stratus.identity import passwords
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

CONF = conf.CONF


def _token(identity, user, password, project):
    return password_token(identity, user, password, project)[0]


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('reliability')
    services.configure(tmp_path, overrides={
        ('identity', 'password_hash_rounds'): 1000,
        ('network', 'host_driver'): 'noop',
        ('volume', 'capacity_gb'): 10})
    tokens.invalidate_cache()
    ids = bootstrap.bootstrap('admin-pw', 'demo-pw')
    beta = identity_db.project_create({
        'id': uuid.uuid4().hex, 'name': 'beta', 'domain_id': 'default',
        'enabled': True})
    eve = identity_db.user_create({
        'id': uuid.uuid4().hex, 'name': 'eve', 'domain_id': 'default',
        'password_hash': passwords.hash_password('eve-pw'),
        'enabled': True, 'default_project_id': beta['id']})
    for role in ('member', 'reader'):
        identity_db.assignment_add(eve['id'], beta['id'],
                                   ids['roles'][role])
    flavors.ensure_defaults()
    demo_project = ids['projects']['demo']
    private = networks_db.network_create({
        'label': 'demo-net', 'cidr': '10.78.0.0/24', 'bridge': 'strbr9',
        'project_id': demo_project})
    public = networks_db.network_create({
        'label': 'public', 'cidr': '172.31.78.0/29', 'bridge': 'strpub9',
        'external': True})
    floating_db.create_range('public', public['id'], '172.31.78.0/29',
                             exclude=(public['gateway'],))
    running = services.Cloud(compute_hosts=('compute1',)).start()
    identity = Http(identity_router.create_router())
    tok = {name: _token(identity, name, '%s-pw' % name, project)
           for name, project in (('admin', 'admin'), ('demo', 'demo'),
                                 ('eve', 'beta'))}
    compute_app = compute_router.create_router(auth.authenticate)
    volume_app = volume_router.create_router(auth.authenticate)
    network_app = network_router.create_router()
    image = Http(image_router.create_router(), tok['admin'])
    image_id = image('POST', '/v2/images', {
        'name': 'tiny', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'public'}).data['id']
    assert image('PUT', '/v2/images/%s/file' % image_id,
                 raw=b'x' * 1024,
                 ctype='application/octet-stream').status_int == 204
    env = {'identity': identity, 'tokens': tok, 'image_id': image_id,
           'private': private, 'public': public, 'cloud': running,
           'demo_project': demo_project, 'beta_project': beta['id']}
    for name in tok:
        env[name] = Http(compute_app, tok[name])
        env[name + '_vol'] = Http(volume_app, tok[name])
        env[name + '_net'] = Http(network_app, tok[name])
    yield env
    running.stop()
    CONF.clear_override('host_driver', group='network')
    tokens.invalidate_cache()


def _server(http, sid):
    resp = http('GET', '/v2.1/servers/%s' % sid)
    return resp.data['server'] if resp.status_int == 200 else None


def _boot(cloud, name, **extra):
    body = {'name': name, 'imageRef': cloud['image_id'], 'flavorRef': '1'}
    body.update(extra)
    resp = cloud['demo']('POST', '/v2.1/servers', {'server': body})
    assert resp.status_int == 202, resp.body
    sid = resp.data['server']['id']
    services.wait_for(lambda: (_server(cloud['demo'], sid) or {}).get(
        'status') in ('ACTIVE', 'ERROR'), what='%s settled' % name)
    return sid


# -- isolation ----------------------------------------------------------------
def test_other_project_gets_404_and_members_get_403(cloud):
    demo, eve = cloud['demo'], cloud['eve']
    sid = _boot(cloud, 'iso', networks=[{'uuid': cloud['private']['uuid']}])
    assert _server(demo, sid)['status'] == 'ACTIVE'
    vol = cloud['demo_vol']('POST', '/v3/volumes', {'volume': {
        'size': 1, 'name': 'iso-vol'}})
    assert vol.status_int == 202, vol.body
    vid = vol.data['volume']['id']
    assert demo('POST', '/v2.1/os-keypairs', {'keypair': {
        'name': 'iso-key'}}).status_int in (200, 201)
    sg = cloud['demo_net']('POST', '/v2.0/security-groups', {
        'security_group': {'name': 'iso-sg'}})
    assert sg.status_int == 201, sg.body
    sgid = sg.data['security_group']['id']
    fip = cloud['demo_net']('POST', '/v2.0/floatingips', {'floatingip': {
        'floating_network_id': cloud['public']['uuid']}})
    assert fip.status_int == 201, fip.body
    fid = fip.data['floatingip']['id']
    port = cloud['demo_net']('GET', '/v2.0/ports?device_id=%s' % sid
                             ).data['ports'][0]['id']

    # The owner sees each of them...
    owner_view = [
        (demo, 'GET', '/v2.1/servers/%s' % sid),
        (cloud['demo_vol'], 'GET', '/v3/volumes/%s' % vid),
        (demo, 'GET', '/v2.1/os-keypairs/iso-key'),
        (cloud['demo_net'], 'GET', '/v2.0/security-groups/%s' % sgid),
        (cloud['demo_net'], 'GET', '/v2.0/floatingips/%s' % fid),
        (cloud['demo_net'], 'GET', '/v2.0/networks/%s'
         % cloud['private']['uuid']),
        (cloud['demo_net'], 'GET', '/v2.0/ports/%s' % port),
    ]
    for http, method, path in owner_view:
        assert http(method, path).status_int == 200, path
    # ...the other project sees none of them, nor can it act on them.
    eve_vol, eve_net = cloud['eve_vol'], cloud['eve_net']
    probes = [(eve, m, p) for _, m, p in owner_view[:3]] + \
        [(eve_vol, m, p) for _, m, p in owner_view[1:2]] + \
        [(eve_net, m, p) for _, m, p in owner_view[3:]] + [
        (eve, 'PUT', '/v2.1/servers/%s' % sid,
         {'server': {'name': 'stolen'}}),
        (eve, 'POST', '/v2.1/servers/%s/action' % sid,
         {'reboot': {'type': 'HARD'}}),
        (eve, 'POST', '/v2.1/servers/%s/action' % sid, {'os-stop': None}),
        (eve, 'POST', '/v2.1/servers/%s/action' % sid,
         {'os-getConsoleOutput': {}}),
        (eve, 'GET', '/v2.1/servers/%s/os-instance-actions' % sid),
        (eve, 'GET', '/v2.1/servers/%s/os-volume_attachments' % sid),
        (eve, 'POST', '/v2.1/servers/%s/os-volume_attachments' % sid,
         {'volumeAttachment': {'volumeId': vid}}),
        (eve, 'DELETE', '/v2.1/os-keypairs/iso-key'),
        (eve_vol, 'POST', '/v3/volumes/%s/action' % vid,
         {'os-extend': {'new_size': 2}}),
        (eve_vol, 'DELETE', '/v3/volumes/%s' % vid),
        (eve_net, 'PUT', '/v2.0/floatingips/%s' % fid,
         {'floatingip': {'port_id': None}}),
        (eve_net, 'DELETE', '/v2.0/floatingips/%s' % fid),
        (eve_net, 'DELETE', '/v2.0/security-groups/%s' % sgid),
        (eve, 'DELETE', '/v2.1/servers/%s' % sid),
    ]
    for http, method, path, *body in probes:
        resp = http(method, path, *body)
        assert resp.status_int == 404, (method, path, resp.status_int,
                                         resp.body)
    # Lists leak nothing either.
    assert eve('GET', '/v2.1/servers/detail').data['servers'] == []
    resp = eve('GET', '/v2.1/servers?all_tenants=1')
    assert resp.status_int == 403 or resp.data['servers'] == [], resp.body
    assert eve_vol('GET', '/v3/volumes/detail').data['volumes'] == []
    assert eve('GET', '/v2.1/os-keypairs').data['keypairs'] == []
    nets = eve_net('GET', '/v2.0/networks').data['networks']
    assert cloud['private']['uuid'] not in [n['id'] for n in nets]
    assert eve_net('GET', '/v2.0/floatingips').data['floatingips'] == []
    assert eve_net('GET', '/v2.0/ports').data['ports'] == []
    # Nothing changed for the owner.
    server = _server(demo, sid)
    assert (server['name'], server['status']) == ('iso', 'ACTIVE')
    assert cloud['demo_vol']('GET', '/v3/volumes/%s' % vid
                             ).status_int == 200
    assert demo('GET', '/v2.1/os-keypairs/iso-key').status_int == 200

    # Admin-only APIs refuse members (403) and serve the admin.
    admin_only = [
        ('GET', '/v2.1/os-services', None),
        ('GET', '/v2.1/os-hypervisors', None),
        ('GET', '/v2.1/os-hypervisors/statistics', None),
        ('GET', '/v2.1/os-aggregates', None),
        ('POST', '/v2.1/flavors', {'flavor': {'name': 'x', 'ram': 128,
                                              'vcpus': 1, 'disk': 1}}),
        ('PUT', '/v2.1/os-quota-sets/%s' % cloud['demo_project'],
         {'quota_set': {'instances': 1000}}),
    ]
    for method, path, body in admin_only:
        resp = demo(method, path, body)
        assert resp.status_int == 403, (method, path, resp.body)
    for method, path, body in admin_only[:4]:
        assert cloud['admin'](method, path, body).status_int == 200, path
    resp = cloud['demo_net']('POST', '/v2.0/networks',
                             {'network': {'name': 'mine'}})
    assert resp.status_int == 403, resp.body


# -- hostile input ------------------------------------------------------------
def _no_leak(resp):
    text = resp.body.decode('utf-8', 'replace')
    assert 'Traceback' not in text and 'File "/' not in text, text[:500]


def test_body_size_limit_is_413(cloud):
    big = {'server': {'name': 'big', 'imageRef': cloud['image_id'],
                      'flavorRef': '1',
                      'metadata': {'k': 'v' * CONF.api.max_request_body_size}}}
    resp = cloud['demo']('POST', '/v2.1/servers', big)
    assert resp.status_int == 413, resp.body
    assert resp.data['overLimit']['code'] == 413
    _no_leak(resp)


@pytest.mark.parametrize('depth', [50, 900, 5000, 50000])
def test_deeply_nested_json_is_400(cloud, depth):
    for opening, closing in (('[', ']'), ('{"a":', '}')):
        nested = opening * depth + '1' + closing * depth
        raw = ('{"server": {"name": "deep", "imageRef": "%s", '
               '"flavorRef": "1", "metadata": %s}}'
               % (cloud['image_id'], nested)).encode()
        if len(raw) > CONF.api.max_request_body_size:
            continue
        resp = cloud['demo']('POST', '/v2.1/servers', raw=raw)
        assert resp.status_int == 400, (depth, resp.status_int, resp.body)
        _no_leak(resp)
    resp = cloud['demo']('PUT', '/v2.1/os-keypairs', raw=b'[' * 40000)
    assert resp.status_int in (400, 404, 405), resp.body


@pytest.mark.parametrize('query,status', [
    ('limit=-1', 400), ('limit=abc', 400), ('limit=0', 200),
    ('limit=%d' % 10 ** 30, 200), ('marker=nope', 400),
    ('limit=1&marker=%s' % ('a' * 5000), 400),
])
def test_pagination_parameters(cloud, query, status):
    resp = cloud['demo']('GET', '/v2.1/servers/detail?' + query)
    assert resp.status_int == status, (query, resp.body)
    _no_leak(resp)


def test_pagination_is_capped_by_max_limit(cloud):
    CONF.set_override('max_limit', 2, group='api')
    try:
        for i in range(3):
            _boot(cloud, 'page-%d' % i)
        resp = cloud['demo']('GET', '/v2.1/servers?limit=1000')
        assert len(resp.data['servers']) == 2
        assert any(link['rel'] == 'next'
                   for link in resp.data.get('servers_links', []))
    finally:
        CONF.clear_override('max_limit', group='api')


@pytest.mark.parametrize('name', [
    '</name><devices><disk type="file"><source file="/etc/shadow"/>',
    '../../etc/passwd',
    "'; DROP TABLE instances; --",
])
def test_hostile_names_and_metadata_are_stored_as_text(cloud, name):
    sid = _boot(cloud, name, metadata={'note': name})
    server = _server(cloud['demo'], sid)
    assert server['name'] == name
    assert server['metadata'] == {'note': name}
    assert server['status'] == 'ACTIVE'
    # The hypervisor-side name never comes from the user.
    row = instances_db.get(sid)
    guests = cloud['cloud'].computes['compute1'].driver._guests
    assert guests[sid]['name'] == CONF.instance_name_template % row['id']


# -- token lifetime through the compute API ----------------------------------
def test_revoked_and_expired_tokens_are_refused_by_compute(cloud):
    token = _token(cloud['identity'], 'demo', 'demo-pw', 'demo')
    compute = Http(cloud['demo'].app, token)
    assert compute('GET', '/v2.1/servers').status_int == 200
    revoke = cloud['identity']('DELETE', '/v3/auth/tokens',
                               headers={'X-Auth-Token': token,
                                        'X-Subject-Token': token})
    assert revoke.status_int == 204, revoke.body
    resp = compute('GET', '/v2.1/servers')
    assert resp.status_int == 401, resp.body
    assert cloud['demo']('GET', '/v2.1/servers').status_int == 200

    user = identity_db.user_find('demo')
    project = identity_db.project_find('demo')
    roles = [identity_db.role_find('member')]
    expired, _ = tokens.issue(user, project, roles, ['password'],
                              expires_at=tokens.models.utcnow() -
                              tokens.datetime.timedelta(seconds=1))
    assert Http(cloud['demo'].app, expired)('GET', '/v2.1/servers'
                                            ).status_int == 401
    assert Http(cloud['demo'].app, 'forged-' + token[7:])(
        'GET', '/v2.1/servers').status_int == 401


# -- a small fuzz of the compute routes ---------------------------------------
_ROUTES = [
    ('GET', '/v2.1/servers'), ('GET', '/v2.1/servers/detail'),
    ('POST', '/v2.1/servers'), ('GET', '/v2.1/servers/{id}'),
    ('PUT', '/v2.1/servers/{id}'), ('DELETE', '/v2.1/servers/{id}'),
    ('POST', '/v2.1/servers/{id}/action'),
    ('GET', '/v2.1/servers/{id}/os-instance-actions'),
    ('GET', '/v2.1/servers/{id}/os-instance-actions/{id}'),
    ('GET', '/v2.1/servers/{id}/os-volume_attachments'),
    ('POST', '/v2.1/servers/{id}/os-volume_attachments'),
    ('DELETE', '/v2.1/servers/{id}/os-volume_attachments/{id}'),
    ('GET', '/v2.1/flavors'), ('GET', '/v2.1/flavors/detail'),
    ('GET', '/v2.1/flavors/{id}'), ('POST', '/v2.1/flavors'),
    ('GET', '/v2.1/flavors/{id}/os-extra_specs'),
    ('POST', '/v2.1/flavors/{id}/os-extra_specs'),
    ('GET', '/v2.1/os-keypairs'), ('POST', '/v2.1/os-keypairs'),
    ('GET', '/v2.1/os-keypairs/{id}'), ('DELETE', '/v2.1/os-keypairs/{id}'),
    ('GET', '/v2.1/limits'), ('GET', '/v2.1/os-quota-sets/{id}'),
    ('PUT', '/v2.1/os-quota-sets/{id}'),
    ('GET', '/v2.1/os-quota-sets/{id}/detail'),
    ('GET', '/v2.1/os-services'), ('PUT', '/v2.1/os-services/{id}'),
    ('GET', '/v2.1/os-hypervisors/{id}'),
    ('GET', '/v2.1/os-hypervisors/{id}/search'),
    ('GET', '/v2.1/os-availability-zone/detail'),
    ('POST', '/v2.1/os-aggregates'),
    ('POST', '/v2.1/os-aggregates/{id}/action'),
    ('POST', '/v2.1/os-server-groups'),
    ('GET', '/v2.1/os-server-groups/{id}'),
]
_KEYS = ['server', 'name', 'imageRef', 'flavorRef', 'flavor', 'keypair',
         'public_key', 'metadata', 'networks', 'uuid', 'reboot', 'type',
         'os-start', 'os-stop', 'quota_set', 'instances', 'volumeAttachment',
         'volumeId', 'device', 'min_count', 'max_count', 'ram', 'vcpus',
         'disk', 'aggregate', 'add_host', 'host', 'server_group', 'policies',
         'os-getConsoleOutput', 'length', 'extra_specs', 'status',
         'availability_zone', 'user_data', 'key_name', 'security_groups',
         'block_device_mapping_v2', 'createImage', 'id', 'forced_down']


def _junk(rng, depth=0):
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2 ** 63, -2 ** 63, 10 ** 40, 1.5,
                           float('1e308')])
    if kind in (3, 4, 5):
        return rng.choice([
            '', 'a' * rng.choice([1, 255, 256, 5000]), '../../etc/passwd',
            '</name><devices>', '\x00\x1b[31m', '\ud800'.encode(
                'utf-8', 'surrogatepass').decode('utf-8', 'replace'),
            str(uuid.uuid4()), '1', 'HARD', 'SOFT', 'm1.tiny', '%s%n%x',
            '1' * 40, 'null', ''.join(rng.choice(string.printable)
                                      for _ in range(rng.randrange(20)))])
    if kind in (6, 7):
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(_KEYS): _junk(rng, depth + 1)
            for _ in range(rng.randrange(1, 5))}


def test_fuzz_compute_routes_gives_no_500(cloud):
    rng = random.Random(20260609)
    sid = _boot(cloud, 'fuzz-target')
    ids = [sid, str(uuid.uuid4()), '1', '0', '-1', 'a' * 300, '%2e%2e',
           'compute1', cloud['demo_project'], 'iso-key', "'", '..']
    failures = []
    for _ in range(400):
        method, path = rng.choice(_ROUTES)
        while '{id}' in path:
            path = path.replace('{id}', rng.choice(ids), 1)
        if rng.random() < 0.3:
            path += '?' + rng.choice(['limit=x', 'limit=-5', 'marker=zz',
                                      'all_tenants=1', 'changes-since=yy',
                                      'status=NOPE', 'name=(', 'sort_key=id'])
        http = cloud['admin'] if rng.random() < 0.3 else cloud['demo']
        body = None
        if method in ('POST', 'PUT'):
            shape = rng.randrange(5)
            if shape == 0:
                body = rng.choice([b'', b'{', b'[]', b'"x"', b'null',
                                   b'{"a": NaN}', b'\xff\xfe'])
            else:
                body = json.dumps(_junk(rng, 1) if shape == 1 else
                                  {rng.choice(_KEYS): _junk(rng, 1)}
                                  ).encode()
        resp = http(method, path, raw=body)
        text = resp.body.decode('utf-8', 'replace')
        if resp.status_int >= 500 or 'Traceback' in text:
            failures.append((method, path, body and body[:200],
                             resp.status_int, text[:300]))
    assert failures == [], failures[:5]
    # The target is still there and consistent.
    assert _server(cloud['demo'], sid) is not None or \
        _server(cloud['admin'], sid) is None


def test_fault_traceback_is_shown_to_admins_only(cloud):
    sid = _boot(cloud, 'fault-details')
    trace = ('Traceback (most recent call last):\n  File "/srv/stratus/'
             'network/manager.py", line 1, in allocate\nNoMoreFixedIps\n')
    instances_db.set_error(sid, 'No fixed IP addresses available', 409,
                           trace, 'compute1')
    member = cloud['demo']('GET', '/v2.1/servers/%s' % sid)
    assert member.data['server']['fault']['code'] == 409
    assert 'details' not in member.data['server']['fault']
    _no_leak(member)
    _no_leak(cloud['demo']('GET', '/v2.1/servers/detail'))
    admin = cloud['admin']('GET', '/v2.1/servers/%s' % sid)
    assert admin.data['server']['fault']['details'] == trace
