"""``/v3/users``: admin management of users (passwords stored hashed)."""
import uuid

import webob

from stratus import exception
from stratus.api.identity import policies
from stratus.api.identity import projects
from stratus.api.identity import schemas
from stratus.api.identity import views
from stratus.db import identity as db
from stratus.identity import passwords
from stratus.identity import tokens

_RULE = 'identity:manage_users'


def _checked_project(project_id):
    if project_id:
        try:
            db.project_get(project_id)
        except exception.NotFound:
            raise exception.ValidationError(
                field='default_project_id',
                reason='Project %s does not exist.' % project_id)
    return project_id


class UsersController:

    def index(self, req):
        policies.authorize(req, _RULE)
        rows = db.user_list(name=req.params.get('name'),
                            domain_id=req.params.get('domain_id'))
        return {'users': [views.user(req, u) for u in rows],
                'links': views.collection_links(req)}

    def create(self, req):
        policies.authorize(req, _RULE)
        body = req.json()
        schemas.validate(schemas.user_create, body)
        values = body['user']
        password = values.get('password')
        row = db.user_create({
            'id': uuid.uuid4().hex, 'name': values['name'],
            'domain_id': projects.domain_id_of(values),
            'password_hash': (passwords.hash_password(password)
                              if password else None),
            'email': values.get('email'),
            'enabled': values.get('enabled', True),
            'default_project_id': _checked_project(
                values.get('default_project_id'))})
        return 201, {'user': views.user(req, row)}

    def show(self, req, user_id):
        policies.authorize(req, 'identity:get_user', user_id=user_id)
        return {'user': views.user(req, db.user_get(user_id))}

    def update(self, req, user_id):
        policies.authorize(req, _RULE)
        body = req.json()
        schemas.validate(schemas.user_update, body)
        values = body['user']
        changes = {k: values[k] for k in ('name', 'email', 'enabled')
                   if k in values}
        if 'default_project_id' in values:
            changes['default_project_id'] = _checked_project(
                values['default_project_id'])
        if 'password' in values:
            changes['password_hash'] = (
                passwords.hash_password(values['password'])
                if values['password'] else None)
        row = db.user_update(user_id, changes)
        tokens.invalidate_cache()
        return {'user': views.user(req, row)}

    def delete(self, req, user_id):
        policies.authorize(req, _RULE)
        db.user_delete(user_id)
        tokens.invalidate_cache()
        return webob.Response(status=204)

    def projects(self, req, user_id):
        policies.authorize(req, 'identity:list_user_projects',
                           user_id=user_id)
        db.user_get(user_id)
        return {'projects': [views.project(req, p)
                             for p in db.projects_for_user(user_id)],
                'links': views.collection_links(req)}
