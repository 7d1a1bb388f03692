"""Policy through oslo.policy: defaults in code, overridable by a file.

Each API package registers its own rules (``register_rules``) when it is
imported; ``authorize`` enforces them. Operators override any rule in
``policy.yaml`` ([oslo_policy] policy_file).
"""
import threading

from oslo_policy import policy as o_policy

from stratus import conf
from stratus import exception

CONF = conf.CONF

BASE_RULES = [
    o_policy.RuleDefault('admin', 'role:admin or is_admin:True',
                         description='The caller is an administrator.'),
    o_policy.RuleDefault('member', 'role:member or role:admin',
                         description='The caller may change things.'),
    o_policy.RuleDefault('reader', 'role:reader or role:member or '
                         'role:admin', description='The caller may read.'),
    o_policy.RuleDefault('project_member',
                         '(role:member or role:admin) and '
                         'project_id:%(project_id)s',
                         description='A member of the owning project.'),
    o_policy.RuleDefault('project_reader',
                         '(role:reader or role:member or role:admin) and '
                         'project_id:%(project_id)s',
                         description='A reader of the owning project.'),
    o_policy.RuleDefault('admin_or_owner', 'rule:admin or '
                         'project_id:%(project_id)s',
                         description='An admin or the owning project.'),
]

_rules = list(BASE_RULES)
_enforcer = None
_lock = threading.Lock()


def register_rules(rules):
    """Add an API package's ``RuleDefault``s (before the first check)."""
    global _enforcer
    with _lock:
        known = {r.name for r in _rules}
        _rules.extend(r for r in rules if r.name not in known)
        _enforcer = None


def list_rules():
    """Entry point for oslopolicy-sample-generator."""
    return list(_rules)


def _get_enforcer():
    global _enforcer
    with _lock:
        if _enforcer is None:
            enforcer = o_policy.Enforcer(CONF)
            enforcer.register_defaults(_rules)
            _enforcer = enforcer
        return _enforcer


def authorize(context, rule, target=None):
    """Raise ``Forbidden`` unless ``context`` passes ``rule``.

    :param target: dict of attributes of the object acted on; defaults to
        the caller's own project so that 'project_member' rules pass.
    """
    target = target or {'project_id': context.project_id,
                        'user_id': context.user_id}
    creds = context.to_policy_values()
    creds['is_admin'] = context.is_admin
    if not _get_enforcer().enforce(rule, target, creds):
        raise exception.Forbidden(action=rule)


def check_is_admin(context):
    creds = context.to_policy_values()
    creds['is_admin'] = context.is_admin
    return _get_enforcer().enforce('admin', {}, creds)


def reset():
    global _enforcer
    with _lock:
        _enforcer = None
