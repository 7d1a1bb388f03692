"""The filter driver's array path (HostTable, filter_rows, best_rows)
gives what the per-host path gives: same hosts, same order, same ties."""
import datetime
import random

import numpy as np
import pytest

from stratus.scheduler import filter_scheduler
from stratus.scheduler import filters
from stratus.scheduler import host_state
from stratus.scheduler import host_table
from stratus.scheduler import weights
from stratus.scheduler.weights import cpu
from stratus.scheduler.weights import disk
from stratus.scheduler.weights import ram


def _hosts(rng, count):
    states = []
    for i in range(count):
        state = host_state.HostState(
            'h%d' % i, service={'disabled': rng.random() < 0.1,
                                'last_seen_up': datetime.datetime.utcnow()},
            node={'vcpus': rng.choice((2, 4, 8)),
                  'memory_mb': rng.choice((1024, 2048, 4096)),
                  'local_gb': rng.choice((10, 20, 40)),
                  'hypervisor_type': rng.choice(('QEMU', 'QEMU', 'xen')),
                  'cpu_info': {'arch': rng.choice(('x86_64', 'aarch64',
                                                   None))}})
        state.up = rng.random() > 0.1
        state.availability_zone = rng.choice(('az1', 'az2', 'nova'))
        state.vcpus_used = rng.randrange(0, 6)
        state.memory_mb_used = rng.choice((0, 512, 1024, 2048))
        state.local_gb_used = rng.choice((0, 5, 10))
        states.append(state)
    return states


def _spec(rng, states):
    names = [h.host for h in states]
    spec = {'flavor': {'vcpus': rng.choice((1, 2)),
                       'memory_mb': rng.choice((512, 1024)),
                       'root_gb': rng.choice((1, 5)), 'ephemeral_gb': 0},
            'image': {'id': rng.choice(('img', 'iso-img')),
                      'properties': rng.choice((
                          {}, {'architecture': 'x86_64'},
                          {'hypervisor_type': 'kvm'},
                          {'hw_architecture': 'aarch64',
                           'img_hv_type': 'QEMU'}))},
            'scheduler_hints': {}, 'retry': None}
    if rng.random() < 0.5:
        spec['availability_zone'] = rng.choice(('az1', 'az2', 'nowhere'))
    if rng.random() < 0.5:
        spec['retry'] = {'hosts': rng.sample(names, 3) + ['gone']}
    if rng.random() < 0.5:
        spec['scheduler_hints']['same_host'] = ['u']
        spec['same_host_hosts'] = rng.sample(names, 20)
    if rng.random() < 0.5:
        spec['different_host_hosts'] = rng.sample(names, 5)
    if rng.random() < 0.5:
        spec['group'] = {
            'policy': rng.choice(('affinity', 'anti-affinity')),
            'rules': rng.choice(({}, {'max_server_per_host': 2})),
            'hosts': {n: rng.randrange(1, 4)
                      for n in rng.sample(names, 15)}}
    return spec


@pytest.fixture(autouse=True)
def _ratios(flags):
    flags(group='scheduler', ram_allocation_ratio=1.0,
          cpu_allocation_ratio=1.0, disk_allocation_ratio=1.0,
          reserved_host_memory_mb=0, reserved_host_disk_mb=0)


@pytest.fixture
def isolation(flags):
    flags(group='scheduler', isolated_images=['iso-img'],
          isolated_hosts=['h1', 'h2', 'h3', 'h4'],
          restrict_isolated_hosts_to_isolated_images=True)


def test_each_filter_passes_the_same_rows_as_host_passes(isolation,
                                                         monkeypatch):
    rng = random.Random(7)
    known = filters.all_filters()
    states = _hosts(rng, 120)
    table = host_table.HostTable(states)
    checked = set()
    for _ in range(60):
        spec = _spec(rng, states)
        for name, cls in sorted(known.items()):
            flt = cls()
            if not flt.applies(spec):
                continue
            per_host = [i for i, h in enumerate(states)
                        if flt.host_passes(h, spec)]
            rows = flt.filter_rows(table, table.all_rows(), spec)
            assert list(rows) == per_host, (name, spec)
            if 0 < len(per_host) < len(states):
                checked.add(name)
    # Every filter met a request where it kept some hosts and not others.
    assert checked == set(known)


def test_debug_logging_takes_the_per_host_path(monkeypatch):
    rng = random.Random(3)
    states = _hosts(rng, 30)
    table = host_table.HostTable(states)
    flt = filters.all_filters()['RamFilter']()
    flt.passing_rows = lambda *args: pytest.fail('array path taken')
    monkeypatch.setattr(filters, 'debugging', lambda log: True)
    spec = {'flavor': {'memory_mb': 1024}}
    assert list(flt.filter_rows(table, table.all_rows(), spec)) == [
        i for i, h in enumerate(states) if h.free_ram_mb >= 1024]


def _full_sort(weighers, hosts):
    """The reference ranking, one host at a time: each weigher's values
    normalised to 0..1, multiplied, summed; a stable sort best first."""
    totals = [0.0] * len(hosts)
    for weigher in weighers:
        factor = weigher.multiplier()
        if not factor:
            continue
        raw = [weigher.weigh(h, {}) for h in hosts]
        low, high = min(raw), max(raw)
        if high == low:
            continue
        scale = factor / (high - low)
        totals = [t + (v - low) * scale for t, v in zip(totals, raw)]
    return [hosts[i] for i in sorted(range(len(hosts)),
                                     key=lambda i: -totals[i])]


@pytest.mark.parametrize('multipliers', [(1.0, 1.0, 1.0), (1.0, -2.0, 0.5),
                                         (-1.0, 0.0, 0.0)])
def test_best_rows_is_the_head_of_the_full_sort(flags, multipliers):
    flags(group='scheduler', ram_weight_multiplier=multipliers[0],
          cpu_weight_multiplier=multipliers[1],
          disk_weight_multiplier=multipliers[2])
    weighers = [ram.RAMWeigher(), cpu.CPUWeigher(), disk.DiskWeigher()]
    rng = random.Random(11)
    # Few distinct values: many ties, which must keep the input order.
    states = _hosts(rng, 200)
    table = host_table.HostTable(states)
    rows = np.array(sorted(rng.sample(range(200), 150)), np.intp)
    full = _full_sort(weighers, [states[i] for i in rows])
    for count in (1, 3, 10, 150, 400):
        best = weights.best_rows(weighers, table, rows, {}, count)
        assert [states[i] for i in best] == full[:count]


def test_the_driver_charges_the_table_between_instances(flags):
    # Two hosts; RAM weighs alone: the roomier host takes instances until
    # it is the less roomy one, which only a charged table can see.
    flags(group='scheduler', cpu_weight_multiplier=0.0,
          disk_weight_multiplier=0.0, host_subset_size=1)
    states = [host_state.HostState(n, node={'vcpus': 64, 'memory_mb': m,
                                            'local_gb': 100})
              for n, m in (('small', 4096), ('big', 8192))]
    for s in states:
        s.up = True
    flavor = {'vcpus': 1, 'memory_mb': 1024, 'root_gb': 1,
              'ephemeral_gb': 0}
    table = host_table.HostTable(states)
    chosen = filter_scheduler.FilterDriver().select(
        {'flavor': flavor, 'image': {}, 'scheduler_hints': {}}, table, 6)
    assert [h.host for h in chosen] == ['big', 'big', 'big', 'big',
                                        'small', 'big']
    assert table.free_ram_mb.tolist() == [3072.0, 3072.0]
    assert states[1].memory_mb_used == 5120
