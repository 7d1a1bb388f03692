"""Volume rows, their attachments and the capacity of volume hosts.

Functions return plain dicts (what crosses RPC). Status changes are
compare-and-swap on ``status`` so that two requests can't both win.
"""
import uuid

import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models
from stratus.volume import states

_UNSET = object()


def to_dict(row):
    values = row.to_dict()
    values['metadata'] = values.pop('metadata_', None) or {}
    return values


def _model_values(values):
    values = dict(values)
    if 'metadata' in values:
        values['metadata_'] = values.pop('metadata')
    return values


@db_api.retry_on_unavailable
def create(values, check=None):
    """Insert a volume; returns it.

    :param check: ``check(session, project_id, size)`` run first in the
        same transaction (a quota check that must not race the insert).
    """
    with db_api.writer() as session:
        if check is not None:
            check(session, values['project_id'], values['size'])
        row = models.Volume(**_model_values(values))
        session.add(row)
        session.flush()
        return to_dict(row)


def create_request(project_id, user_id, size, availability_zone, name=None,
                   description=None, image=None, metadata=None,
                   check=None):
    """Record a new volume (``creating``, no host yet) as the API and the
    boot of an instance from an image both ask for one.

    :param check: see ``create``.
    """
    return create({
        'id': str(uuid.uuid4()), 'size': size,
        'display_name': name, 'display_description': description,
        'project_id': project_id, 'user_id': user_id,
        'status': states.CREATING, 'attach_status': states.DETACHED,
        'availability_zone': availability_zone,
        'source_image_id': image['id'] if image else None,
        'bootable': False, 'metadata': dict(metadata or {}),
    }, check)


def _get_row(session, volume_id, project_id=None):
    row = session.get(models.Volume, str(volume_id))
    if row is None or row.deleted or (project_id is not None and
                                      row.project_id != project_id):
        raise exception.VolumeNotFound(volume_id=volume_id)
    return row


def get(volume_id, project_id=None):
    """:param project_id: when given, another project's volume is not found.

    :raises: VolumeNotFound.
    """
    with db_api.reader() as session:
        return to_dict(_get_row(session, volume_id, project_id))


