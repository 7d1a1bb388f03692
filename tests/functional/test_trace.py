"""One boot seen as operators see it: versioned notifications on the bus
and the request's timeline from its events."""
import threading

import oslo_messaging as messaging
import pytest

from stratus import conf
from stratus import notifications
from stratus import trace
from stratus.conductor import rpcapi as conductor_rpcapi
from stratus.db import instances
from tests.fixtures import services
from tests.functional import test_boot_flow

CONF = conf.CONF


class _Endpoint:
    def __init__(self):
        self.events = []
        self.seen = threading.Condition()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.seen:
            self.events.append((event_type, publisher_id, payload))
            self.seen.notify_all()

    error = info


@pytest.fixture
def cloud(tmp_path):
    services.configure(tmp_path)
    CONF.set_override('driver', ['messagingv2'],
                      group='oslo_messaging_notifications')
    notifications.reset()
    cloud = services.Cloud(compute_hosts=('compute1',)).start()
    services.wait_for(lambda: test_boot_flow._nodes())
    yield cloud
    cloud.stop()
    notifications.reset()
    CONF.clear_override('driver', group='oslo_messaging_notifications')


def test_boot_sends_create_start_and_end(cloud):
    endpoint = _Endpoint()
    transport = messaging.get_notification_transport(CONF)
    listener = messaging.get_notification_listener(
        transport, [messaging.Target(topic='versioned_notifications')],
        [endpoint])
    listener.start()
    try:
        ctxt = services.admin_context()
        inst_uuid, spec = test_boot_flow._new_instance(ctxt)
        conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid],
                                                        spec)
        services.wait_for(lambda: [e for e in endpoint.events
                                   if e[0] == 'instance.create.end'],
                          what='instance.create.end')
    finally:
        listener.stop()
        listener.wait()
    types = [e[0] for e in endpoint.events]
    assert types.index('instance.create.start') < \
        types.index('instance.create.end')
    _, publisher, payload = endpoint.events[types.index(
        'instance.create.end')]
    data = payload['nova_object.data']
    assert publisher == 'stratus-compute:compute1'
    assert data['uuid'] == inst_uuid
    assert data['state'] == 'active' and data['host'] == 'compute1'
    assert data['request_id'] == ctxt.request_id
    assert data['flavor']['nova_object.data']['name'] == 'm1.tiny'


def test_timeline_orders_every_hop(cloud):
    ctxt = services.admin_context()
    inst_uuid, spec = test_boot_flow._new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    services.wait_for(lambda: instances.get(inst_uuid)['vm_state'] ==
                      'active')
    events = services.wait_for(
        lambda: (lambda t: len(t) == 5 and all(e['finish'] for e in t)
                 and t)(trace.timeline(ctxt.request_id)))
    assert [e['event'] for e in events] == [
        'conductor_build_instances', 'scheduler_select_destinations',
        'compute_build_and_run_instance', 'network_allocate_for_instance',
        'compute_spawn']
    starts = [e['start'] for e in events]
    assert starts == sorted(starts)
    # The spawn is inside the build, which is inside nothing else.
    assert events[4]['seconds'] <= events[2]['seconds']
    assert {e['host'] for e in events[2:]} == {'compute1'}
    text = trace.format_timeline(events)
    assert 'compute_spawn' in text and 'compute1' in text
    assert trace.format_timeline([]).startswith('No events')
