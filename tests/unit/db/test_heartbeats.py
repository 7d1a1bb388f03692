"""The rows written many times a second: service heartbeats and compute
node resource reports (one UPDATE ... RETURNING once the row exists)."""
from stratus import servicegroup
from stratus.db import compute_nodes


def test_heartbeats_refresh_one_row(db):
    first = servicegroup.report_service('h1', 'stratus-compute', 'compute')
    second = servicegroup.report_service('h1', 'stratus-compute',
                                         'compute.h1')
    assert second['id'] == first['id'] and second['uuid'] == first['uuid']
    assert (first['report_count'], second['report_count']) == (1, 2)
    assert second['topic'] == 'compute.h1'
    assert second['last_seen_up'] >= first['last_seen_up']
    assert servicegroup.is_up(second)
    gone = servicegroup.report_service('h1', 'stratus-compute', 'compute',
                                       stopping=True)
    assert gone['last_seen_up'] is None and not servicegroup.is_up(gone)
    other = servicegroup.report_service('h2', 'stratus-compute', 'compute')
    assert other['id'] != first['id'] and other['report_count'] == 1


def test_resource_reports_refresh_one_row_per_host(db):
    made = compute_nodes.update('h1', {'vcpus': 2, 'memory_mb': 1024,
                                       'hypervisor_type': 'fake'})
    again = compute_nodes.update('h1', {'vcpus_used': 1, 'running_vms': 1})
    assert again['uuid'] == made['uuid']
    assert (again['vcpus'], again['memory_mb'], again['vcpus_used'],
            again['running_vms']) == (2, 1024, 1, 1)
    assert again['updated_at'] is not None
    assert [n['host'] for n in compute_nodes.get_all()] == ['h1']
