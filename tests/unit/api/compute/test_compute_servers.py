"""The /servers resource through the compute router."""
import base64

import pytest

from stratus.db import instances as instances_db
from stratus.db import models
from stratus.db import quotas as quotas_db
from tests.fixtures import compute_api as fixtures
from tests.fixtures.compute_api import (PROJECT, count_rows,
                                        make_image, set_instance)

env = pytest.fixture(fixtures.compute_env, name='env')


def _ids(resp):
    return [s['id'] for s in resp.json_body_or_none['servers']]


def test_create_one(env):
    resp = env.boot(metadata={'role': 'web'})
    assert resp.status_int == 202
    server = resp.json_body_or_none['server']
    assert set(server) >= {'id', 'links', 'adminPass', 'OS-DCF:diskConfig',
                           'security_groups'}
    assert resp.headers['Location'].endswith('/servers/' + server['id'])
    row = instances_db.get(server['id'])
    assert row['metadata'] == {'role': 'web'}
    assert row['vm_state'] == 'building'
    assert env.conductor.builds[0][0] == [server['id']]


def test_create_many_with_reservation_id(env):
    resp = env.boot(min_count=2, max_count='3', return_reservation_id=True)
    assert resp.status_int == 202
    rid = resp.json_body_or_none['reservation_id']
    assert rid.startswith('r-')
    listed = env.member.get('/servers/detail?reservation_id=' + rid)
    assert len(listed.json_body_or_none['servers']) == 3
    assert len(env.conductor.builds[0][0]) == 3


def test_create_with_everything_at_latest(env):
    env.member.post('/os-keypairs', {'keypair': {'name': 'k'}})
    body = {'name': 'full', 'imageRef': env.image_id,
            'flavorRef': 'http://localhost/flavors/2', 'key_name': 'k',
            'availability_zone': 'nova', 'networks': [
                {'uuid': '3b4f3f3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b'}],
            'user_data': base64.b64encode(b'#!/bin/sh\n').decode(),
            'security_groups': [{'name': 'web'}, {'name': 'web'}],
            'description': 'd', 'tags': ['a'],
            'block_device_mapping_v2': [{
                'source_type': 'image', 'destination_type': 'local',
                'uuid': env.image_id, 'boot_index': 0}]}
    resp = env.member.post('/servers', {'server': body,
                                        'os:scheduler_hints': {'x': 1}},
                           version='latest')
    assert resp.status_int == 202, resp.body
    row = instances_db.get(resp.json_body_or_none['server']['id'])
    spec = row['request_spec']
    assert row['key_data'].startswith('ssh-rsa ')
    assert row['security_groups'] == ['web']
    assert spec['requested_networks'][0]['uuid'].startswith('3b4f3f3e')
    assert spec['scheduler_hints'] == {'x': 1}
    # The image-to-local mapping is the image disk itself.
    assert spec['block_device_mapping'] == []
    assert row['image_ref'] == env.image_id
    assert spec['flavor']['flavorid'] == '2'
    shown = env.member.get('/servers/' + row['uuid'], version='latest')
    server = shown.json_body_or_none['server']
    assert server['description'] == 'd' and server['tags'] == ['a']
    assert server['key_name'] == 'k'
    # A listing reads the tags alone out of the request spec, and an
    # update's answer (the row UPDATE ... RETURNING gave) has them too.
    listed = env.member.get('/servers/detail', version='latest')
    assert [s['tags'] for s in listed.json_body_or_none['servers']] == [['a']]
    assert 'request_spec' not in instances_db.get_all()[0]
    updated = env.member.put('/servers/' + row['uuid'],
                             {'server': {'name': 'renamed'}},
                             version='latest')
    assert updated.json_body_or_none['server']['tags'] == ['a']


def _bfv(env, bdm, **server):
    body = dict({'name': 'bfv', 'flavorRef': '1', 'imageRef': '',
                 'networks': 'none', 'block_device_mapping_v2': [bdm]},
                **server)
    return env.member.post('/servers', {'server': body}, version='2.67')


def _volume(env, status='available', project_id=None):
    from stratus.db import volumes as volumes_db
    return volumes_db.create_request(
        project_id or PROJECT, 'u', 1, 'nova',
        image={'id': env.image_id}) if status == 'creating' else \
        volumes_db.update(volumes_db.create_request(
            project_id or PROJECT, 'u', 1, 'nova',
            image={'id': env.image_id})['id'], {'status': status})


