"""Security groups and their rules; every project has a ``default`` group,
made on first use (as Neutron does) with its usual rules: egress anywhere,
ingress from members of the same group."""
import uuid

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def _group_dict(session, row):
    values = row.to_dict()
    values['rules'] = [r.to_dict() for r in session.scalars(
        sa.select(models.SecurityGroupRule).where(
            models.SecurityGroupRule.group_id == row.id).order_by(
            models.SecurityGroupRule.id))]
    for rule in values['rules']:
        rule['group_uuid'] = row.uuid
        rule['project_id'] = row.project_id
    return values


def ensure_default(project_id):
    """The project's default group, made now if missing (race-safe)."""
    if not project_id:
        return None
    with db_api.reader() as session:
        row = session.scalars(sa.select(models.SecurityGroup).where(
            models.SecurityGroup.project_id == project_id,
            models.SecurityGroup.default_marker == 'default')).first()
        if row is not None:
            return _group_dict(session, row)
    try:
        with db_api.writer() as session:
            row = models.SecurityGroup(
                uuid=str(uuid.uuid4()), name='default',
                description='Default security group', project_id=project_id,
                default_marker='default')
            session.add(row)
            session.flush()
            for ethertype in ('IPv4', 'IPv6'):
                session.add(_rule(row.id, direction='egress',
                                  ethertype=ethertype))
                session.add(_rule(row.id, direction='ingress',
                                  ethertype=ethertype,
                                  remote_group_id=row.uuid))
            session.flush()
            return _group_dict(session, row)
    except sa_exc.IntegrityError:
        return ensure_default(project_id)   # another request made it


def _rule(group_id, **values):
    return models.SecurityGroupRule(uuid=str(uuid.uuid4()),
                                    group_id=group_id, **values)


def create(project_id, name, description=None):
    with db_api.writer() as session:
        row = models.SecurityGroup(uuid=str(uuid.uuid4()), name=name,
                                   description=description or '',
                                   project_id=project_id)
        session.add(row)
        session.flush()
        for ethertype in ('IPv4', 'IPv6'):
            session.add(_rule(row.id, direction='egress',
                              ethertype=ethertype))
        session.flush()
        return _group_dict(session, row)


def _group_row(session, group_id, project_id):
    query = sa.select(models.SecurityGroup).where(
        models.SecurityGroup.uuid == group_id)
    if project_id is not None:
        query = query.where(models.SecurityGroup.project_id == project_id)
    row = session.scalars(query).first()
    if row is None:
        raise exception.SecurityGroupNotFound(id=group_id)
    return row


def get(group_id, project_id=None):
    """:param project_id: limit to one project (None: any, for admins)."""
    with db_api.reader() as session:
        return _group_dict(session, _group_row(session, group_id,
                                               project_id))


def get_all(project_id=None, name=None):
    query = sa.select(models.SecurityGroup)
    if project_id is not None:
        query = query.where(models.SecurityGroup.project_id == project_id)
    if name is not None:
        query = query.where(models.SecurityGroup.name == name)
    with db_api.reader() as session:
        return [_group_dict(session, r) for r in
                session.scalars(query.order_by(models.SecurityGroup.id))]


def update(group_id, project_id, values):
    with db_api.writer() as session:
        row = _group_row(session, group_id, project_id)
        for key in ('name', 'description'):
            if key in values:
                setattr(row, key, values[key])
        session.flush()
        return _group_dict(session, row)


def delete(group_id, project_id):
    """:raises: SecurityGroupNotFound, Conflict for the default group."""
    with db_api.writer() as session:
        row = _group_row(session, group_id, project_id)
        if row.default_marker:
            raise exception.Conflict(reason='Insufficient rights for '
                                            'removing default security '
                                            'group.')
        session.execute(sa.delete(models.SecurityGroupRule).where(
            models.SecurityGroupRule.group_id == row.id))
        session.delete(row)


def rule_create(group_id, project_id, values):
    with db_api.writer() as session:
        group = _group_row(session, group_id, project_id)
        row = _rule(group.id, **values)
        session.add(row)
        session.flush()
        rule = row.to_dict()
        rule['group_uuid'] = group.uuid
        rule['project_id'] = group.project_id
        return rule


def _rule_row(session, rule_id, project_id):
    query = sa.select(models.SecurityGroupRule, models.SecurityGroup).join(
        models.SecurityGroup,
        models.SecurityGroup.id == models.SecurityGroupRule.group_id).where(
        models.SecurityGroupRule.uuid == rule_id)
    if project_id is not None:
        query = query.where(models.SecurityGroup.project_id == project_id)
    found = session.execute(query).first()
    if found is None:
        raise exception.SecurityGroupRuleNotFound(id=rule_id)
    return found


def rule_get(rule_id, project_id=None):
    with db_api.reader() as session:
        rule, group = _rule_row(session, rule_id, project_id)
        values = rule.to_dict()
        values['group_uuid'] = group.uuid
        values['project_id'] = group.project_id
        return values


def rule_delete(rule_id, project_id=None):
    with db_api.writer() as session:
        rule, _group = _rule_row(session, rule_id, project_id)
        session.delete(rule)
