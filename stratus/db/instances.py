"""Instance rows, their faults and their actions/events.

Every function opens its own transaction and returns plain dicts, which is
what crosses RPC. State changes are compare-and-swap on ``task_state``
(and optionally ``vm_state``) so that two actions can't both win.
"""
import sqlalchemy as sa

from stratus import exception
from stratus.db import api as db_api
from stratus.db import models

_UNSET = object()


def to_dict(row):
    values = row.to_dict()
    values['metadata'] = values.pop('metadata_', None) or {}
    return _with_tags(values)


def _with_tags(values):
    """Every instance dict carries ``tags`` (they live in the request
    spec); listings carry them without the rest of the spec."""
    values['tags'] = list((values.get('request_spec') or {}).get('tags')
                          or [])
    return values


def _model_values(values):
    values = dict(values)
    if 'metadata' in values:
        values['metadata_'] = values.pop('metadata')
    return values


def create(session, values):
    """Insert an instance inside the caller's transaction; returns the row."""
    row = models.Instance(**_model_values(values))
    session.add(row)
    session.flush()
    return row


def get(instance_uuid, read_deleted=False, session=None):
    """:raises: InstanceNotFound."""
    if session is not None:
        return to_dict(_get_row(session, instance_uuid, read_deleted))
    with db_api.reader() as session:
        return to_dict(_get_row(session, instance_uuid, read_deleted))


def _get_row(session, instance_uuid, read_deleted=False):
    query = sa.select(models.Instance).where(
        models.Instance.uuid == instance_uuid)
    if not read_deleted:
        query = query.where(models.Instance.deleted == 0)
    row = session.scalars(query).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    return row


# A listing reads every column but the request spec, of which it needs
# only the tags: decoding whole specs (a few KiB each: image record,
# flavor, block devices, hints) was a sixth of a 1,000-server page.
_LIST_COLUMNS = tuple(
    c for c in models.Instance.__table__.columns
    if c.name != 'request_spec') + (
    models.Instance.__table__.c.request_spec['tags'].label('tags'),)


def get_all(project_id=None, host=None, filters=None, limit=None,
            marker=None, read_deleted=False, predicate=None):
    """Instances newest first, filtered and paginated.

    Every filter and the limit run in SQL; only ``predicate`` (what SQL
    can't say portably: regular expressions, API status) runs in Python,
    on rows streamed in order, and the stream stops at ``limit`` matches.
    Each dict has every column but ``request_spec``, and ``tags``.
    Rows are read as plain column tuples, not ORM objects (about 5 times
    cheaper per row).

    :param filters: optional ``name`` (substring), ``vm_state`` (list),
        ``uuids`` (list), ``reservation_id``, ``image_ref``, ``flavorid``.
    :param marker: uuid of the last instance of the previous page.
    :param predicate: optional ``callable(instance dict) -> bool``.
    :raises: NotFound when the marker is unknown.
    """
    filters = filters or {}
    # The table's columns, not the mapped class's attributes: an ORM
    # attribute anywhere in the statement sends every row through the
    # ORM's loading (a fifth of a 1,000-server page's time).
    inst = models.Instance.__table__.c
    with db_api.reader() as session:
        query = sa.select(*_LIST_COLUMNS)
        if not read_deleted:
            query = query.where(inst.deleted == 0)
        if project_id is not None:
            query = query.where(inst.project_id == project_id)
        if host is not None:
            query = query.where(inst.host == host)
        if filters.get('name'):
            query = query.where(inst.display_name.contains(
                filters['name'], autoescape=True))
        if filters.get('vm_state'):
            query = query.where(inst.vm_state.in_(filters['vm_state']))
        if filters.get('uuids') is not None:
            query = query.where(inst.uuid.in_(filters['uuids']))
        for key, column in (('reservation_id', inst.reservation_id),
                            ('image_ref', inst.image_ref)):
            if filters.get(key) is not None:
                query = query.where(column == filters[key])
        if filters.get('flavorid') is not None:
            query = query.where(inst.flavor['flavorid'].as_string() ==
                                str(filters['flavorid']))
        if marker is not None:
            mrow = session.execute(sa.select(
                inst.project_id, inst.created_at, inst.id).where(
                inst.uuid == marker)).first()
            if mrow is None or (project_id is not None and
                                mrow.project_id != project_id):
                raise exception.NotFound('Marker %s could not be found.' %
                                         marker)
            query = query.where(sa.or_(
                inst.created_at < mrow.created_at,
                sa.and_(inst.created_at == mrow.created_at,
                        inst.id < mrow.id)))
        query = query.order_by(inst.created_at.desc(), inst.id.desc())
        if predicate is None:
            if limit is not None:
                query = query.limit(limit)
            return [_row_dict(r) for r in session.execute(query)]
        found = []
        if limit == 0:
            return found
        result = session.execute(query.execution_options(yield_per=500))
        for row in result:
            values = _row_dict(row)
            if predicate(values):
                found.append(values)
                if limit is not None and len(found) >= limit:
                    break
        result.close()
        return found


