import pytest

from stratus.api.identity import router
from tests.fixtures.identity import (DEMO_PASSWORD, call,  # noqa: F401
                                     cloud_ids, get_token)


@pytest.fixture
def app(cloud_ids):
    return router.create_router()


@pytest.fixture
def admin(app):
    return get_token(app)


@pytest.fixture
def member(app):
    return get_token(app, 'demo', DEMO_PASSWORD, 'demo')


@pytest.mark.parametrize('method,path', [
    ('GET', '/v3/projects'), ('POST', '/v3/projects'),
    ('GET', '/v3/users'), ('POST', '/v3/users'), ('GET', '/v3/roles'),
    ('GET', '/v3/role_assignments'), ('GET', '/v3/domains')])
def test_member_is_refused(app, member, method, path):
    body = {'project': {'name': 'x'}} if method == 'POST' else None
    resp = call(app, method, path, body, token=member)
    assert resp.status_int == 403
    assert resp.json['error']['code'] == 403


def test_project_lifecycle(app, admin):
    resp = call(app, 'POST', '/v3/projects',
                {'project': {'name': 'p1', 'description': 'first',
                             'domain_id': 'default', 'enabled': True}},
                token=admin)
    assert resp.status_int == 201
    project = resp.json['project']
    assert project['domain_id'] == 'default'
    assert project['links']['self'].endswith(project['id'])
    dup = call(app, 'POST', '/v3/projects', {'project': {'name': 'p1'}},
               token=admin)
    assert dup.status_int == 409
    listed = call(app, 'GET', '/v3/projects?name=p1', token=admin)
    assert [p['id'] for p in listed.json['projects']] == [project['id']]
    resp = call(app, 'PATCH', '/v3/projects/' + project['id'],
                {'project': {'description': 'changed'}}, token=admin)
    assert resp.json['project']['description'] == 'changed'
    assert call(app, 'GET', '/v3/projects/p1', token=admin).status_int == 404
    assert call(app, 'DELETE', '/v3/projects/' + project['id'],
                token=admin).status_int == 204
    assert call(app, 'GET', '/v3/projects/' + project['id'],
                token=admin).status_int == 404


def test_bad_project_bodies_are_400(app, admin):
    for body in ({'project': {}}, {'project': {'name': ''}},
                 {'project': {'name': 'x', 'domain_id': 'other'}},
                 {'project': {'name': 'x', 'enabled': 'yes'}}, {}):
        resp = call(app, 'POST', '/v3/projects', body, token=admin)
        assert resp.status_int == 400, body


def test_user_lifecycle_and_grant(app, admin, cloud_ids):
    resp = call(app, 'POST', '/v3/users',
                {'user': {'name': 'alice', 'password': 'alice-pw',
                          'email': 'a@example.org'}}, token=admin)
    assert resp.status_int == 201
    user = resp.json['user']
    assert 'password' not in user and 'password_hash' not in user
    project = cloud_ids['projects']['demo']
    member_role = cloud_ids['roles']['member']
    grant = '/v3/projects/%s/users/%s/roles/%s' % (project, user['id'],
                                                   member_role)
    assert call(app, 'HEAD', grant, token=admin).status_int == 404
    assert call(app, 'PUT', grant, token=admin).status_int == 204
    assert call(app, 'HEAD', grant, token=admin).status_int == 204
    # Now alice can log in to demo.
    alice = get_token(app, 'alice', 'alice-pw', 'demo')
    listed = call(app, 'GET', '/v3/role_assignments?user.id=%s'
                  '&scope.project.id=%s&include_names=True' % (
                      user['id'], project), token=admin).json
    assert [(a['role']['name'], a['scope']['project']['name'])
            for a in listed['role_assignments']] == [('member', 'demo')]
    roles = call(app, 'GET', '/v3/projects/%s/users/%s/roles' % (
        project, user['id']), token=admin).json['roles']
    assert [r['name'] for r in roles] == ['member']
    # Revoking the role ends alice's project token.
    assert call(app, 'DELETE', grant, token=admin).status_int == 204
    assert call(app, 'GET', '/v3/auth/projects',
                token=alice).status_int == 401
    resp = call(app, 'PATCH', '/v3/users/' + user['id'],
                {'user': {'enabled': False}}, token=admin)
    assert resp.json['user']['enabled'] is False
    assert call(app, 'GET', '/v3/users?name=alice',
                token=admin).json['users'][0]['id'] == user['id']
    assert call(app, 'DELETE', '/v3/users/' + user['id'],
                token=admin).status_int == 204
    assert call(app, 'GET', '/v3/users/' + user['id'],
                token=admin).status_int == 404


def test_user_may_read_itself_only(app, member, cloud_ids):
    own = cloud_ids['users']['demo']
    other = cloud_ids['users']['admin']
    assert call(app, 'GET', '/v3/users/' + own, token=member).status_int \
        == 200
    assert call(app, 'GET', '/v3/users/' + other,
                token=member).status_int == 403


def test_roles_and_domains(app, admin):
    roles = call(app, 'GET', '/v3/roles', token=admin).json['roles']
    assert sorted(r['name'] for r in roles) == ['admin', 'member', 'reader']
    resp = call(app, 'POST', '/v3/roles', {'role': {'name': 'auditor'}},
                token=admin)
    assert resp.status_int == 201
    role_id = resp.json['role']['id']
    assert call(app, 'GET', '/v3/roles/' + role_id,
                token=admin).json['role']['name'] == 'auditor'
    assert call(app, 'GET', '/v3/roles?name=auditor',
                token=admin).json['roles'][0]['id'] == role_id
    domains = call(app, 'GET', '/v3/domains', token=admin).json['domains']
    assert [(d['id'], d['name']) for d in domains] == [('default',
                                                        'Default')]
    assert call(app, 'GET', '/v3/domains/default',
                token=admin).json['domain']['enabled'] is True
    assert call(app, 'GET', '/v3/domains/other', token=admin).status_int \
        == 404
