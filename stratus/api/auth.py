"""Who is calling: ``X-Auth-Token`` to a ``RequestContext``.

Every Stratus API (compute, image, identity) uses ``authenticate`` as its
router's authenticate hook.
"""
import re

from stratus import context
from stratus import exception
from stratus.identity import tokens

_GLOBAL_REQUEST_ID = re.compile(
    r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


def context_from_token(token, info, request_id=None, global_request_id=None):
    """Build the context of a caller from a validated token's info.

    The context becomes the thread's current one (oslo.context's store), so
    every log line of the request carries its request id.
    """
    roles = [r['name'] for r in info['roles']]
    project = info['project'] or {}
    return context.RequestContext(
        user_id=info['user']['id'], user_name=info['user']['name'],
        user_domain_id=info['user']['domain_id'],
        project_id=project.get('id'), project_name=project.get('name'),
        project_domain_id=project.get('domain_id'),
        roles=roles, is_admin='admin' in roles, auth_token=token,
        request_id=request_id, global_request_id=global_request_id)


def authenticate(req):
    """The context of the caller of ``req``.

    :raises: NotAuthenticated when the token is missing or not valid.
    """
    token = req.headers.get('X-Auth-Token')
    if not token:
        raise exception.NotAuthenticated()
    info = tokens.validate(token)
    global_id = req.headers.get('X-OpenStack-Request-ID')
    if global_id and not _GLOBAL_REQUEST_ID.match(global_id):
        global_id = None
    return context_from_token(token, info,
                              request_id=req.environ.get(
                                  'stratus.request_id'),
                              global_request_id=global_id)
