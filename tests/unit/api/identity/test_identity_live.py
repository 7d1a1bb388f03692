"""Both APIs on real loopback ports, driven by keystoneauth1."""
import hashlib

import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from stratus import conf
from stratus.api import wsgi
from stratus.api.identity import router as identity_router
from stratus.api.image import router as image_router
from stratus.db import api as db_api
from stratus.identity import bootstrap
from tests.fixtures import identity as fx

CONF = conf.CONF


@pytest.fixture
def servers(tmp_path):
    fx.configure(tmp_path, {
        ('database', 'connection'): 'sqlite:///%s' % (tmp_path / 'db'),
        ('api', 'public_host'): '127.0.0.1'})
    bootstrap.bootstrap(fx.ADMIN_PASSWORD, fx.DEMO_PASSWORD)
    identity = wsgi.WSGIServer('identity', identity_router.create_router(),
                               '127.0.0.1', 0)
    image = wsgi.WSGIServer('image', image_router.create_router(),
                            '127.0.0.1', 0)
    CONF.set_override('identity_port', identity.port, 'api')
    CONF.set_override('image_port', image.port, 'api')
    identity.start()
    image.start()
    yield identity, image
    identity.stop()
    image.stop()
    db_api.dispose()
    CONF.reset()


def test_keystoneauth_token_catalog_and_image(servers):
    identity, image = servers
    auth = v3.Password(
        auth_url='http://127.0.0.1:%d/v3' % identity.port,
        username='demo', password=fx.DEMO_PASSWORD,
        user_domain_id='default', project_name='demo',
        project_domain_name='Default')
    sess = ks_session.Session(auth=auth)
    token = sess.get_token()
    assert token
    access = auth.get_access(sess)
    assert access.project_name == 'demo'
    assert sorted(access.role_names) == ['member', 'reader']
    url = access.service_catalog.url_for(service_type='image',
                                         interface='public')
    assert url == 'http://127.0.0.1:%d' % image.port
    assert access.service_catalog.url_for(
        service_type='compute').endswith(':%d/v2.1' % CONF.api.compute_port)

    # The image API, found through the catalog and version discovery.
    filt = {'service_type': 'image', 'interface': 'public'}
    resp = sess.post('/v2/images', endpoint_filter=filt, json={
        'name': 'live', 'disk_format': 'raw', 'container_format': 'bare'})
    assert resp.status_code == 201
    image_id = resp.json()['id']
    data = b'live-data' * 1000
    resp = sess.put('/v2/images/%s/file' % image_id, endpoint_filter=filt,
                    data=iter([data[:5000], data[5000:]]),  # chunked
                    headers={'Content-Type': 'application/octet-stream'})
    assert resp.status_code == 204
    resp = sess.get('/v2/images/%s/file' % image_id, endpoint_filter=filt)
    assert resp.content == data
    assert resp.headers['Content-MD5'] == hashlib.md5(data).hexdigest()
    names = [i['name'] for i in sess.get(
        '/v2/images', endpoint_filter=filt).json()['images']]
    assert names == ['live']


def test_wrong_password_over_http(servers):
    identity, _ = servers
    from keystoneauth1 import exceptions
    auth = v3.Password(auth_url='http://127.0.0.1:%d/v3' % identity.port,
                       username='admin', password='wrong',
                       user_domain_id='default', project_name='admin',
                       project_domain_id='default')
    with pytest.raises(exceptions.Unauthorized):
        ks_session.Session(auth=auth).get_token()
