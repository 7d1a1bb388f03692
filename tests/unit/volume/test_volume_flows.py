"""Status transitions of the volume host's flows and of the API side's
reserve/attach bookkeeping, on an in-memory database with a fake driver."""
import contextlib
import datetime
import uuid

import pytest

from stratus import context
from stratus import exception
from stratus.db import models
from stratus.db import volumes as volumes_db
from stratus.scheduler import volume_placement
from stratus.servicegroup import report_service
from stratus.volume import flows
from stratus.volume import manager
from stratus.volume import states


class FakeDriver:
    name = 'fake'

    def __init__(self):
        self.volumes = {}
        self.fail = None

    def _maybe_fail(self):
        if self.fail:
            raise self.fail

    def create_volume(self, volume):
        self._maybe_fail()
        self.volumes[volume['id']] = volume['size']
        return {'provider_location': '/v/' + volume['id'],
                'disk_format': 'raw'}

    def create_volume_from_image(self, volume, path, fmt):
        self.image = (path, fmt)
        return self.create_volume(volume)

    def delete_volume(self, volume):
        self._maybe_fail()
        self.volumes.pop(volume['id'], None)

    def extend_volume(self, volume, new_size):
        self._maybe_fail()
        self.volumes[volume['id']] = new_size

    def initialize_connection(self, volume, connector):
        return {'driver_volume_type': 'file', 'data': {'path': 'x'}}

    def terminate_connection(self, volume, connector):
        pass

    def get_stats(self):
        return {'total_gb': 10.0, 'free_gb': 9.0}


def _new(size=1, status=states.CREATING, host='vh1'):
    return volumes_db.create({
        'id': str(uuid.uuid4()), 'size': size, 'status': status,
        'host': host, 'project_id': 'p1', 'user_id': 'u1',
        'display_name': 'v'})


@pytest.fixture
def ctx(db):
    return context.get_admin_context()


def test_create_available_then_extend_then_delete(ctx):
    driver = FakeDriver()
    vol = _new(size=1)
    flows.create(driver, ctx, vol['id'], {})
    got = volumes_db.get(vol['id'])
    assert got['status'] == states.AVAILABLE
    assert got['provider_location'] == '/v/' + vol['id']
    assert got['launched_at'] is not None and not got['bootable']
    volumes_db.update(vol['id'], {'status': states.EXTENDING})
    flows.extend(driver, ctx, vol['id'], 4)
    got = volumes_db.get(vol['id'])
    assert (got['status'], got['size']) == (states.AVAILABLE, 4)
    volumes_db.update(vol['id'], {'status': states.DELETING})
    flows.delete(driver, ctx, vol['id'])
    with pytest.raises(exception.VolumeNotFound):
        volumes_db.get(vol['id'])
    assert driver.volumes == {}


def test_failures_become_error_statuses_with_reasons(ctx):
    driver = FakeDriver()
    driver.fail = exception.VolumeBackendError(reason='disk on fire')
    vol = _new()
    flows.create(driver, ctx, vol['id'], {})
    got = volumes_db.get(vol['id'])
    assert got['status'] == states.ERROR
    assert 'disk on fire' in got['status_reason']
    ok = _new()
    driver.fail = None
    flows.create(driver, ctx, ok['id'], {})
    driver.fail = exception.VolumeBackendError(reason='no room')
    volumes_db.update(ok['id'], {'status': states.EXTENDING})
    flows.extend(driver, ctx, ok['id'], 5)
    got = volumes_db.get(ok['id'])
    assert (got['status'], got['size']) == (states.ERROR_EXTENDING, 1)
    volumes_db.update(ok['id'], {'status': states.DELETING})
    flows.delete(driver, ctx, ok['id'])
    assert volumes_db.get(ok['id'])['status'] == states.ERROR_DELETING