def test_boot_from_image_volume_records_the_mapping_not_the_image(env):
    resp = _bfv(env, {'source_type': 'image', 'destination_type': 'volume',
                      'uuid': env.image_id, 'boot_index': 0,
                      'volume_size': 2, 'delete_on_termination': True})
    assert resp.status_int == 202, resp.body
    row = instances_db.get(resp.json_body_or_none['server']['id'])
    assert row['image_ref'] == ''
    bdm, = row['request_spec']['block_device_mapping']
    assert (bdm['source_type'], bdm['volume_size'], bdm['boot_index'],
            bdm['delete_on_termination']) == ('image', 2, 0, True)
    assert bdm['image']['id'] == env.image_id
    # compute still needs the image's kernel and ramdisk to boot it
    assert row['request_spec']['image']['id'] == env.image_id
    shown = env.member.get('/servers/' + row['uuid'], version='2.67')
    assert shown.json_body_or_none['server']['image'] == ''


def test_boot_from_existing_volume_takes_its_source_image(env):
    vol = _volume(env)
    resp = _bfv(env, {'source_type': 'volume', 'destination_type': 'volume',
                      'uuid': vol['id'], 'boot_index': '0'})
    assert resp.status_int == 202, resp.body
    row = instances_db.get(resp.json_body_or_none['server']['id'])
    bdm, = row['request_spec']['block_device_mapping']
    assert bdm['uuid'] == vol['id'] and bdm['delete_on_termination'] is False
    assert row['request_spec']['image']['id'] == env.image_id


@pytest.mark.parametrize('bdm, message', [
    ({'source_type': 'volume', 'destination_type': 'volume',
      'uuid': '0b6ac5b4-4a0f-4a8c-9e3f-5a2a2b6c4d11', 'boot_index': 0},
     'failed to get volume'),
    ({'source_type': 'blank', 'destination_type': 'local',
      'boot_index': -1, 'volume_size': 1}, 'not supported'),
    ({'source_type': 'image', 'destination_type': 'volume',
      'uuid': '0b6ac5b4-4a0f-4a8c-9e3f-5a2a2b6c4d11', 'boot_index': 0,
      'volume_size': 1}, 'could not be found'),
    ({'source_type': 'volume', 'destination_type': 'volume',
      'boot_index': 0}, 'needs a uuid'),
])
def test_bad_block_device_mappings_are_400(env, bdm, message):
    resp = _bfv(env, bdm, imageRef=env.image_id
                if bdm['source_type'] == 'blank' else '')
    assert resp.status_int == 400, resp.body
    assert message in resp.json_body_or_none['badRequest']['message']
    assert env.member.get('/servers').json_body_or_none['servers'] == []


def test_boot_from_a_volume_in_use_or_of_another_project_is_400(env):
    busy = _volume(env, status='in-use')
    resp = _bfv(env, {'source_type': 'volume', 'destination_type': 'volume',
                      'uuid': busy['id'], 'boot_index': 0})
    assert resp.status_int == 400
    assert "must be 'available'" in \
        resp.json_body_or_none['badRequest']['message']
    other = _volume(env, project_id='another-project')
    resp = _bfv(env, {'source_type': 'volume', 'destination_type': 'volume',
                      'uuid': other['id'], 'boot_index': 0})
    assert resp.status_int == 400
    assert 'failed to get volume' in \
        resp.json_body_or_none['badRequest']['message']


def test_networks_required_from_2_37(env):
    resp = env.member.post('/servers', {'server': {
        'name': 'n', 'imageRef': env.image_id, 'flavorRef': '1'}},
        version='2.37')
    assert resp.status_int == 400
    resp = env.member.post('/servers', {'server': {
        'name': 'n', 'imageRef': env.image_id, 'flavorRef': '1',
        'networks': 'none'}}, version='2.37')
    assert resp.status_int == 202
    row = instances_db.get(resp.json_body_or_none['server']['id'])
    assert row['request_spec']['requested_networks'] == []


