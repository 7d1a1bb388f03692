#!/usr/bin/env python3
"""API read path: ``GET /servers/detail?limit=1000`` over 10,000 servers.

    .venv/bin/python tools/bench/api_read.py [--servers 10000] [--repeat 20]

Starts a private stack (fake driver, its own vhost, database and ports),
inserts ``--servers`` instance rows straight into its SQLite database (in
the demo project; a tenth in ERROR with a fault each, every one with a
network_info entry, metadata, a flavor and a request spec of about
2 KiB as the API stores it, tags included), then times list requests
through keystoneauth: ``/servers/detail?limit=1000`` (the goal: under
100 ms), the same with a ``status`` and a ``name`` filter, and
``/servers?limit=1000``. Prints p50/p95 per request, the machine and the
command line.
"""
import argparse
import datetime
import os
import statistics
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import stratus  # noqa: E402,F401  (threading backend first)
import sqlalchemy as sa  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1.identity import v3  # noqa: E402

import bench_common  # noqa: E402  (beside this file)
from stratus.db import models  # noqa: E402
from tests.fixtures import stack as stack_fixture  # noqa: E402

MICROVERSION = {'OpenStack-API-Version': 'compute 2.79'}
def populate(db_path, count):
    """Insert ``count`` instances of the demo project (and a fault for
    each ERROR one) into the SQLite file ``db_path``."""
    engine = sa.create_engine('sqlite:///%s' % db_path)
    with engine.connect() as conn:
        project = conn.exec_driver_sql(
            "SELECT id FROM projects WHERE name = 'demo'").scalar()
        user = conn.exec_driver_sql(
            "SELECT id FROM users WHERE name = 'demo'").scalar()
    flavor = {'flavorid': '1', 'name': 'm1.tiny', 'vcpus': 1,
              'memory_mb': 128, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
              'extra_specs': {}}
    base = datetime.datetime(2025, 1, 1)
    image = {'id': str(uuid.UUID(int=7)), 'name': 'debian-12-genericcloud',
             'status': 'active', 'visibility': 'public',
             'disk_format': 'qcow2', 'container_format': 'bare',
             'size': 334364672, 'min_disk': 2, 'min_ram': 256,
             'checksum': 'f1e5d2c3b4a5968778695a4b3c2d1e0f',
             'os_hash_algo': 'sha512', 'os_hash_value': 'ab' * 64,
             'created_at': '2025-01-01T00:00:00Z',
             'updated_at': '2025-01-01T00:00:00Z',
             'properties': {'hw_architecture': 'x86_64',
                            'hypervisor_type': 'qemu', 'os_distro': 'debian',
                            'os_version': '12', 'hw_disk_bus': 'virtio',
                            'hw_vif_model': 'virtio',
                            'hw_qemu_guest_agent': 'yes'}}
    rows, faults = [], []
    for i in range(count):
        inst_uuid = str(uuid.uuid4())
        error = i % 10 == 0
        rows.append({
            'uuid': inst_uuid, 'display_name': 'srv-%05d' % i,
            'hostname': 'srv-%05d' % i, 'project_id': project,
            'user_id': user, 'image_ref': str(uuid.UUID(int=i)),
            'flavor': flavor, 'vcpus': 1, 'memory_mb': 128, 'root_gb': 1,
            'ephemeral_gb': 0,
            'vm_state': 'error' if error else 'active', 'task_state': None,
            'power_state': 0 if error else 1,
            'host': 'host-%03d' % (i % 100), 'node': 'host-%03d' % (i % 100),
            'availability_zone': 'nova', 'metadata_': {'k': str(i)},
            'reservation_id': 'r-%08x' % i, 'launch_index': 0,
            'launched_at': None if error else base, 'progress': 0,
            'locked': False, 'network_info': [{
                'network': {'label': 'private'},
                'mac_address': 'fa:16:3e:%02x:%02x:%02x' % (
                    i >> 16 & 255, i >> 8 & 255, i & 255),
                'ips': [{'address': '10.%d.%d.%d' % (
                    i >> 16 & 255, i >> 8 & 255, i & 255), 'type': 'fixed',
                    'version': 4}]}],
            # What the API stores for a boot (compute/api.py create): the
            # flavor, the image record, hints, networks, block devices and
            # tags; about 2 KiB as JSON.
            'request_spec': {
                'flavor': flavor, 'image': image, 'num_instances': 1,
                'availability_zone': None,
                'scheduler_hints': {'group': str(uuid.UUID(int=9))},
                'project_id': project, 'user_id': user,
                'requested_networks': [{'uuid': str(uuid.UUID(int=8))}],
                'security_groups': ['default'],
                'block_device_mapping': [{
                    'boot_index': 0, 'source_type': 'image',
                    'destination_type': 'local', 'uuid': image['id'],
                    'delete_on_termination': True, 'device_name': 'vda'}],
                'tags': ['web', 'tier-%d' % (i % 3)]},
            'security_groups': ['default'],
            'created_at': base + datetime.timedelta(seconds=i),
            'updated_at': base + datetime.timedelta(seconds=i),
            'deleted': 0})
        if error:
            faults.append({'instance_uuid': inst_uuid, 'code': 500,
                           'message': 'No valid host was found.',
                           'details': None, 'host': None,
                           'created_at': base})
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Instance.__table__), rows)
        conn.execute(sa.insert(models.InstanceFault.__table__), faults)
    engine.dispose()


def timed(sess, url, repeat):
    sess.get(url, headers=MICROVERSION)  # warm: token cache, imports
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        resp = sess.get(url, headers=MICROVERSION)
        times.append(time.perf_counter() - t0)
        n = len(resp.json()['servers'])
    return times, n, len(resp.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args()
    stack = stack_fixture.Stack(driver='fake', tag='apiread%d' % os.getpid(),
                                overrides={'DEFAULT': {'debug': 'false'}})
    stack.start()
    try:
        populate(stack.db_path, args.servers)
        auth = v3.Password(auth_url=stack.auth_url, username='demo',
                           password=stack.demo_password,
                           project_name='demo', user_domain_name='Default',
                           project_domain_name='Default')
        sess = ks_session.Session(auth=auth)
        base = stack.compute_url
        cases = [
            ('GET /servers/detail?limit=1000', '/servers/detail?limit=1000'),
            ('GET /servers/detail?limit=1000&status=ERROR',
             '/servers/detail?limit=1000&status=ERROR'),
            ('GET /servers/detail?limit=1000&name=srv-0',
             '/servers/detail?limit=1000&name=srv-0'),
            ('GET /servers?limit=1000', '/servers?limit=1000'),
            ('GET /servers/detail?limit=10', '/servers/detail?limit=10'),
        ]
        print('command: %s' % ' '.join(sys.argv))
        print('machine: %s' % bench_common.machine())
        print('servers in the DB: %d (demo project)' % args.servers)
        print()
        print('| request | returned | bytes | p50 | p95 |')
        print('|---|---:|---:|---:|---:|')
        for label, path in cases:
            times, n, size = timed(sess, base + path, args.repeat)
            print('| `%s` | %d | %d | %.1f ms | %.1f ms |' % (
                label, n, size, statistics.median(times) * 1000,
                bench_common.pct(times, 95) * 1000))
    finally:
        stack.stop()


if __name__ == '__main__':
    main()