def test_create_from_image_is_bootable(ctx):
    driver = FakeDriver()
    vol = _new()

    @contextlib.contextmanager
    def fetcher(context, image, folder):
        yield '/tmp/downloaded'
    flows.create(driver, ctx, vol['id'],
                 {'image': {'id': 'img', 'disk_format': 'qcow2'}},
                 image_fetcher=fetcher)
    got = volumes_db.get(vol['id'])
    assert got['status'] == states.AVAILABLE and got['bootable']
    assert driver.image == ('/tmp/downloaded', 'qcow2')


def test_create_of_a_volume_deleted_meanwhile_is_ignored(ctx):
    driver = FakeDriver()
    vol = _new()
    volumes_db.destroy(vol['id'])
    flows.create(driver, ctx, vol['id'], {})
    assert driver.volumes == {}


def test_reserve_finish_and_remove(ctx):
    vol = _new(status=states.AVAILABLE)
    volume, att = volumes_db.reserve(vol['id'], 'p1', 'i1',
                                     lambda used: '/dev/vdb')
    assert volume['status'] == states.ATTACHING
    # A second reservation of the same volume loses.
    with pytest.raises(exception.VolumeInvalidState):
        volumes_db.reserve(vol['id'], 'p1', 'i1', lambda used: '/dev/vdc')
    # Another project's volume is not found.
    with pytest.raises(exception.VolumeNotFound):
        volumes_db.reserve(vol['id'], 'p2', 'i1', lambda used: '/dev/vdc')
    volumes_db.attachment_finish(att['uuid'], {'x': 1}, 'c1')
    got = volumes_db.get(vol['id'])
    assert (got['status'], got['attach_status']) == (states.IN_USE,
                                                     states.ATTACHED)
    # Rolling back an attach that finished is refused.
    with pytest.raises(exception.VolumeInvalidState):
        volumes_db.attachment_remove(att['uuid'], (states.ATTACHING,))
    mgr = manager.VolumeManager(host='vh1', driver=FakeDriver())
    assert mgr.get_attachments(ctx, 'i1')[0]['volume_host'] == 'vh1'
    assert mgr.detach_volume(ctx, att['uuid'])['status'] == \
        states.AVAILABLE
    assert volumes_db.attachments_get(instance_uuid='i1') == []
    assert mgr.detach_volume(ctx, att['uuid']) is None


def test_placement_picks_most_free_up_host_in_zone(ctx):
    for host, free, zone in (('vh1', 5.0, 'nova'), ('vh2', 8.0, 'nova'),
                             ('vh3', 50.0, 'other')):
        report_service(host, 'stratus-volume', 'volume')
        volumes_db.pool_report(host, 'file', zone, 100.0, free)
    assert volume_placement.select_host(1, 'nova') == 'vh2'
    assert volume_placement.select_host(1) == 'vh3'
    # Volumes already placed count even when the report lags behind.
    _new(size=96, status=states.AVAILABLE, host='vh2')
    assert volume_placement.select_host(1, 'nova') == 'vh1'
    with pytest.raises(exception.NoValidHost):
        volume_placement.select_host(6, 'nova')


def test_placement_skips_down_hosts_and_errors_without_host(ctx, flags):
    report_service('vh1', 'stratus-volume', 'volume')
    volumes_db.pool_report('vh1', 'file', 'nova', 10.0, 10.0)
    old = models.utcnow() - datetime.timedelta(seconds=3600)
    from stratus.db import api as db_api
    with db_api.writer() as session:
        session.query(models.Service).update({'last_seen_up': old})

    class Rpc:
        casts = []

        def create_volume(self, ctxt, host, volume_id, spec):
            self.casts.append(host)
    vol = _new(host=None)
    volume_placement.schedule_create_volume(ctx, Rpc(), vol['id'], {})
    got = volumes_db.get(vol['id'])
    assert got['status'] == states.ERROR and got['host'] is None
    assert 'No volume host' in got['status_reason']
    assert Rpc.casts == []
