"""``/os-server-groups``: create, list, show, delete.

Before 2.64 a group carries a one-item ``policies`` list; from 2.64 on a
``policy`` string plus ``rules``. Members are recorded when a server is
created with the scheduler hint ``group=<uuid>``.
"""
import copy

from stratus import conf
from stratus import exception
from stratus import policy
from stratus.api.compute import admin_policies as policies
from stratus.api.compute import common
from stratus.db import server_groups as groups_db

CONF = conf.CONF
_MAX_SQL_INT = 2 ** 63 - 1

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?! )[^\x00-\x1f\x7f]*(?<! )$'}

CREATE_V21 = {
    'type': 'object',
    'properties': {'server_group': {
        'type': 'object',
        'properties': {
            'name': _name,
            'policies': {'type': 'array', 'minItems': 1, 'maxItems': 1,
                         'items': {'type': 'string',
                                   'enum': ['affinity', 'anti-affinity']}},
        },
        'required': ['name', 'policies'], 'additionalProperties': False}},
    'required': ['server_group'], 'additionalProperties': False,
}

CREATE_V264 = {
    'type': 'object',
    'properties': {'server_group': {
        'type': 'object',
        'properties': {
            'name': _name,
            'policy': {'type': 'string', 'enum': list(groups_db.POLICIES)},
            'rules': {'type': 'object',
                      'properties': {'max_server_per_host': {
                          'type': ['integer', 'string'],
                          'pattern': '^[0-9]*$', 'minimum': 1}},
                      'additionalProperties': False},
        },
        'required': ['name', 'policy'], 'additionalProperties': False}},
    'required': ['server_group'], 'additionalProperties': False,
}


def _create_schema(req):
    if common.at_least(req, '2.64'):
        return CREATE_V264
    schema = copy.deepcopy(CREATE_V21)
    if common.at_least(req, '2.15'):
        schema['properties']['server_group']['properties']['policies'][
            'items']['enum'] = list(groups_db.POLICIES)
    return schema


def _view(req, group):
    body = {'id': group['id'], 'name': group['name'],
            'members': group['members']}
    if common.at_least(req, '2.64'):
        body['policy'] = group['policy']
        body['rules'] = group['rules']
    else:
        body['policies'] = [group['policy']]
        body['metadata'] = {}
    if common.at_least(req, '2.13'):
        body['project_id'] = group['project_id']
        body['user_id'] = group['user_id']
    return body


def _target(group):
    return {'project_id': group['project_id'], 'user_id': group['user_id']}


class ServerGroupsController:
    def _get(self, req, id, rule):
        group = groups_db.get(id)
        if group['project_id'] != req.context.project_id and \
                not policy.check_is_admin(req.context):
            raise exception.InstanceGroupNotFound(group_uuid=id)
        policy.authorize(req.context, rule, _target(group))
        return group

    def index(self, req):
        ctxt = req.context
        policy.authorize(ctxt, policies.GROUPS_INDEX)
        project_id = ctxt.project_id
        if req.GET.get('all_projects', '').lower() in ('true', '1', 'yes'):
            policy.authorize(ctxt, policies.GROUPS_ALL_PROJECTS)
            project_id = None
        limit = None
        if 'limit' in req.GET:
            # Capped as every list is (Nova's common.limited).
            limit = min(common.positive_int(req.GET['limit'], 'limit'),
                        CONF.api.max_limit)
        offset = 0
        if 'offset' in req.GET:
            # SQL integers end at 2**63 - 1, and no page starts past it.
            offset = min(common.positive_int(req.GET['offset'], 'offset',
                                             minimum=0), _MAX_SQL_INT)
        groups = groups_db.get_all(project_id, limit=limit, offset=offset)
        return {'server_groups': [_view(req, g) for g in groups]}

    def show(self, req, id):
        return {'server_group': _view(req, self._get(req, id,
                                                     policies.GROUPS_SHOW))}

    def create(self, req):
        ctxt = req.context
        policy.authorize(ctxt, policies.GROUPS_CREATE)
        body = req.json()
        common.validate(_create_schema(req), body)
        params = body['server_group']
        if common.at_least(req, '2.64'):
            group_policy = params['policy']
            rules = dict(params.get('rules') or {})
            if rules and group_policy != 'anti-affinity':
                raise exception.Invalid(
                    reason='Only anti-affinity policy supports rules.')
            if 'max_server_per_host' in rules:
                rules['max_server_per_host'] = int(
                    rules['max_server_per_host'])
        else:
            group_policy, rules = params['policies'][0], {}
        group = groups_db.create(ctxt.project_id, ctxt.user_id,
                                 params['name'], group_policy, rules)
        return {'server_group': _view(req, group)}

    def delete(self, req, id):
        self._get(req, id, policies.GROUPS_DELETE)
        groups_db.delete(id)
        return 204, None
