"""The boot flow across conductor, scheduler and compute, in one process.

These tests start from an instance row as the API writes it and a cast to
the conductor, then watch the states the flow goes through.
"""
import uuid

import pytest

from stratus import exception
from stratus.compute import power_state
from stratus.compute import task_states
from stratus.compute import vm_states
from stratus.conductor import rpcapi as conductor_rpcapi
from stratus.db import api as db_api
from stratus.db import instances
from tests.fixtures import services

FLAVOR = {'flavorid': '1', 'name': 'm1.tiny', 'vcpus': 1, 'memory_mb': 128,
          'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}}


@pytest.fixture
def cloud(tmp_path):
    services.configure(tmp_path)
    cloud = services.Cloud(compute_hosts=('compute1', 'compute2')).start()
    # Both compute hosts must have reported before anything is scheduled.
    services.wait_for(lambda: len(_nodes()) == 2, what='compute nodes')
    yield cloud
    cloud.stop()


def _nodes():
    from stratus.db import compute_nodes
    return compute_nodes.get_all()


def _new_instance(ctxt, flavor=FLAVOR, name='vm'):
    spec = {'flavor': flavor, 'image': {'id': 'img'}, 'num_instances': 1,
            'availability_zone': None, 'scheduler_hints': {},
            'project_id': 'p1', 'user_id': 'u1', 'requested_networks': None}
    inst_uuid = str(uuid.uuid4())
    with db_api.writer() as session:
        instances.create(session, {
            'uuid': inst_uuid, 'display_name': name, 'project_id': 'p1',
            'user_id': 'u1', 'image_ref': 'img', 'flavor': flavor,
            'vcpus': flavor['vcpus'], 'memory_mb': flavor['memory_mb'],
            'root_gb': flavor['root_gb'], 'vm_state': vm_states.BUILDING,
            'task_state': task_states.SCHEDULING, 'request_spec': spec})
        instances.action_start(session, ctxt, inst_uuid, 'create')
    return inst_uuid, spec


def _state(inst_uuid):
    return instances.get(inst_uuid, read_deleted=True)


def test_boot_reaches_active_on_a_host(cloud):
    ctxt = services.admin_context()
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    inst = services.wait_for(
        lambda: _state(inst_uuid)['vm_state'] == vm_states.ACTIVE and
        _state(inst_uuid), what='ACTIVE')
    assert inst['task_state'] is None
    assert inst['power_state'] == power_state.RUNNING
    assert inst['host'] in ('compute1', 'compute2')
    assert inst['launched_at'] is not None
    guest = cloud.computes[inst['host']].driver.get_info(inst)
    assert guest.state == power_state.RUNNING


def test_boot_records_an_event_per_hop(cloud):
    ctxt = services.admin_context()
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    services.wait_for(lambda: _state(inst_uuid)['vm_state'] == 'active')
    expected = ['conductor_build_instances', 'scheduler_select_destinations',
                'compute_build_and_run_instance',
                'network_allocate_for_instance', 'compute_spawn']

    def finished_events():
        action = instances.get_action(inst_uuid, ctxt.request_id)
        done = [e for e in action['events'] if e['finish_time']]
        return len(done) == len(expected) and action['events']
    events = services.wait_for(finished_events, what='events')
    assert [e['event'] for e in events] == expected
    assert all(e['result'] == 'Success' for e in events)
    assert all(e['finish_time'] >= e['start_time'] for e in events)


def test_no_valid_host_ends_in_error_with_fault(cloud):
    ctxt = services.admin_context()
    huge = dict(FLAVOR, memory_mb=10 ** 7)
    inst_uuid, spec = _new_instance(ctxt, flavor=huge)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    services.wait_for(lambda: _state(inst_uuid)['vm_state'] == 'error',
                      what='ERROR')
    fault = instances.get_latest_faults([inst_uuid])[inst_uuid]
    assert 'No valid host' in fault['message']
    assert _state(inst_uuid)['task_state'] is None
    assert _state(inst_uuid)['host'] is None


def test_failed_spawn_is_rescheduled_to_the_other_host(cloud):
    ctxt = services.admin_context()
    for mgr in cloud.computes.values():
        mgr.driver.fail_next_spawn = exception.RescheduledException(
            instance_uuid='x', reason='injected')
    # Each host fails once: the build goes to the second host, which fails
    # too, and the third attempt has no host left.
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    services.wait_for(lambda: _state(inst_uuid)['vm_state'] == 'error',
                      what='ERROR after retries')
    with db_api.reader() as session:
        from stratus.db import models
        import sqlalchemy as sa
        faults = session.scalars(sa.select(models.InstanceFault).where(
            models.InstanceFault.instance_uuid == inst_uuid)).all()
        hosts = sorted(f.host for f in faults if 'injected' in f.message)
    assert hosts == ['compute1', 'compute2']
    assert 'No valid host' in instances.get_latest_faults(
        [inst_uuid])[inst_uuid]['message']


def test_reschedule_succeeds_on_another_host(cloud):
    ctxt = services.admin_context()
    cloud.computes['compute1'].driver.fail_next_spawn = \
        exception.RescheduledException(instance_uuid='x', reason='injected')
    cloud.computes['compute2'].driver.fail_next_spawn = \
        exception.RescheduledException(instance_uuid='x', reason='injected')
    first, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [first], spec)
    services.wait_for(lambda: _state(first)['vm_state'] == 'error')
    # The fault list proves both hosts were tried; now only one fails.
    cloud.computes['compute1'].driver.fail_next_spawn = \
        exception.RescheduledException(instance_uuid='x', reason='injected')
    cloud.computes['compute2'].driver.fail_next_spawn = None
    second, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [second], spec)
    services.wait_for(lambda: _state(second)['vm_state'] == 'active')
    assert _state(second)['host'] == 'compute2' or \
        cloud.computes['compute1'].driver.fail_next_spawn is not None


