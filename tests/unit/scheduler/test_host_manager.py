import uuid

from stratus import servicegroup
from stratus.db import api as db_api
from stratus.db import compute_nodes
from stratus.db import instances
from stratus.scheduler import host_manager


def _instance(host, memory_mb=512, deleted=False):
    inst_uuid = str(uuid.uuid4())
    with db_api.writer() as session:
        instances.create(session, {
            'uuid': inst_uuid, 'display_name': 'x', 'project_id': 'p',
            'user_id': 'u', 'flavor': {}, 'vcpus': 1,
            'memory_mb': memory_mb, 'root_gb': 1, 'vm_state': 'active',
            'host': host})
    if deleted:
        instances.destroy(inst_uuid)
    return inst_uuid


def test_usage_sums_live_instances_and_pending_claims(db):
    servicegroup.report_service('h1', 'stratus-compute', 'compute')
    compute_nodes.update('h1', {'vcpus': 8, 'memory_mb': 8192,
                                'local_gb': 100, 'hypervisor_type': 'fake'})
    _instance('h1', 1024)
    _instance('h1', 1024, deleted=True)
    manager = host_manager.HostManager()
    pending = str(uuid.uuid4())
    manager.claim(pending, 'h1', {'vcpus': 2, 'memory_mb': 256,
                                  'root_gb': 1})
    (state,) = manager.get_host_states()
    assert state.up
    assert state.memory_mb_used == 1024 + 256
    assert state.vcpus_used == 3
    assert state.num_instances == 2


def test_claim_is_dropped_once_the_instance_shows_its_host(db):
    servicegroup.report_service('h1', 'stratus-compute', 'compute')
    compute_nodes.update('h1', {'vcpus': 8, 'memory_mb': 8192,
                                'local_gb': 100, 'hypervisor_type': 'fake'})
    manager = host_manager.HostManager()
    inst_uuid = _instance('h1', 512)
    manager.claim(inst_uuid, 'h1', {'vcpus': 1, 'memory_mb': 512,
                                    'root_gb': 1})
    (state,) = manager.get_host_states()
    # Counted once (from the table), not twice.
    assert state.memory_mb_used == 512
    assert manager._claims == {}


def test_host_without_service_row_is_ignored(db):
    compute_nodes.update('ghost', {'vcpus': 8, 'memory_mb': 8192,
                                   'local_gb': 100,
                                   'hypervisor_type': 'fake'})
    assert host_manager.HostManager().get_host_states() == []
