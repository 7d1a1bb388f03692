"""The quota check's usage sum (run inside every boot's write
transaction) is right, and on SQLite reads only an index."""
import sqlalchemy as sa

from stratus.db import api as db_api
from stratus.db import models
from stratus.db import quotas


def _add(session, n, project, vcpus, ram, deleted=0):
    session.execute(sa.insert(models.Instance.__table__), [{
        'uuid': '%s-%d-%d' % (project, vcpus, i), 'display_name': 's',
        'project_id': project, 'user_id': 'u', 'image_ref': 'i',
        'flavor': {}, 'vcpus': vcpus, 'memory_mb': ram, 'root_gb': 1,
        'ephemeral_gb': 0, 'vm_state': 'active', 'power_state': 1,
        'deleted': deleted, 'created_at': models.utcnow()}
        for i in range(n)])


def test_usage_counts_the_projects_live_instances(db):
    with db_api.writer() as session:
        _add(session, 3, 'p1', 2, 512)
        _add(session, 2, 'p1', 4, 1024, deleted=1)
        _add(session, 4, 'p2', 1, 128)
    assert quotas.get_usage('p1') == {'instances': 3, 'cores': 6,
                                      'ram': 1536}
    assert quotas.get_usage('p3') == {'instances': 0, 'cores': 0, 'ram': 0}


def test_usage_is_read_from_a_covering_index(db):
    engine = db_api.get_engine()
    if engine.dialect.name != 'sqlite':
        # PostgreSQL's planner picks by table statistics: check that the
        # index is there with the columns the sum reads.
        indexes = {i['name']: i['column_names']
                   for i in sa.inspect(engine).get_indexes('instances')}
        assert indexes['instances_project_usage_idx'] == [
            'project_id', 'deleted', 'vcpus', 'memory_mb']
        return
    captured = []

    def capture(conn, cursor, statement, params, context, executemany):
        if 'sum(' in statement.lower():
            captured.append((statement, params))
    sa.event.listen(engine, 'before_cursor_execute', capture)
    try:
        quotas.get_usage('p1')
    finally:
        sa.event.remove(engine, 'before_cursor_execute', capture)
    statement, params = captured[0]
    with engine.connect() as conn:
        plan = ' '.join(str(r[-1]) for r in conn.exec_driver_sql(
            'EXPLAIN QUERY PLAN ' + statement, params))
    assert 'COVERING INDEX instances_project_usage_idx' in plan, plan
