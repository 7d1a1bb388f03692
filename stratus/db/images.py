"""Image records (the image API's metadata; the bits live in its store)."""
import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models


def to_dict(row):
    return {c.name: getattr(row, c.key) for c in row.__mapper__.column_attrs}


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
