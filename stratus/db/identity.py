"""Identity records: projects, users, roles, role assignments and tokens.

Every function opens its own transaction and returns plain dicts. Domains
are not stored: there is one, ``default``, and it is virtual.
"""
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def _to_dict(row):
    if row is None:
        return None
    return {c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs}


def _not_found(kind, ident):
    return exception.NotFound('Could not find %s: %s.' % (kind, ident))


def _insert(model, values, kind):
    try:
        with db_api.writer() as session:
            row = model(**values)
            session.add(row)
            session.flush()
            return _to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.Duplicate(
            reason='Conflict occurred attempting to store %s - Duplicate '
                   'entry.' % kind)


def _update(model, ident, values, kind):
    try:
        with db_api.writer() as session:
            row = session.get(model, ident)
            if row is None:
                raise _not_found(kind, ident)
            for key, value in values.items():
                setattr(row, key, value)
            session.flush()
            return _to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.Duplicate(
            reason='Conflict occurred attempting to update %s - Duplicate '
                   'entry.' % kind)


def _get(model, ident, kind):
    with db_api.reader() as session:
        row = session.get(model, ident)
        if row is None:
            raise _not_found(kind, ident)
        return _to_dict(row)


def _list(model, filters):
    with db_api.reader() as session:
        query = sa.select(model)
        for key, value in filters.items():
            if value is not None:
                query = query.where(getattr(model, key) == value)
        return [_to_dict(r) for r in
                session.scalars(query.order_by(model.name, model.id))]


def _find_by_name(model, name, domain_id=None):
    with db_api.reader() as session:
        query = sa.select(model).where(model.name == name)
        if domain_id is not None:
            query = query.where(model.domain_id == domain_id)
        return _to_dict(session.scalars(query).first())


# -- projects ---------------------------------------------------------------

def project_create(values):
    """:raises: Duplicate when the name is taken in the domain."""
    return _insert(models.Project, values, 'project')


def project_get(project_id):
    """:raises: NotFound."""
    return _get(models.Project, project_id, 'project')


def project_find(name, domain_id='default'):
    """:returns: the project dict or None."""
    return _find_by_name(models.Project, name, domain_id)


def project_list(name=None, domain_id=None, enabled=None):
    return _list(models.Project, {'name': name, 'domain_id': domain_id,
                                  'enabled': enabled})


def project_update(project_id, values):
    """:raises: NotFound, Duplicate."""
    return _update(models.Project, project_id, values, 'project')


def project_delete(project_id):
    """Delete a project and every role assignment on it.

    :raises: NotFound.
    """
    with db_api.writer() as session:
        session.execute(sa.delete(models.RoleAssignment).where(
            models.RoleAssignment.project_id == project_id))
        result = session.execute(sa.delete(models.Project).where(
            models.Project.id == project_id))
        if result.rowcount != 1:
            raise _not_found('project', project_id)


# -- users ------------------------------------------------------------------

def user_create(values):
    """:raises: Duplicate when the name is taken in the domain."""
    return _insert(models.User, values, 'user')


def user_get(user_id):
    """:raises: NotFound."""
    return _get(models.User, user_id, 'user')


def user_find(name, domain_id='default'):
    """:returns: the user dict (with its password hash) or None."""
    return _find_by_name(models.User, name, domain_id)


def user_list(name=None, domain_id=None, enabled=None):
    return _list(models.User, {'name': name, 'domain_id': domain_id,
                               'enabled': enabled})


def user_update(user_id, values):
    """:raises: NotFound, Duplicate."""
    return _update(models.User, user_id, values, 'user')


def user_delete(user_id):
    """Delete a user, its role assignments and its tokens.

    :raises: NotFound.
    """
    with db_api.writer() as session:
        session.execute(sa.delete(models.RoleAssignment).where(
            models.RoleAssignment.user_id == user_id))
        session.execute(sa.delete(models.Token).where(
            models.Token.user_id == user_id))
        result = session.execute(sa.delete(models.User).where(
            models.User.id == user_id))
        if result.rowcount != 1:
            raise _not_found('user', user_id)


# -- roles ------------------------------------------------------------------

def role_create(values):
    """:raises: Duplicate when the name is taken."""
    return _insert(models.Role, values, 'role')


def role_get(role_id):
    """:raises: NotFound."""
    return _get(models.Role, role_id, 'role')


def role_find(name):
    """:returns: the role dict or None."""
    return _find_by_name(models.Role, name)


