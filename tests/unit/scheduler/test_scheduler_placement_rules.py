"""Hint, group, image and isolation filters; cores/disk weighers; forced
hosts, max_cores, host_subset_size; zones and groups in the host manager."""
import collections
import datetime
import uuid

import pytest

from stratus import exception
from stratus import servicegroup
from stratus.db import aggregates
from stratus.db import api as db_api
from stratus.db import compute_nodes
from stratus.db import instances
from stratus.db import server_groups
from stratus.scheduler import chance
from stratus.scheduler import filter_scheduler
from stratus.scheduler import host_manager
from stratus.scheduler import host_state
from stratus.scheduler import simple
from stratus.scheduler import weights
from stratus.scheduler.filters import different_host_filter
from stratus.scheduler.filters import image_properties_filter
from stratus.scheduler.filters import isolated_hosts_filter
from stratus.scheduler.filters import same_host_filter
from stratus.scheduler.filters import server_group_affinity_filter
from stratus.scheduler.filters import server_group_anti_affinity_filter
from stratus.scheduler.weights import cpu
from stratus.scheduler.weights import disk

TINY = {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0}


def _host(name, vcpus=8, memory_mb=8192, local_gb=100, up=True,
          hv_type='QEMU', arch='x86_64'):
    state = host_state.HostState(name, service={
        'last_seen_up': datetime.datetime.utcnow()}, node={
        'vcpus': vcpus, 'memory_mb': memory_mb, 'local_gb': local_gb,
        'hypervisor_type': hv_type, 'cpu_info': {'arch': arch}})
    state.up = up
    return state


@pytest.fixture(autouse=True)
def _ratios(flags):
    flags(group='scheduler', ram_allocation_ratio=1.0,
          cpu_allocation_ratio=1.0, disk_allocation_ratio=1.0,
          host_subset_size=1)


# -- filters ------------------------------------------------------------------
def test_same_and_different_host_filters():
    same, diff = same_host_filter.SameHostFilter(), \
        different_host_filter.DifferentHostFilter()
    h1, h2 = _host('h1'), _host('h2')
    spec = {'scheduler_hints': {'same_host': ['u1']},
            'same_host_hosts': ['h1']}
    assert same.filter_all([h1, h2], spec) == [h1]
    # The instance named is nowhere (deleted): no host is 'the same'.
    assert same.filter_all([h1, h2], dict(spec, same_host_hosts=[])) == []
    assert same.filter_all([h1, h2], {}) == [h1, h2]
    spec = {'scheduler_hints': {'different_host': ['u1']},
            'different_host_hosts': ['h1']}
    assert diff.filter_all([h1, h2], spec) == [h2]
    assert diff.filter_all([h1, h2], {}) == [h1, h2]


def test_server_group_filters():
    aff = server_group_affinity_filter.ServerGroupAffinityFilter()
    anti = server_group_anti_affinity_filter.ServerGroupAntiAffinityFilter()
    h1, h2, h3 = _host('h1'), _host('h2'), _host('h3')
    group = {'policy': 'affinity', 'rules': {}, 'hosts': {}}
    # No member placed yet: anywhere.
    assert aff.filter_all([h1, h2], {'group': group}) == [h1, h2]
    group['hosts'] = {'h2': 1}
    assert aff.filter_all([h1, h2], {'group': group}) == [h2]
    group = {'policy': 'anti-affinity', 'rules': {}, 'hosts': {'h1': 1}}
    assert anti.filter_all([h1, h2, h3], {'group': group}) == [h2, h3]
    # The other policy's filter does nothing.
    assert aff.filter_all([h1, h2, h3], {'group': group}) == [h1, h2, h3]
    group = {'policy': 'anti-affinity', 'hosts': {'h1': 2, 'h2': 1},
             'rules': {'max_server_per_host': 2}}
    assert anti.filter_all([h1, h2, h3], {'group': group}) == [h2, h3]


@pytest.mark.parametrize('props,passes', [
    ({}, {'kvm', 'fake', 'arm'}),
    ({'architecture': 'x86_64'}, {'kvm', 'fake'}),
    ({'hw_architecture': 'aarch64'}, {'arm'}),
    ({'hypervisor_type': 'qemu'}, {'kvm', 'arm'}),
    ({'img_hv_type': 'kvm'}, {'kvm', 'arm'}),
    ({'hypervisor_type': 'fake', 'architecture': 'X86_64'}, {'fake'}),
    ({'hypervisor_type': 'xen'}, set()),
])
def test_image_properties_filter(props, passes):
    hosts = [_host('kvm'), _host('fake', hv_type='fake'),
             _host('arm', arch='aarch64')]
    spec = {'image': {'id': 'i', 'properties': props}}
    flt = image_properties_filter.ImagePropertiesFilter()
    assert {h.host for h in flt.filter_all(hosts, spec)} == passes


