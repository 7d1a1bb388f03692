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


def test_read_dicts_equal_the_rows_to_dict(db):
    import sqlalchemy as sa
    from stratus.db import api as db_api
    from stratus.db import models
    servicegroup.report_service('h1', 'stratus-compute', 'compute')
    servicegroup.report_service('h2', 'stratus-compute', 'compute')
    compute_nodes.update('h1', {'vcpus': 4, 'cpu_info': '{"a": 1}'})
    for model, where in ((models.Service, models.Service.host == 'h2'),
                         (models.ComputeNode,
                          models.ComputeNode.deleted == 0)):
        with db_api.reader() as session:
            fast = model.read_dicts(session, where)
            slow = [r.to_dict() for r in session.scalars(
                sa.select(model).where(where).order_by(model.id))]
        assert fast == slow and len(fast) == 1
