"""``/v3/users/{id}/credentials/OS-EC2``: Keystone's EC2 pairs."""
import pytest

from stratus.api.identity import router
from stratus.db import ec2 as ec2_db
from tests.fixtures.identity import call, cloud_ids, issue_token  # noqa: F401


@pytest.fixture
def app(cloud_ids):
    return router.create_router()


def _path(user_id, access=None):
    path = '/v3/users/%s/credentials/OS-EC2' % user_id
    return path + ('/' + access if access else '')


def test_create_list_show_delete(app, cloud_ids):
    demo = cloud_ids['users']['demo']
    project = cloud_ids['projects']['demo']
    token = issue_token('demo', 'demo')
    resp = call(app, 'POST', _path(demo), {'tenant_id': project},
                token=token)
    assert resp.status_int == 201, resp.text
    cred = resp.json['credential']
    assert cred['user_id'] == demo and cred['tenant_id'] == project
    assert len(cred['access']) == 32 and len(cred['secret']) == 32
    assert cred['links']['self'].endswith(_path(demo, cred['access']))
    listed = call(app, 'GET', _path(demo), token=token).json['credentials']
    assert [c['access'] for c in listed] == [cred['access']]
    shown = call(app, 'GET', _path(demo, cred['access']), token=token)
    assert shown.json['credential']['secret'] == cred['secret']
    assert call(app, 'DELETE', _path(demo, cred['access']),
                token=token).status_int == 204
    assert call(app, 'GET', _path(demo, cred['access']),
                token=token).status_int == 404
    assert call(app, 'DELETE', _path(demo, cred['access']),
                token=token).status_int == 404


def test_others_pairs_are_forbidden_but_admin_may(app, cloud_ids):
    admin = cloud_ids['users']['admin']
    demo = cloud_ids['users']['demo']
    demo_token = issue_token('demo', 'demo')
    resp = call(app, 'POST', _path(admin),
                {'tenant_id': cloud_ids['projects']['admin']},
                token=demo_token)
    assert resp.status_int == 403
    resp = call(app, 'POST', _path(demo),
                {'tenant_id': cloud_ids['projects']['demo']},
                token=issue_token('admin', 'admin'))
    assert resp.status_int == 201
    # The key of one user is not found under another user's path.
    access = resp.json['credential']['access']
    assert call(app, 'GET', _path(admin, access),
                token=issue_token('admin', 'admin')).status_int == 404


def test_project_must_exist_and_hold_a_role(app, cloud_ids):
    demo = cloud_ids['users']['demo']
    token = issue_token('demo', 'demo')
    assert call(app, 'POST', _path(demo), {'tenant_id': 'nope'},
                token=token).status_int == 404
    assert call(app, 'POST', _path(demo),
                {'tenant_id': cloud_ids['projects']['admin']},
                token=token).status_int == 403
    assert call(app, 'POST', _path(demo), {}, token=token).status_int == 400
    assert call(app, 'POST', _path(demo), {'tenant_id': 'x'}).status_int \
        == 401


def test_deleting_the_user_deletes_its_pairs(app, cloud_ids):
    demo = cloud_ids['users']['demo']
    admin_token = issue_token('admin', 'admin')
    resp = call(app, 'POST', _path(demo),
                {'tenant_id': cloud_ids['projects']['demo']},
                token=admin_token)
    access = resp.json['credential']['access']
    assert ec2_db.credential_auth_info(access)['user']['id'] == demo
    assert call(app, 'DELETE', '/v3/users/' + demo,
                token=admin_token).status_int == 204
    assert ec2_db.credential_auth_info(access) is None