BAD_SERVERS = [
    ('name missing', {'imageRef': None, 'flavorRef': '1'}, 400),
    ('name too long', {'name': 'x' * 256}, 400),
    ('name empty', {'name': ''}, 400),
    ('unknown flavor', {'flavorRef': '999'}, 400),
    ('unknown image', {'imageRef': '11111111-2222-3333-4444-555555555555'},
     400),
    ('image not uuid', {'imageRef': 'cirros'}, 400),
    ('image missing', {'imageRef': ''}, 400),
    ('negative min_count', {'min_count': -1}, 400),
    ('zero max_count', {'max_count': 0}, 400),
    ('min over max', {'min_count': 3, 'max_count': 2}, 400),
    ('min_count text', {'min_count': 'many'}, 400),
    ('huge min_count', {'min_count': 10 ** 9}, 403),
    ('metadata not object', {'metadata': ['a']}, 400),
    ('metadata value not string', {'metadata': {'a': 1}}, 400),
    ('metadata key too long', {'metadata': {'k' * 256: 'v'}}, 400),
    ('too many metadata', {'metadata': {'k%d' % i: 'v'
                                        for i in range(129)}}, 403),
    ('bad user_data', {'user_data': '!!notbase64!!'}, 400),
    ('unknown key', {'key_name': 'nope'}, 400),
    ('unknown az', {'availability_zone': 'mars'}, 400),
    ('forced host by member', {'availability_zone': 'nova:h1'}, 403),
    ('bad network uuid', {'networks': [{'uuid': 'nope'}]}, 400),
    ('extra attribute', {'colour': 'blue'}, 400),
    ('security group not object', {'security_groups': ['default']}, 400),
]


@pytest.mark.parametrize('case,override,status', BAD_SERVERS,
                         ids=[c[0] for c in BAD_SERVERS])
def test_create_bad_input(env, case, override, status):
    body = {'name': 'vm', 'imageRef': env.image_id, 'flavorRef': '1'}
    body.update(override)
    body = {k: v for k, v in body.items() if v is not None}
    resp = env.member.post('/servers', {'server': body})
    assert resp.status_int == status, resp.body
    fault = resp.json_body_or_none
    assert list(fault.values())[0]['code'] == status
    assert count_rows(models.Instance) == 0
    assert count_rows(models.InstanceAction) == 0
    assert env.conductor.builds == []


@pytest.mark.parametrize('raw', [b'{not json', b'[]', b'', b'"x"'])
def test_create_malformed_body(env, raw):
    resp = env.member.request('POST', '/v2.1/servers', raw=raw)
    assert resp.status_int == 400
    assert 'badRequest' in resp.json_body_or_none
    assert count_rows(models.Instance) == 0


def test_create_inactive_or_small_image(env):
    queued = make_image(status='queued')
    assert env.boot(imageRef=queued).status_int == 400
    big = make_image(min_ram=4096)
    assert env.boot(imageRef=big).status_int == 400
    private = make_image(owner='p-other', visibility='private')
    assert env.boot(imageRef=private).status_int == 400
    assert count_rows(models.Instance) == 0


def test_quota_exceeded_is_403(env):
    quotas_db.update(PROJECT, {'instances': 1})
    assert env.boot().status_int == 202
    resp = env.boot()
    assert resp.status_int == 403
    assert 'forbidden' in resp.json_body_or_none
    assert count_rows(models.Instance) == 1


def test_list_detail_filters_and_pagination(env):
    ids = [env.boot_ok(name='web-%d' % i) for i in range(5)]
    env.boot_ok(name='db')
    set_instance(ids[0], host='h1', vm_state='active', task_state=None)
    resp = env.member.get('/servers')
    assert resp.status_int == 200 and len(_ids(resp)) == 6
    assert set(resp.json_body_or_none['servers'][0]) == {'id', 'name',
                                                         'links'}
    assert _ids(env.member.get('/servers?name=web')) == ids[::-1]
    assert _ids(env.member.get('/servers?name=^db$'))[0] not in ids
    assert _ids(env.member.get('/servers?status=ACTIVE')) == [ids[0]]
    assert len(_ids(env.member.get('/servers/detail?status=BUILD'))) == 5
    assert _ids(env.member.get('/servers?status=BOGUS')) == []
    assert env.member.get('/servers?status=BOGUS',
                          version='2.38').status_int == 400
    page1 = env.member.get('/servers?limit=4')
    assert len(_ids(page1)) == 4
    next_href = page1.json_body_or_none['servers_links'][0]['href']
    assert 'marker=' + _ids(page1)[-1] in next_href
    page2 = env.member.get('/servers?limit=4&marker=' + _ids(page1)[-1])
    assert len(_ids(page2)) == 2 and 'servers_links' not in \
        page2.json_body_or_none
    assert not set(_ids(page1)) & set(_ids(page2))
    assert env.member.get('/servers?marker=nope').status_int == 400
    assert env.member.get('/servers?limit=-1').status_int == 400
    detail = env.member.get('/servers/detail?limit=1')
    server = detail.json_body_or_none['servers'][0]
    assert server['status'] == 'BUILD'
    assert 'OS-EXT-SRV-ATTR:host' not in server


