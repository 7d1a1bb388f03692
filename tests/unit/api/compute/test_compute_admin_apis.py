"""os-services, os-hypervisors, os-availability-zone, os-aggregates and
os-server-groups, plus the ``group`` scheduler hint on server create."""
import pytest

from stratus import servicegroup
from stratus.db import compute_nodes
from stratus.db import models
from tests.fixtures import compute_api as fixtures
from tests.fixtures.compute_api import count_rows

env = pytest.fixture(fixtures.compute_env, name='env')

V253 = '2.53'


@pytest.fixture
def hosts(env):
    for host, vcpus in (('h1', 4), ('h2', 8)):
        servicegroup.report_service(host, 'stratus-compute', 'compute')
        compute_nodes.update(host, {
            'vcpus': vcpus, 'memory_mb': 4096, 'local_gb': 50,
            'vcpus_used': 1, 'memory_mb_used': 512, 'local_gb_used': 5,
            'hypervisor_type': 'QEMU', 'hypervisor_version': 7002000,
            'running_vms': 1, 'cpu_info': {'arch': 'x86_64'}})
    servicegroup.report_service('ctl', 'stratus-scheduler', 'scheduler')
    return env


def _service(env, host, binary='stratus-compute'):
    (svc,) = env.admin.get('/os-services?host=%s&binary=%s' % (
        host, binary), version=V253).json_body_or_none['services']
    return svc


@pytest.mark.parametrize('path', [
    '/os-services', '/os-hypervisors', '/os-hypervisors/detail',
    '/os-hypervisors/statistics', '/os-availability-zone/detail',
    '/os-aggregates'])
def test_admin_apis_are_forbidden_to_members(hosts, path):
    resp = hosts.member.get(path)
    assert resp.status_int == 403
    assert resp.json_body_or_none['forbidden']['code'] == 403


def test_service_list_filters_and_zones(hosts):
    services = hosts.admin.get('/os-services').json_body_or_none['services']
    assert {(s['host'], s['zone']) for s in services} == {
        ('h1', 'nova'), ('h2', 'nova'), ('ctl', 'internal')}
    assert all(isinstance(s['id'], int) for s in services)
    assert 'forced_down' not in services[0]
    svc = _service(hosts, 'h1')
    assert svc['state'] == 'up' and svc['status'] == 'enabled'
    assert len(svc['id']) == 36 and svc['forced_down'] is False


def test_service_disable_enable_force_down_253(hosts):
    svc = _service(hosts, 'h2')
    resp = hosts.admin.put('/os-services/%s' % svc['id'], {
        'status': 'disabled', 'disabled_reason': 'maintenance'},
        version=V253)
    assert resp.status_int == 200, resp.body
    body = resp.json_body_or_none['service']
    assert body['status'] == 'disabled'
    assert body['disabled_reason'] == 'maintenance'
    resp = hosts.admin.put('/os-services/%s' % svc['id'],
                           {'forced_down': True}, version=V253)
    assert resp.json_body_or_none['service']['state'] == 'down'
    resp = hosts.admin.put('/os-services/%s' % svc['id'],
                           {'status': 'enabled', 'forced_down': False},
                           version=V253)
    body = resp.json_body_or_none['service']
    assert (body['status'], body['state'], body['disabled_reason']) == (
        'enabled', 'up', None)


@pytest.mark.parametrize('body', [
    {}, {'status': 'enabled', 'disabled_reason': 'x'}, {'status': 'off'},
    {'forced_down': 'maybe'}])
def test_service_update_rejects_bad_bodies(hosts, body):
    svc = _service(hosts, 'h1')
    resp = hosts.admin.put('/os-services/%s' % svc['id'], body,
                           version=V253)
    assert resp.status_int == 400


def test_service_update_of_non_compute_is_400_and_unknown_404(hosts):
    svc = _service(hosts, 'ctl', 'stratus-scheduler')
    assert hosts.admin.put('/os-services/%s' % svc['id'],
                           {'status': 'disabled'},
                           version=V253).status_int == 400
    assert hosts.admin.put('/os-services/%s' % ('0' * 36),
                           {'status': 'disabled'},
                           version=V253).status_int == 404


