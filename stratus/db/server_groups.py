"""Server groups (instance groups): a placement policy and its members."""
import uuid as uuidlib

import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

POLICIES = ('affinity', 'anti-affinity', 'soft-affinity',
            'soft-anti-affinity')


def _to_dict(row, members):
    return {'id': row.uuid, 'name': row.name, 'project_id': row.project_id,
            'user_id': row.user_id, 'policy': row.policy,
            'rules': dict(row.rules or {}), 'members': list(members),
            'created_at': row.created_at}


def _members(session, group_ids):
    """Live members only: deleted instances leave their groups."""
    found = {i: [] for i in group_ids}
    if group_ids:
        mem, inst = models.InstanceGroupMember, models.Instance
        for gid, inst_uuid in session.execute(
                sa.select(mem.group_id, mem.instance_uuid)
                .join(inst, inst.uuid == mem.instance_uuid)
                .where(mem.group_id.in_(group_ids), inst.deleted == 0)
                .order_by(mem.id)):
            found[gid].append(inst_uuid)
    return found


def _get_row(session, group_uuid):
    row = session.scalars(sa.select(models.InstanceGroup).where(
        models.InstanceGroup.uuid == group_uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    return row


@db_api.retry_on_unavailable
def create(project_id, user_id, name, policy, rules=None):
    with db_api.writer() as session:
        row = models.InstanceGroup(uuid=str(uuidlib.uuid4()), name=name,
                                   project_id=project_id, user_id=user_id,
                                   policy=policy, rules=dict(rules or {}))
        session.add(row)
        session.flush()
        return _to_dict(row, [])


def get(group_uuid):
    """:raises: InstanceGroupNotFound."""
    with db_api.reader() as session:
        row = _get_row(session, group_uuid)
        return _to_dict(row, _members(session, [row.id])[row.id])


def get_all(project_id=None, limit=None, offset=None):
    """Groups of ``project_id`` (None: every project), oldest first."""
    grp = models.InstanceGroup
    with db_api.reader() as session:
        query = sa.select(grp).order_by(grp.id)
        if project_id is not None:
            query = query.where(grp.project_id == project_id)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        rows = list(session.scalars(query))
        members = _members(session, [r.id for r in rows])
        return [_to_dict(r, members[r.id]) for r in rows]


@db_api.retry_on_unavailable
def delete(group_uuid):
    """:raises: InstanceGroupNotFound."""
    with db_api.writer() as session:
        session.delete(_get_row(session, group_uuid))


def add_members(session, group_uuid, instance_uuids):
    """Record members inside the caller's transaction.

    :raises: InstanceGroupNotFound.
    """
    row = _get_row(session, group_uuid)
    for inst_uuid in instance_uuids:
        session.add(models.InstanceGroupMember(group_id=row.id,
                                               instance_uuid=inst_uuid))
    session.flush()


def placement_of(group_uuid):
    """What the scheduler needs: ``{'policy', 'rules', 'members',
    'hosts'}`` where hosts are the hosts of members that have one.

    :raises: InstanceGroupNotFound.
    """
    mem, inst = models.InstanceGroupMember, models.Instance
    with db_api.reader() as session:
        row = _get_row(session, group_uuid)
        pairs = session.execute(
            sa.select(inst.uuid, inst.host)
            .join(mem, inst.uuid == mem.instance_uuid)
            .where(mem.group_id == row.id, inst.deleted == 0)).all()
        return {'policy': row.policy, 'rules': dict(row.rules or {}),
                'members': [u for u, _h in pairs],
                'hosts': sorted({h for _u, h in pairs if h})}


def groups_of_instances(instance_uuids):
    """``{instance_uuid: [group uuid]}`` (server show since 2.71)."""
    mem, grp = models.InstanceGroupMember, models.InstanceGroup
    found = {}
    if not instance_uuids:
        return found
    with db_api.reader() as session:
        for inst_uuid, gid in session.execute(
                sa.select(mem.instance_uuid, grp.uuid)
                .join(grp, grp.id == mem.group_id)
                .where(mem.instance_uuid.in_(list(instance_uuids)))):
            found.setdefault(inst_uuid, []).append(gid)
    return found


def record_hint(session, hints, instance_uuids, project_id):
    """Make ``instance_uuids`` members of the group a ``group=<uuid>``
    scheduler hint names (inside the caller's create transaction).

    :raises: Invalid when the group is unknown or another project's.
    """
    group_uuid = (hints or {}).get('group')
    if not group_uuid:
        return
    if isinstance(group_uuid, list):
        group_uuid = group_uuid[0]
    try:
        row = _get_row(session, str(group_uuid))
    except exception.InstanceGroupNotFound as e:
        raise exception.Invalid(reason=e.message)
    if row.project_id != project_id:
        raise exception.Invalid(reason='Instance group %s could not be '
                                       'found.' % group_uuid)
    add_members(session, row.uuid, instance_uuids)
