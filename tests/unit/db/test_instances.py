import threading
import uuid

import pytest

from stratus import exception
from stratus.db import api as db_api
from stratus.db import instances


def _create(**values):
    inst_uuid = str(uuid.uuid4())
    base = {'uuid': inst_uuid, 'display_name': 'x', 'project_id': 'p',
            'user_id': 'u', 'flavor': {}, 'vcpus': 1, 'memory_mb': 128,
            'root_gb': 1, 'vm_state': 'building',
            'task_state': 'scheduling'}
    base.update(values)
    with db_api.writer() as session:
        instances.create(session, base)
    return inst_uuid


def test_update_checks_expected_task_state(db):
    inst = _create()
    updated = instances.update(inst, {'task_state': 'networking'},
                               expected_task_state='scheduling')
    assert updated['task_state'] == 'networking'
    with pytest.raises(exception.UnexpectedTaskState):
        instances.update(inst, {'task_state': 'spawning'},
                         expected_task_state='scheduling')
    assert instances.get(inst)['task_state'] == 'networking'


def test_update_expected_none_and_tuples(db):
    inst = _create(task_state=None, vm_state='active')
    instances.update(inst, {'task_state': 'deleting'},
                     expected_task_state=(None, 'rebooting'))
    with pytest.raises(exception.UnexpectedTaskState):
        instances.update(inst, {'task_state': 'deleting'},
                         expected_task_state=None)


def test_only_one_of_two_racing_updates_wins(flags, tmp_path):
    flags(group='database', connection='sqlite:///%s' %
          (tmp_path / 'race.sqlite'))
    db_api.dispose()
    from stratus.db import models
    models.Base.metadata.create_all(db_api.get_engine())
    inst = _create(task_state=None, vm_state='active')
    results = []

    def act(state):
        try:
            instances.update(inst, {'task_state': state},
                             expected_task_state=None)
            results.append(state)
        except exception.UnexpectedTaskState:
            results.append('lost')
    threads = [threading.Thread(target=act, args=(s,))
               for s in ('deleting', 'rebooting', 'powering-off',
                         'powering-on')]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count('lost') == 3
    winner = [r for r in results if r != 'lost'][0]
    assert instances.get(inst)['task_state'] == winner
    db_api.dispose()


def test_set_error_writes_state_and_fault_together(db):
    inst = _create()
    instances.set_error(inst, 'boom', 500, 'trace', 'h1')
    row = instances.get(inst)
    assert (row['vm_state'], row['task_state']) == ('error', None)
    fault = instances.get_latest_faults([inst])[inst]
    assert fault['message'] == 'boom' and fault['host'] == 'h1'


def test_destroy_is_a_soft_delete(db):
    inst = _create()
    instances.destroy(inst)
    with pytest.raises(exception.InstanceNotFound):
        instances.get(inst)
    row = instances.get(inst, read_deleted=True)
    assert row['deleted'] == row['id'] and row['vm_state'] == 'deleted'


def test_get_all_paginates_newest_first(db):
    made = [_create(display_name='vm%d' % i) for i in range(5)]
    page1 = instances.get_all(limit=2)
    page2 = instances.get_all(limit=2, marker=page1[-1]['uuid'])
    page3 = instances.get_all(limit=2, marker=page2[-1]['uuid'])
    seen = [i['uuid'] for i in page1 + page2 + page3]
    assert seen == list(reversed(made))
    with pytest.raises(exception.NotFound):
        instances.get_all(marker=str(uuid.uuid4()))


def test_events_follow_their_action(db):
    from stratus import context
    ctxt = context.get_admin_context()
    inst = _create()
    instances.record_action(ctxt, inst, 'create')
    instances.event_start(inst, ctxt.request_id, 'compute_spawn', 'h1')
    instances.event_finish(inst, ctxt.request_id, 'compute_spawn', 'Error',
                           'tb')
    action = instances.get_action(inst, ctxt.request_id)
    assert action['message'] == 'Error'
    (event,) = action['events']
    assert event['event'] == 'compute_spawn'
    assert event['result'] == 'Error' and event['traceback'] == 'tb'
    assert event['finish_time'] >= event['start_time']


