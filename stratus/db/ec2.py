"""Records the EC2 API needs: credentials, EC2 image ids, and instances
as EC2 shows them (recently terminated ones included).

Every function opens its own transaction and returns plain dicts.
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import identity as identity_db
from stratus.db import images as images_db
from stratus.db import instances as instances_db
from stratus.db import models


def _to_dict(row):
    return {c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs}


# -- credentials ------------------------------------------------------------

def credential_create(values):
    """Store an access/secret pair.

    :raises: Duplicate when the access key is taken.
    """
    try:
        with db_api.writer() as session:
            row = models.Ec2Credential(**values)
            session.add(row)
            session.flush()
            return _to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.Duplicate(reason='Conflict occurred attempting to '
                                         'store credential - Duplicate '
                                         'entry.')


def credential_get(user_id, access):
    """:raises: NotFound (also when ``access`` belongs to another user)."""
    with db_api.reader() as session:
        row = session.get(models.Ec2Credential, access)
        if row is None or row.user_id != user_id:
            raise exception.NotFound('Could not find credential: %s.' %
                                     access)
        return _to_dict(row)


def credential_list(user_id):
    cred = models.Ec2Credential
    with db_api.reader() as session:
        rows = session.scalars(sa.select(cred).where(
            cred.user_id == user_id).order_by(cred.created_at, cred.access))
        return [_to_dict(r) for r in rows]


def credential_delete(user_id, access):
    """:raises: NotFound."""
    cred = models.Ec2Credential
    with db_api.writer() as session:
        result = session.execute(sa.delete(cred).where(
            cred.access == access, cred.user_id == user_id))
        if result.rowcount != 1:
            raise exception.NotFound('Could not find credential: %s.' %
                                     access)


def credential_auth_info(access):
    """Everything a signed request needs about ``access``, in one read.

    :returns: dict with ``credential``, ``user``, ``project`` and
        ``roles``, or None when the key, its user or its project is gone.
    """
    with db_api.reader() as session:
        cred = session.get(models.Ec2Credential, access)
        if cred is None:
            return None
        user = session.get(models.User, cred.user_id)
        project = session.get(models.Project, cred.project_id)
        if user is None or project is None:
            return None
        return {'credential': _to_dict(cred), 'user': _to_dict(user),
                'project': _to_dict(project),
                'roles': identity_db.roles_for(session, user.id, project.id)}


# -- image ids --------------------------------------------------------------

@db_api.retry_on_unavailable
def _assign_ec2_ids(image_ids):
    img = models.Image
    with db_api.writer() as session:
        rows = session.scalars(sa.select(img).where(
            img.id.in_(image_ids), img.ec2_id.is_(None))
            .order_by(img.created_at, img.id)).all()
        if not rows:
            return
        top = session.scalar(sa.select(sa.func.max(img.ec2_id))) or 0
        for row in rows:
            top += 1
            row.ec2_id = top


def ec2_ids_for_images(image_ids):
    """{image uuid: integer EC2 id}, giving ids to images that have none.

    Deleted images keep theirs, so instances booted from them still name
    their AMI.
    """
    image_ids = sorted({i for i in image_ids if i})
    if not image_ids:
        return {}
    img = models.Image
    query = sa.select(img.id, img.ec2_id).where(img.id.in_(image_ids))
    with db_api.reader() as session:
        found = dict(session.execute(query).all())
    if any(v is None for v in found.values()):
        for _attempt in range(3):
            try:
                _assign_ec2_ids([k for k, v in found.items() if v is None])
                break
            except sa_exc.IntegrityError:
                continue  # another API process took the same number
        with db_api.reader() as session:
            found = dict(session.execute(query).all())
    return {k: v for k, v in found.items() if v is not None}


def image_by_ec2_id(context, ec2_id):
    """The image numbered ``ec2_id`` if ``context`` may see it.

    :raises: ImageNotFound.
    """
    img = models.Image
    query = sa.select(img).where(img.ec2_id == ec2_id, img.deleted == 0,
                                 images_db.visible_to(context))
    with db_api.reader() as session:
        row = session.scalars(query).first()
        unnumbered = [] if row is not None else list(session.scalars(
            sa.select(img.id).where(img.ec2_id.is_(None))))
    if row is None and unnumbered:
        # Images nobody has listed through EC2 yet get their numbers now.
        ec2_ids_for_images(unnumbered)
        with db_api.reader() as session:
            row = session.scalars(query).first()
    if row is None:
        raise exception.ImageNotFound(image_id=ec2_id)
    return images_db.to_dict(row)


# -- volume ids -------------------------------------------------------------

def volume_numbers(volume_ids):
    """{volume uuid: EC2 number}, numbering the volumes seen for the first
    time (numbers are never reused: a deleted volume keeps its row)."""
    volume_ids = sorted(set(volume_ids))
    if not volume_ids:
        return {}
    vm = models.Ec2VolumeMapping
    query = sa.select(vm.uuid, vm.id).where(vm.uuid.in_(volume_ids))
    with db_api.reader() as session:
        found = dict(session.execute(query).all())
    missing = [v for v in volume_ids if v not in found]
    if missing:
        _number_volumes(missing)
        with db_api.reader() as session:
            found = dict(session.execute(query).all())
    return found


@db_api.retry_on_unavailable
def _number_volumes(volume_ids):
    vm = models.Ec2VolumeMapping
    for volume_id in volume_ids:
        try:
            with db_api.writer() as session:
                session.execute(sa.insert(vm.__table__).values(
                    uuid=volume_id, created_at=models.utcnow()))
        except sa_exc.IntegrityError:
            pass  # another API process numbered it first: theirs stands


def volume_uuids(numbers):
    """{EC2 number: volume uuid} for the numbers that exist."""
    numbers = set(numbers)
    if not numbers:
        return {}
    vm = models.Ec2VolumeMapping
    with db_api.reader() as session:
        return dict(session.execute(sa.select(vm.id, vm.uuid).where(
            vm.id.in_(numbers))).all())


# -- instances --------------------------------------------------------------

def _visible_instances(project_id, deleted_since):
    inst = models.Instance
    query = sa.select(inst).where(sa.or_(
        inst.deleted == 0,
        sa.and_(inst.deleted != 0, inst.deleted_at >= deleted_since)))
    if project_id is not None:
        query = query.where(inst.project_id == project_id)
    return query


def instances_for_ec2(project_id, keep_deleted_seconds, ids=None):
    """Instances of ``project_id`` (None: all), live or deleted less than
    ``keep_deleted_seconds`` ago, oldest first.

    :param ids: optional integer instance ids to restrict to.
    """
    since = models.utcnow() - datetime.timedelta(
        seconds=keep_deleted_seconds)
    inst = models.Instance
    query = _visible_instances(project_id, since)
    if ids is not None:
        query = query.where(inst.id.in_(list(ids)))
    query = query.order_by(inst.created_at, inst.id)
    with db_api.reader() as session:
        return [instances_db.to_dict(r) for r in session.scalars(query)]


def flavor_by_name(name):
    """:returns: the enabled flavor called ``name`` or None."""
    flv = models.Flavor
    with db_api.reader() as session:
        row = session.scalars(sa.select(flv).where(
            flv.name == name, flv.disabled.is_(False))).first()
        return None if row is None else _to_dict(row)


def availability_zones(default_zone):
    """Zones of the compute services that are not deleted, sorted."""
    svc = models.Service
    with db_api.reader() as session:
        rows = session.execute(sa.select(svc.availability_zone).where(
            svc.binary == 'stratus-compute', svc.deleted == 0)).all()
    return sorted({r[0] or default_zone for r in rows} or {default_zone})


def instance_numbers(instance_uuids):
    """{instance uuid: integer id} (deleted instances too)."""
    instance_uuids = sorted({u for u in instance_uuids if u})
    if not instance_uuids:
        return {}
    inst = models.Instance
    with db_api.reader() as session:
        return dict(session.execute(sa.select(inst.uuid, inst.id).where(
            inst.uuid.in_(instance_uuids))).all())