def test_legacy_service_actions(hosts):
    resp = hosts.admin.put('/os-services/disable-log-reason', {
        'host': 'h1', 'binary': 'stratus-compute',
        'disabled_reason': 'bad disk'})
    assert resp.json_body_or_none == {'service': {
        'host': 'h1', 'binary': 'stratus-compute', 'status': 'disabled',
        'disabled_reason': 'bad disk'}}
    resp = hosts.admin.put('/os-services/enable', {
        'host': 'h1', 'binary': 'stratus-compute'})
    assert resp.json_body_or_none['service']['status'] == 'enabled'
    # force-down needs 2.11; unknown services are 404.
    assert hosts.admin.put('/os-services/force-down', {
        'host': 'h1', 'binary': 'stratus-compute',
        'forced_down': True}).status_int == 404
    resp = hosts.admin.put('/os-services/force-down', {
        'host': 'h1', 'binary': 'stratus-compute', 'forced_down': True},
        version='2.11')
    assert resp.json_body_or_none['service']['forced_down'] is True
    assert hosts.admin.put('/os-services/disable', {
        'host': 'nope', 'binary': 'stratus-compute'}).status_int == 404


def test_hypervisors_list_detail_show_statistics(hosts):
    listed = hosts.admin.get('/os-hypervisors').json_body_or_none
    assert [h['hypervisor_hostname'] for h in listed['hypervisors']] == [
        'h1', 'h2']
    assert set(listed['hypervisors'][0]) == {
        'id', 'hypervisor_hostname', 'state', 'status'}
    detail = hosts.admin.get('/os-hypervisors/detail',
                             version=V253).json_body_or_none
    h2 = detail['hypervisors'][1]
    assert h2['hypervisor_type'] == 'QEMU' and h2['vcpus'] == 8
    assert h2['free_ram_mb'] == 3584 and h2['cpu_info'] == {
        'arch': 'x86_64'}
    shown = hosts.admin.get('/os-hypervisors/%s' % h2['id'],
                            version=V253).json_body_or_none['hypervisor']
    assert shown['service']['host'] == 'h2'
    old = hosts.admin.get('/os-hypervisors/detail').json_body_or_none
    assert old['hypervisors'][0]['cpu_info'] == '{"arch": "x86_64"}'
    stats = hosts.admin.get('/os-hypervisors/statistics').json_body_or_none
    assert stats['hypervisor_statistics']['count'] == 2
    assert stats['hypervisor_statistics']['vcpus'] == 12
    assert stats['hypervisor_statistics']['vcpus_used'] == 2
    assert hosts.admin.get('/os-hypervisors/%s' % ('0' * 36),
                           version=V253).status_int == 404


def test_availability_zones_follow_aggregates(hosts):
    zones = hosts.member.get('/os-availability-zone').json_body_or_none
    assert zones == {'availabilityZoneInfo': [
        {'zoneName': 'nova', 'zoneState': {'available': True},
         'hosts': None}]}
    agg = hosts.admin.post('/os-aggregates', {'aggregate': {
        'name': 'a1', 'availability_zone': 'az1'}}).json_body_or_none
    agg_id = agg['aggregate']['id']
    hosts.admin.post('/os-aggregates/%s/action' % agg_id,
                     {'add_host': {'host': 'h2'}})
    detail = hosts.admin.get('/os-availability-zone/detail')
    zones = {z['zoneName']: z for z in
             detail.json_body_or_none['availabilityZoneInfo']}
    assert set(zones) == {'az1', 'nova', 'internal'}
    assert list(zones['az1']['hosts']) == ['h2']
    assert zones['az1']['hosts']['h2']['stratus-compute']['available']
    assert _service(hosts, 'h2')['zone'] == 'az1'