def _event_rows(inst, request_id):
    action = instances.get_action(inst, request_id)
    events = [(e['event'], e['host'], e['start_time'], e['finish_time'],
               e['result'], e['traceback'])
              for e in action['events']]
    return action['message'], action['finish_time'], sorted(
        events, key=lambda e: (e[0], e[2]))


def test_a_batch_of_events_ends_as_if_written_one_by_one(db):
    """write_events (the conductor's batches) against the same events
    written one per transaction (event_start/event_finish), on the
    awkward cases: start and finish in one batch, a finish before its
    start, a repeated start, a finish without start time (closes the
    newest open one), an error, a finish of an event already in the
    database, unknown actions."""
    import datetime
    from stratus import context
    t = [datetime.datetime(2026, 1, 1, 0, 0, i) for i in range(20)]
    ctxts = [context.get_admin_context() for _ in range(2)]
    insts = [_create(), _create()]

    def batch_for(inst, req):
        def k(kind, event, **kw):
            kw.update(instance_uuid=inst, request_id=req, event=event)
            return (kind, kw)
        return [
            k('start', 'build', host='h1', start_time=t[0]),
            k('finish', 'build', host='h1', start_time=t[0],
              finish_time=t[9], result='Success'),
            k('finish', 'late', host='h2', start_time=t[1],
              finish_time=t[2], result='Success'),
            k('start', 'late', host='h2', start_time=t[1]),
            k('start', 'twice', host='h1', start_time=t[3]),
            k('start', 'twice', host='h1', start_time=t[3]),
            k('start', 'open', host='h1', start_time=t[4]),
            k('start', 'open', host='h1', start_time=t[5]),
            k('finish', 'open', host='h1', finish_time=t[6],
              result='Error', traceback='tb'),
            k('finish', 'earlier', host='h3', start_time=t[7],
              finish_time=t[8], result='Success'),
            # An action nobody recorded: dropped.
            ('start', dict(instance_uuid=inst, request_id='req-none',
                           event='orphan', host='h', start_time=t[1])),
        ]

    results = []
    for inst, ctxt, batched in ((insts[0], ctxts[0], False),
                                (insts[1], ctxts[1], True)):
        instances.record_action(ctxt, inst, 'create')
        # One event already written before the batch arrives.
        instances.event_start(inst, ctxt.request_id, 'earlier', 'h3',
                              start_time=t[7])
        batch = batch_for(inst, ctxt.request_id)
        if batched:
            instances.write_events(batch)
        else:
            for kind, kw in batch:
                if kind == 'start':
                    instances.event_start(**kw)
                else:
                    instances.event_finish(**kw)
        results.append(_event_rows(inst, ctxt.request_id))
    assert results[0] == results[1]
    message, finish, events = results[1]
    assert message == 'Error' and finish == t[8]
    names = [e[0] for e in events]
    assert names.count('twice') == 1 and names.count('open') == 2
    assert ('late', 'h2', t[1], t[2], 'Success', None) in events
    assert ('open', 'h1', t[5], t[6], 'Error', 'tb') in events
    assert ('open', 'h1', t[4], None, None, None) in events
    assert ('earlier', 'h3', t[7], t[8], 'Success', None) in events
    assert instances.get_action(insts[1], 'req-none') is None


def test_update_returns_the_row_as_get_reads_it(db):
    inst = _create()
    before = instances.get(inst)
    changed = instances.update(inst, {'task_state': 'networking',
                                      'metadata': {'k': 'v'},
                                      'network_info': [{'id': 'vif'}]})
    assert changed == instances.get(inst)
    assert changed['metadata'] == {'k': 'v'}
    assert changed['updated_at'] is not None
    assert set(changed) == set(before)
