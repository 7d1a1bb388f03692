"""Host aggregates: named sets of hosts with metadata.

The ``availability_zone`` metadata key places every host of the aggregate
in that zone (a host is in at most one zone). Functions return plain dicts.
"""
import uuid as uuidlib

import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

AZ_KEY = 'availability_zone'
COMPUTE_BINARY = 'stratus-compute'


def _to_dict(row, hosts):
    metadata = dict(row.metadata_ or {})
    return {'id': row.id, 'uuid': row.uuid, 'name': row.name,
            'availability_zone': metadata.get(AZ_KEY),
            'metadata': metadata, 'hosts': sorted(hosts),
            'created_at': row.created_at, 'updated_at': row.updated_at,
            'deleted': False, 'deleted_at': None}


def _hosts_of(session, aggregate_ids):
    hosts = {i: [] for i in aggregate_ids}
    if aggregate_ids:
        ah = models.AggregateHost
        for agg_id, host in session.execute(sa.select(
                ah.aggregate_id, ah.host).where(
                    ah.aggregate_id.in_(aggregate_ids))):
            hosts[agg_id].append(host)
    return hosts


def _get_row(session, aggregate_id):
    agg = models.Aggregate
    key = str(aggregate_id)
    query = sa.select(agg).where(agg.id == int(key)) if key.isdigit() else \
        sa.select(agg).where(agg.uuid == key)
    row = session.scalars(query).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return row


def _check_name(session, name, exclude_id=None):
    agg = models.Aggregate
    query = sa.select(agg.id).where(agg.name == name)
    if exclude_id is not None:
        query = query.where(agg.id != exclude_id)
    if session.scalars(query).first() is not None:
        raise exception.AggregateNameExists(aggregate_name=name)


def _zones_of_host(session, host, exclude_id=None):
    """Zones other aggregates give ``host``."""
    agg, ah = models.Aggregate, models.AggregateHost
    query = sa.select(agg).join(ah, ah.aggregate_id == agg.id).where(
        ah.host == host)
    if exclude_id is not None:
        query = query.where(agg.id != exclude_id)
    return {(r.metadata_ or {}).get(AZ_KEY)
            for r in session.scalars(query)} - {None}


@db_api.retry_on_unavailable
def create(name, availability_zone=None):
    """:raises: AggregateNameExists."""
    with db_api.writer() as session:
        _check_name(session, name)
        metadata = {AZ_KEY: availability_zone} if availability_zone else {}
        row = models.Aggregate(uuid=str(uuidlib.uuid4()), name=name,
                               metadata_=metadata)
        session.add(row)
        session.flush()
        return _to_dict(row, [])


def get(aggregate_id):
    """:param aggregate_id: integer id or uuid.

    :raises: AggregateNotFound.
    """
    with db_api.reader() as session:
        row = _get_row(session, aggregate_id)
        return _to_dict(row, _hosts_of(session, [row.id])[row.id])


def get_all():
    with db_api.reader() as session:
        rows = list(session.scalars(sa.select(models.Aggregate).order_by(
            models.Aggregate.id)))
        hosts = _hosts_of(session, [r.id for r in rows])
        return [_to_dict(r, hosts[r.id]) for r in rows]


def _set_zone(session, row, zone, action):
    """Change the zone of an aggregate whose hosts may be elsewhere too."""
    if zone:
        for host in _hosts_of(session, [row.id])[row.id]:
            others = _zones_of_host(session, host, exclude_id=row.id)
            if others - {zone}:
                raise exception.AggregateActionConflict(
                    action=action, aggregate_id=row.id,
                    reason='One or more hosts already in availability '
                           'zone(s) %s' % sorted(others))
    metadata = dict(row.metadata_ or {})
    if zone:
        metadata[AZ_KEY] = zone
    else:
        metadata.pop(AZ_KEY, None)
    row.metadata_ = metadata


@db_api.retry_on_unavailable
def update(aggregate_id, values):
    """Rename or re-zone an aggregate.

    :param values: ``name`` and/or ``availability_zone``.
    :raises: AggregateNotFound, AggregateNameExists, AggregateActionConflict.
    """
    with db_api.writer() as session:
        row = _get_row(session, aggregate_id)
        if 'name' in values:
            _check_name(session, values['name'], exclude_id=row.id)
            row.name = values['name']
        if 'availability_zone' in values:
            _set_zone(session, row, values['availability_zone'],
                      'update')
        row.updated_at = models.utcnow()
        session.flush()
        return _to_dict(row, _hosts_of(session, [row.id])[row.id])