def get_all(project_id=None, host=None, filters=None, limit=None,
            marker=None):
    """Volumes newest first.

    :param filters: optional ``name`` (exact), ``status``.
    :raises: NotFound for an unknown marker.
    """
    vol = models.Volume
    filters = filters or {}
    with db_api.reader() as session:
        query = sa.select(vol).where(vol.deleted == 0)
        if project_id is not None:
            query = query.where(vol.project_id == project_id)
        if host is not None:
            query = query.where(vol.host == host)
        if filters.get('name') is not None:
            query = query.where(vol.display_name == filters['name'])
        if filters.get('status') is not None:
            query = query.where(vol.status == filters['status'])
        if marker is not None:
            mrow = session.get(vol, marker)
            if mrow is None or (project_id is not None and
                                mrow.project_id != project_id):
                raise exception.NotFound('Marker %s could not be found.' %
                                         marker)
            query = query.where(sa.or_(
                vol.created_at < mrow.created_at,
                sa.and_(vol.created_at == mrow.created_at,
                        vol.id < mrow.id)))
        query = query.order_by(vol.created_at.desc(), vol.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return [to_dict(r) for r in session.scalars(query)]


def _check_status(row, expected, action):
    if expected is _UNSET:
        return
    allowed = expected if isinstance(expected, (tuple, list)) else \
        (expected,)
    if row.status not in allowed:
        raise exception.VolumeInvalidState(action=action, volume_id=row.id,
                                           status=row.status)


@db_api.retry_on_unavailable
def update(volume_id, values, expected_status=_UNSET, action='update'):
    """Change a volume, atomically checking its status.

    :raises: VolumeNotFound, VolumeInvalidState.
    """
    with db_api.writer() as session:
        row = _get_row(session, volume_id)
        _check_status(row, expected_status, action)
        for key, value in _model_values(values).items():
            setattr(row, key, value)
        session.flush()
        return to_dict(row)


@db_api.retry_on_unavailable
def destroy(volume_id):
    """Soft delete a volume and its attachments (the backend is done)."""
    now = models.utcnow()
    with db_api.writer() as session:
        row = session.get(models.Volume, str(volume_id))
        if row is None or row.deleted:
            return
        row.deleted, row.deleted_at, row.terminated_at = 1, now, now
        row.status = 'deleted'
        for att in _attachment_rows(session, volume_id=volume_id):
            att.deleted, att.deleted_at = att.id, now


def allocated_gb_by_host():
    """``{host: GiB of its live volumes}``."""
    vol = models.Volume
    with db_api.reader() as session:
        rows = session.execute(
            sa.select(vol.host, sa.func.sum(vol.size))
            .where(vol.deleted == 0, vol.host.is_not(None))
            .group_by(vol.host)).all()
    return {host: int(total or 0) for host, total in rows}


# -- attachments -------------------------------------------------------------

def _attachment_rows(session, volume_id=None, instance_uuid=None):
    att = models.VolumeAttachment
    query = sa.select(att).where(att.deleted == 0)
    if volume_id is not None:
        query = query.where(att.volume_id == volume_id)
    if instance_uuid is not None:
        query = query.where(att.instance_uuid == instance_uuid)
    return list(session.scalars(query.order_by(att.id)))


def attachments_get(volume_id=None, instance_uuid=None):
    with db_api.reader() as session:
        return [r.to_dict() for r in _attachment_rows(
            session, volume_id=volume_id, instance_uuid=instance_uuid)]


def attachments_by_instance(instance_uuids):
    """{instance uuid: [attachment, ...]} for many instances, one query."""
    att = models.VolumeAttachment
    found = {}
    uuids = list(instance_uuids)
    if not uuids:
        return found
    with db_api.reader() as session:
        rows = session.scalars(sa.select(att).where(
            att.deleted == 0, att.instance_uuid.in_(uuids)).order_by(att.id))
        for row in rows:
            found.setdefault(row.instance_uuid, []).append(row.to_dict())
    return found


def attachment_get(volume_id, instance_uuid):
    """:raises: VolumeAttachmentNotFound."""
    found = attachments_get(volume_id=volume_id, instance_uuid=instance_uuid)
    if not found:
        raise exception.VolumeAttachmentNotFound(
            volume_id=volume_id, instance_uuid=instance_uuid)
    return found[0]


@db_api.retry_on_unavailable
def reserve(volume_id, project_id, instance_uuid, mountpoint_picker,
            delete_on_termination=False):
    """Reserve an available volume for one attach: ``attaching`` plus an
    attachment row, atomically.

    :param mountpoint_picker: ``f(used mountpoints) -> mountpoint``.
    :returns: (volume dict, attachment dict).
    :raises: VolumeNotFound, VolumeInvalidState, Invalid (device taken).
    """
    with db_api.writer() as session:
        row = _get_row(session, volume_id, project_id)
        _check_status(row, states.AVAILABLE, 'attach')
        used = [a.mountpoint for a in _attachment_rows(
            session, instance_uuid=instance_uuid)]
        mountpoint = mountpoint_picker(used)
        row.status = states.ATTACHING
        att = models.VolumeAttachment(
            uuid=str(uuid.uuid4()), volume_id=row.id,
            instance_uuid=instance_uuid, mountpoint=mountpoint,
            attach_status=states.ATTACHING,
            delete_on_termination=bool(delete_on_termination))
        session.add(att)
        session.flush()
        return to_dict(row), att.to_dict()


@db_api.retry_on_unavailable
def attachment_finish(attachment_uuid, connection_info, host):
    """The attach succeeded: volume ``in-use``, attachment ``attached``.

    :raises: VolumeAttachmentNotFound when the reservation was rolled back.
    """
    att_model = models.VolumeAttachment
    with db_api.writer() as session:
        att = session.scalars(sa.select(att_model).where(
            att_model.uuid == attachment_uuid,
            att_model.deleted == 0)).first()
        if att is None:
            raise exception.VolumeAttachmentNotFound(
                volume_id='?', instance_uuid='?')
        row = _get_row(session, att.volume_id)
        _check_status(row, states.ATTACHING, 'attach')
        att.attach_status = states.ATTACHED
        att.connection_info = connection_info
        att.attached_host = host
        att.attach_time = models.utcnow()
        row.status = states.IN_USE
        row.attach_status = states.ATTACHED
        session.flush()
        return att.to_dict()


@db_api.retry_on_unavailable
def attachment_remove(attachment_uuid, expected_status):
    """Drop an attachment and make its volume ``available`` again, if the
    volume is in ``expected_status`` (a tuple). Returns the volume or None
    when the attachment was already gone."""
    att_model = models.VolumeAttachment
    now = models.utcnow()
    with db_api.writer() as session:
        att = session.scalars(sa.select(att_model).where(
            att_model.uuid == attachment_uuid,
            att_model.deleted == 0)).first()
        if att is None:
            return None
        row = _get_row(session, att.volume_id)
        _check_status(row, expected_status, 'detach')
        att.deleted, att.deleted_at, att.detach_time = att.id, now, now
        att.attach_status = states.DETACHED
        row.status = states.AVAILABLE
        row.attach_status = states.DETACHED
        session.flush()
        return to_dict(row)


# -- capacity ----------------------------------------------------------------

@db_api.retry_on_unavailable
def pool_report(host, driver, availability_zone, total_gb, free_gb):
    with db_api.writer() as session:
        row = session.scalars(sa.select(models.VolumePool).where(
            models.VolumePool.host == host)).first()
        if row is None:
            row = models.VolumePool(host=host)
            session.add(row)
        row.driver = driver
        row.availability_zone = availability_zone
        row.total_gb = float(total_gb)
        row.free_gb = float(free_gb)
        row.updated_at = models.utcnow()


def pools_get():
    with db_api.reader() as session:
        return [r.to_dict() for r in session.scalars(
            sa.select(models.VolumePool))]
