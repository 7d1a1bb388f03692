import datetime

import pytest

from stratus import exception
from stratus.scheduler import chance
from stratus.scheduler import filter_scheduler
from stratus.scheduler import host_state
from stratus.scheduler import simple
from stratus.scheduler import weights
from stratus.scheduler.weights import ram

TINY = {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0}


def _hosts(*specs):
    states = []
    for name, vcpus, memory_mb in specs:
        state = host_state.HostState(name, service={
            'last_seen_up': datetime.datetime.utcnow()},
            node={'vcpus': vcpus, 'memory_mb': memory_mb, 'local_gb': 100})
        state.up = True
        states.append(state)
    return states


@pytest.fixture(autouse=True)
def _ratios(flags):
    flags(group='scheduler', ram_allocation_ratio=1.0,
          cpu_allocation_ratio=1.0, disk_allocation_ratio=1.0,
          host_subset_size=1)
    # RAM-only weighing here; the cores and disk weighers have their own
    # tests (test_scheduler_placement_rules.py).
    flags(group='scheduler', cpu_weight_multiplier=0.0,
          disk_weight_multiplier=0.0)


def test_filter_driver_spreads_by_free_ram():
    hosts = _hosts(('small', 8, 1024), ('big', 8, 4096))
    chosen = filter_scheduler.FilterDriver().select(
        {'flavor': TINY}, hosts, 4)
    # big has most free RAM until 3 instances are on it (4096-1536=2560
    # vs 1024); then it still leads: all four go to big.
    assert [h.host for h in chosen] == ['big'] * 4


def test_filter_driver_packs_with_negative_multiplier(flags):
    flags(group='scheduler', ram_weight_multiplier=-1.0)
    hosts = _hosts(('small', 8, 1024), ('big', 8, 4096))
    chosen = filter_scheduler.FilterDriver().select(
        {'flavor': TINY}, hosts, 2)
    assert [h.host for h in chosen] == ['small', 'small']


def test_filter_driver_raises_no_valid_host_when_not_all_fit():
    hosts = _hosts(('h1', 1, 1024))
    with pytest.raises(exception.NoValidHost) as err:
        filter_scheduler.FilterDriver().select({'flavor': TINY}, hosts, 2)
    assert 'Only 1 of 2' in err.value.message


def test_filter_driver_rejects_unknown_filter_names(flags):
    flags(group='scheduler', enabled_filters=['NoSuchFilter'])
    with pytest.raises(ValueError):
        filter_scheduler.FilterDriver()


def test_simple_driver_picks_least_loaded_host():
    hosts = _hosts(('a', 4, 8192), ('b', 4, 8192))
    hosts[0].consume(TINY)
    chosen = simple.SimpleDriver().select({'flavor': TINY}, hosts, 3)
    assert [h.host for h in chosen] == ['b', 'a', 'b']


def test_chance_driver_only_uses_up_hosts():
    hosts = _hosts(('a', 4, 8192), ('b', 4, 8192))
    hosts[0].up = False
    chosen = chance.ChanceDriver().select({'flavor': TINY}, hosts, 5)
    assert {h.host for h in chosen} == {'b'}


def test_chance_driver_no_host():
    hosts = _hosts(('a', 4, 8192))
    hosts[0].up = False
    with pytest.raises(exception.NoValidHost):
        chance.ChanceDriver().select({'flavor': TINY}, hosts, 1)


def test_weigh_hosts_normalises_each_weigher():
    hosts = _hosts(('a', 1, 1000), ('b', 1, 3000), ('c', 1, 2000))
    ranked = weights.weigh_hosts([ram.RAMWeigher()], hosts, {})
    assert [h.host for h in ranked] == ['b', 'c', 'a']