def _row_dict(row):
    values = row._asdict()
    if values['metadata'] is None:
        values['metadata'] = {}
    values['tags'] = list(values['tags'] or [])
    return values


@db_api.retry_on_unavailable
def update(instance_uuid, values, expected_task_state=_UNSET,
           expected_vm_state=_UNSET):
    """Change an instance, atomically checking its current state.

    :param expected_task_state: a value or tuple of values task_state must
        have for the update to apply (``None`` is a value).
    :returns: the updated instance dict.
    :raises: UnexpectedTaskState when the state was not the expected one,
        InstanceNotFound when the instance is gone.
    """
    return db_api.group_write(_update, instance_uuid, values,
                              expected_task_state, expected_vm_state)


def _update(session, instance_uuid, values, expected_task_state=_UNSET,
            expected_vm_state=_UNSET):
    inst = models.Instance
    table = inst.__table__
    conds = []
    for column, expected in ((table.c.task_state, expected_task_state),
                             (table.c.vm_state, expected_vm_state)):
        if expected is _UNSET:
            continue
        if not isinstance(expected, (list, tuple, set)):
            expected = [expected]
        choices = [e for e in expected if e is not None]
        cond = column.in_(choices) if choices else sa.false()
        if None in expected:
            cond = sa.or_(cond, column.is_(None))
        conds.append(cond)
    values = _model_values(values)
    values['updated_at'] = models.utcnow()
    found = inst.update_one(session, {'uuid': instance_uuid, 'deleted': 0},
                            values, where=conds)
    if found is not None:
        found['metadata'] = found.pop('metadata_', None) or {}
        return _with_tags(found)
    row = session.scalars(sa.select(inst).where(
        inst.uuid == instance_uuid, inst.deleted == 0)).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    raise exception.UnexpectedTaskState(
        expected={'task_state': _show(expected_task_state),
                  'vm_state': _show(expected_vm_state)},
        actual={'task_state': row.task_state, 'vm_state': row.vm_state})


@db_api.retry_on_unavailable
def set_error(instance_uuid, message, code=500, details=None, host=None,
              values=None, expected_task_state=_UNSET):
    """Put an instance in ERROR and record why, in one transaction, so
    nobody ever sees an ERROR without its fault.

    :raises: InstanceNotFound, UnexpectedTaskState.
    """
    changes = {'vm_state': 'error', 'task_state': None}
    changes.update(values or {})
    with db_api.writer() as session:
        result = _update(session, instance_uuid, changes,
                         expected_task_state)
        session.add(models.InstanceFault(
            instance_uuid=instance_uuid, code=code or 500,
            message=(message or 'Unknown error')[:255], details=details,
            host=host))
        return result


