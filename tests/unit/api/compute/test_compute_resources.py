"""Versions, microversions, flavors, key pairs, limits and quota sets."""
import pytest

from stratus.compute import api as compute_api
from stratus.db import models
from tests.fixtures import compute_api as fixtures
from tests.fixtures.compute_api import PROJECT, USER, count_rows

env = pytest.fixture(fixtures.compute_env, name='env')


def test_version_documents_need_no_token(env):
    resp = env.member.request('GET', '/', headers={'X-No-Auth': '1'})
    assert resp.status_int == 200
    version = resp.json_body_or_none['versions'][0]
    assert version['id'] == 'v2.1' and version['min_version'] == '2.1'
    assert version['version'] == '2.79'
    resp = env.member.request('GET', '/v2.1', headers={'X-No-Auth': '1'})
    assert resp.json_body_or_none['version']['status'] == 'CURRENT'
    assert env.member.request('GET', '/v2.1/servers', headers={
        'X-No-Auth': '1'}).status_int == 401


def test_microversion_negotiation(env):
    resp = env.member.get('/flavors')
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.1'
    resp = env.member.get('/flavors', version='latest')
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.79'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.79'
    resp = env.member.get('/flavors', headers={
        'X-OpenStack-Nova-API-Version': '2.40'})
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.40'
    resp = env.member.get('/flavors', headers={
        'OpenStack-API-Version': 'image 2.5, compute 2.12'})
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.12'
    for bad in ('2.1000', '3.0', '2.0', '1.1'):
        resp = env.member.get('/flavors', version=bad)
        assert resp.status_int == 406, bad
        assert resp.json_body_or_none['computeFault']['code'] == 406
    assert env.member.get('/flavors', version='abc').status_int == 400


def test_unknown_route_and_method(env):
    assert env.member.get('/nothing').status_int == 404
    assert env.member.request('PATCH', '/v2.1/servers').status_int == 405


def test_flavors(env):
    flavors = env.member.get('/flavors').json_body_or_none['flavors']
    assert [f['id'] for f in flavors] == ['1', '2', '3']
    assert set(flavors[0]) == {'id', 'name', 'links'}
    detail = env.member.get('/flavors/detail?minRam=512').json_body_or_none
    assert [f['name'] for f in detail['flavors']] == ['m1.small',
                                                      'm1.medium']
    small = detail['flavors'][0]
    assert small['ram'] == 512 and small['disk'] == 2 and \
        small['swap'] == '' and small['os-flavor-access:is_public']
    assert env.member.get('/flavors/detail?minDisk=5').json_body_or_none[
        'flavors'][0]['id'] == '3'
    assert env.member.get('/flavors?minRam=x').status_int == 400
    page = env.member.get('/flavors?limit=2').json_body_or_none
    assert len(page['flavors']) == 2 and page['flavors_links']
    rest = env.member.get('/flavors?marker=2').json_body_or_none
    assert [f['id'] for f in rest['flavors']] == ['3']
    shown = env.member.get('/flavors/1', version='2.75').json_body_or_none
    assert shown['flavor']['swap'] == 0 and shown['flavor']['vcpus'] == 1
    assert env.member.get('/flavors/99').status_int == 404


