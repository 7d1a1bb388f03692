"""The alembic migrations build exactly the schema the models describe,
on SQLite and on PostgreSQL, and ``stratus-manage db sync`` upgrades an
old schema in place."""
import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from stratus import conf
from stratus.db import api as db_api
from stratus.db import flavors as flavors_db
from stratus.db import instances as instances_db
from stratus.db import migration
from stratus.db import models
from stratus.db import services as services_db
from tests.fixtures import postgres

HEAD = ScriptDirectory.from_config(migration._config()).get_current_head()


@pytest.fixture(params=['sqlite', 'postgresql'])
def empty_db(request, tmp_path):
    """The URL of an empty database, set as ``[database] connection``.

    Set directly, not through ``flags``: these tests pick their database
    themselves in either mode of the run.
    """
    if request.param == 'sqlite':
        url = 'sqlite:///%s' % (tmp_path / 'm.sqlite')
    else:
        url = postgres.empty_database()
    conf.CONF.set_override('connection', url, group='database')
    db_api.dispose()
    yield url
    db_api.dispose()
    conf.CONF.clear_override('connection', group='database')
    if request.param == 'postgresql':
        postgres.cluster().drop_database(sa.engine.make_url(url).database)


def test_migrations_match_models(empty_db):
    migration.db_sync()
    assert migration.db_version() == HEAD
    with db_api.get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn),
                                models.Base.metadata)
    assert diff == []


def test_db_sync_twice_is_harmless(empty_db):
    migration.db_sync()
    first = migration.db_version()
    migration.db_sync()
    assert migration.db_version() == first == HEAD


def _write_old_rows(url):
    """Rows written the way a 0001 schema holds them (reflected tables, not
    today's models), so the test keeps meaning as the models change."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    meta.reflect(engine, only=['services', 'flavors', 'instances',
                               'instance_actions'])
    now = models.utcnow()
    inst_uuid = str(uuid.uuid4())
    flavor = {'flavorid': '42', 'name': 'm1.old', 'vcpus': 2,
              'memory_mb': 1024, 'root_gb': 5, 'ephemeral_gb': 0,
              'swap': 0}
    with engine.begin() as conn:
        conn.execute(meta.tables['services'].insert().values(
            uuid=str(uuid.uuid4()), host='old-host', binary='stratus-compute',
            topic='compute', report_count=7, disabled=False,
            forced_down=False, created_at=now, deleted=0))
        conn.execute(meta.tables['flavors'].insert().values(
            rxtx_factor=1.0, is_public=True, disabled=False, extra_specs={},
            created_at=now, **flavor))
        conn.execute(meta.tables['instances'].insert().values(
            uuid=inst_uuid, display_name='survivor', project_id='p-old',
            user_id='u-old', flavor=flavor, vcpus=2, memory_mb=1024,
            root_gb=5, ephemeral_gb=0, vm_state='active', power_state=1,
            host='old-host', metadata={'kept': 'yes'}, launch_index=0,
            progress=0, locked=False, network_info=[], request_spec={},
            security_groups=['default'], created_at=now, deleted=0))
        conn.execute(meta.tables['instance_actions'].insert().values(
            action='create', instance_uuid=inst_uuid, request_id='req-old',
            start_time=now))
    engine.dispose()
    return inst_uuid


def _manage(tmp_path, url, *args):
    config = tmp_path / 'stratus.conf'
    config.write_text('[database]\nconnection = %s\n' % url)
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'stratus-manage'),
         '--config-file', str(config)] + list(args),
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_db_sync_upgrades_an_old_schema_in_place(empty_db, tmp_path):
    migration.db_sync('0001')
    assert migration.db_version() == '0001'
    db_api.dispose()
    inst_uuid = _write_old_rows(empty_db)

    out = _manage(tmp_path, empty_db, 'db', 'sync')
    assert 'Database at revision %s' % HEAD in out
    assert _manage(tmp_path, empty_db, 'db', 'version').strip() == HEAD

    db_api.dispose()
    assert migration.db_version() == HEAD
    inst = instances_db.get(inst_uuid)
    assert (inst['display_name'], inst['metadata'], inst['host']) == \
        ('survivor', {'kept': 'yes'}, 'old-host')
    assert [a['request_id'] for a in instances_db.get_actions(inst_uuid)] \
        == ['req-old']
    assert flavors_db.get('42')['name'] == 'm1.old'
    assert services_db.get(host='old-host',
                           binary='stratus-compute')['report_count'] == 7
    # The tables later migrations added work on the upgraded database.
    assert instances_db.get_all(project_id='p-old',
                                filters={'flavorid': '42'})[0]['uuid'] == \
        inst_uuid
