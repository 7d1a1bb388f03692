import datetime

import pytest

from stratus import conf
from stratus import exception
from stratus.db import identity as db
from stratus.db import models
from stratus.identity import tokens
from tests.fixtures.identity import cloud_ids, issue_token  # noqa: F401

CONF = conf.CONF


def test_issue_then_validate(cloud_ids):
    token = issue_token('admin', 'admin')
    info = tokens.validate(token)
    assert info['user']['name'] == 'admin'
    assert info['project']['id'] == cloud_ids['projects']['admin']
    assert {r['name'] for r in info['roles']} == {'admin', 'member',
                                                  'reader'}
    # Only the hash is stored.
    assert db.token_get_info(token) is None
    assert db.token_get_info(tokens.token_hash(token)) is not None


def test_unknown_token_refused(cloud_ids):
    with pytest.raises(exception.NotAuthenticated):
        tokens.validate('not-a-token')
    with pytest.raises(exception.NotAuthenticated):
        tokens.validate('')


def test_revoke_applies_at_once_despite_cache(cloud_ids):
    token = issue_token('demo', 'demo')
    tokens.validate(token)  # now cached
    tokens.revoke(token)
    with pytest.raises(exception.NotAuthenticated):
        tokens.validate(token)
    with pytest.raises(exception.NotAuthenticated):
        tokens.revoke(token)


def test_expired_token_refused(cloud_ids):
    user = db.user_find('demo')
    past = models.utcnow() - datetime.timedelta(seconds=1)
    token, _ = tokens.issue(user, None, [], ['password'], expires_at=past)
    with pytest.raises(exception.NotAuthenticated, match='expired'):
        tokens.validate(token)


def test_cached_token_expires_in_cache(cloud_ids):
    user = db.user_find('demo')
    soon = models.utcnow() + datetime.timedelta(seconds=60)
    token, _ = tokens.issue(user, None, [], ['password'], expires_at=soon)
    info = tokens.validate(token)
    info['expires_at'] = models.utcnow() - datetime.timedelta(seconds=1)
    with pytest.raises(exception.NotAuthenticated):
        tokens.validate(token)


def test_role_removal_invalidates_project_token(cloud_ids):
    token = issue_token('demo', 'demo')
    demo = cloud_ids['users']['demo']
    project = cloud_ids['projects']['demo']
    for role in ('member', 'reader'):
        db.assignment_remove(demo, project, cloud_ids['roles'][role])
    # Another process's change shows once the cache entry is gone.
    tokens.invalidate_cache()
    with pytest.raises(exception.NotAuthenticated, match='no longer'):
        tokens.validate(token)


def test_disabled_user_refused(cloud_ids):
    token = issue_token('demo', None)
    db.user_update(cloud_ids['users']['demo'], {'enabled': False})
    tokens.invalidate_cache()
    with pytest.raises(exception.NotAuthenticated, match='disabled'):
        tokens.validate(token)


def test_cache_off_reads_database_each_time(cloud_ids):
    CONF.set_override('token_cache_time', 0, 'identity')
    token = issue_token('demo', 'demo')
    tokens.validate(token)
    db.token_revoke(tokens.token_hash(token))  # as another process would
    with pytest.raises(exception.NotAuthenticated, match='revoked'):
        tokens.validate(token)


def test_cache_serves_within_its_time(cloud_ids):
    token = issue_token('demo', 'demo')
    tokens.validate(token)
    db.token_revoke(tokens.token_hash(token))  # as another process would
    assert tokens.validate(token)['user']['name'] == 'demo'


def test_purge_expired(cloud_ids):
    user = db.user_find('demo')
    past = models.utcnow() - datetime.timedelta(hours=1)
    tokens.issue(user, None, [], ['password'], expires_at=past)
    live = issue_token('demo', None)
    assert db.token_purge_expired(models.utcnow()) == 1
    assert tokens.validate(live)
