import pytest

from stratus.api.identity import router
from stratus.identity import catalog
from tests.fixtures.identity import (ADMIN_PASSWORD, DEMO_PASSWORD,  # noqa
                                     auth_body, call, cloud_ids, get_token)


@pytest.fixture
def app(cloud_ids):
    return router.create_router()


def test_versions(app):
    resp = call(app, 'GET', '/')
    assert resp.status_int == 300
    value = resp.json['versions']['values'][0]
    assert value['id'].startswith('v3.')
    assert value['links'][0]['href'] == 'http://localhost/v3/'
    resp = call(app, 'GET', '/v3')
    assert resp.status_int == 200
    assert resp.json['version']['status'] == 'stable'


def test_issue_project_scoped_token(app, cloud_ids):
    resp = call(app, 'POST', '/v3/auth/tokens',
                auth_body('demo', DEMO_PASSWORD, 'demo'))
    assert resp.status_int == 201
    assert resp.headers['X-Subject-Token']
    token = resp.json['token']
    assert token['project']['id'] == cloud_ids['projects']['demo']
    assert token['user']['domain'] == {'id': 'default', 'name': 'Default'}
    assert sorted(r['name'] for r in token['roles']) == ['member', 'reader']
    assert token['methods'] == ['password']
    assert token['expires_at'].endswith('Z')
    assert len(token['audit_ids']) == 1
    assert {e['type'] for e in token['catalog']} >= {'identity', 'compute',
                                                     'image'}


def test_scope_by_project_id_and_user_id(app, cloud_ids):
    body = {'auth': {'identity': {'methods': ['password'], 'password': {
        'user': {'id': cloud_ids['users']['admin'],
                 'password': ADMIN_PASSWORD}}},
        'scope': {'project': {'id': cloud_ids['projects']['admin']}}}}
    resp = call(app, 'POST', '/v3/auth/tokens', body)
    assert resp.status_int == 201
    assert resp.json['token']['project']['name'] == 'admin'


def test_unscoped_token_has_no_catalog(app):
    resp = call(app, 'POST', '/v3/auth/tokens',
                auth_body('demo', DEMO_PASSWORD))
    assert resp.status_int == 201
    assert 'project' not in resp.json['token']
    assert 'catalog' not in resp.json['token']


def test_wrong_password_is_401_without_leak(app, caplog):
    resp = call(app, 'POST', '/v3/auth/tokens',
                auth_body('admin', 'hunter2-wrong', 'admin'))
    assert resp.status_int == 401
    assert resp.json['error']['code'] == 401
    assert resp.json['error']['title'] == 'Unauthorized'
    assert 'hunter2' not in resp.text
    assert 'hunter2' not in caplog.text
    assert 'wrong password' in caplog.text


def test_unknown_user_and_foreign_project_are_401(app):
    assert call(app, 'POST', '/v3/auth/tokens',
                auth_body('nobody', 'x')).status_int == 401
    # demo has no role on admin
    assert call(app, 'POST', '/v3/auth/tokens',
                auth_body('demo', DEMO_PASSWORD, 'admin')).status_int == 401
    assert call(app, 'POST', '/v3/auth/tokens',
                auth_body('demo', DEMO_PASSWORD, 'nope')).status_int == 401


def test_malformed_auth_is_400(app):
    assert call(app, 'POST', '/v3/auth/tokens', {'auth': 'x'}).status_int \
        == 400
    resp = call(app, 'POST', '/v3/auth/tokens', {'auth': {'identity': {
        'methods': ['password'], 'password': {'user': {'name': 'admin',
                                                        'password': 5}}}}})
    assert resp.status_int == 400


def test_token_method_rescopes(app, cloud_ids):
    unscoped = call(app, 'POST', '/v3/auth/tokens',
                    auth_body('demo', DEMO_PASSWORD))
    first = unscoped.json['token']
    body = {'auth': {'identity': {'methods': ['token'], 'token': {
        'id': unscoped.headers['X-Subject-Token']}},
        'scope': {'project': {'id': cloud_ids['projects']['demo']}}}}
    resp = call(app, 'POST', '/v3/auth/tokens', body)
    assert resp.status_int == 201
    token = resp.json['token']
    assert token['methods'] == ['password', 'token']
    assert token['expires_at'] == first['expires_at']
    assert token['audit_ids'][1] == first['audit_ids'][0]


def test_validate_and_revoke(app):
    admin = get_token(app)
    demo = get_token(app, 'demo', DEMO_PASSWORD, 'demo')
    resp = call(app, 'GET', '/v3/auth/tokens', token=admin,
                headers={'X-Subject-Token': demo})
    assert resp.status_int == 200
    assert resp.json['token']['user']['name'] == 'demo'
    assert resp.headers['X-Subject-Token'] == demo
    resp = call(app, 'GET', '/v3/auth/tokens?nocatalog', token=demo,
                headers={'X-Subject-Token': demo})
    assert 'catalog' not in resp.json['token']
    assert call(app, 'HEAD', '/v3/auth/tokens', token=demo,
                headers={'X-Subject-Token': demo}).status_int == 200
    # A member may not look at someone else's token.
    assert call(app, 'GET', '/v3/auth/tokens', token=demo,
                headers={'X-Subject-Token': admin}).status_int == 403
    assert call(app, 'DELETE', '/v3/auth/tokens', token=admin,
                headers={'X-Subject-Token': demo}).status_int == 204
    assert call(app, 'GET', '/v3/auth/tokens', token=admin,
                headers={'X-Subject-Token': demo}).status_int == 404
    assert call(app, 'GET', '/v3/auth/projects', token=demo).status_int \
        == 401


def test_catalog_and_projects_of_the_caller(app):
    demo = get_token(app, 'demo', DEMO_PASSWORD, 'demo')
    resp = call(app, 'GET', '/v3/auth/catalog', token=demo)
    assert resp.status_int == 200
    names = {e['name'] for e in resp.json['catalog']}
    assert names == {row[1] for row in catalog.SERVICES}
    assert {'keystone', 'nova', 'glance'} <= names
    resp = call(app, 'GET', '/v3/auth/projects', token=demo)
    assert [p['name'] for p in resp.json['projects']] == ['demo']
    unscoped = get_token(app, 'demo', DEMO_PASSWORD, None)
    assert call(app, 'GET', '/v3/auth/catalog', token=unscoped).status_int \
        == 403


def test_missing_token_is_401_with_www_authenticate(app):
    resp = call(app, 'GET', '/v3/projects')
    assert resp.status_int == 401
    assert resp.headers['WWW-Authenticate'].startswith('Keystone uri=')
