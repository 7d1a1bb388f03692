"""The volume flow behind the real routers: the block storage API records
a volume, the scheduler places it on an in-process volume host (file
driver in a temporary folder, real qemu-img), compute's
os-volume_attachments attaches it to a fake-driver guest and detaches it.
Waits are for statuses, never casts turned calls."""
import os
import uuid

import pytest

from stratus import conf
from stratus.api import auth
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.volume import router as volume_router
from stratus.db import flavors
from stratus.db import images
from stratus.db import volumes as volumes_db
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

CONF = conf.CONF


@pytest.fixture
def cloud(tmp_path):
    services.configure(tmp_path,
                       overrides={('identity', 'password_hash_rounds'): 1000,
                                  ('volume', 'capacity_gb'): 10})
    tokens.invalidate_cache()
    bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.ensure_defaults()
    cloud = services.Cloud(compute_hosts=('compute1',)).start()
    identity = Http(identity_router.create_router())

    def token(user, password, project):
        return password_token(identity, user, password, project)[0]

    demo_token = token('demo', 'demo-pw', 'demo')
    vol_app = volume_router.create_router(auth.authenticate)
    compute_app = compute_router.create_router(auth.authenticate)
    yield {'vol': Http(vol_app, demo_token),
           'nova': Http(compute_app, demo_token),
           'admin_vol': Http(vol_app, token('admin', 'admin-pw', 'admin')),
           'cloud': cloud, 'path': str(tmp_path / 'volumes')}
    cloud.stop()
    tokens.invalidate_cache()


def _status(http, volume_id):
    resp = http('GET', '/v3/volumes/%s' % volume_id)
    return resp.data['volume']['status'] if resp.status_int == 200 \
        else resp.status_int


def _create(http, size=1, name='v1'):
    resp = http('POST', '/v3/volumes', {'volume': {'size': size,
                                                   'name': name}})
    assert resp.status_int == 202, resp.body
    assert resp.data['volume']['status'] == 'creating'
    return resp.data['volume']['id']


def _server(nova):
    image = images.create({'id': str(uuid.uuid4()), 'name': 'tiny',
                           'status': 'active', 'visibility': 'public',
                           'disk_format': 'qcow2',
                           'container_format': 'bare', 'size': 4096})
    resp = nova('POST', '/v2.1/servers', {'server': {
        'name': 's1', 'flavorRef': '1', 'imageRef': image['id']}})
    assert resp.status_int == 202, resp.body
    server_id = resp.data['server']['id']
    services.wait_for(lambda: nova('GET', '/v2.1/servers/%s' % server_id)
                      .data['server']['status'] == 'ACTIVE', what='ACTIVE')
    return server_id


def test_create_extend_delete_through_the_scheduler(cloud):
    vol = cloud['vol']
    volume_id = _create(vol, size=2)
    services.wait_for(lambda: _status(vol, volume_id) == 'available',
                      what='available')
    shown = vol('GET', '/v3/volumes/%s' % volume_id,
                headers={'OpenStack-API-Version': 'volume 3.60'})
    assert shown.headers['OpenStack-API-Version'] == 'volume 3.60'
    body = shown.data['volume']
    assert body['size'] == 2 and body['bootable'] == 'false'
    assert 'os-vol-host-attr:host' not in body
    path = os.path.join(cloud['path'], 'volume-%s' % volume_id)
    assert os.path.exists(path)
    # The project-id form of the URL serves the same volume.
    listed = vol('GET', '/v3/someproject/volumes/detail?name=v1')
    assert [v['id'] for v in listed.data['volumes']] == [volume_id]
    admin_view = cloud['admin_vol']('GET', '/v3/volumes/%s' % volume_id)
    assert admin_view.data['volume']['os-vol-host-attr:host'] == \
        'controller'

    resp = vol('POST', '/v3/volumes/%s/action' % volume_id,
               {'os-extend': {'new_size': 1}})
    assert resp.status_int == 400
    resp = vol('POST', '/v3/volumes/%s/action' % volume_id,
               {'os-extend': {'new_size': 3}})
    assert resp.status_int == 202
    services.wait_for(lambda: vol('GET', '/v3/volumes/%s' % volume_id)
                      .data['volume']['size'] == 3, what='extended')
    assert _status(vol, volume_id) == 'available'

    assert vol('DELETE', '/v3/volumes/%s' % volume_id).status_int == 202
    services.wait_for(lambda: _status(vol, volume_id) == 404, what='gone')
    assert not os.path.exists(path)


def test_no_space_is_error_with_a_reason(cloud):
    vol = cloud['vol']
    volume_id = _create(vol, size=11)
    services.wait_for(lambda: _status(vol, volume_id) == 'error',
                      what='error')
    assert 'No volume host has 11 GiB free' in \
        volumes_db.get(volume_id)['status_reason']
    assert vol('DELETE', '/v3/volumes/%s' % volume_id).status_int == 202
    assert _status(vol, volume_id) == 404


