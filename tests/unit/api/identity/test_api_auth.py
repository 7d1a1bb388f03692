import pytest

from stratus import exception
from stratus.api import auth
from stratus.api import wsgi
from stratus.identity import tokens
from tests.fixtures.identity import cloud_ids, issue_token  # noqa: F401


def _req(token=None, global_id=None):
    req = wsgi.Request.blank('/')
    req.environ['stratus.request_id'] = 'req-local'
    if token:
        req.headers['X-Auth-Token'] = token
    if global_id:
        req.headers['X-OpenStack-Request-ID'] = global_id
    return req


def test_context_from_token(cloud_ids):
    token = issue_token('admin', 'admin')
    gid = 'req-12345678-1234-1234-1234-123456789abc'
    ctx = auth.authenticate(_req(token, gid))
    assert ctx.user_id == cloud_ids['users']['admin']
    assert ctx.project_id == cloud_ids['projects']['admin']
    assert ctx.user_name == 'admin' and ctx.project_name == 'admin'
    assert ctx.is_admin and sorted(ctx.roles) == ['admin', 'member',
                                                  'reader']
    assert ctx.auth_token == token
    assert ctx.request_id == 'req-local'
    assert ctx.global_request_id == gid


def test_member_context_and_bad_global_id(cloud_ids):
    ctx = auth.authenticate(_req(issue_token('demo', 'demo'), 'evil id'))
    assert not ctx.is_admin
    assert ctx.global_request_id is None


def test_missing_revoked_token(cloud_ids):
    with pytest.raises(exception.NotAuthenticated):
        auth.authenticate(_req())
    token = issue_token('demo', 'demo')
    auth.authenticate(_req(token))
    tokens.revoke(token)
    with pytest.raises(exception.NotAuthenticated):
        auth.authenticate(_req(token))
