#!/usr/bin/env python3
"""Decision time of the filter scheduler driver over in-memory host states.

Not a test: prints a table of the median and p95 time of one
``FilterDriver.select`` (one instance, default filters and weighers) for
100, 1,000 and 10,000 hosts, plus the machine it ran on.

    .venv/bin/python tools/bench/scheduler_decision.py [--repeat N]
        [--hosts 100,1000,10000] [--hints]

``--hints`` adds an availability zone, an anti-affinity group with members
on 10% of the hosts and a different_host hint, so the hint filters run too.
Host states and their HostTable (the columns the filter driver works
on) are built once per size; building them is reported separately, as
"building host states" (HostState objects) and "building the table". The
running scheduler builds both for every decision, after reading the
database. The driver charges the chosen host each time, as in a real run.

``--from-db`` times what the running scheduler does per request instead:
``HostManager.get_host_states`` (services, compute nodes, per-host usage
and aggregates read from an in-memory SQLite database holding that many
hosts, with 4 instances on every host) plus the decision.
"""
import argparse
import datetime
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))

import sqlalchemy as sa  # noqa: E402

import stratus  # noqa: E402,F401  (threading backend)
import bench_common  # noqa: E402  (beside this file)
from stratus import conf  # noqa: E402
from stratus.db import api as db_api  # noqa: E402
from stratus.db import models  # noqa: E402
from stratus.scheduler import filter_scheduler  # noqa: E402
from stratus.scheduler import host_manager  # noqa: E402
from stratus.scheduler import host_state  # noqa: E402
from stratus.scheduler import host_table  # noqa: E402

