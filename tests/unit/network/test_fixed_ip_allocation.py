"""Fixed IP and MAC allocation: unique under concurrency, a clear error
when the network is full, everything released on deallocate."""
import concurrent.futures
import threading

import pytest

from stratus import exception
from stratus.db import api as db_api
from stratus.db import migration
from stratus.db import networks as networks_db
from stratus.network import allocation
from stratus.network import driver


@pytest.fixture
def filedb(flags, tmp_path):
    flags(group='database', connection='sqlite:///%s' % (tmp_path / 'n.db'))
    db_api.dispose()
    migration.db_sync()
    yield
    db_api.dispose()


def _net(cidr='10.77.0.0/27', **kw):
    values = {'label': 'private', 'cidr': cidr, 'bridge': 'strbr0'}
    values.update(kw)
    return networks_db.network_create(values)


def test_network_reserves_gateway_and_broadcast(db):
    net = _net('10.77.0.0/29')
    assert net['gateway'] == '10.77.0.1'
    assert net['dhcp_start'] == '10.77.0.2'
    assert networks_db.network_counts(net['id']) == (0, 5)


def test_bad_cidr_is_invalid(db):
    with pytest.raises(exception.Invalid):
        _net('10.77.0.0/31')
    with pytest.raises(exception.Invalid):
        _net('not-a-cidr')


def test_allocate_until_full_then_clear_error(db):
    net = _net('10.77.0.0/29')
    got = [networks_db.allocate(net['id'], 'i%d' % i, 'p', 'h')[1]['address']
           for i in range(5)]
    assert got == ['10.77.0.%d' % i for i in range(2, 7)]
    with pytest.raises(exception.NoMoreFixedIps) as err:
        networks_db.allocate(net['id'], 'late', 'p', 'h')
    assert 'No fixed IP addresses available' in err.value.message
    # The failed attempt left no VIF behind.
    assert networks_db.vif_get_all({'instance_uuid': 'late'}) == []


def test_mac_collision_retries_with_another_mac(db, monkeypatch):
    net = _net()
    macs = iter(['fa:16:3e:00:00:01', 'fa:16:3e:00:00:01',
                 'fa:16:3e:00:00:02'])
    monkeypatch.setattr(networks_db, '_random_mac', lambda: next(macs))
    first = networks_db.allocate(net['id'], 'a', 'p', 'h')[0]
    second = networks_db.allocate(net['id'], 'b', 'p', 'h')[0]
    assert (first['address'], second['address']) == (
        'fa:16:3e:00:00:01', 'fa:16:3e:00:00:02')


def test_thirty_parallel_allocations_on_a_slash_27(filedb):
    net = _net('10.77.0.0/27')      # 29 addresses to give (.2 - .30)
    start = threading.Barrier(30)

    def boot(i):
        start.wait()
        try:
            vif, fixed = networks_db.allocate(net['id'], 'inst-%d' % i, 'p',
                                              'h')
            return fixed['address'], vif['address']
        except exception.NoMoreFixedIps as e:
            return e

    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        results = list(pool.map(boot, range(30)))
    ok = [r for r in results if isinstance(r, tuple)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(ok) == 29 and len(errors) == 1
    assert len({ip for ip, _ in ok}) == 29
    assert len({mac for _, mac in ok}) == 29
    assert networks_db.network_counts(net['id']) == (29, 0)


def test_allocate_for_instance_network_info_and_release(db):
    net = _net()
    noop = driver.NoopDriver()
    info = allocation.allocate_for_instance(noop, 'inst', 'p', 'h', None)
    vif = info[0]
    assert vif['bridge'] == 'strbr0' and vif['network']['label'] == 'private'
    assert vif['ips'] == [{'address': '10.77.0.2', 'version': 4,
                           'type': 'fixed', 'floating_ips': []}]
    assert vif['gateway'] == '10.77.0.1'
    assert ('update_dhcp', 'strbr0',
            [(vif['address'], '10.77.0.2', 'inst')]) in noop.calls
    allocation.deallocate_for_instance(noop, 'inst')
    assert noop.calls[-1] == ('update_dhcp', 'strbr0', [])
    assert networks_db.network_counts(net['id']) == (0, 29)


def test_requested_networks_rules(db):
    _net()
    other = _net('10.77.1.0/24', label='theirs', project_id='q',
                 bridge='strbr1')
    noop = driver.NoopDriver()
    assert allocation.allocate_for_instance(noop, 'i', 'p', 'h', []) == []
    with pytest.raises(exception.NetworkNotFound):
        allocation.allocate_for_instance(noop, 'i', 'p', 'h',
                                         [{'uuid': other['uuid']}])
    # A project with its own network gets it automatically.
    info = allocation.allocate_for_instance(noop, 'j', 'q', 'h', None)
    assert info[0]['network']['label'] == 'theirs'
