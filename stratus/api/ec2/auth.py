"""Who sent an EC2 request: signature check against the stored secret,
then a ``RequestContext`` of the credential's user, project and roles.

The context also carries a Keystone-style token issued for the pair (as
Keystone's ``/v3/ec2tokens`` would), because downstream daemons use the
caller's token (the compute host fetches images with it). Tokens are
cached per access key and re-issued when half their life is gone.
"""
import datetime
import threading

from oslo_log import log as logging

from stratus import conf
from stratus import context
from stratus.api.ec2 import errors
from stratus.api.ec2 import signature
from stratus.db import ec2 as ec2_db
from stratus.db import models
from stratus.identity import tokens

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_BAD_KEY = 'AWS was not able to validate the provided access credentials'

_tokens = {}
_tokens_lock = threading.Lock()


def _ttl():
    return datetime.timedelta(seconds=CONF.api.ec2_signature_ttl)


def _check_time(signed, now):
    """:raises: Ec2Error AuthFailure outside the validity window."""
    ttl = _ttl()
    if signed.timestamp is not None:
        if signed.timestamp > now + ttl:
            raise errors.auth_failure('The request timestamp is in the '
                                      'future.')
        if signed.expires is None and signed.timestamp < now - ttl:
            raise errors.auth_failure('The request signature has expired '
                                      '(timestamp %s).' %
                                      signed.timestamp.isoformat())
    if signed.expires is not None and signed.expires < now:
        raise errors.auth_failure('The request signature has expired.')


def _token_for(info):
    """A token of the credential's user on its project (cached)."""
    access = info['credential']['access']
    now = models.utcnow()
    half = datetime.timedelta(seconds=CONF.identity.token_expiration / 2)
    with _tokens_lock:
        cached = _tokens.get(access)
        if cached and cached[1] - now > half and \
                cached[2] == (info['user']['id'], info['project']['id']):
            return cached[0]
    token, token_info = tokens.issue(info['user'], info['project'],
                                     info['roles'], ['ec2credential'])
    with _tokens_lock:
        _tokens[access] = (token, token_info['expires_at'],
                           (info['user']['id'], info['project']['id']))
    return token


def forget_tokens():
    """Drop every cached token (tests)."""
    with _tokens_lock:
        _tokens.clear()


def _check_replay(seen, signed, now):
    """:raises: Ec2Error AuthFailure when this signature was accepted."""
    until = signed.expires or signed.timestamp + _ttl()
    if not seen.first_use((signed.access, signed.signature), until, now):
        LOG.warning('Replayed EC2 request signature for key %s',
                    signed.access)
        raise errors.auth_failure('This signed request was already '
                                  'received; sign each request anew.')


def authenticate(msg, request_id, seen=None):
    """The context of the sender of ``msg``.

    :param msg: a ``signature.Message``.
    :param seen: a ``replay.SeenSignatures`` of this process, or None.
    :raises: Ec2Error AuthFailure for an unsigned request, a bad
        signature, an unknown key, an expired timestamp, a signature
        already accepted, or a disabled or role-less user or project.
    """
    try:
        signed = signature.parse(msg)
    except signature.SignatureError as e:
        raise errors.auth_failure(str(e))
    now = models.utcnow()
    _check_time(signed, now)
    info = ec2_db.credential_auth_info(signed.access)
    if info is None:
        LOG.info('EC2 request with unknown access key %s', signed.access)
        raise errors.auth_failure(_BAD_KEY)
    try:
        good = signature.verify(msg, signed, info['credential']['secret'])
    except signature.SignatureError as e:
        raise errors.auth_failure(str(e))
    if not good:
        LOG.info('EC2 request with a bad signature for key %s',
                 signed.access)
        raise errors.auth_failure('The request signature we calculated '
                                  'does not match the signature you '
                                  'provided.')
    user, project = info['user'], info['project']
    if not user['enabled'] or not project['enabled'] or not info['roles']:
        raise errors.auth_failure(_BAD_KEY)
    if seen is not None:
        _check_replay(seen, signed, now)
    roles = [r['name'] for r in info['roles']]
    return context.RequestContext(
        user_id=user['id'], user_name=user['name'],
        user_domain_id=user['domain_id'], project_id=project['id'],
        project_name=project['name'], project_domain_id=project['domain_id'],
        roles=roles, is_admin='admin' in roles,
        auth_token=_token_for(info), request_id=request_id)
