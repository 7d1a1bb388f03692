"""Flavor records: the sizes instances are booted with."""
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

DEFAULT_FLAVORS = (
    {'flavorid': '1', 'name': 'm1.tiny', 'vcpus': 1, 'memory_mb': 128,
     'root_gb': 1},
    {'flavorid': '2', 'name': 'm1.small', 'vcpus': 1, 'memory_mb': 512,
     'root_gb': 2},
    {'flavorid': '3', 'name': 'm1.medium', 'vcpus': 2, 'memory_mb': 1024,
     'root_gb': 5},
)


def to_dict(row):
    values = row.to_dict()
    values['extra_specs'] = dict(values.get('extra_specs') or {})
    return values


def _conflict(session, values):
    flv = models.Flavor
    for field in ('flavorid', 'name'):
        if session.scalars(sa.select(flv.id).where(
                getattr(flv, field) == values[field])).first() is not None:
            return exception.FlavorExists(field=field, value=values[field])
    return None


@db_api.retry_on_unavailable
def create(values):
    """Insert a flavor.

    :param values: flavorid, name, vcpus, memory_mb and optionally root_gb,
        ephemeral_gb, swap, rxtx_factor, is_public, description, extra_specs.
    :returns: the flavor dict.
    :raises: FlavorExists when the id or the name is taken.
    """
    values = dict(values)
    values.setdefault('extra_specs', {})
    try:
        with db_api.writer() as session:
            err = _conflict(session, values)
            if err is not None:
                raise err
            row = models.Flavor(**values)
            session.add(row)
            session.flush()
            return to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.FlavorExists(field='flavorid or name',
                                     value=values.get('flavorid'))


def ensure_defaults():
    """Create m1.tiny, m1.small and m1.medium unless they exist (idempotent).

    :returns: the flavorids created by this call.
    """
    created = []
    for values in DEFAULT_FLAVORS:
        with db_api.reader() as session:
            exists = session.scalars(sa.select(models.Flavor.id).where(
                sa.or_(models.Flavor.flavorid == values['flavorid'],
                       models.Flavor.name == values['name']))).first()
        if exists is not None:
            continue
        try:
            create(dict(values, ephemeral_gb=0, swap=0, is_public=True))
            created.append(values['flavorid'])
        except exception.FlavorExists:
            pass
    return created


def get(flavorid, include_private=True):
    """:raises: FlavorNotFound."""
    flv = models.Flavor
    with db_api.reader() as session:
        query = sa.select(flv).where(flv.flavorid == str(flavorid))
        if not include_private:
            query = query.where(flv.is_public.is_(True))
        row = session.scalars(query).first()
        if row is None:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        return to_dict(row)


def get_all(is_public=True, min_memory_mb=None, min_root_gb=None,
            limit=None, marker=None):
    """Flavors sorted by flavorid.

    :param is_public: True (public only), False (private only) or None (all).
    :raises: FlavorNotFound when ``marker`` is unknown.
    """
    flv = models.Flavor
    with db_api.reader() as session:
        query = sa.select(flv).where(flv.disabled.is_(False))
        if is_public is not None:
            query = query.where(flv.is_public.is_(bool(is_public)))
        if min_memory_mb is not None:
            query = query.where(flv.memory_mb >= min_memory_mb)
        if min_root_gb is not None:
            query = query.where(flv.root_gb >= min_root_gb)
        rows = [to_dict(r) for r in session.scalars(query)]
    rows.sort(key=_sort_key)
    if marker is not None:
        with db_api.reader() as session:
            mrow = session.scalars(sa.select(flv).where(
                flv.flavorid == str(marker))).first()
        if mrow is None:
            raise exception.FlavorNotFound(flavor_id=marker)
        mkey = _sort_key(to_dict(mrow))
        rows = [r for r in rows if _sort_key(r) > mkey]
    if limit is not None:
        rows = rows[:limit]
    return rows


def _sort_key(flavor):
    # Numeric ids in numeric order, then the others by text.
    fid = flavor['flavorid']
    return (0, int(fid), '') if fid.isdigit() else (1, 0, fid)


@db_api.retry_on_unavailable
def destroy(flavorid):
    """:raises: FlavorNotFound."""
    flv = models.Flavor
    with db_api.writer() as session:
        result = session.execute(sa.delete(flv).where(
            flv.flavorid == str(flavorid)))
        if result.rowcount != 1:
            raise exception.FlavorNotFound(flavor_id=flavorid)


@db_api.retry_on_unavailable
def update_extra_specs(flavorid, specs, delete_keys=()):
    """Merge ``specs`` into the flavor's extra specs, drop ``delete_keys``.

    :returns: the new extra specs.
    :raises: FlavorNotFound, NotFound for a missing key to delete.
    """
    flv = models.Flavor
    with db_api.writer() as session:
        row = session.scalars(sa.select(flv).where(
            flv.flavorid == str(flavorid))).first()
        if row is None:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        current = dict(row.extra_specs or {})
        for key in delete_keys:
            if key not in current:
                raise exception.NotFound(
                    'Flavor %s has no extra specs with key %s.' %
                    (flavorid, key))
            del current[key]
        current.update(specs)
        row.extra_specs = current
        return dict(current)