def test_unexpected_spawn_error_is_error_with_fault_and_no_guest(cloud):
    ctxt = services.admin_context()
    for mgr in cloud.computes.values():
        mgr.driver.fail_next_spawn = RuntimeError('disk exploded')
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    services.wait_for(lambda: _state(inst_uuid)['vm_state'] == 'error')
    fault = instances.get_latest_faults([inst_uuid])[inst_uuid]
    assert 'disk exploded' in fault['message']
    host = _state(inst_uuid)['host']
    assert inst_uuid not in cloud.computes[host].driver.list_instance_uuids()
    assert inst_uuid not in cloud.computes[host].resource_tracker.tracked


def test_concurrent_boots_never_overcommit(cloud, tmp_path):
    # Each fake host has 16 GiB * 1.5 ratio = 24576 MiB: 6 instances of
    # 4096 MiB fit on each, so exactly 12 of 13 fit in the cloud.
    ctxt = services.admin_context()
    big = dict(FLAVOR, memory_mb=4096, vcpus=1)
    uuids = []
    api = conductor_rpcapi.ConductorAPI()
    for i in range(13):
        inst_uuid, spec = _new_instance(ctxt, flavor=big, name='vm%d' % i)
        uuids.append(inst_uuid)
        api.build_instances(ctxt, [inst_uuid], spec)

    def settled():
        states = [_state(u)['vm_state'] for u in uuids]
        return all(s in ('active', 'error') for s in states) and states
    states = services.wait_for(settled, timeout=30, what='all settled')
    assert states.count('active') == 12
    assert states.count('error') == 1
    per_host = {}
    for u in uuids:
        inst = _state(u)
        if inst['vm_state'] == 'active':
            per_host[inst['host']] = per_host.get(inst['host'], 0) + 1
    assert per_host == {'compute1': 6, 'compute2': 6}


def test_terminate_removes_guest_and_row(cloud):
    ctxt = services.admin_context()
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    inst = services.wait_for(lambda: _state(inst_uuid)['vm_state'] ==
                             'active' and _state(inst_uuid))
    instances.update(inst_uuid, {'task_state': task_states.DELETING})
    from stratus.compute import rpcapi as compute_rpcapi
    compute_rpcapi.ComputeAPI().terminate_instance(ctxt, inst['host'],
                                                   inst_uuid)
    services.wait_for(lambda: _state(inst_uuid)['deleted'] != 0,
                      what='soft delete')
    assert _state(inst_uuid)['vm_state'] == vm_states.DELETED
    mgr = cloud.computes[inst['host']]
    assert inst_uuid not in mgr.driver.list_instance_uuids()
    assert inst_uuid not in mgr.resource_tracker.tracked
    with pytest.raises(exception.InstanceNotFound):
        instances.get(inst_uuid)


def test_delete_while_the_host_is_down_is_local_then_reaped(cloud):
    from stratus.compute import api as compute_api
    ctxt = services.admin_context()
    inst_uuid, spec = _new_instance(ctxt)
    conductor_rpcapi.ConductorAPI().build_instances(ctxt, [inst_uuid], spec)
    inst = services.wait_for(lambda: _state(inst_uuid)['vm_state'] ==
                             'active' and _state(inst_uuid))
    host = inst['host']
    driver = cloud.computes[host].driver
    svc = [s for s in cloud.services if s.host == host][0]
    svc.stop()
    cloud.services.remove(svc)
    # The host is down (it deregistered): the delete can't wait for it.
    compute_api.API().delete(ctxt, inst_uuid)
    assert _state(inst_uuid)['deleted'] != 0
    with pytest.raises(exception.InstanceNotFound):
        instances.get(inst_uuid)
    assert inst_uuid in driver.list_instance_uuids()
    # Back up, the host finds a guest whose instance is gone and removes it.
    cloud.start_compute(host, driver=driver)
    services.wait_for(lambda: inst_uuid not in driver.list_instance_uuids(),
                      what='orphan reaped')
