"""The timeline of one request, from the instance action events."""
import sqlalchemy as sa

from stratus.db import api as db_api
from stratus.db import models


def timeline(request_id):
    """Events of every instance action ``request_id`` started, in order.

    :returns: list of dicts (instance_uuid, action, event, host, start,
        finish, seconds, result), oldest first.
    """
    act, ev = models.InstanceAction, models.InstanceActionEvent
    with db_api.reader() as session:
        rows = session.execute(
            sa.select(act.instance_uuid, act.action, ev.event, ev.host,
                      ev.start_time, ev.finish_time, ev.result)
            .join(ev, ev.action_id == act.id)
            .where(act.request_id == request_id)
            .order_by(ev.start_time, ev.id)).all()
    result = []
    for uuid, action, event, host, start, finish, outcome in rows:
        result.append({
            'instance_uuid': uuid, 'action': action, 'event': event,
            'host': host, 'start': start, 'finish': finish,
            'seconds': (finish - start).total_seconds() if finish else None,
            'result': outcome or 'running'})
    return result


def format_timeline(events):
    if not events:
        return 'No events recorded for that request id.'
    t0 = events[0]['start']
    lines = ['%-9s %-9s %-34s %-20s %-8s %s' % (
        '+start(s)', 'took(s)', 'event', 'host', 'result', 'instance')]
    for e in events:
        lines.append('%-9.3f %-9s %-34s %-20s %-8s %s' % (
            (e['start'] - t0).total_seconds(),
            '%.3f' % e['seconds'] if e['seconds'] is not None else '-',
            e['event'], e['host'] or '-', e['result'], e['instance_uuid']))
    return '\n'.join(lines)