def test_flavor_admin_crud(env):
    body = {'flavor': {'name': 'm1.big', 'ram': 2048, 'vcpus': 4,
                       'disk': 20, 'id': '10',
                       'OS-FLV-EXT-DATA:ephemeral': 1,
                       'os-flavor-access:is_public': False}}
    assert env.member.post('/flavors', body).status_int == 403
    resp = env.admin.post('/flavors', body)
    assert resp.status_int == 200
    assert resp.json_body_or_none['flavor']['OS-FLV-EXT-DATA:ephemeral'] \
        == 1
    assert env.admin.post('/flavors', body).status_int == 409
    # Private: hidden from members, listed for admins with is_public=none.
    assert env.member.get('/flavors/10').status_int == 404
    ids = [f['id'] for f in env.admin.get('/flavors?is_public=none')
           .json_body_or_none['flavors']]
    assert '10' in ids
    bad = dict(body['flavor'], name='x', id='11', ram=-1)
    assert env.admin.post('/flavors', {'flavor': bad}).status_int == 400
    auto = env.admin.post('/flavors', {'flavor': {
        'name': 'auto', 'ram': 64, 'vcpus': 1, 'disk': 0}})
    assert len(auto.json_body_or_none['flavor']['id']) == 36
    specs = env.admin.post('/flavors/10/os-extra_specs',
                           {'extra_specs': {'hw:cpu_policy': 'shared'}})
    assert specs.status_int == 200
    assert env.member.post('/flavors/1/os-extra_specs', {
        'extra_specs': {'a': 'b'}}).status_int == 403
    listed = env.admin.get('/flavors/10/os-extra_specs').json_body_or_none
    assert listed == {'extra_specs': {'hw:cpu_policy': 'shared'}}
    assert env.admin.get('/flavors/10/os-extra_specs/hw:cpu_policy') \
        .json_body_or_none == {'hw:cpu_policy': 'shared'}
    shown = env.admin.get('/flavors/10', version='2.61').json_body_or_none
    assert shown['flavor']['extra_specs'] == {'hw:cpu_policy': 'shared'}
    assert env.admin.delete('/flavors/10/os-extra_specs/hw:cpu_policy') \
        .status_int == 202
    assert env.admin.get('/flavors/10/os-extra_specs/hw:cpu_policy') \
        .status_int == 404
    assert env.member.delete('/flavors/10').status_int == 403
    assert env.admin.delete('/flavors/10').status_int == 202
    assert env.admin.get('/flavors/10').status_int == 404
    assert env.admin.delete('/flavors/10').status_int == 404


def test_keypair_generate_import_list_delete(env):
    resp = env.member.post('/os-keypairs', {'keypair': {'name': 'gen'}})
    assert resp.status_int == 200
    generated = resp.json_body_or_none['keypair']
    assert generated['private_key'].startswith('-----BEGIN')
    assert generated['user_id'] == USER and 'type' not in generated
    _, public = compute_api.generate_ssh_keypair()
    resp = env.member.post('/os-keypairs', {'keypair': {
        'name': 'imp', 'public_key': public}}, version='2.2')
    assert resp.status_int == 201
    imported = resp.json_body_or_none['keypair']
    assert imported['type'] == 'ssh' and 'private_key' not in imported
    assert imported['fingerprint'] == compute_api.fingerprint_of(public)
    ed25519 = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8u9c7n5JZ2qkq9n9mC'
               'Pz5Jv2m2mH0+4o5n0QyJ7e3P me@host')
    resp = env.member.post('/os-keypairs', {'keypair': {
        'name': 'ed', 'public_key': ed25519}})
    assert resp.status_int == 200
    listed = env.member.get('/os-keypairs').json_body_or_none['keypairs']
    assert [k['keypair']['name'] for k in listed] == ['ed', 'gen', 'imp']
    shown = env.member.get('/os-keypairs/imp').json_body_or_none['keypair']
    assert shown['public_key'] == public and shown['user_id'] == USER
    assert env.other.get('/os-keypairs/imp').status_int == 404
    assert env.other.get('/os-keypairs').json_body_or_none == \
        {'keypairs': []}
    assert env.member.post('/os-keypairs', {'keypair': {
        'name': 'imp', 'public_key': public}}).status_int == 409
    assert env.member.delete('/os-keypairs/imp').status_int == 202
    assert env.member.delete('/os-keypairs/gen',
                             version='2.2').status_int == 204
    assert env.member.get('/os-keypairs/imp').status_int == 404
    assert env.member.delete('/os-keypairs/imp').status_int == 404
    # the name is free again once deleted
    assert env.member.post('/os-keypairs', {'keypair': {
        'name': 'imp', 'public_key': public}}).status_int == 200


@pytest.mark.parametrize('keypair', [
    {'name': 'bad', 'public_key': 'ssh-rsa AAAA-not-a-key'},
    {'name': 'bad', 'public_key': 'hello'},
    {'name': 'bad!name'},
    {'name': ''},
    {'name': 'x' * 256},
    {'public_key': 'ssh-rsa AAAA'},
    {'name': 'ok', 'type': 'ssh'},          # type needs 2.2
    {'name': 'ok', 'user_id': 'someone'},   # user_id needs 2.10
])
def test_keypair_bad_input(env, keypair):
    resp = env.member.post('/os-keypairs', {'keypair': keypair})
    assert resp.status_int == 400
    assert count_rows(models.KeyPair) == 0


