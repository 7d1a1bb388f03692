"""``POST /v3/auth/tokens``: check the credentials, resolve the scope, issue.

Methods: ``password`` (user by id, or by name and domain) and ``token``.
Scope: a project by id or by name and domain, or none (unscoped). Every
credential failure is the same 401 to the client; the log says why,
without the password.
"""
from oslo_log import log as logging

from stratus import exception
from stratus.db import identity as db
from stratus.identity import domains
from stratus.identity import passwords
from stratus.identity import tokens

LOG = logging.getLogger(__name__)

_UNAUTHORIZED = 'The request you have made requires authentication.'


def _refuse(why, *args):
    LOG.warning('Authentication refused: ' + why, *args)
    return exception.NotAuthenticated(_UNAUTHORIZED)


def _object(parent, key, required=True):
    value = parent.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise exception.ValidationError(field=key,
                                        reason='An object is required.')
    return value


def authenticate(auth):
    """Issue a token for the ``auth`` object of a token request.

    :returns: (token string, token info dict) as ``tokens.issue`` returns.
    :raises: NotAuthenticated, ValidationError (malformed body).
    """
    if not isinstance(auth, dict):
        raise exception.ValidationError(field='auth',
                                        reason='An object is required.')
    identity = _object(auth, 'identity')
    methods = identity.get('methods')
    if not isinstance(methods, list) or not methods or \
            not all(isinstance(m, str) for m in methods):
        raise exception.ValidationError(field='identity.methods',
                                        reason='A list of names is needed.')
    if 'password' in methods:
        user = _password_user(_object(identity, 'password'))
        expires_at, audit_ids, methods = None, None, ['password']
    elif 'token' in methods:
        parent = _parent_token(_object(identity, 'token'))
        user = db.user_get(parent['user']['id'])
        expires_at = parent['expires_at']
        audit_ids = parent['audit_ids']
        methods = list(dict.fromkeys(parent['methods'] + ['token']))
    else:
        raise _refuse('unsupported methods %s', methods)
    project, roles = _scope(user, auth.get('scope'))
    return tokens.issue(user, project, roles, methods,
                        expires_at=expires_at, audit_ids=audit_ids)


def _password_user(password):
    ref = _object(password, 'user')
    secret = ref.get('password')
    if not isinstance(secret, str):
        raise exception.ValidationError(field='password.user.password',
                                        reason='A string is required.')
    if ref.get('id'):
        try:
            user = db.user_get(str(ref['id']))
        except exception.NotFound:
            user = None
    elif ref.get('name'):
        try:
            domain_id = domains.resolve(_object(ref, 'domain'))
        except exception.NotFound:
            raise _refuse('unknown domain for user %s', ref.get('name'))
        user = db.user_find(str(ref['name']), domain_id)
    else:
        raise exception.ValidationError(field='password.user',
                                        reason='Give an id or a name.')
    ok = passwords.verify_password(secret,
                                   user and user.get('password_hash'))
    if user is None:
        raise _refuse('no user %s', ref.get('id') or ref.get('name'))
    if not ok:
        raise _refuse('wrong password for user %s', user['id'])
    if not user['enabled']:
        raise _refuse('user %s is disabled', user['id'])
    return user


def _parent_token(ref):
    token_id = ref.get('id')
    if not isinstance(token_id, str):
        raise exception.ValidationError(field='token.id',
                                        reason='A string is required.')
    try:
        return tokens.validate(token_id)
    except exception.NotAuthenticated as e:
        raise _refuse('token method with a bad token: %s', e.message)


def _scope(user, scope):
    """:returns: (project or None, roles on it)."""
    if scope is None or scope == 'unscoped':
        return None, []
    if not isinstance(scope, dict):
        raise exception.ValidationError(field='scope',
                                        reason='An object is required.')
    ref = scope.get('project')
    if not isinstance(ref, dict):
        # Domain and system scopes don't exist here: nothing to grant.
        raise _refuse('scope %s is not supported', sorted(scope))
    project = None
    if ref.get('id'):
        try:
            project = db.project_get(str(ref['id']))
        except exception.NotFound:
            pass
    elif ref.get('name'):
        try:
            domain_id = domains.resolve(_object(ref, 'domain'))
            project = db.project_find(str(ref['name']), domain_id)
        except exception.NotFound:
            pass
    else:
        raise exception.ValidationError(field='scope.project',
                                        reason='Give an id or a name.')
    if project is None:
        raise _refuse('no project %s', ref.get('id') or ref.get('name'))
    if not project['enabled']:
        raise _refuse('project %s is disabled', project['id'])
    roles = db.user_roles(user['id'], project['id'])
    if not roles:
        raise _refuse('user %s has no role on project %s', user['id'],
                      project['id'])
    return project, roles