def _show(value):
    return None if value is _UNSET else value


@db_api.retry_on_unavailable
def destroy(instance_uuid):
    """Soft-delete: the row stays for history with ``deleted = id``."""
    now = models.utcnow()
    with db_api.writer() as session:
        row = _get_row(session, instance_uuid)
        row.deleted = row.id
        row.deleted_at = now
        row.terminated_at = now
        row.vm_state = 'deleted'
        row.task_state = None
        row.power_state = 0
        return to_dict(row)


@db_api.retry_on_unavailable
def add_fault(instance_uuid, code, message, details=None, host=None):
    with db_api.writer() as session:
        session.add(models.InstanceFault(
            instance_uuid=instance_uuid, code=code, message=message[:255],
            details=details, host=host))


def get_latest_faults(instance_uuids):
    """:returns: {uuid: fault dict} with the newest fault of each."""
    if not instance_uuids:
        return {}
    fault = models.InstanceFault
    with db_api.reader() as session:
        rows = session.scalars(sa.select(fault).where(
            fault.instance_uuid.in_(list(instance_uuids)))
            .order_by(fault.id)).all()
        latest = {}
        for row in rows:
            latest[row.instance_uuid] = {
                'code': row.code, 'message': row.message,
                'details': row.details, 'created': row.created_at,
                'host': row.host}
        return latest


# -- instance actions and their events --------------------------------------

def action_start(session, context, instance_uuid, action):
    """Record an action (create, delete, reboot...) in ``session``."""
    row = models.InstanceAction(
        action=action, instance_uuid=instance_uuid,
        request_id=context.request_id, user_id=context.user_id,
        project_id=context.project_id)
    session.add(row)
    return row


@db_api.retry_on_unavailable
def record_action(context, instance_uuid, action):
    with db_api.writer() as session:
        action_start(session, context, instance_uuid, action)


def _action_for(session, instance_uuid, request_id):
    act = models.InstanceAction
    return session.scalars(sa.select(act).where(
        act.instance_uuid == instance_uuid, act.request_id == request_id)
        .order_by(act.id.desc())).first()


def event_start(instance_uuid, request_id, event, host=None,
                start_time=None):
    """Open an event of the action ``request_id`` started; no-op without
    (``write_events`` with one event: one set of rules)."""
    write_events([('start', dict(
        instance_uuid=instance_uuid, request_id=request_id, event=event,
        host=host, start_time=start_time))])


def event_finish(instance_uuid, request_id, event, result='Success',
                 traceback=None, details=None, start_time=None,
                 finish_time=None, host=None):
    """Close an event (``write_events`` with one event)."""
    write_events([('finish', dict(
        instance_uuid=instance_uuid, request_id=request_id, event=event,
        result=result, traceback=traceback, details=details,
        start_time=start_time, finish_time=finish_time, host=host))])


@db_api.retry_on_unavailable
def write_events(events):
    """Apply many event starts/finishes in one transaction, with the
    outcome of ``event_start``/``event_finish`` applied one by one in
    arrival order, in a fixed number of statements: a batch is a boot's
    dozen events or, under load, hundreds, and the conductor writes them
    while holding the database's one write lock.

    :param events: ``[('start'|'finish', kwargs)]`` in arrival order.
    """
    with db_api.writer() as session:
        _write_events(session, events)


