"""``/v3/users/{user_id}/credentials/OS-EC2``: EC2 access/secret pairs.

Keystone's shape: the project goes in as ``tenant_id`` and comes back as
``tenant_id``; ``openstack ec2 credentials create/list/show/delete`` use
these four calls. A user manages its own pairs, an admin anyone's; a pair
is only made for a project where the user holds a role.
"""
import secrets

import webob
from oslo_log import log as logging
from oslo_policy import policy as o_policy

from stratus import exception
from stratus import policy
from stratus.api.identity import policies
from stratus.api.identity import views
from stratus.db import ec2 as ec2_db
from stratus.db import identity as identity_db

LOG = logging.getLogger(__name__)

_ADMIN_OR_SELF = 'rule:admin or user_id:%(user_id)s'

RULES = [
    o_policy.RuleDefault('identity:ec2_create_credential', _ADMIN_OR_SELF,
                         description='Create an EC2 credential of a user.'),
    o_policy.RuleDefault('identity:ec2_list_credentials', _ADMIN_OR_SELF,
                         description="List a user's EC2 credentials."),
    o_policy.RuleDefault('identity:ec2_get_credential', _ADMIN_OR_SELF,
                         description='Show an EC2 credential of a user.'),
    o_policy.RuleDefault('identity:ec2_delete_credential', _ADMIN_OR_SELF,
                         description='Delete an EC2 credential of a user.'),
]

policy.register_rules(RULES)


def _view(req, cred):
    return {'user_id': cred['user_id'], 'tenant_id': cred['project_id'],
            'access': cred['access'], 'secret': cred['secret'],
            'trust_id': None,
            'links': {'self': '%s/users/%s/credentials/OS-EC2/%s' % (
                views.base_url(req), cred['user_id'], cred['access'])}}


def _project_of(req, user_id):
    body = req.json()
    project_id = body.get('tenant_id') or body.get('project_id')
    if not project_id or not isinstance(project_id, str):
        raise exception.ValidationError(field='tenant_id',
                                        reason='tenant_id is required.')
    try:
        identity_db.project_get(project_id)
    except exception.NotFound:
        raise exception.NotFound('Could not find project: %s.' % project_id)
    if not identity_db.user_roles(user_id, project_id):
        raise exception.Forbidden(
            'User %s has no role on project %s.' % (user_id, project_id))
    return project_id


class Ec2CredentialsController:

    def create(self, req, user_id):
        policies.authorize(req, 'identity:ec2_create_credential',
                           user_id=user_id)
        identity_db.user_get(user_id)
        project_id = _project_of(req, user_id)
        cred = ec2_db.credential_create({
            'access': secrets.token_hex(16), 'secret': secrets.token_hex(16),
            'user_id': user_id, 'project_id': project_id})
        LOG.info('Created EC2 credential %s for user %s on project %s',
                 cred['access'], user_id, project_id)
        return 201, {'credential': _view(req, cred)}

    def index(self, req, user_id):
        policies.authorize(req, 'identity:ec2_list_credentials',
                           user_id=user_id)
        identity_db.user_get(user_id)
        return {'credentials': [_view(req, c) for c in
                                ec2_db.credential_list(user_id)],
                'links': views.collection_links(req)}

    def show(self, req, user_id, access):
        policies.authorize(req, 'identity:ec2_get_credential',
                           user_id=user_id)
        return {'credential': _view(req, ec2_db.credential_get(user_id,
                                                               access))}

    def delete(self, req, user_id, access):
        policies.authorize(req, 'identity:ec2_delete_credential',
                           user_id=user_id)
        ec2_db.credential_delete(user_id, access)
        LOG.info('Deleted EC2 credential %s of user %s', access, user_id)
        return webob.Response(status=204)


def add_routes(router):
    """Register the four OS-EC2 routes on the identity ``router``."""
    ctl = Ec2CredentialsController()
    base = '/v3/users/{user_id}/credentials/OS-EC2'
    router.add(base, 'POST', ctl, 'create')
    router.add(base, 'GET', ctl, 'index')
    router.add(base + '/{access}', 'GET', ctl, 'show')
    router.add(base + '/{access}', 'DELETE', ctl, 'delete')
