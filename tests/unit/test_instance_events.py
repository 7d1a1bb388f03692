"""Batching of instance action events (stratus/instance_events.py)."""
import threading
import time

from stratus import context as stratus_context
from stratus import instance_events


def _ctx(request_id='req-1'):
    return stratus_context.RequestContext(request_id=request_id)


def test_events_within_the_linger_travel_together_in_order():
    sent = []
    recorder = instance_events.SendingRecorder(
        'host1', sent.append, linger=0.2)
    with instance_events.recorded(recorder, _ctx(), 'u1', 'compute_spawn'):
        pass
    instance_events.record_finished(recorder, _ctx('req-2'), 'u1', 'step',
                                    'start', 'finish')
    assert recorder.flush(timeout=5)
    assert len(sent) == 1
    kinds = [(kind, item['event'], item['request_id'])
             for kind, item in sent[0]]
    assert kinds == [('start', 'compute_spawn', 'req-1'),
                     ('finish', 'compute_spawn', 'req-1'),
                     ('finish', 'step', 'req-2')]
    assert all(item['host'] == 'host1' for _k, item in sent[0])
    assert sent[0][1][1]['result'] == 'Success'


def test_events_after_the_linger_go_in_a_later_batch():
    sent = []
    recorder = instance_events.SendingRecorder('h', sent.append, linger=0.05)
    recorder.start(_ctx(), 'u1', 'a', 'now')
    assert recorder.flush(timeout=5)
    recorder.start(_ctx(), 'u1', 'b', 'now')
    assert recorder.flush(timeout=5)
    assert [[item['event'] for _k, item in batch] for batch in sent] == [
        ['a'], ['b']]


def test_a_failing_sink_loses_only_its_batch():
    calls = []

    def sink(batch):
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError('broker away')
    recorder = instance_events.SendingRecorder('h', sink, linger=0)
    recorder.start(_ctx(), 'u1', 'a', 'now')
    assert recorder.flush(timeout=5)
    recorder.start(_ctx(), 'u1', 'b', 'now')
    assert recorder.flush(timeout=5)
    assert [b[0][1]['event'] for b in calls] == ['a', 'b']


def test_flush_gives_up_after_its_timeout_when_the_sink_hangs():
    release = threading.Event()
    recorder = instance_events.SendingRecorder(
        'h', lambda batch: release.wait(10), linger=0)
    recorder.start(_ctx(), 'u1', 'a', 'now')
    started = time.monotonic()
    assert recorder.flush(timeout=0.2) is False
    assert time.monotonic() - started < 2
    release.set()
    assert recorder.flush(timeout=5)
