"""First users, projects and roles of a new cloud (``stratus-manage``).

Idempotent: a second run resets the passwords it is given and adds what is
missing, never a second copy of anything.
"""
import uuid

from oslo_log import log as logging

from stratus.db import identity as db
from stratus.identity import domains
from stratus.identity import passwords
from stratus.identity import tokens

LOG = logging.getLogger(__name__)

ROLES = ('admin', 'member', 'reader')
PROJECTS = ('admin', 'demo', 'service')
# user name -> (project, roles there); demo only when given a password.
GRANTS = {
    'admin': ('admin', ('admin', 'member', 'reader')),
    'demo': ('demo', ('member', 'reader')),
}


def _ensure_role(name):
    return db.role_find(name) or db.role_create(
        {'id': uuid.uuid4().hex, 'name': name})


def _ensure_project(name):
    return db.project_find(name, domains.DEFAULT_ID) or db.project_create(
        {'id': uuid.uuid4().hex, 'name': name,
         'domain_id': domains.DEFAULT_ID,
         'description': 'Bootstrap project %s' % name, 'enabled': True})


def _ensure_user(name, password, project_id):
    hashed = passwords.hash_password(password)
    user = db.user_find(name, domains.DEFAULT_ID)
    if user is None:
        return db.user_create({'id': uuid.uuid4().hex, 'name': name,
                               'domain_id': domains.DEFAULT_ID,
                               'password_hash': hashed, 'enabled': True,
                               'default_project_id': project_id})
    return db.user_update(user['id'], {'password_hash': hashed,
                                       'enabled': True})


def bootstrap(admin_password, demo_password=None):
    """Create (or refresh) roles, projects and the admin and demo users.

    :returns: dict of ``roles``, ``projects`` and ``users``, name -> id.
    """
    roles = {name: _ensure_role(name)['id'] for name in ROLES}
    projects = {name: _ensure_project(name)['id'] for name in PROJECTS}
    users = {}
    for name, password in (('admin', admin_password),
                           ('demo', demo_password)):
        if password is None:
            continue
        project, role_names = GRANTS[name]
        user = _ensure_user(name, password, projects[project])
        for role in role_names:
            db.assignment_add(user['id'], projects[project], roles[role])
        users[name] = user['id']
    tokens.invalidate_cache()
    LOG.info('Identity bootstrap done: users %s', sorted(users))
    return {'roles': roles, 'projects': projects, 'users': users}
