"""stratus.compute.api: create, quotas, delete, actions, key pairs."""
import threading

import pytest

from stratus import context
from stratus import exception
from stratus.compute import api as compute_api
from stratus.compute import task_states
from stratus.db import flavors as flavors_db
from stratus.db import instances as instances_db
from stratus.db import models
from stratus.db import quotas as quotas_db
from tests.fixtures import compute_api as fixtures
from tests.fixtures.compute_api import PROJECT, USER, count_rows, set_instance

env = pytest.fixture(fixtures.compute_env, name='env')
file_env = pytest.fixture(fixtures.file_compute_env, name='file_env')


def _ctxt(project=PROJECT, user=USER, roles=('member',)):
    return context.RequestContext(project_id=project, user_id=user,
                                  roles=list(roles),
                                  is_admin='admin' in roles)


def _params(env, **extra):
    params = {'name': 'web', 'image_id': env.image_id, 'flavor_id': '2',
              'min_count': 1, 'max_count': 1}
    params.update(extra)
    return params


def test_create_writes_rows_actions_and_casts_after_commit(env):
    ctxt = _ctxt()
    seen = []

    def build(ctxt_, uuids, spec, filter_properties=None):
        # The rows are committed before the cast leaves.
        seen.extend(instances_db.get(u)['vm_state'] for u in uuids)
        env.conductor.builds.append((uuids, spec))
    env.conductor.build_instances = build
    instances, rid = env.api.create(ctxt, _params(env, min_count=2,
                                                  max_count=3))
    assert len(instances) == 3 and seen == ['building'] * 3
    assert rid.startswith('r-') and len(rid) == 10
    uuids, spec = env.conductor.builds[0]
    assert uuids == [i['uuid'] for i in instances]
    assert spec['num_instances'] == 3
    assert spec['flavor']['name'] == 'm1.small'
    assert spec['flavor']['memory_mb'] == 512
    assert spec['image']['id'] == env.image_id
    assert spec['project_id'] == PROJECT and spec['user_id'] == USER
    assert spec['security_groups'] == ['default']
    for index, inst in enumerate(instances):
        row = instances_db.get(inst['uuid'])
        assert row['display_name'] == 'web-%d' % (index + 1)
        assert row['hostname'] == 'web-%d' % (index + 1)
        assert row['launch_index'] == index
        assert row['task_state'] == task_states.SCHEDULING
        assert row['reservation_id'] == rid
        assert row['request_spec'] == spec
        assert row['vcpus'] == 1 and row['memory_mb'] == 512
        actions = instances_db.get_actions(inst['uuid'])
        assert [a['action'] for a in actions] == ['create']


def test_max_count_is_capped_by_quota(env):
    quotas_db.update(PROJECT, {'instances': 4})
    instances, _ = env.api.create(_ctxt(), _params(env, max_count=9))
    assert len(instances) == 4
    with pytest.raises(exception.QuotaExceeded):
        env.api.create(_ctxt(), _params(env))
    assert count_rows(models.Instance) == 4


def test_cores_quota_counts_vcpus(env):
    quotas_db.update(PROJECT, {'cores': 3})
    # m1.medium has 2 vCPUs: one fits, two do not.
    with pytest.raises(exception.QuotaExceeded):
        env.api.create(_ctxt(), _params(env, flavor_id='3', min_count=2,
                                        max_count=2))
    assert count_rows(models.Instance) == 0


def test_concurrent_creates_respect_quota(file_env):
    env = file_env
    quotas_db.update(PROJECT, {'instances': 10})
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(30)

    def boot():
        barrier.wait()
        try:
            env.api.create(_ctxt(), _params(env, flavor_id='1'))
            outcome = 'ok'
        except exception.QuotaExceeded:
            outcome = 'quota'
        except Exception as e:  # recorded, asserted below
            outcome = repr(e)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=boot) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(set(results)) == ['ok', 'quota'], results
    assert results.count('ok') == 10
    assert count_rows(models.Instance) == 10
    assert len(env.conductor.builds) == 10


def test_delete_without_host_destroys_at_once(env):
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    env.api.delete(_ctxt(), inst['uuid'])
    with pytest.raises(exception.InstanceNotFound):
        instances_db.get(inst['uuid'])
    assert instances_db.get(inst['uuid'], read_deleted=True)['vm_state'] \
        == 'deleted'
    assert env.compute.casts == []
    actions = [a['action'] for a in instances_db.get_actions(inst['uuid'])]
    assert 'delete' in actions


def _host_up(host):
    from stratus import servicegroup
    servicegroup.report_service(host, 'stratus-compute', 'compute')


def test_delete_with_host_marks_and_casts(env):
    _host_up('h1')
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    set_instance(inst['uuid'], host='h1', vm_state='active',
                 task_state=None)
    env.api.delete(_ctxt(), inst['uuid'])
    row = instances_db.get(inst['uuid'])
    assert row['task_state'] == task_states.DELETING
    assert env.compute.casts == [('terminate_instance', 'h1',
                                  inst['uuid'])]