@pytest.mark.parametrize('body', [
    {'volume': {'size': 0}}, {'volume': {'size': 'x'}}, {'volume': {}},
    {'volume': {'size': 1, 'bogus': 1}},
    {'volume': {'size': 1, 'imageRef': 'c0ffee00-0000-0000-0000-'
                                       '000000000000'}}])
def test_bad_create_is_400(cloud, body):
    resp = cloud['vol']('POST', '/v3/volumes', body)
    assert resp.status_int == 400, resp.body
    assert resp.data['badRequest']['code'] == 400
    assert volumes_db.get_all() == []


def test_foreign_volume_is_404_and_versions_are_public(cloud):
    admin = cloud['admin_vol']
    volume_id = _create(admin)
    assert cloud['vol']('GET', '/v3/volumes/%s' % volume_id).status_int \
        == 404
    assert cloud['vol']('DELETE', '/v3/volumes/%s' % volume_id) \
        .status_int == 404
    anonymous = Http(cloud['vol'].app)
    assert anonymous('GET', '/').status_int == 300
    assert anonymous('GET', '/v3/').data['versions'][0]['id'] == 'v3.0'
    assert anonymous('GET', '/v3/volumes').status_int == 401
    resp = cloud['vol']('GET', '/v3/volumes',
                        headers={'OpenStack-API-Version': 'volume 3.99'})
    assert resp.status_int == 406


def test_attach_detach_and_delete_in_use(cloud):
    vol, nova = cloud['vol'], cloud['nova']
    volume_id = _create(vol)
    server_id = _server(nova)
    services.wait_for(lambda: _status(vol, volume_id) == 'available')
    base = '/v2.1/servers/%s/os-volume_attachments' % server_id
    resp = nova('POST', base, {'volumeAttachment': {'volumeId': volume_id}})
    assert resp.status_int == 200, resp.body
    assert resp.data['volumeAttachment'] == {
        'id': volume_id, 'serverId': server_id, 'volumeId': volume_id,
        'device': '/dev/vdb'}
    assert _status(vol, volume_id) == 'in-use'
    guest = cloud['cloud'].computes['compute1'].driver._guests[server_id]
    info = guest['volumes']['/dev/vdb']
    assert info['driver_volume_type'] == 'file'
    assert info['data']['path'] == os.path.join(
        cloud['path'], 'volume-%s' % volume_id)
    body = vol('GET', '/v3/volumes/%s' % volume_id).data['volume']
    assert body['attachments'][0]['server_id'] == server_id
    assert body['attachments'][0]['device'] == '/dev/vdb'
    listed = nova('GET', base).data['volumeAttachments']
    assert [a['volumeId'] for a in listed] == [volume_id]
    assert nova('GET', base + '/' + volume_id).status_int == 200

    # In use: no delete, no second attach.
    resp = vol('DELETE', '/v3/volumes/%s' % volume_id)
    assert resp.status_int == 409, resp.body
    resp = nova('POST', base, {'volumeAttachment': {'volumeId': volume_id}})
    assert resp.status_int == 409
    assert _status(vol, volume_id) == 'in-use'

    assert nova('DELETE', base + '/' + volume_id).status_int == 202
    assert _status(vol, volume_id) == 'available'
    assert guest['volumes'] == {}
    assert nova('GET', base).data['volumeAttachments'] == []
    assert nova('DELETE', base + '/' + volume_id).status_int == 404
    assert vol('DELETE', '/v3/volumes/%s' % volume_id).status_int == 202
    services.wait_for(lambda: _status(vol, volume_id) == 404)
    # Each attach and detach is an instance action with its compute event.
    from stratus.db import instances

    def volume_events():
        actions = {a['action']: a for a in instances.get_actions(server_id)}
        if not {'attach_volume', 'detach_volume'} <= set(actions):
            return None
        events = {}
        for name in ('attach_volume', 'detach_volume'):
            got = instances.get_action(server_id,
                                       actions[name]['request_id'])
            done = [e for e in got['events'] if e['finish_time']]
            if not done:
                return None
            events[name] = done
        return events
    events = services.wait_for(volume_events, what='volume events')
    assert [e['event'] for e in events['attach_volume']] == \
        ['compute_attach_volume']
    assert [e['event'] for e in events['detach_volume']] == \
        ['compute_detach_volume']
    assert all(e['result'] == 'Success' for v in events.values()
               for e in v)


def test_failed_attach_rolls_back_to_available(cloud):
    vol, nova = cloud['vol'], cloud['nova']
    volume_id = _create(vol)
    server_id = _server(nova)
    services.wait_for(lambda: _status(vol, volume_id) == 'available')
    driver = cloud['cloud'].computes['compute1'].driver

    def broken(*args, **kwargs):
        raise RuntimeError('the hypervisor said no')
    driver.attach_volume = broken
    base = '/v2.1/servers/%s/os-volume_attachments' % server_id
    resp = nova('POST', base, {'volumeAttachment': {'volumeId': volume_id}})
    assert resp.status_int == 500
    assert 'the hypervisor said no' in resp.data['computeFault']['message']
    assert _status(vol, volume_id) == 'available'
    assert volumes_db.attachments_get(volume_id=volume_id) == []


