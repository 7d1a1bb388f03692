"""``/v3/auth/*``: issue, validate and revoke tokens; the caller's catalog
and projects."""
import webob

from stratus import exception
from stratus.api.identity import policies
from stratus.api.identity import views
from stratus.db import identity as db
from stratus.identity import authentication
from stratus.identity import catalog
from stratus.identity import tokens


def _subject(req):
    token = req.headers.get('X-Subject-Token')
    if not token:
        raise exception.ValidationError(field='X-Subject-Token',
                                        reason='The header is required.')
    try:
        return token, tokens.validate(token)
    except exception.NotAuthenticated:
        raise exception.NotFound('Could not find token: %s.' %
                                 tokens.token_hash(token)[:16])


def _with_catalog(req, info):
    if 'nocatalog' in req.params:
        return None
    return catalog.build_catalog()


class AuthController:

    def issue(self, req):
        body = req.json()
        token, info = authentication.authenticate(body.get('auth'))
        return (201, views.token(info, catalog.build_catalog()),
                {'X-Subject-Token': token})

    def validate(self, req):
        token, info = _subject(req)
        policies.authorize(req, 'identity:validate_token',
                           user_id=info['user']['id'])
        return (200, views.token(info, _with_catalog(req, info)),
                {'X-Subject-Token': token})

    def check(self, req):
        token, info = _subject(req)
        policies.authorize(req, 'identity:validate_token',
                           user_id=info['user']['id'])
        resp = webob.Response(status=200)
        resp.headers['X-Subject-Token'] = token
        return resp

    def revoke(self, req):
        token, info = _subject(req)
        policies.authorize(req, 'identity:revoke_token',
                           user_id=info['user']['id'])
        try:
            tokens.revoke(token)
        except exception.NotAuthenticated:
            raise exception.NotFound('Could not find token.')
        return webob.Response(status=204)

    def catalog(self, req):
        if not req.context.project_id:
            raise exception.Forbidden(
                'A project-scoped token is required to read the catalog.')
        return {'catalog': catalog.build_catalog(),
                'links': views.collection_links(req)}

    def projects(self, req):
        rows = [p for p in db.projects_for_user(req.context.user_id)
                if p['enabled']]
        return {'projects': [views.project(req, p) for p in rows],
                'links': views.collection_links(req)}

    def domains(self, req):
        # No role is ever granted on a domain: nothing to list.
        return {'domains': [], 'links': views.collection_links(req)}

    def system(self, req):
        return {'system': [], 'links': views.collection_links(req)}
