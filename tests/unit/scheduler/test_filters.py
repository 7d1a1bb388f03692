import datetime

from stratus.scheduler import host_state
from stratus.scheduler.filters import availability_zone_filter
from stratus.scheduler.filters import compute_filter
from stratus.scheduler.filters import core_filter
from stratus.scheduler.filters import disk_filter
from stratus.scheduler.filters import ram_filter
from stratus.scheduler.filters import retry_filter

FLAVOR = {'vcpus': 2, 'memory_mb': 1024, 'root_gb': 10, 'ephemeral_gb': 5}


def _host(name='h1', vcpus=4, memory_mb=2048, local_gb=100, zone=None,
          disabled=False, up=True):
    service = {'disabled': disabled, 'availability_zone': zone,
               'forced_down': False,
               'last_seen_up': datetime.datetime.utcnow()}
    state = host_state.HostState(name, service=service, node={
        'vcpus': vcpus, 'memory_mb': memory_mb, 'local_gb': local_gb})
    state.up = up
    return state


def test_compute_filter_rejects_down_and_disabled_hosts():
    flt = compute_filter.ComputeFilter()
    assert flt.host_passes(_host(), {})
    assert not flt.host_passes(_host(up=False), {})
    assert not flt.host_passes(_host(disabled=True), {})


def test_ram_filter_applies_ratio_and_reserved(flags):
    flags(group='scheduler', ram_allocation_ratio=1.0,
          reserved_host_memory_mb=512)
    spec = {'flavor': FLAVOR}
    assert ram_filter.RamFilter().host_passes(_host(memory_mb=1536), spec)
    assert not ram_filter.RamFilter().host_passes(_host(memory_mb=1535),
                                                  spec)
    flags(group='scheduler', ram_allocation_ratio=2.0)
    assert ram_filter.RamFilter().host_passes(_host(memory_mb=800), spec)


def test_core_filter_counts_used_vcpus(flags):
    flags(group='scheduler', cpu_allocation_ratio=1.0)
    host = _host(vcpus=4)
    spec = {'flavor': FLAVOR}
    assert core_filter.CoreFilter().host_passes(host, spec)
    host.consume(FLAVOR)
    assert core_filter.CoreFilter().host_passes(host, spec)
    host.consume(FLAVOR)
    assert not core_filter.CoreFilter().host_passes(host, spec)


def test_disk_filter_needs_root_plus_ephemeral(flags):
    flags(group='scheduler', disk_allocation_ratio=1.0)
    spec = {'flavor': FLAVOR}
    assert disk_filter.DiskFilter().host_passes(_host(local_gb=15), spec)
    assert not disk_filter.DiskFilter().host_passes(_host(local_gb=14), spec)


def test_availability_zone_filter(flags):
    flags(default_availability_zone='nova')
    flt = availability_zone_filter.AvailabilityZoneFilter()
    assert flt.host_passes(_host(), {'availability_zone': None})
    assert flt.host_passes(_host(), {'availability_zone': 'nova'})
    assert not flt.host_passes(_host(), {'availability_zone': 'az2'})
    assert flt.host_passes(_host(zone='az2'), {'availability_zone': 'az2'})


def test_retry_filter_excludes_tried_hosts():
    flt = retry_filter.RetryFilter()
    spec = {'retry': {'num_attempts': 2, 'hosts': ['h1']}}
    assert not flt.host_passes(_host('h1'), spec)
    assert flt.host_passes(_host('h2'), spec)
    assert flt.host_passes(_host('h1'), {})