def test_attach_to_deleted_server_is_404_and_volume_untouched(cloud):
    vol, nova = cloud['vol'], cloud['nova']
    volume_id = _create(vol)
    server_id = _server(nova)
    services.wait_for(lambda: _status(vol, volume_id) == 'available')
    base = '/v2.1/servers/%s/os-volume_attachments' % server_id
    assert nova('POST', base, {'volumeAttachment': {
        'volumeId': volume_id}}).status_int == 200
    # Deleting the server releases its volumes.
    assert nova('DELETE', '/v2.1/servers/%s' % server_id).status_int == 204
    services.wait_for(lambda: _status(vol, volume_id) == 'available',
                      what='released')
    services.wait_for(lambda: nova('GET', '/v2.1/servers/%s' % server_id)
                      .status_int == 404, what='server gone')
    resp = nova('POST', base, {'volumeAttachment': {'volumeId': volume_id}})
    assert resp.status_int == 404
    assert _status(vol, volume_id) == 'available'


def _boot_from(nova, volume_id, delete_on_termination):
    resp = nova('POST', '/v2.1/servers', {'server': {
        'name': 'bfv', 'flavorRef': '1', 'imageRef': '',
        'block_device_mapping_v2': [{
            'uuid': volume_id, 'source_type': 'volume',
            'destination_type': 'volume', 'boot_index': 0,
            'delete_on_termination': delete_on_termination}]}})
    assert resp.status_int == 202, resp.body
    server_id = resp.data['server']['id']
    services.wait_for(lambda: nova('GET', '/v2.1/servers/%s' % server_id)
                      .data['server']['status'] in ('ACTIVE', 'ERROR'),
                      what='built')
    return server_id


@pytest.mark.parametrize('delete_on_termination', [True, False])
def test_boot_from_volume_makes_it_the_root_disk(cloud,
                                                 delete_on_termination):
    vol, nova = cloud['vol'], cloud['nova']
    volume_id = _create(vol, name='root')
    services.wait_for(lambda: _status(vol, volume_id) == 'available')
    server_id = _boot_from(nova, volume_id, delete_on_termination)
    server = nova('GET', '/v2.1/servers/%s' % server_id).data['server']
    assert server['status'] == 'ACTIVE', server.get('fault')
    assert server['image'] == ''
    assert server['os-extended-volumes:volumes_attached'] == [
        {'id': volume_id}]
    # The guest got the volume as vda, before it ran.
    guest = cloud['cloud'].computes['compute1'].driver._guests[server_id]
    assert guest['volumes']['/dev/vda']['data']['path'] == os.path.join(
        cloud['path'], 'volume-%s' % volume_id)
    body = vol('GET', '/v3/volumes/%s' % volume_id).data['volume']
    assert body['status'] == 'in-use'
    assert body['attachments'][0]['device'] == '/dev/vda'
    assert body['attachments'][0]['server_id'] == server_id
    # A booted-from volume can't be deleted under its instance.
    assert vol('DELETE', '/v3/volumes/%s' % volume_id).status_int == 409

    from stratus.db import instances
    create = [a for a in instances.get_actions(server_id)
              if a['action'] == 'create'][0]

    def events():
        got = instances.get_action(server_id, create['request_id'])
        names = [e['event'] for e in got['events'] if e['finish_time']]
        return names if 'compute_build_and_run_instance' in names else None
    names = services.wait_for(events, what='build events')
    assert names.index('volume_attach') < names.index('compute_spawn')

    assert nova('DELETE', '/v2.1/servers/%s' % server_id).status_int == 204
    if delete_on_termination:
        services.wait_for(lambda: _status(vol, volume_id) == 404,
                          what='volume deleted with its server')
        assert not os.path.exists(os.path.join(cloud['path'],
                                               'volume-%s' % volume_id))
    else:
        services.wait_for(lambda: _status(vol, volume_id) == 'available',
                          what='volume free again')
        assert vol('GET', '/v3/volumes/%s' % volume_id).data['volume'][
            'attachments'] == []


def test_failed_boot_from_volume_gives_the_volume_back(cloud):
    """The spawn fails on the only host: the instance ends in ERROR and the
    volume it reserved is ``available`` again, with no attachment."""
    vol, nova = cloud['vol'], cloud['nova']
    volume_id = _create(vol, name='root')
    services.wait_for(lambda: _status(vol, volume_id) == 'available')
    from stratus import exception
    cloud['cloud'].computes['compute1'].driver.fail_next_spawn = \
        exception.VirtDriverError(reason='no room for the guest')
    server_id = _boot_from(nova, volume_id, False)
    server = nova('GET', '/v2.1/servers/%s' % server_id).data['server']
    assert server['status'] == 'ERROR'
    services.wait_for(lambda: _status(vol, volume_id) == 'available',
                      what='volume given back')
    assert vol('GET', '/v3/volumes/%s' % volume_id).data['volume'][
        'attachments'] == []
    assert os.path.exists(os.path.join(cloud['path'],
                                       'volume-%s' % volume_id))