def role_list(name=None):
    return _list(models.Role, {'name': name})


# -- role assignments -------------------------------------------------------

def assignment_add(user_id, project_id, role_id):
    """Grant a role; granting it twice is not an error."""
    ra = models.RoleAssignment
    with db_api.writer() as session:
        exists = session.get(ra, (user_id, project_id, role_id))
        if exists is None:
            session.add(ra(user_id=user_id, project_id=project_id,
                           role_id=role_id))


def assignment_check(user_id, project_id, role_id):
    with db_api.reader() as session:
        return session.get(models.RoleAssignment,
                           (user_id, project_id, role_id)) is not None


def assignment_remove(user_id, project_id, role_id):
    """:raises: NotFound when the user did not have the role there."""
    ra = models.RoleAssignment
    with db_api.writer() as session:
        result = session.execute(sa.delete(ra).where(
            ra.user_id == user_id, ra.project_id == project_id,
            ra.role_id == role_id))
        if result.rowcount != 1:
            raise exception.NotFound(
                'Could not find role assignment with role: %s, user: %s, '
                'project: %s.' % (role_id, user_id, project_id))


def assignment_list(user_id=None, project_id=None, role_id=None):
    """:returns: dicts of user, project and role, each with id and name."""
    ra, user, proj, role = (models.RoleAssignment, models.User,
                            models.Project, models.Role)
    query = (sa.select(ra.user_id, user.name, user.domain_id, ra.project_id,
                       proj.name, proj.domain_id, ra.role_id, role.name)
             .join(user, user.id == ra.user_id)
             .join(proj, proj.id == ra.project_id)
             .join(role, role.id == ra.role_id))
    for column, value in ((ra.user_id, user_id), (ra.project_id, project_id),
                          (ra.role_id, role_id)):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(user.name, proj.name, role.name)
    with db_api.reader() as session:
        return [{'user': {'id': r[0], 'name': r[1], 'domain_id': r[2]},
                 'project': {'id': r[3], 'name': r[4], 'domain_id': r[5]},
                 'role': {'id': r[6], 'name': r[7]}}
                for r in session.execute(query)]


def roles_for(session, user_id, project_id):
    """Role dicts (id, name) ``user_id`` holds on ``project_id``."""
    ra, role = models.RoleAssignment, models.Role
    rows = session.execute(
        sa.select(role.id, role.name).join(ra, ra.role_id == role.id)
        .where(ra.user_id == user_id, ra.project_id == project_id)
        .order_by(role.name))
    return [{'id': r[0], 'name': r[1]} for r in rows]


def user_roles(user_id, project_id):
    with db_api.reader() as session:
        return roles_for(session, user_id, project_id)


def projects_for_user(user_id):
    """Projects where ``user_id`` holds at least one role."""
    ra, proj = models.RoleAssignment, models.Project
    with db_api.reader() as session:
        rows = session.scalars(
            sa.select(proj).where(proj.id.in_(
                sa.select(ra.project_id).where(ra.user_id == user_id)))
            .order_by(proj.name))
        return [_to_dict(r) for r in rows]


# -- tokens -----------------------------------------------------------------

def token_create(values):
    with db_api.writer() as session:
        session.add(models.Token(**values))


def token_get_info(token_id):
    """Everything validation needs about one token, in one transaction.

    :returns: dict with ``token``, ``user``, ``project`` (or None) and
        ``roles``; None when there is no such token or no such user.
    """
    with db_api.reader() as session:
        token = session.get(models.Token, token_id)
        if token is None:
            return None
        user = session.get(models.User, token.user_id)
        if user is None:
            return None
        info = {'token': _to_dict(token), 'user': _to_dict(user),
                'project': None, 'roles': []}
        if token.project_id:
            info['project'] = _to_dict(session.get(models.Project,
                                                   token.project_id))
            info['roles'] = roles_for(session, user.id, token.project_id)
        return info


def token_revoke(token_id):
    """:returns: True when a live token was revoked."""
    tok = models.Token
    with db_api.writer() as session:
        result = session.execute(sa.update(tok).where(
            tok.id == token_id, tok.revoked.is_(False)).values(revoked=True))
        return result.rowcount == 1


def token_purge_expired(before):
    """Delete tokens that expired before ``before``; returns the count."""
    with db_api.writer() as session:
        result = session.execute(sa.delete(models.Token).where(
            models.Token.expires_at < before))
        return result.rowcount
