"""Token issue, validation and revocation.

A token is 32 random bytes (URL-safe base64); the database keeps only its
sha256, so a copy of the database gives no usable tokens. Validation
recomputes the user's roles on every database lookup, so removing a role,
disabling a user or deleting a project invalidates their tokens without a
revocation list. Lookups are cached in memory for ``[identity]
token_cache_time`` seconds; a revocation made through this process drops
the entry at once.
"""
import collections
import datetime
import hashlib
import secrets
import threading
import time

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.db import identity as db
from stratus.db import models

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_CACHE_SIZE = 4096
# Expired rows are deleted at most this often (seconds), on token issue.
_PURGE_INTERVAL = 600

_cache = collections.OrderedDict()
_cache_lock = threading.Lock()
_last_purge = [0.0]


def token_hash(token):
    """The row id of ``token``: hex sha256."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def new_audit_id():
    return secrets.token_urlsafe(16)[:22]


def issue(user, project, roles, methods, expires_at=None,
          audit_ids=None):
    """Create a token.

    :param user: user dict (id, name, domain_id).
    :param project: project dict or None for an unscoped token.
    :param roles: role dicts (id, name) the user holds on ``project``.
    :param expires_at: defaults to now + ``[identity] token_expiration``;
        a token made from another token keeps the older expiry.
    :returns: (token string, token info dict).
    """
    now = models.utcnow()
    if expires_at is None:
        expires_at = now + datetime.timedelta(
            seconds=CONF.identity.token_expiration)
    token = secrets.token_urlsafe(32)
    audit_ids = [new_audit_id()] + list(audit_ids or [])[:1]
    db.token_create({
        'id': token_hash(token), 'user_id': user['id'],
        'project_id': project['id'] if project else None,
        'methods': list(methods), 'audit_id': audit_ids[0],
        'issued_at': now, 'expires_at': expires_at, 'revoked': False})
    _purge_now_and_then(now)
    info = _info(user, project, roles, list(methods), audit_ids, now,
                 expires_at)
    LOG.debug('Issued token %s for user %s (project %s)', audit_ids[0],
              user['id'], info['project'] and info['project']['id'])
    return token, info


def _info(user, project, roles, methods, audit_ids, issued_at, expires_at):
    return {
        'user': {'id': user['id'], 'name': user['name'],
                 'domain_id': user['domain_id']},
        'project': ({'id': project['id'], 'name': project['name'],
                     'domain_id': project['domain_id']} if project else None),
        'roles': [{'id': r['id'], 'name': r['name']} for r in roles],
        'methods': methods, 'audit_ids': audit_ids,
        'issued_at': issued_at, 'expires_at': expires_at,
    }


def _purge_now_and_then(now):
    if time.monotonic() - _last_purge[0] < _PURGE_INTERVAL:
        return
    _last_purge[0] = time.monotonic()
    try:
        count = db.token_purge_expired(now)
        if count:
            LOG.info('Deleted %d expired tokens', count)
    except exception.ServiceUnavailable:
        pass  # the next issue tries again


def validate(token):
    """The info of a valid token.

    :returns: dict with user, project, roles, methods, audit_ids,
        issued_at, expires_at.
    :raises: NotAuthenticated when the token is unknown, expired, revoked,
        or its user, project or roles are gone or disabled.
    """
    if not token:
        raise exception.NotAuthenticated()
    key = token_hash(token)
    info = _cache_get(key)
    if info is None:
        info = _load(key)
        _cache_put(key, info)
    if info['expires_at'] <= models.utcnow():
        _cache_drop(key)
        raise exception.NotAuthenticated('The token has expired.')
    return info


def _load(key):
    found = db.token_get_info(key)
    if found is None:
        raise exception.NotAuthenticated('The token is not valid.')
    row, user, project = found['token'], found['user'], found['project']
    if row['revoked']:
        raise exception.NotAuthenticated('The token has been revoked.')
    if not user['enabled']:
        raise exception.NotAuthenticated('The user is disabled.')
    if row['project_id']:
        if project is None or not project['enabled']:
            raise exception.NotAuthenticated('The project of the token is '
                                             'gone or disabled.')
        if not found['roles']:
            raise exception.NotAuthenticated('The user no longer has a role '
                                             'on the project of the token.')
    audit_ids = [row['audit_id']]
    return _info(user, project, found['roles'], row['methods'], audit_ids,
                 row['issued_at'], row['expires_at'])


def revoke(token):
    """Revoke ``token``.

    :raises: NotAuthenticated when the token is not a live one.
    """
    key = token_hash(token)
    _cache_drop(key)
    if not db.token_revoke(key):
        raise exception.NotAuthenticated('The token is not valid.')
    LOG.info('Revoked a token of this process')


def invalidate_cache():
    """Forget every cached validation (after users/roles/projects change)."""
    with _cache_lock:
        _cache.clear()


def _cache_get(key):
    ttl = CONF.identity.token_cache_time
    if ttl <= 0:
        return None
    with _cache_lock:
        entry = _cache.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _cache[key]
            return None
        _cache.move_to_end(key)
        return entry[1]


def _cache_put(key, info):
    ttl = CONF.identity.token_cache_time
    if ttl <= 0:
        return
    with _cache_lock:
        _cache[key] = (time.monotonic() + ttl, info)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def _cache_drop(key):
    with _cache_lock:
        _cache.pop(key, None)
