"""The whole boot flow behind the real routers: identity issues a token,
the image API stores an image, the compute API boots, lists, shows and
deletes servers, and every daemon runs in this process over kombu+memory
with the fake driver. Waits are for states, never casts turned calls."""
import json

import pytest
import sqlalchemy as sa

from stratus import conf
from stratus.api import auth
from stratus.api import wsgi
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.image import router as image_router
from stratus.db import api as db_api
from stratus.db import flavors
from stratus.db import models
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

CONF = conf.CONF


@pytest.fixture
def api(tmp_path):
    services.configure(tmp_path,
                       overrides={('identity', 'password_hash_rounds'): 1000})
    tokens.invalidate_cache()
    bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.ensure_defaults()
    cloud = services.Cloud(compute_hosts=('compute1',)).start()
    services.wait_for(lambda: _count(models.ComputeNode) == 1)
    identity = Http(identity_router.create_router())

    def token(user, password, project):
        return password_token(identity, user, password, project)[0]

    compute_app = compute_router.create_router(auth.authenticate)
    image = Http(image_router.create_router(), token('admin', 'admin-pw',
                                                     'admin'))
    resp = image('POST', '/v2/images', {'name': 'tiny', 'disk_format':
                                        'qcow2', 'container_format': 'bare',
                                        'visibility': 'public'})
    assert resp.status_int == 201
    image_id = resp.data['id']
    assert image('PUT', '/v2/images/%s/file' % image_id,
                 raw=b'x' * 4096,
                 ctype='application/octet-stream').status_int == 204
    demo = Http(compute_app, token('demo', 'demo-pw', 'demo'))
    admin = Http(compute_app, token('admin', 'admin-pw', 'admin'))
    yield demo, admin, image_id, cloud
    cloud.stop()
    tokens.invalidate_cache()


def _count(model, *where):
    with db_api.reader() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(
            model).where(*where))


def _status(http, server_id):
    resp = http('GET', '/v2.1/servers/%s' % server_id)
    return resp.data['server']['status'] if resp.status_int == 200 \
        else resp.status_int


def test_boot_list_show_delete(api):
    demo, admin, image_id, cloud = api
    resp = demo('POST', '/v2.1/servers', {'server': {
        'name': 's1', 'imageRef': image_id, 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    server_id = resp.data['server']['id']
    assert resp.headers['X-OpenStack-Request-ID'].startswith('req-')
    services.wait_for(lambda: _status(demo, server_id) == 'ACTIVE',
                      what='ACTIVE')
    listed = demo('GET', '/v2.1/servers/detail').data['servers']
    assert [s['id'] for s in listed] == [server_id]
    shown = admin('GET', '/v2.1/servers/%s' % server_id,
                  headers={'OpenStack-API-Version': 'compute 2.47'})
    server = shown.data['server']
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert server['OS-EXT-SRV-ATTR:instance_name'].startswith('instance-')
    assert server['flavor']['original_name'] == 'm1.tiny'
    assert demo('DELETE', '/v2.1/servers/%s' % server_id).status_int == 204
    services.wait_for(lambda: _status(demo, server_id) == 404,
                      what='gone')
    assert cloud.computes['compute1'].driver.list_instance_uuids() == []


def test_no_valid_host_shows_error_and_fault(api):
    demo, admin, image_id, cloud = api
    huge = admin('POST', '/v2.1/flavors', {'flavor': {
        'name': 'huge', 'ram': 40000, 'vcpus': 1, 'disk': 1}})
    assert huge.status_int == 200, huge.body
    resp = demo('POST', '/v2.1/servers', {'server': {
        'name': 'big', 'imageRef': image_id,
        'flavorRef': huge.data['flavor']['id']}})
    assert resp.status_int == 202
    server_id = resp.data['server']['id']
    services.wait_for(lambda: _status(demo, server_id) == 'ERROR')
    server = demo('GET', '/v2.1/servers/%s' % server_id).data['server']
    assert 'No valid host' in server['fault']['message']
    assert demo('DELETE', '/v2.1/servers/%s' % server_id).status_int == 204
    services.wait_for(lambda: _status(demo, server_id) == 404)


@pytest.mark.parametrize('body,status', [
    (b'{"server": ', 400),
    ({'server': {'name': 'x', 'imageRef': 'IMAGE', 'flavorRef': '404'}}, 400),
    ({'server': {'name': 'x', 'imageRef': 'c0ffee00-0000-0000-0000-'
                 '000000000000', 'flavorRef': '1'}}, 400),
    ({'server': {'name': 'x' * 256, 'imageRef': 'IMAGE', 'flavorRef': '1'}},
     400),
    ({'server': {'name': 'x', 'imageRef': 'IMAGE', 'flavorRef': '1',
                 'min_count': -1}}, 400),
    ({'server': {'name': 'x', 'imageRef': 'IMAGE', 'flavorRef': '1',
                 'min_count': 10 ** 6, 'max_count': 10 ** 6}}, 403),
])
def test_bad_create_is_4xx_and_writes_nothing(api, body, status):
    demo, admin, image_id, cloud = api
    if isinstance(body, dict):
        body = json.dumps(body).replace('IMAGE', image_id).encode()
    req = wsgi.Request.blank('/v2.1/servers', method='POST', body=body)
    req.content_type = 'application/json'
    req.headers['X-Auth-Token'] = demo.token
    resp = req.get_response(demo.app)
    assert resp.status_int == status, resp.body
    fault = json.loads(resp.body)
    assert list(fault.values())[0]['code'] == status
    assert _count(models.Instance) == 0
    assert _count(models.InstanceAction) == 0


def test_missing_and_foreign_tokens(api):
    demo, admin, image_id, cloud = api
    anonymous = Http(demo.app)
    assert anonymous('GET', '/v2.1/servers').status_int == 401
    resp = admin('POST', '/v2.1/servers', {'server': {
        'name': 'adm', 'imageRef': image_id, 'flavorRef': '1'}})
    server_id = resp.data['server']['id']
    # Another project's server is not found, not forbidden.
    assert demo('GET', '/v2.1/servers/%s' % server_id).status_int == 404
    assert demo('DELETE', '/v2.1/servers/%s' % server_id).status_int == 404
    services.wait_for(lambda: _status(admin, server_id) == 'ACTIVE')