def test_delete_loses_race_to_scheduler_and_casts(env, monkeypatch):
    """The conductor sets the host between our read and our swap."""
    _host_up('h2')
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    real_update = instances_db.update
    raced = []

    def racing_update(uuid, values, **kw):
        if not raced:
            raced.append(1)
            real_update(uuid, {'host': 'h2',
                               'task_state': task_states.NETWORKING},
                        expected_task_state=task_states.SCHEDULING)
        return real_update(uuid, values, **kw)
    monkeypatch.setattr(instances_db, 'update', racing_update)
    env.api.delete(_ctxt(), inst['uuid'])
    assert instances_db.get(inst['uuid'])['task_state'] == 'deleting'
    assert env.compute.casts == [('terminate_instance', 'h2',
                                  inst['uuid'])]


def test_actions_check_state_and_record(env):
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    uuid = inst['uuid']
    with pytest.raises(exception.InstanceInvalidState):
        env.api.stop(_ctxt(), uuid)        # still building
    set_instance(uuid, host='h1', vm_state='active', task_state=None)
    env.api.stop(_ctxt(), uuid)
    assert instances_db.get(uuid)['task_state'] == task_states.POWERING_OFF
    with pytest.raises(exception.Conflict):
        env.api.reboot(_ctxt(), uuid, 'SOFT')   # a task is running
    set_instance(uuid, vm_state='stopped', task_state=None)
    with pytest.raises(exception.InstanceInvalidState):
        env.api.stop(_ctxt(), uuid)
    env.api.start(_ctxt(), uuid)
    set_instance(uuid, vm_state='active', task_state=None)
    env.api.reboot(_ctxt(), uuid, 'HARD')
    assert instances_db.get(uuid)['task_state'] == \
        task_states.REBOOTING_HARD
    assert [c[0] for c in env.compute.casts] == [
        'stop_instance', 'start_instance', 'reboot_instance']
    names = sorted(a['action'] for a in instances_db.get_actions(uuid))
    assert names == ['create', 'reboot', 'start', 'stop']


def test_cast_failure_restores_task_state(env):
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    set_instance(inst['uuid'], host='h1', vm_state='active', task_state=None)

    def broken(*args, **kwargs):
        raise RuntimeError('no transport')
    env.compute.stop_instance = broken
    with pytest.raises(exception.ServiceUnavailable):
        env.api.stop(_ctxt(), inst['uuid'])
    assert instances_db.get(inst['uuid'])['task_state'] is None


def test_other_project_sees_not_found(env):
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    with pytest.raises(exception.InstanceNotFound):
        env.api.get(_ctxt('p-x', 'u-x'), inst['uuid'])
    admin = _ctxt('p-x', 'u-x', roles=('admin',))
    assert env.api.get(admin, inst['uuid'])['uuid'] == inst['uuid']


def test_rpc_clients_are_lazy():
    api = compute_api.API()
    assert api._conductor_rpcapi is None and api._compute_rpcapi is None


def test_sanitize_hostname():
    assert compute_api.sanitize_hostname('My Web_Server!', 'x') == \
        'my-web-server'
    assert compute_api.sanitize_hostname('---', 'server-1') == 'server-1'
    assert len(compute_api.sanitize_hostname('a' * 100, 'x')) == 63


def test_generated_key_fingerprint_matches_import(env):
    private, public = compute_api.generate_ssh_keypair()
    assert 'PRIVATE KEY' in private and public.startswith('ssh-rsa ')
    fp = compute_api.fingerprint_of(public)
    assert len(fp.split(':')) == 16
    keypair, priv = env.api.create_keypair(_ctxt(), USER, 'k1',
                                           public_key=public)
    assert keypair['fingerprint'] == fp and priv is None
    with pytest.raises(exception.Invalid):
        compute_api.fingerprint_of('ssh-rsa not-base64')


def test_flavor_defaults_are_idempotent(env):
    assert flavors_db.ensure_defaults() == []
    flavors = flavors_db.get_all()
    assert [(f['flavorid'], f['name'], f['vcpus'], f['memory_mb'],
             f['root_gb']) for f in flavors] == [
        ('1', 'm1.tiny', 1, 128, 1), ('2', 'm1.small', 1, 512, 2),
        ('3', 'm1.medium', 2, 1024, 5)]


class _Recorder:
    def __init__(self, attachments=()):
        self.calls = []
        self.attachments = list(attachments)

    def deallocate_for_instance(self, ctxt, instance_uuid):
        self.calls.append(('deallocate', instance_uuid))

    def get_attachments(self, ctxt, instance_uuid):
        return self.attachments

    def detach_volume(self, ctxt, attachment_id, rollback=False):
        self.calls.append(('detach', attachment_id))


def test_delete_with_host_down_is_local(env):
    from stratus import exception
    inst = env.api.create(_ctxt(), _params(env))[0][0]
    set_instance(inst['uuid'], host='gone', vm_state='active',
                 task_state=None)
    network = env.api.network_rpcapi = _Recorder()
    volumes = env.api.volume_rpcapi = _Recorder(
        [{'uuid': 'att-1', 'volume_id': 'v1'}])
    env.api.delete(_ctxt(), inst['uuid'])
    # No cast to a host that can't answer: released and gone at once.
    assert env.compute.casts == []
    assert network.calls == [('deallocate', inst['uuid'])]
    assert volumes.calls == [('detach', 'att-1')]
    with pytest.raises(exception.InstanceNotFound):
        instances_db.get(inst['uuid'])
