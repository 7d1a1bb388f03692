"""``/v3/projects``: admin management of projects."""
import uuid

import webob

from stratus import exception
from stratus.api.identity import policies
from stratus.api.identity import schemas
from stratus.api.identity import views
from stratus.db import identity as db
from stratus.identity import domains
from stratus.identity import tokens

_RULE = 'identity:manage_projects'


def domain_id_of(values, key='domain_id'):
    """``default`` for a missing/null domain; 400 for any other domain."""
    value = values.get(key)
    if value in (None, domains.DEFAULT_ID):
        return domains.DEFAULT_ID
    raise exception.ValidationError(
        field=key, reason='Only the default domain exists.')


def _bool_param(req, name):
    value = req.params.get(name)
    if value is None:
        return None
    return value.lower() not in ('0', 'false', 'no', 'off')


class ProjectsController:

    def index(self, req):
        policies.authorize(req, _RULE)
        rows = db.project_list(name=req.params.get('name'),
                               domain_id=req.params.get('domain_id'),
                               enabled=_bool_param(req, 'enabled'))
        return {'projects': [views.project(req, p) for p in rows],
                'links': views.collection_links(req)}

    def create(self, req):
        policies.authorize(req, _RULE)
        body = req.json()
        schemas.validate(schemas.project_create, body)
        values = body['project']
        domain_id = domain_id_of(values)
        if values.get('parent_id') not in (None, domain_id):
            raise exception.ValidationError(
                field='parent_id', reason='Projects cannot be nested.')
        row = db.project_create({
            'id': uuid.uuid4().hex, 'name': values['name'],
            'domain_id': domain_id,
            'description': values.get('description') or '',
            'enabled': values.get('enabled', True)})
        return 201, {'project': views.project(req, row)}

    def show(self, req, project_id):
        policies.authorize(req, _RULE)
        return {'project': views.project(req, db.project_get(project_id))}

    def update(self, req, project_id):
        policies.authorize(req, _RULE)
        body = req.json()
        schemas.validate(schemas.project_update, body)
        changes = {k: v for k, v in body['project'].items()
                   if k in ('name', 'description', 'enabled')}
        row = db.project_update(project_id, changes)
        tokens.invalidate_cache()
        return {'project': views.project(req, row)}

    def delete(self, req, project_id):
        policies.authorize(req, _RULE)
        db.project_delete(project_id)
        tokens.invalidate_cache()
        return webob.Response(status=204)
