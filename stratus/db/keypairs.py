"""Key pairs of users (soft-deleted, unique per user and name)."""
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models
from stratus.db import quotas


def to_dict(row):
    return row.to_dict()


def _get_row(session, user_id, name):
    kp = models.KeyPair
    row = session.scalars(sa.select(kp).where(
        kp.user_id == user_id, kp.name == name, kp.deleted == 0)).first()
    if row is None:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
    return row


@db_api.retry_on_unavailable
def create(project_id, user_id, name, public_key, fingerprint,
           key_type='ssh'):
    """Insert a key pair after the ``key_pairs`` quota check (atomic).

    :returns: the key pair dict.
    :raises: KeypairExists, QuotaExceeded.
    """
    kp = models.KeyPair
    try:
        with db_api.writer() as session:
            if session.scalars(sa.select(kp.id).where(
                    kp.user_id == user_id, kp.name == name,
                    kp.deleted == 0)).first() is not None:
                raise exception.KeypairExists(name=name)
            limit = quotas.get_limits(project_id, session)['key_pairs']
            used = quotas.count_key_pairs(session, user_id)
            if limit != quotas.UNLIMITED and used + 1 > limit:
                raise exception.QuotaExceeded(resource='key_pairs',
                                              requested=1, used=used,
                                              allowed=limit)
            row = kp(user_id=user_id, name=name, public_key=public_key,
                     fingerprint=fingerprint, type=key_type)
            session.add(row)
            session.flush()
            return to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.KeypairExists(name=name)


def get(user_id, name):
    """:raises: KeypairNotFound."""
    with db_api.reader() as session:
        return to_dict(_get_row(session, user_id, name))


def get_all(user_id, limit=None, marker=None):
    """Key pairs of ``user_id`` sorted by name.

    :raises: KeypairNotFound when ``marker`` names no key pair.
    """
    kp = models.KeyPair
    with db_api.reader() as session:
        query = sa.select(kp).where(kp.user_id == user_id, kp.deleted == 0)
        if marker is not None:
            _get_row(session, user_id, marker)
            query = query.where(kp.name > marker)
        query = query.order_by(kp.name)
        if limit is not None:
            query = query.limit(limit)
        return [to_dict(r) for r in session.scalars(query)]


@db_api.retry_on_unavailable
def destroy(user_id, name):
    """:raises: KeypairNotFound."""
    with db_api.writer() as session:
        row = _get_row(session, user_id, name)
        row.deleted = row.id
        row.deleted_at = models.utcnow()