def test_isolated_hosts_filter(flags):
    flags(group='scheduler', isolated_images=['img-iso'],
          isolated_hosts=['iso1'])
    flt = isolated_hosts_filter.IsolatedHostsFilter()
    hosts = [_host('iso1'), _host('plain')]
    assert [h.host for h in flt.filter_all(
        hosts, {'image': {'id': 'img-iso'}})] == ['iso1']
    assert [h.host for h in flt.filter_all(
        hosts, {'image': {'id': 'other'}})] == ['plain']
    flags(group='scheduler',
          restrict_isolated_hosts_to_isolated_images=False)
    assert [h.host for h in flt.filter_all(
        hosts, {'image': {'id': 'other'}})] == ['iso1', 'plain']
    assert flt.host_passes(hosts[0], {'image': {'id': 'other'}})


def test_reserved_disk_counts(flags):
    flags(group='scheduler', reserved_host_disk_mb=10240)
    assert _host('h', local_gb=100).free_disk_gb == 90


# -- weighers -----------------------------------------------------------------
def test_cpu_and_disk_weighers_spread_and_pack(flags):
    a, b = _host('a', vcpus=4, local_gb=500), _host('b', vcpus=16,
                                                      local_gb=100)
    assert weights.weigh_hosts([cpu.CPUWeigher()], [a, b], {})[0] is b
    assert weights.weigh_hosts([disk.DiskWeigher()], [a, b], {})[0] is a
    flags(group='scheduler', cpu_weight_multiplier=-1.0,
          disk_weight_multiplier=-1.0)
    assert weights.weigh_hosts([cpu.CPUWeigher()], [a, b], {})[0] is a
    assert weights.weigh_hosts([disk.DiskWeigher()], [a, b], {})[0] is b


def test_weighers_combine_with_their_multipliers(flags):
    # a: most RAM, b: most vCPUs. With cores weighing double, b wins.
    flags(group='scheduler', ram_weight_multiplier=1.0,
          cpu_weight_multiplier=2.0, disk_weight_multiplier=0.0)
    a = _host('a', vcpus=4, memory_mb=16384)
    b = _host('b', vcpus=16, memory_mb=8192)
    chosen = filter_scheduler.FilterDriver().select({'flavor': TINY},
                                                    [a, b], 1)
    assert chosen == [b]
    flags(group='scheduler', cpu_weight_multiplier=0.5)
    assert filter_scheduler.FilterDriver().select(
        {'flavor': TINY}, [_host('a', vcpus=4, memory_mb=16384),
                           _host('b', vcpus=16, memory_mb=8192)],
        1)[0].host == 'a'


# -- drivers ------------------------------------------------------------------
def test_host_subset_size_spreads_among_the_best_n(flags):
    flags(group='scheduler', host_subset_size=3, cpu_weight_multiplier=0.0,
          disk_weight_multiplier=0.0)
    seen = collections.Counter()
    for _ in range(200):
        hosts = [_host('h%d' % i, memory_mb=8192 + i * 1024)
                 for i in range(6)]
        seen[filter_scheduler.FilterDriver().select(
            {'flavor': TINY}, hosts, 1)[0].host] += 1
    assert set(seen) == {'h5', 'h4', 'h3'}


@pytest.mark.parametrize('driver_cls', [filter_scheduler.FilterDriver,
                                        simple.SimpleDriver,
                                        chance.ChanceDriver])
def test_forced_host_wins_and_must_be_up(driver_cls):
    hosts = [_host('a', vcpus=64), _host('b', vcpus=1), _host('c', up=False)]
    spec = {'flavor': TINY, 'scheduler_hints': {'force_hosts': ['b']}}
    chosen = driver_cls().select(spec, hosts, 2)
    # Forcing skips the filters: b takes 2 instances on 1 vCPU.
    assert [h.host for h in chosen] == ['b', 'b']
    for name in ('c', 'nope'):
        spec = {'flavor': TINY, 'scheduler_hints': {'force_hosts': [name]}}
        with pytest.raises(exception.NoValidHost) as err:
            driver_cls().select(spec, hosts, 1)
        assert 'Host %s is not up or doesn\'t exist' % name in \
            err.value.message


def test_simple_driver_max_cores(flags):
    flags(group='scheduler', max_cores=4, cpu_allocation_ratio=16.0)
    hosts = [_host('a', vcpus=64), _host('b', vcpus=64)]
    flavor = {'vcpus': 2, 'memory_mb': 64, 'root_gb': 1}
    chosen = simple.SimpleDriver().select({'flavor': flavor}, hosts, 4)
    assert sorted(h.host for h in chosen) == ['a', 'a', 'b', 'b']
    with pytest.raises(exception.NoValidHost) as err:
        simple.SimpleDriver().select({'flavor': flavor}, hosts, 1)
    assert 'Not enough allocatable CPU cores remaining' in err.value.message


def test_simple_driver_isolated_images_and_zone(flags):
    flags(group='scheduler', isolated_images=['img-iso'],
          isolated_hosts=['iso'])
    hosts = [_host('iso', vcpus=64), _host('plain')]
    spec = {'flavor': TINY, 'image': {'id': 'img-iso'}}
    assert [h.host for h in simple.SimpleDriver().select(spec, hosts, 3)] \
        == ['iso'] * 3
    spec = {'flavor': TINY, 'image': {'id': 'other'}}
    assert {h.host for h in simple.SimpleDriver().select(spec, hosts, 3)} \
        == {'plain'}
    hosts[1].availability_zone = 'az9'
    spec = {'flavor': TINY, 'image': {'id': 'other'},
            'availability_zone': 'nova'}
    with pytest.raises(exception.NoValidHost):
        simple.SimpleDriver().select(spec, hosts, 1)