def _write_events(session, events):
    """The rules: an event's start may arrive after its finish (casts), so
    a start whose event already exists with the same start time is a
    no-op; a finish closes the event started at its ``start_time`` when
    given, else the newest open one, and creates it if its start has not
    arrived yet; an Error result marks the action."""
    act, ev = models.InstanceAction, models.InstanceActionEvent
    pairs = {(kw['instance_uuid'], kw['request_id']) for _k, kw in events}
    if not pairs:
        return
    actions = {}
    query = sa.select(act.id, act.instance_uuid, act.request_id).where(
        act.instance_uuid.in_({u for u, _r in pairs}),
        act.request_id.in_({r for _u, r in pairs})).order_by(act.id)
    for action_id, uuid, request_id in session.execute(query):
        if (uuid, request_id) in pairs:
            actions[(uuid, request_id)] = action_id   # the newest wins
    if not actions:
        return
    # Each action's events so far, oldest first; new ones are appended.
    known = {}
    query = sa.select(ev.id, ev.action_id, ev.event, ev.start_time,
                      ev.finish_time).where(
        ev.action_id.in_(set(actions.values()))).order_by(ev.id)
    for row in session.execute(query):
        known.setdefault(row.action_id, []).append(row._asdict())
    added, changed, finished = [], {}, {}
    for kind, kw in events:
        action_id = actions.get((kw['instance_uuid'], kw['request_id']))
        if action_id is None:
            continue
        rows = known.setdefault(action_id, [])
        now = models.utcnow()
        start = kw.get('start_time')
        if kind == 'start':
            start = start or now
            if any(r['event'] == kw['event'] and r['start_time'] == start
                   for r in rows):
                continue
            row = {'id': None, 'action_id': action_id, 'event': kw['event'],
                   'host': kw.get('host'), 'start_time': start,
                   'finish_time': None}
            rows.append(row)
            added.append(row)
            continue
        finish = kw.get('finish_time') or now
        matches = [r for r in rows if r['event'] == kw['event'] and (
            r['start_time'] == start if start is not None
            else r['finish_time'] is None)]
        if matches:
            row = matches[-1]
        else:
            row = {'id': None, 'action_id': action_id, 'event': kw['event'],
                   'host': kw.get('host'), 'start_time': start or finish}
            rows.append(row)
            added.append(row)
        result = kw.get('result', 'Success')
        row.update(finish_time=finish, result=result,
                   traceback=kw.get('traceback'), details=kw.get('details'))
        if row['id'] is not None:
            changed[row['id']] = row
        _finish, failed = finished.get(action_id, (None, False))
        finished[action_id] = (finish, failed or result == 'Error')
    columns = ('action_id', 'event', 'host', 'start_time', 'finish_time',
               'result', 'traceback', 'details')
    # Core statements (the tables, not the classes): plain executemany,
    # no ORM bulk machinery.
    table = ev.__table__
    if added:
        session.execute(sa.insert(table), [
            {c: row.get(c) for c in columns} for row in added])
    if changed:
        session.execute(
            sa.update(table).where(table.c.id == sa.bindparam('row_id'))
            .values(
                finish_time=sa.bindparam('f'), result=sa.bindparam('r'),
                traceback=sa.bindparam('t'), details=sa.bindparam('d')),
            [{'row_id': i, 'f': r['finish_time'], 'r': r['result'],
              't': r['traceback'], 'd': r['details']}
             for i, r in changed.items()])
    for action_id, (finish, failed) in finished.items():
        values = {'updated_at': finish, 'finish_time': finish}
        if failed:
            values['message'] = 'Error'
        session.execute(sa.update(act.__table__).where(
            act.__table__.c.id == action_id).values(**values))


def get_actions(instance_uuid):
    act = models.InstanceAction
    with db_api.reader() as session:
        rows = session.scalars(sa.select(act).where(
            act.instance_uuid == instance_uuid)
            .order_by(act.start_time.desc(), act.id.desc())).all()
        return [r.to_dict() for r in rows]


def get_action(instance_uuid, request_id):
    """:returns: the action dict with an ``events`` list, or None."""
    ev = models.InstanceActionEvent
    with db_api.reader() as session:
        action = _action_for(session, instance_uuid, request_id)
        if action is None:
            return None
        result = action.to_dict()
        events = session.scalars(sa.select(ev).where(
            ev.action_id == action.id).order_by(ev.start_time, ev.id)).all()
        result['events'] = [e.to_dict() for e in events]
        return result