def test_aggregate_lifecycle_and_errors(hosts):
    admin = hosts.admin
    resp = admin.post('/os-aggregates', {'aggregate': {
        'name': 'rack1', 'availability_zone': 'az1'}}, version='2.41')
    assert resp.status_int == 200
    agg = resp.json_body_or_none['aggregate']
    assert agg['availability_zone'] == 'az1' and len(agg['uuid']) == 36
    assert 'hosts' not in agg
    assert admin.post('/os-aggregates', {'aggregate': {
        'name': 'rack1'}}).status_int == 409
    assert admin.post('/os-aggregates', {'aggregate': {
        'name': ''}}).status_int == 400
    path = '/os-aggregates/%s/action' % agg['id']
    resp = admin.post(path, {'add_host': {'host': 'h1'}})
    assert resp.json_body_or_none['aggregate']['hosts'] == ['h1']
    assert admin.post(path, {'add_host': {'host': 'h1'}}).status_int == 409
    assert admin.post(path, {'add_host': {'host': 'zz'}}).status_int == 404
    resp = admin.post(path, {'set_metadata': {'metadata': {
        'ssd': 'true', 'availability_zone': 'az9'}}})
    body = resp.json_body_or_none['aggregate']
    assert body['metadata'] == {'ssd': 'true', 'availability_zone': 'az9'}
    assert body['availability_zone'] == 'az9'
    # h1 is in az9 now: another aggregate may not put it in az2.
    other = admin.post('/os-aggregates', {'aggregate': {
        'name': 'rack2', 'availability_zone': 'az2'}}).json_body_or_none
    assert admin.post('/os-aggregates/%s/action' % other['aggregate']['id'],
                      {'add_host': {'host': 'h1'}}).status_int == 409
    resp = admin.put('/os-aggregates/%s' % agg['id'],
                     {'aggregate': {'name': 'rack1b'}})
    assert resp.json_body_or_none['aggregate']['name'] == 'rack1b'
    assert admin.delete('/os-aggregates/%s' % agg['id']).status_int == 400
    admin.post(path, {'remove_host': {'host': 'h1'}})
    assert admin.post(path, {'remove_host': {'host': 'h1'}}
                      ).status_int == 404
    assert admin.delete('/os-aggregates/%s' % agg['id']).status_int == 200
    assert admin.get('/os-aggregates/%s' % agg['id']).status_int == 404
    assert count_rows(models.AggregateHost) == 0


def test_server_groups_v21_and_v264(env):
    resp = env.member.post('/os-server-groups', {'server_group': {
        'name': 'g1', 'policies': ['anti-affinity']}})
    assert resp.status_int == 200, resp.body
    old = resp.json_body_or_none['server_group']
    assert old['policies'] == ['anti-affinity'] and old['metadata'] == {}
    resp = env.member.post('/os-server-groups', {'server_group': {
        'name': 'g2', 'policy': 'anti-affinity',
        'rules': {'max_server_per_host': 2}}}, version='2.64')
    new = resp.json_body_or_none['server_group']
    assert new['policy'] == 'anti-affinity' and new['rules'] == {
        'max_server_per_host': 2}
    assert 'policies' not in new
    for body, version in (
            ({'name': 'x', 'policies': ['soft-affinity']}, None),
            ({'name': 'x', 'policies': ['affinity', 'anti-affinity']}, None),
            ({'name': 'x', 'policy': 'affinity',
              'rules': {'max_server_per_host': 2}}, '2.64'),
            ({'name': 'x', 'policies': ['affinity']}, '2.64')):
        assert env.member.post('/os-server-groups', {'server_group': body},
                               version=version).status_int == 400
    listed = env.member.get('/os-server-groups').json_body_or_none
    assert [g['name'] for g in listed['server_groups']] == ['g1', 'g2']
    assert env.other.get('/os-server-groups').json_body_or_none == {
        'server_groups': []}
    assert env.other.get('/os-server-groups/%s' % old['id']
                         ).status_int == 404
    assert env.other.get('/os-server-groups?all_projects=True'
                         ).status_int == 403
    assert len(env.admin.get('/os-server-groups?all_projects=True'
                             ).json_body_or_none['server_groups']) == 2
    assert env.member.delete('/os-server-groups/%s' % old['id']
                             ).status_int == 204
    assert env.member.get('/os-server-groups/%s' % old['id']
                          ).status_int == 404


def test_group_hint_records_members_and_rejects_unknown(env):
    group = env.member.post('/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['affinity']}}).json_body_or_none[
            'server_group']
    resp = env.member.post('/servers', {
        'server': {'name': 'vm', 'imageRef': env.image_id, 'flavorRef': '1',
                   'min_count': 2},
        'os:scheduler_hints': {'group': group['id']}})
    assert resp.status_int == 202, resp.body
    shown = env.member.get('/os-server-groups/%s' % group['id'])
    members = shown.json_body_or_none['server_group']['members']
    assert len(members) == 2
    uuids, spec = env.conductor.builds[-1]
    assert sorted(uuids) == sorted(members)
    assert spec['scheduler_hints'] == {'group': group['id']}
    before = count_rows(models.Instance)
    resp = env.member.post('/servers', {
        'server': {'name': 'vm', 'imageRef': env.image_id, 'flavorRef': '1'},
        'os:scheduler_hints': {'group': '0' * 8 + '-0000-0000-0000-' +
                               '0' * 12}})
    assert resp.status_int == 400
    assert count_rows(models.Instance) == before