def test_all_tenants(env):
    mine = env.boot_ok()
    other = env.boot(client=env.other).json_body_or_none['server']['id']
    assert _ids(env.member.get('/servers')) == [mine]
    assert env.member.get('/servers?all_tenants=1').status_int == 403
    everyone = env.admin.get('/servers/detail?all_tenants=1')
    assert set(_ids(everyone)) == {mine, other}
    assert _ids(env.admin.get('/servers')) == []
    only = env.admin.get('/servers?all_tenants=1&project_id=p-other')
    assert _ids(only) == [other]


def test_show_views_by_microversion_and_role(env):
    sid = env.boot_ok()
    set_instance(sid, host='h1', node='h1', vm_state='error',
                 task_state=None, network_info=[{
                     'network': {'label': 'private'},
                     'address': 'fa:16:3e:00:00:01',
                     'ips': [{'address': '10.0.0.5', 'type': 'fixed',
                              'floating_ips': [{'address': '172.24.4.9'}]}]
                 }])
    instances_db.add_fault(sid, 500, 'boom', details='Traceback...')
    old = env.member.get('/servers/' + sid).json_body_or_none['server']
    assert old['status'] == 'ERROR'
    assert old['flavor'] == {'id': '1', 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/flavors/1'}]}
    assert old['fault']['message'] == 'boom' and 'details' not in \
        old['fault']
    assert 'locked' not in old and 'OS-EXT-SRV-ATTR:host' not in old
    addrs = old['addresses']['private']
    assert [(a['addr'], a['OS-EXT-IPS:type']) for a in addrs] == [
        ('10.0.0.5', 'fixed'), ('172.24.4.9', 'floating')]
    assert addrs[0]['OS-EXT-IPS-MAC:mac_addr'] == 'fa:16:3e:00:00:01'
    assert old['hostId'] and old['hostId'] != 'h1'
    new = env.admin.get('/servers/' + sid,
                        version='2.79').json_body_or_none['server']
    assert new['flavor']['original_name'] == 'm1.tiny'
    assert new['fault']['details'] == 'Traceback...'
    assert new['OS-EXT-SRV-ATTR:host'] == 'h1'
    row = instances_db.get(sid)
    assert new['OS-EXT-SRV-ATTR:instance_name'] == \
        'instance-%08x' % row['id']
    assert new['locked'] is False and new['host_status'] == 'UNKNOWN'


def test_isolation_is_404(env):
    sid = env.boot_ok()
    assert env.other.get('/servers/' + sid).status_int == 404
    assert env.other.delete('/servers/' + sid).status_int == 404
    assert env.other.post('/servers/%s/action' % sid,
                          {'os-stop': None}).status_int == 404
    assert env.other.get('/servers/%s/os-instance-actions' %
                         sid).status_int == 404
    assert env.admin.get('/servers/' + sid).status_int == 200
    assert instances_db.get(sid)['task_state'] == 'scheduling'


def test_reader_cannot_delete(env):
    sid = env.boot_ok()
    reader = type(env.member)(env.app, roles='reader')
    assert reader.get('/servers/' + sid).status_int == 200
    assert reader.delete('/servers/' + sid).status_int == 403


def test_delete_without_and_with_host(env):
    first, second = env.boot_ok(), env.boot_ok()
    assert env.member.delete('/servers/' + first).status_int == 204
    assert env.member.get('/servers/' + first).status_int == 404
    assert env.member.delete('/servers/' + first).status_int == 404
    set_instance(second, host='h1', vm_state='active', task_state=None)
    from stratus import servicegroup
    servicegroup.report_service('h1', 'stratus-compute', 'compute')
    assert env.member.delete('/servers/' + second).status_int == 204
    shown = env.member.get('/servers/' + second).json_body_or_none
    assert shown['server']['OS-EXT-STS:task_state'] == 'deleting'
    assert env.compute.casts == [('terminate_instance', 'h1', second)]


def test_update_name(env):
    sid = env.boot_ok()
    resp = env.member.put('/servers/' + sid, {'server': {'name': 'new'}})
    assert resp.status_int == 200
    assert resp.json_body_or_none['server']['name'] == 'new'
    bad = env.member.put('/servers/' + sid, {'server': {'name': ''}})
    assert bad.status_int == 400


def test_admin_name_lookup_falls_back_to_every_project(env):
    other = env.boot(client=env.other, name='theirs').json_body_or_none[
        'server']['id']
    # A member's lookup stays in its project; an admin's empty own-project
    # result widens to all projects, as `openstack server show NAME` needs.
    assert _ids(env.member.get('/servers?name=theirs')) == []
    assert _ids(env.admin.get('/servers/detail?name=theirs')) == [other]
    assert _ids(env.admin.get('/servers?name=nobody')) == []