@db_api.retry_on_unavailable
def delete(aggregate_id):
    """:raises: AggregateNotFound, InvalidAggregateAction (has hosts)."""
    with db_api.writer() as session:
        row = _get_row(session, aggregate_id)
        if _hosts_of(session, [row.id])[row.id]:
            raise exception.InvalidAggregateAction(
                reason='Host aggregate is not empty')
        session.delete(row)


@db_api.retry_on_unavailable
def add_host(aggregate_id, host):
    """:raises: AggregateNotFound, ComputeHostNotFound, AggregateHostExists,
        AggregateActionConflict (the host is in another zone)."""
    with db_api.writer() as session:
        row = _get_row(session, aggregate_id)
        svc = models.Service
        if session.scalars(sa.select(svc.id).where(
                svc.host == host, svc.binary == COMPUTE_BINARY,
                svc.deleted == 0)).first() is None:
            raise exception.ComputeHostNotFound(host=host)
        hosts = _hosts_of(session, [row.id])[row.id]
        if host in hosts:
            raise exception.AggregateHostExists(aggregate_id=row.id,
                                                host=host)
        zone = (row.metadata_ or {}).get(AZ_KEY)
        others = _zones_of_host(session, host, exclude_id=row.id)
        if zone and others - {zone}:
            raise exception.AggregateActionConflict(
                action='add host to', aggregate_id=row.id,
                reason='One or more hosts already in availability zone(s) '
                       '%s' % sorted(others))
        session.add(models.AggregateHost(aggregate_id=row.id, host=host))
        row.updated_at = models.utcnow()
        session.flush()
        return _to_dict(row, hosts + [host])


@db_api.retry_on_unavailable
def remove_host(aggregate_id, host):
    """:raises: AggregateNotFound, AggregateHostNotFound."""
    with db_api.writer() as session:
        row = _get_row(session, aggregate_id)
        ah = models.AggregateHost
        result = session.execute(sa.delete(ah).where(
            ah.aggregate_id == row.id, ah.host == host))
        if not result.rowcount:
            raise exception.AggregateHostNotFound(aggregate_id=row.id,
                                                  host=host)
        row.updated_at = models.utcnow()
        session.flush()
        return _to_dict(row, _hosts_of(session, [row.id])[row.id])


@db_api.retry_on_unavailable
def set_metadata(aggregate_id, metadata):
    """Merge ``metadata`` in; a ``None`` value deletes its key.

    :raises: AggregateNotFound, AggregateActionConflict.
    """
    with db_api.writer() as session:
        row = _get_row(session, aggregate_id)
        if AZ_KEY in metadata:
            _set_zone(session, row, metadata[AZ_KEY], 'set metadata on')
        merged = dict(row.metadata_ or {})
        for key, value in metadata.items():
            if key == AZ_KEY:
                continue
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if (row.metadata_ or {}).get(AZ_KEY):
            merged[AZ_KEY] = row.metadata_[AZ_KEY]
        row.metadata_ = merged
        row.updated_at = models.utcnow()
        session.flush()
        return _to_dict(row, _hosts_of(session, [row.id])[row.id])


def host_info(session=None):
    """``{host: {'zone': az or None, 'aggregates': [ids], 'metadata':
    {merged}}}`` for every host that is in an aggregate (scheduler)."""
    if session is None:
        with db_api.reader() as session:
            return host_info(session)
    agg, ah = models.Aggregate, models.AggregateHost
    info = {}
    for host, agg_id, metadata in session.execute(
            sa.select(ah.host, agg.id, agg.metadata_).join(
                agg, ah.aggregate_id == agg.id)):
        entry = info.setdefault(host, {'zone': None, 'aggregates': [],
                                       'metadata': {}})
        entry['aggregates'].append(agg_id)
        entry['metadata'].update(metadata or {})
        if (metadata or {}).get(AZ_KEY):
            entry['zone'] = metadata[AZ_KEY]
    return info


def zones():
    """Every zone some aggregate names."""
    with db_api.reader() as session:
        return {(m or {}).get(AZ_KEY) for m in session.scalars(
            sa.select(models.Aggregate.metadata_))} - {None}
