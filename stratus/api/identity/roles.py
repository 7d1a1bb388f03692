"""``/v3/roles`` and role assignments (grants of a role to a user on a
project)."""
import uuid

import webob

from stratus import exception
from stratus.api.identity import policies
from stratus.api.identity import schemas
from stratus.api.identity import views
from stratus.db import identity as db
from stratus.identity import tokens

_RULE = 'identity:manage_roles'
_GRANTS = 'identity:manage_grants'


class RolesController:

    def index(self, req):
        policies.authorize(req, _RULE)
        rows = db.role_list(name=req.params.get('name'))
        return {'roles': [views.role(req, r) for r in rows],
                'links': views.collection_links(req)}

    def create(self, req):
        policies.authorize(req, _RULE)
        body = req.json()
        schemas.validate(schemas.role_create, body)
        row = db.role_create({'id': uuid.uuid4().hex,
                              'name': body['role']['name']})
        return 201, {'role': views.role(req, row)}

    def show(self, req, role_id):
        policies.authorize(req, _RULE)
        return {'role': views.role(req, db.role_get(role_id))}


class GrantsController:
    """``/v3/projects/{p}/users/{u}/roles[/{r}]`` and
    ``/v3/role_assignments``."""

    def _check_all(self, project_id, user_id, role_id=None):
        db.project_get(project_id)
        db.user_get(user_id)
        if role_id is not None:
            db.role_get(role_id)

    def grant(self, req, project_id, user_id, role_id):
        policies.authorize(req, _GRANTS)
        self._check_all(project_id, user_id, role_id)
        db.assignment_add(user_id, project_id, role_id)
        return webob.Response(status=204)

    def check(self, req, project_id, user_id, role_id):
        policies.authorize(req, _GRANTS)
        self._check_all(project_id, user_id, role_id)
        if not db.assignment_check(user_id, project_id, role_id):
            raise exception.NotFound(
                'Could not find role assignment with role: %s, user: %s, '
                'project: %s.' % (role_id, user_id, project_id))
        return webob.Response(status=204)

    def revoke(self, req, project_id, user_id, role_id):
        policies.authorize(req, _GRANTS)
        db.assignment_remove(user_id, project_id, role_id)
        tokens.invalidate_cache()
        return webob.Response(status=204)

    def list_for(self, req, project_id, user_id):
        policies.authorize(req, _GRANTS)
        self._check_all(project_id, user_id)
        rows = db.assignment_list(user_id=user_id, project_id=project_id)
        return {'roles': [views.role(req, r['role']) for r in rows],
                'links': views.collection_links(req)}

    def assignments(self, req):
        """``GET /v3/role_assignments`` with the filters the CLI sends."""
        policies.authorize(req, _GRANTS)
        params = req.params
        # Groups, domain and system scopes don't exist: nothing matches.
        if any(params.get(k) for k in ('group.id', 'scope.domain.id',
                                       'scope.system')):
            rows = []
        else:
            rows = db.assignment_list(
                user_id=params.get('user.id'),
                project_id=params.get('scope.project.id'),
                role_id=params.get('role.id'))
        names = params.get('include_names', 'false').lower() not in (
            'false', '0', 'no')
        return {'role_assignments': [views.assignment(req, r, names)
                                     for r in rows],
                'links': views.collection_links(req)}