CONF = conf.CONF
FLAVOR = {'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20, 'ephemeral_gb': 0}

def make_hosts(count, rng):
    limits = host_state.ratios()
    states = []
    for i in range(count):
        state = host_state.HostState(
            'host%05d' % i, service={'disabled': i % 50 == 0},
            node={'vcpus': rng.choice((8, 16, 32, 64)),
                  'memory_mb': rng.choice((16384, 32768, 65536, 131072)),
                  'local_gb': rng.choice((200, 500, 1000)),
                  'hypervisor_type': 'QEMU',
                  'cpu_info': {'arch': 'x86_64'}},
            limits=limits)
        state.up = i % 97 != 0
        state.availability_zone = 'az%d' % (i % 4)
        state.vcpus_used = rng.randrange(0, state.vcpus_total)
        state.memory_mb_used = rng.randrange(0, state.memory_mb_total)
        state.local_gb_used = rng.randrange(0, state.local_gb_total // 2)
        states.append(state)
    return states


def spec_for(states, hints, rng):
    spec = {'flavor': FLAVOR, 'image': {'id': 'img', 'properties': {}},
            'scheduler_hints': {}, 'retry': None}
    if hints:
        spec['availability_zone'] = 'az1'
        spec['image']['properties'] = {'hypervisor_type': 'qemu'}
        members = rng.sample(states, max(1, len(states) // 10))
        spec['group'] = {'policy': 'anti-affinity', 'rules': {},
                         'hosts': {h.host: 1 for h in members}}
        spec['scheduler_hints']['different_host'] = ['x']
        spec['different_host_hosts'] = [states[1].host]
    return spec


def bench(count, repeat, hints):
    rng = random.Random(count)
    t0 = time.perf_counter()
    states = make_hosts(count, rng)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = host_table.HostTable(states)
    build_table = time.perf_counter() - t0
    driver = filter_scheduler.FilterDriver()
    times = []
    for _ in range(repeat):
        spec = spec_for(states, hints, rng)
        t0 = time.perf_counter()
        driver.select(spec, table, 1)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {'hosts': count, 'median_ms': statistics.median(times) * 1e3,
            'p95_ms': times[int(len(times) * 0.95) - 1] * 1e3,
            'build_ms': build * 1e3, 'table_ms': build_table * 1e3}


def fill_db(count, rng):
    """A fresh in-memory database with ``count`` compute hosts that have
    just heartbeated, each running 4 instances."""
    CONF.set_override('connection', 'sqlite://', group='database')
    db_api.dispose()
    engine = db_api.get_engine()
    models.Base.metadata.create_all(engine)
    now = models.utcnow()
    services, nodes, instances = [], [], []
    for i in range(count):
        host = 'host%05d' % i
        services.append({'uuid': 's%d' % i, 'host': host,
                         'binary': host_manager.COMPUTE_BINARY,
                         'topic': 'compute', 'disabled': i % 50 == 0,
                         'forced_down': False, 'report_count': 1,
                         'last_seen_up': now, 'deleted': 0})
        nodes.append({'uuid': 'n%d' % i, 'host': host,
                      'hypervisor_hostname': host,
                      'hypervisor_type': 'QEMU',
                      'vcpus': rng.choice((8, 16, 32, 64)),
                      'memory_mb': rng.choice((16384, 32768, 65536)),
                      'local_gb': rng.choice((200, 500, 1000)),
                      'cpu_info': {'arch': 'x86_64'}, 'deleted': 0})
        for j in range(4):
            instances.append({
                'uuid': 'i%d-%d' % (i, j), 'host': host, 'node': host,
                'display_name': 'i%d-%d' % (i, j), 'image_ref': 'img',
                'flavor': {'flavorid': '1', 'vcpus': 1},
                'project_id': 'p', 'user_id': 'u', 'vcpus': 1,
                'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0,
                'vm_state': 'active', 'power_state': 1, 'deleted': 0,
                'created_at': now - datetime.timedelta(hours=1)})
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Service.__table__), services)
        conn.execute(sa.insert(models.ComputeNode.__table__), nodes)
        conn.execute(sa.insert(models.Instance.__table__), instances)


def bench_from_db(count, repeat):
    fill_db(count, random.Random(count))
    manager = host_manager.HostManager()
    driver = filter_scheduler.FilterDriver()
    reads, decisions = [], []
    for _ in range(repeat):
        spec = spec_for([], False, None)
        t0 = time.perf_counter()
        states = manager.get_host_states()
        t1 = time.perf_counter()
        driver.select(spec, states, 1)
        decisions.append(time.perf_counter() - t1)
        reads.append(t1 - t0)
    total = sorted(r + d for r, d in zip(reads, decisions))
    return {'hosts': count, 'read_ms': statistics.median(reads) * 1e3,
            'decide_ms': statistics.median(decisions) * 1e3,
            'median_ms': statistics.median(total) * 1e3,
            'p95_ms': total[int(len(total) * 0.95) - 1] * 1e3}


def main_from_db(args):
    print('| hosts  | get_host_states median | decision (with the table) '
          '| both, median | both, p95 |')
    print('|-------:|-----------------------:|--------------------------:'
          '|-------------:|----------:|')
    for count in (int(c) for c in args.hosts.split(',')):
        row = bench_from_db(count, args.repeat)
        print('| %6d | %19.1f ms | %22.2f ms | %9.1f ms | %6.1f ms |' % (
            row['hosts'], row['read_ms'], row['decide_ms'],
            row['median_ms'], row['p95_ms']))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=50)
    parser.add_argument('--hosts', default='100,1000,10000')
    parser.add_argument('--hints', action='store_true')
    parser.add_argument('--from-db', action='store_true',
                        help='time get_host_states from a database too')
    args = parser.parse_args()
    CONF([], project='stratus', default_config_files=[],
         default_config_dirs=[])
    print('command: %s' % ' '.join([os.path.basename(sys.executable)] +
                                   sys.argv))
    print('machine: %s' % bench_common.machine())
    print('filters: %s; weighers: RAM, CPU, disk; hints: %s' % (
        ', '.join(CONF.scheduler.enabled_filters), args.hints))
    print()
    if args.from_db:
        return main_from_db(args)
    print('| hosts  | decision median | decision p95 | building host states '
          '| building the table |')
    print('|-------:|----------------:|-------------:|---------------------:'
          '|-------------------:|')
    for count in (int(c) for c in args.hosts.split(',')):
        row = bench(count, args.repeat, args.hints)
        print('| %6d | %12.2f ms | %9.2f ms | %17.1f ms | %15.1f ms |' % (
            row['hosts'], row['median_ms'], row['p95_ms'],
            row['build_ms'], row['table_ms']))


if __name__ == '__main__':
    main()