def test_anti_affinity_within_one_request():
    hosts = [_host('h%d' % i) for i in range(3)]
    spec = {'flavor': TINY, 'group': {'policy': 'anti-affinity',
                                      'rules': {}, 'hosts': {}}}
    chosen = filter_scheduler.FilterDriver().select(spec, hosts, 3)
    assert sorted(h.host for h in chosen) == ['h0', 'h1', 'h2']
    spec['group']['hosts'] = {}
    with pytest.raises(exception.NoValidHost) as err:
        filter_scheduler.FilterDriver().select(spec, hosts, 4)
    assert 'Only 3 of 4' in err.value.message


def test_affinity_within_one_request():
    hosts = [_host('h%d' % i) for i in range(3)]
    spec = {'flavor': TINY, 'group': {'policy': 'affinity', 'rules': {},
                                      'hosts': {}}}
    chosen = filter_scheduler.FilterDriver().select(spec, hosts, 4)
    assert len({h.host for h in chosen}) == 1


# -- host manager ---------------------------------------------------------------
def _compute(host):
    servicegroup.report_service(host, 'stratus-compute', 'compute')
    compute_nodes.update(host, {'vcpus': 8, 'memory_mb': 8192,
                                'local_gb': 100, 'hypervisor_type': 'fake'})


def _instance(host=None):
    inst_uuid = str(uuid.uuid4())
    with db_api.writer() as session:
        instances.create(session, {
            'uuid': inst_uuid, 'display_name': 'x', 'project_id': 'p',
            'user_id': 'u', 'flavor': {}, 'vcpus': 1, 'memory_mb': 64,
            'root_gb': 1, 'vm_state': 'active', 'host': host})
    return inst_uuid


def test_host_manager_zones_come_from_aggregates(db, flags):
    flags(default_availability_zone='dflt')
    for host in ('h1', 'h2'):
        _compute(host)
    agg = aggregates.create('a1', 'az1')
    aggregates.add_host(agg['id'], 'h1')
    aggregates.set_metadata(agg['id'], {'ssd': '1'})
    states = {s.host: s for s in host_manager.HostManager().get_host_states()}
    assert states['h1'].availability_zone == 'az1'
    assert states['h1'].aggregate_metadata['ssd'] == '1'
    assert states['h1'].aggregates == [agg['id']]
    assert states['h2'].availability_zone == 'dflt'


def test_prepare_spec_loads_group_hosts_and_in_flight_claims(db):
    _compute('h1')
    group = server_groups.create('p', 'u', 'g', 'anti-affinity')
    placed, pending, unplaced = _instance('h1'), _instance(), _instance()
    with db_api.writer() as session:
        server_groups.add_members(session, group['id'],
                                  [placed, pending, unplaced])
    manager = host_manager.HostManager()
    manager.claim(pending, 'h2', TINY)
    spec = {'scheduler_hints': {'group': group['id'],
                                'different_host': placed,
                                'same_host': [pending]}}
    manager.prepare_spec(spec)
    assert spec['group']['hosts'] == {'h1': 1, 'h2': 1}
    assert spec['group']['policy'] == 'anti-affinity'
    assert spec['different_host_hosts'] == ['h1']
    assert spec['same_host_hosts'] == ['h2']
    server_groups.delete(group['id'])
    with pytest.raises(exception.NoValidHost):
        manager.prepare_spec({'scheduler_hints': {'group': group['id']}})


def test_inlined_filter_paths_match_host_passes(flags, monkeypatch):
    from stratus.scheduler import filters
    from stratus.scheduler.filters import compute_filter, core_filter
    from stratus.scheduler.filters import disk_filter, ram_filter
    flags(group='scheduler', ram_allocation_ratio=1.5,
          cpu_allocation_ratio=2.0, reserved_host_memory_mb=256,
          reserved_host_disk_mb=2048)
    hosts = []
    for i in range(60):
        state = _host('h%d' % i, vcpus=1 + i % 4, memory_mb=256 * (i % 9),
                      local_gb=i % 7, up=i % 5 != 0)
        state.enabled = i % 7 != 0
        state.vcpus_used = i % 3
        hosts.append(state)
    spec = {'flavor': {'vcpus': 2, 'memory_mb': 512, 'root_gb': 2,
                       'ephemeral_gb': 1}}
    for cls in (compute_filter.ComputeFilter, ram_filter.RamFilter,
                core_filter.CoreFilter, disk_filter.DiskFilter):
        flt = cls()
        slow = [h for h in hosts if flt.host_passes(h, spec)]
        monkeypatch.setattr(filters, 'debugging', lambda log: False)
        fast = flt.filter_all(hosts, spec)
        monkeypatch.undo()
        assert fast == slow and 0 < len(fast) < len(hosts), cls.__name__
