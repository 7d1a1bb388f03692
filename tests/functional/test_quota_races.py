"""Quotas hold under concurrent requests: 30 creates released at once by a
barrier against room for 10 make exactly 10, for cores and RAM (compute),
volumes and gigabytes (block storage) and floating IPs (network). The
refused ones get each API's own over-quota answer with a fault body:
compute 403 ``forbidden``, Cinder 413 ``overLimit`` (VolumeLimitExceeded),
Neutron 409 (OverQuota); never a 500.

Each check and the insert it guards share one writer transaction
(``stratus/db/quotas.py``); a check done before the insert in a
transaction of its own lets several of these creates through.
"""
import threading
import uuid

import pytest
import sqlalchemy as sa

from stratus.api import auth
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.network import router as network_router
from stratus.api.volume import router as volume_router
from stratus.db import api as db_api
from stratus.db import flavors
from stratus.db import floating_ips as floating_db
from stratus.db import images
from stratus.db import models
from stratus.db import networks as networks_db
from stratus.db import quotas as quotas_db
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

PARALLEL = 30
ALLOWED = 10


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('quota-races')
    services.configure(tmp_path, overrides={
        ('identity', 'password_hash_rounds'): 1000,
        ('network', 'host_driver'): 'noop',
        ('volume', 'capacity_gb'): 1000})
    tokens.invalidate_cache()
    bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.create({'flavorid': 'q2', 'name': 'quota.2cpu', 'vcpus': 2,
                    'memory_mb': 256, 'root_gb': 0})
    flavors.create({'flavorid': 'q1g', 'name': 'quota.1g', 'vcpus': 1,
                    'memory_mb': 1024, 'root_gb': 0})
    public = networks_db.network_create({
        'label': 'public', 'cidr': '172.31.78.0/26', 'bridge': 'strqpub0',
        'external': True})
    floating_db.create_range('public', public['id'], '172.31.78.0/26',
                             exclude=(public['gateway'],))
    image = images.create({'id': str(uuid.uuid4()), 'name': 'tiny',
                           'status': 'active', 'visibility': 'public',
                           'disk_format': 'qcow2',
                           'container_format': 'bare', 'size': 4096})
    running = services.Cloud(compute_hosts=('compute1',)).start()
    identity = Http(identity_router.create_router())
    token, body = password_token(identity, 'demo', 'demo-pw', 'demo')
    project = body['project']['id']
    try:
        yield {
            'nova': Http(compute_router.create_router(auth.authenticate),
                         token),
            'cinder': Http(volume_router.create_router(auth.authenticate),
                           token),
            'neutron': Http(network_router.create_router(), token),
            'project': project, 'image': image['id'],
            'public': public['uuid']}
    finally:
        running.stop()
        tokens.invalidate_cache()


@pytest.fixture
def quota(cloud):
    """Set the demo project's limits; back to the defaults afterwards."""
    def set_limits(**limits):
        quotas_db.update(cloud['project'], limits)
    yield set_limits
    quotas_db.reset(cloud['project'])


def _at_once(http, method, path, body):
    """``PARALLEL`` identical requests released together.

    :returns: the responses, sorted by status.
    """
    barrier = threading.Barrier(PARALLEL)
    responses = []

    def send():
        barrier.wait()
        responses.append(http(method, path, body))

    threads = [threading.Thread(target=send) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(responses) == PARALLEL
    return sorted(responses, key=lambda r: r.status_int)


def _count(model, project, **where):
    with db_api.reader() as session:
        query = sa.select(sa.func.count(model.id)).where(
            model.project_id == project)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query)


def _check_refusals(responses, status, fault, resource):
    """Exactly ``ALLOWED`` accepted; the rest ``status`` with a fault
    body naming ``resource``."""
    statuses = [r.status_int for r in responses]
    accepted = [s for s in statuses if s < 300]
    assert len(accepted) == ALLOWED, statuses
    assert statuses[ALLOWED:] == [status] * (PARALLEL - ALLOWED), statuses
    for resp in responses[ALLOWED:]:
        body = resp.json[fault]
        assert resource in body['message'], body
        assert 'Traceback' not in resp.text


@pytest.mark.parametrize('flavor, limits, resource', [
    ('q2', {'cores': 2 * ALLOWED}, 'cores'),
    ('q1g', {'ram': 1024 * ALLOWED}, 'ram'),
])
def test_parallel_boots_respect_cores_and_ram(cloud, quota, flavor, limits,
                                              resource):
    quota(**dict({'instances': -1, 'cores': -1, 'ram': -1}, **limits))
    responses = _at_once(cloud['nova'], 'POST', '/v2.1/servers', {
        'server': {'name': 'q', 'imageRef': cloud['image'],
                   'flavorRef': flavor}})
    _check_refusals(responses, 403, 'forbidden', resource)
    assert _count(models.Instance, cloud['project'], deleted=0) == ALLOWED
    for resp in responses[:ALLOWED]:
        assert cloud['nova']('DELETE', '/v2.1/servers/%s' % resp.json[
            'server']['id']).status_int == 204
    services.wait_for(lambda: _count(models.Instance, cloud['project'],
                                     deleted=0) == 0, timeout=60,
                      what='the quota boots deleted')


@pytest.mark.parametrize('size, limits, resource', [
    (1, {'volumes': ALLOWED}, 'volumes'),
    (3, {'volumes': -1, 'gigabytes': 3 * ALLOWED}, 'gigabytes'),
])
def test_parallel_volume_creates_respect_volumes_and_gigabytes(
        cloud, quota, size, limits, resource):
    quota(**limits)
    responses = _at_once(cloud['cinder'], 'POST', '/v3/volumes', {
        'volume': {'size': size, 'name': 'q'}})
    _check_refusals(responses, 413, 'overLimit', resource)
    assert _count(models.Volume, cloud['project'], deleted=0) == ALLOWED
    ids = [r.json['volume']['id'] for r in responses[:ALLOWED]]

    def deleted():
        gone = 0
        for volume_id in ids:
            resp = cloud['cinder']('DELETE', '/v3/volumes/%s' % volume_id)
            gone += resp.status_int == 404
        return gone == len(ids)

    # A volume still being created is refused (409): retry until placed.
    services.wait_for(deleted, timeout=60, interval=0.2,
                      what='the quota volumes deleted')


def test_parallel_floating_ip_allocations_respect_the_quota(cloud, quota):
    quota(floating_ips=ALLOWED)
    responses = _at_once(cloud['neutron'], 'POST', '/v2.0/floatingips', {
        'floatingip': {'floating_network_id': cloud['public']}})
    _check_refusals(responses, 409, 'NeutronError', 'floating_ips')
    assert {r.status_int for r in responses[:ALLOWED]} == {201}
    assert _count(models.FloatingIp, cloud['project']) == ALLOWED
    for resp in responses[:ALLOWED]:
        assert cloud['neutron']('DELETE', '/v2.0/floatingips/%s' % resp.json[
            'floatingip']['id']).status_int == 204
    assert _count(models.FloatingIp, cloud['project']) == 0
