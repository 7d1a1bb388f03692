"""Default policy of the identity API (``identity:*`` rules)."""
from oslo_policy import policy as o_policy

from stratus import policy

_ADMIN = 'rule:admin'
# The caller itself, or an admin (%(user_id)s is the user acted on).
_ADMIN_OR_SELF = 'rule:admin or user_id:%(user_id)s'

RULES = [
    o_policy.RuleDefault('identity:validate_token', _ADMIN_OR_SELF,
                         description='Validate a token (a user may check '
                                     'its own).'),
    o_policy.RuleDefault('identity:revoke_token', _ADMIN_OR_SELF,
                         description='Revoke a token (a user may revoke '
                                     'its own).'),
    o_policy.RuleDefault('identity:list_domains', _ADMIN,
                         description='List domains.'),
    o_policy.RuleDefault('identity:get_domain', 'rule:reader',
                         description='Show the default domain.'),
    o_policy.RuleDefault('identity:manage_projects', _ADMIN,
                         description='Create, list, show, update and delete '
                                     'projects.'),
    o_policy.RuleDefault('identity:get_user', _ADMIN_OR_SELF,
                         description='Show a user.'),
    o_policy.RuleDefault('identity:list_user_projects', _ADMIN_OR_SELF,
                         description="List a user's projects."),
    o_policy.RuleDefault('identity:manage_users', _ADMIN,
                         description='Create, list, update and delete '
                                     'users.'),
    o_policy.RuleDefault('identity:manage_roles', _ADMIN,
                         description='List, show and create roles.'),
    o_policy.RuleDefault('identity:manage_grants', _ADMIN,
                         description='Grant, check, list and revoke role '
                                     'assignments.'),
]

policy.register_rules(RULES)


def authorize(req, rule, user_id=None):
    """Raise Forbidden unless the caller passes ``rule``."""
    ctx = req.context
    policy.authorize(ctx, rule, {'user_id': user_id or '',
                                 'project_id': ctx.project_id})