def test_keypair_for_other_user_is_admin_only(env):
    body = {'keypair': {'name': 'k', 'user_id': 'u-other'}}
    assert env.member.post('/os-keypairs', body,
                           version='2.10').status_int == 403
    assert env.admin.post('/os-keypairs', body,
                          version='2.10').status_int == 201
    assert env.other.get('/os-keypairs/k').status_int == 200
    assert env.admin.get('/os-keypairs?user_id=u-other',
                         version='2.10').json_body_or_none[
        'keypairs'][0]['keypair']['name'] == 'k'


def test_keypair_quota(env):
    env.admin.put('/os-quota-sets/' + PROJECT,
                  {'quota_set': {'key_pairs': 1}})
    assert env.member.post('/os-keypairs', {'keypair': {
        'name': 'a'}}).status_int == 200
    assert env.member.post('/os-keypairs', {'keypair': {
        'name': 'b'}}).status_int == 403
    assert count_rows(models.KeyPair) == 1


def test_limits(env):
    env.boot_ok(flavorRef='2')
    absolute = env.member.get('/limits').json_body_or_none['limits'][
        'absolute']
    assert absolute['maxTotalInstances'] == 10
    assert absolute['maxTotalCores'] == 20
    assert absolute['maxTotalRAMSize'] == 51200
    assert absolute['maxTotalKeypairs'] == 100
    assert absolute['totalInstancesUsed'] == 1
    assert absolute['totalCoresUsed'] == 1
    assert absolute['totalRAMUsed'] == 512
    assert 'maxSecurityGroups' in absolute
    new = env.member.get('/limits', version='2.57').json_body_or_none
    assert 'maxSecurityGroups' not in new['limits']['absolute']
    assert 'maxPersonality' not in new['limits']['absolute']


def test_quota_sets(env):
    path = '/os-quota-sets/' + PROJECT
    shown = env.member.get(path).json_body_or_none['quota_set']
    assert shown['id'] == PROJECT and shown['instances'] == 10
    assert shown['key_pairs'] == 100 and 'floating_ips' in shown
    assert 'floating_ips' not in env.member.get(
        path, version='2.36').json_body_or_none['quota_set']
    assert env.member.get('/os-quota-sets/p-other').status_int == 403
    assert env.member.put(path, {'quota_set': {
        'instances': 50}}).status_int == 403
    resp = env.admin.put(path, {'quota_set': {'instances': 2, 'cores': -1}})
    assert resp.status_int == 200
    assert resp.json_body_or_none['quota_set']['instances'] == 2
    assert env.admin.put(path, {'quota_set': {
        'instances': -2}}).status_int == 400
    assert env.admin.put(path, {'quota_set': {
        'bananas': 1}}).status_int == 400
    assert env.admin.put(path, {'quota_set': {'injected_files': 1}},
                         version='2.57').status_int == 400
    defaults = env.member.get(path + '/defaults').json_body_or_none
    assert defaults['quota_set']['instances'] == 10
    env.boot_ok()
    detail = env.member.get(path + '/detail').json_body_or_none
    assert detail['quota_set']['instances'] == {'limit': 2, 'in_use': 1,
                                                'reserved': 0}
    assert env.member.delete(path).status_int == 403
    assert env.admin.delete(path).status_int == 202
    assert env.member.get(path).json_body_or_none['quota_set'][
        'instances'] == 10


def test_keypair_with_a_non_ascii_name_is_found_by_its_url(env):
    # EC2's ImportKeyPair takes any name; the URL carries its UTF-8
    # bytes, percent-encoded.
    from stratus.db import keypairs as keypairs_db
    _, public = compute_api.generate_ssh_keypair()
    keypairs_db.create(PROJECT, USER, 'clé-ß', public,
                       compute_api.fingerprint_of(public), 'ssh')
    shown = env.member.get('/os-keypairs/cl%C3%A9-%C3%9F')
    assert shown.status_int == 200, shown.body
    assert shown.json_body_or_none['keypair']['name'] == 'clé-ß'
    assert env.member.delete('/os-keypairs/cl%C3%A9-%C3%9F').status_int \
        in (202, 204)
    assert env.member.get('/os-keypairs/cl%C3%A9-%C3%9F').status_int == 404
