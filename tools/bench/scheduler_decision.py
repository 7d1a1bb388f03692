#!/usr/bin/env python3
"""Decision time of the filter scheduler driver over in-memory host states.

Not a test: prints a table of the median and p95 time of one
``FilterDriver.select`` (one instance, default filters and weighers) for
100, 1,000 and 10,000 hosts, plus the machine it ran on.

    .venv/bin/python tools/bench/scheduler_decision.py [--repeat N]
        [--hosts 100,1000,10000] [--hints]

``--hints`` adds an availability zone, an anti-affinity group with members
on 10% of the hosts and a different_host hint, so the hint filters run too.
Host states are built once per size (building them is the host manager's
cost, reported separately); the driver charges the chosen host each time,
as in a real run.
"""
import argparse
import os
import platform
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))

import stratus  # noqa: E402,F401  (threading backend)
from stratus import conf  # noqa: E402
from stratus.scheduler import filter_scheduler  # noqa: E402
from stratus.scheduler import host_state  # noqa: E402

CONF = conf.CONF
FLAVOR = {'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20, 'ephemeral_gb': 0}


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


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
    driver = filter_scheduler.FilterDriver()
    times = []
    for _ in range(repeat):
        spec = spec_for(states, hints, rng)
        t0 = time.perf_counter()
        driver.select(spec, states, 1)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {'hosts': count, 'median_ms': statistics.median(times) * 1e3,
            'p95_ms': times[int(len(times) * 0.95) - 1] * 1e3,
            'build_ms': build * 1e3}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=50)
    parser.add_argument('--hosts', default='100,1000,10000')
    parser.add_argument('--hints', action='store_true')
    args = parser.parse_args()
    CONF([], project='stratus', default_config_files=[],
         default_config_dirs=[])
    print('command: %s' % ' '.join([os.path.basename(sys.executable)] +
                                   sys.argv))
    print('machine: nproc=%d, %s, Python %s' % (
        os.cpu_count(), cpu_model(), platform.python_version()))
    print('filters: %s; weighers: RAM, CPU, disk; hints: %s' % (
        ', '.join(CONF.scheduler.enabled_filters), args.hints))
    print()
    print('| hosts  | decision median | decision p95 | building host states |')
    print('|-------:|----------------:|-------------:|---------------------:|')
    for count in (int(c) for c in args.hosts.split(',')):
        row = bench(count, args.repeat, args.hints)
        print('| %6d | %10.2f ms | %9.2f ms | %17.1f ms |' % (
            row['hosts'], row['median_ms'], row['p95_ms'],
            row['build_ms']))


if __name__ == '__main__':
    main()
