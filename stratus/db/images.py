"""Image records (the image API's metadata; the bits live in its store)."""
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def to_dict(row):
    return {c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs}


def visible_to(context):
    """SQL condition: images ``context`` may see (public, own, or admin)."""
    img = models.Image
    if context.is_admin:
        return sa.true()
    return sa.or_(img.visibility.in_(('public', 'community')),
                  img.owner == context.project_id)


def get_image(context, image_id):
    """The image ``image_id`` if ``context`` may see it.

    :raises: ImageNotFound otherwise (also for deleted images).
    """
    img = models.Image
    with db_api.reader() as session:
        row = session.scalars(sa.select(img).where(
            img.id == image_id, img.deleted == 0,
            visible_to(context))).first()
        if row is None:
            raise exception.ImageNotFound(image_id=image_id)
        return to_dict(row)


def _visible_row(session, context, image_id):
    img = models.Image
    row = session.scalars(sa.select(img).where(
        img.id == image_id, img.deleted == 0, visible_to(context))).first()
    if row is None:
        raise exception.ImageNotFound(image_id=image_id)
    return row


def create(values):
    """Insert an image record.

    :raises: Duplicate when the id is taken (also by a deleted image).
    """
    try:
        with db_api.writer() as session:
            row = models.Image(**values)
            session.add(row)
            session.flush()
            return to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.Duplicate(reason='Image with identifier %s already '
                                         'exists!' % values.get('id'))


def get_all(context, filters=None, limit=None, marker=None,
            sort_key='created_at', sort_dir='desc'):
    """Images ``context`` may list, filtered, sorted and paginated.

    Community images of other projects only appear when asked for with
    ``visibility=community``, as in Glance.

    :param filters: optional name, status, visibility (or 'all'), owner,
        disk_format, container_format, protected, os_hidden (True lists
        only hidden images; otherwise they are left out).
    :param marker: id of the last image of the previous page.
    :raises: NotFound when the marker is not a visible image.
    """
    filters = dict(filters or {})
    img = models.Image
    with db_api.reader() as session:
        query = sa.select(img).where(img.deleted == 0, visible_to(context))
        visibility = filters.pop('visibility', None)
        if visibility and visibility != 'all':
            query = query.where(img.visibility == visibility)
        elif visibility is None and not context.is_admin:
            query = query.where(sa.or_(img.visibility != 'community',
                                       img.owner == context.project_id))
        hidden = img.properties['os_hidden'].as_boolean()
        if filters.pop('os_hidden', False):
            query = query.where(hidden.is_(True))
        else:
            # Hidden images stay out of plain lists, as in Glance.
            query = query.where(sa.or_(hidden.is_(None), hidden.is_(False)))
        for key, value in filters.items():
            if value is not None:
                query = query.where(getattr(img, key) == value)
        column = getattr(img, sort_key)
        if sort_key == 'name':
            # Unnamed images sort as '' so that markers never skip them.
            column = sa.func.coalesce(img.name, '')
        ordered = (column.desc(), img.id.desc()) if sort_dir == 'desc' \
            else (column.asc(), img.id.asc())
        if marker is not None:
            mrow = session.scalars(sa.select(img).where(
                img.id == marker, img.deleted == 0,
                visible_to(context))).first()
            if mrow is None:
                raise exception.NotFound('Marker %s could not be found.' %
                                         marker)
            value = getattr(mrow, sort_key)
            if sort_key == 'name':
                value = value or ''
            after = column < value if sort_dir == 'desc' else column > value
            same = column == value
            tie = img.id < mrow.id if sort_dir == 'desc' else img.id > mrow.id
            query = query.where(sa.or_(after, sa.and_(same, tie)))
        query = query.order_by(*ordered)
        if limit is not None:
            query = query.limit(limit)
        return [to_dict(r) for r in session.scalars(query)]


def update(context, image_id, values, expected_status=None):
    """Change an image's record, optionally only from a given status.

    :param expected_status: status (or tuple of) the image must have.
    :returns: the updated image dict.
    :raises: ImageNotFound, Conflict when the status did not match.
    """
    with db_api.writer() as session:
        row = _visible_row(session, context, image_id)
        if expected_status is not None:
            if isinstance(expected_status, str):
                expected_status = (expected_status,)
            if row.status not in expected_status:
                raise exception.Conflict(
                    reason='Image status transition from %s is not allowed'
                           % row.status)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = models.utcnow()
        session.flush()
        return to_dict(row)


def destroy(context, image_id):
    """Soft-delete an image; the caller removes its data.

    :returns: the image dict as it was.
    :raises: ImageNotFound.
    """
    with db_api.writer() as session:
        row = _visible_row(session, context, image_id)
        values = to_dict(row)
        row.deleted = 1
        row.deleted_at = models.utcnow()
        row.status = 'deleted'
        return values
