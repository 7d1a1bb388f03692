"""Schemathesis fuzz of the compute, image, volume and network APIs from
their own OpenAPI descriptions (issue 9): zero 500s, zero tracebacks.

One in-process cloud for the module (every daemon, kombu+memory, the
fake driver). Before any fuzzing, it is seeded with a set of resources for
each API (a server, a volume, an image, a key pair, a security group, a
floating IP...), so that what one API's fuzz deletes or reconfigures
(quotas, services) leaves the next API's seeds alone.
Schemathesis loads the description from ``GET /openapi.json`` of the WSGI
app and calls the app in-process, with a member's or an admin's token.
Each operation gets a bounded, derandomized number of examples: valid and
invalid input (schemathesis' positive and negative modes), with the path
parameters and the references in bodies (imageRef, volumeId...) generated
or pinned to the seeded resources, so that bodies reach the handlers.
Failures are collected, not shrunk, so that one run reports every 500.
"""
import os
import re

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from stratus import conf
from stratus.api import auth
from stratus.api.compute import router as compute_router
from stratus.api.identity import router as identity_router
from stratus.api.image import images
from stratus.api.image import router as image_router
from stratus.api.network import common as network_common
from stratus.api.network import router as network_router
from stratus.api.volume import router as volume_router
from stratus.db import floating_ips as floating_db
from stratus.db import flavors
from stratus.db import networks as networks_db
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token

CONF = conf.CONF

# Examples per operation (spread over both tokens, both modes, generated
# and pinned path parameters): about 950 requests over the four APIs.
# STRATUS_FUZZ_EXAMPLES=200 makes a deeper local hunt.
EXAMPLES = int(os.environ.get('STRATUS_FUZZ_EXAMPLES', 8))
_SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    phases=[hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck))

# A Python traceback, or an exception's repr (ValueError('...'),
# <sqlalchemy... object at 0x7f...>), in a response body.
_LEAK = re.compile(r'Traceback \(most recent call last\)|File "/[^"]+", '
                   r'line \d+|\b[A-Z]\w*(Error|Exception)\(\\?[\'"]|'
                   r'<[\w.]+ object at 0x[0-9a-f]+>')


def no_traceback_in_body(ctx, response, case):
    """No Python traceback or exception repr in the body."""
    text = response.content.decode('utf-8', 'replace') \
        if response.content else ''
    found = _LEAK.search(text)
    if found:
        raise AssertionError('Python internals in the body: %r (%s)'
                             % (found.group(0), text[:300]))


_CHECKS = [not_a_server_error, no_traceback_in_body]
# 501 is an answer by design (Nova's, for a virt driver without uptime).
_CONFIG = schemathesis.Config.from_dict({'checks': {'not_a_server_error': {
    'expected-statuses': ['2xx', '3xx', '4xx', '501']}}})
# Glance's JSON patch is JSON under its own media type.
schemathesis.serializer.alias(images.PATCH_TYPES[0], 'application/json')


def _token(identity, user, password, project):
    return password_token(identity, user, password, project)[0]


APIS = ('compute', 'image', 'volume', 'network')
_LISTS = {'compute': '/v2.1/servers/detail', 'image': '/v2/images',
          'volume': '/v3/volumes/detail', 'network': '/v2.0/ports'}


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    services.configure(tmp_path_factory.mktemp('fuzz'), overrides={
        ('identity', 'password_hash_rounds'): 1000,
        ('network', 'host_driver'): 'noop',
        ('volume', 'capacity_gb'): 20})
    tokens.invalidate_cache()
    ids = bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.ensure_defaults()
    project = ids['projects']['demo']
    private = networks_db.network_create({
        'label': 'demo-net', 'cidr': '10.79.0.0/24', 'bridge': 'strbr8',
        'project_id': project})
    public = networks_db.network_create({
        'label': 'public', 'cidr': '172.31.79.0/28', 'bridge': 'strpub8',
        'external': True})
    floating_db.create_range('public', public['id'], '172.31.79.0/28',
                             exclude=(public['gateway'],))
    running = services.Cloud(compute_hosts=('compute1',)).start()
    identity = Http(identity_router.create_router())
    tok = {'member': _token(identity, 'demo', 'demo-pw', 'demo'),
           'admin': _token(identity, 'admin', 'admin-pw', 'admin')}
    apps = {'compute': compute_router.create_router(auth.authenticate),
            'image': image_router.create_router(),
            'volume': volume_router.create_router(auth.authenticate),
            'network': network_router.create_router()}
    try:
        seeds = {name: _seed(apps, tok, project, private, public, name)
                 for name in APIS}
        yield seeds, apps, tok
    finally:
        running.stop()
        CONF.clear_override('host_driver', group='network')
        tokens.invalidate_cache()


def _seed(apps, tok, project, private, public, tag):
    """One of each resource, owned by the member: {path name: value}."""
    image = Http(apps['image'], tok['member'])
    image_id = image('POST', '/v2/images', {
        'name': tag, 'disk_format': 'qcow2',
        'container_format': 'bare'}).data['id']
    assert image('PUT', '/v2/images/%s/file' % image_id, raw=b'x' * 512,
                 ctype='application/octet-stream').status_int == 204
    compute = Http(apps['compute'], tok['member'])
    resp = compute('POST', '/v2.1/servers', {'server': {
        'name': tag, 'imageRef': image_id, 'flavorRef': '1',
        'networks': [{'uuid': private['uuid']}]}})
    assert resp.status_int == 202, resp.body
    sid = resp.data['server']['id']
    services.wait_for(lambda: compute('GET', '/v2.1/servers/%s' % sid)
                      .data['server']['status'] == 'ACTIVE',
                      what='the seeded server active')
    key = tag + '-key'
    assert compute('POST', '/v2.1/os-keypairs', {'keypair': {
        'name': key}}).status_int in (200, 201)
    admin = Http(apps['compute'], tok['admin'])
    agg = admin('POST', '/v2.1/os-aggregates', {'aggregate': {
        'name': tag + '-agg'}}).data['aggregate']['id']
    group = compute('POST', '/v2.1/os-server-groups', {'server_group': {
        'name': tag + '-group', 'policies': ['anti-affinity']}}
    ).data['server_group']['id']
    vol = Http(apps['volume'], tok['member'])('POST', '/v3/volumes', {
        'volume': {'size': 1, 'name': tag + '-vol'}})
    assert vol.status_int == 202, vol.body
    net = Http(apps['network'], tok['member'])
    sg = net('POST', '/v2.0/security-groups', {'security_group': {
        'name': tag + '-sg'}}).data['security_group']['id']
    fip = net('POST', '/v2.0/floatingips', {'floatingip': {
        'floating_network_id': public['uuid']}})
    assert fip.status_int == 201, fip.body
    port = net('GET', '/v2.0/ports?device_id=%s' % sid).data['ports'][0]
    rule = [r['id'] for r in net('GET', '/v2.0/security-group-rules').data[
        'security_group_rules'] if r['security_group_id'] == sg][0]
    return {
        'server_id': sid, 'flavor_id': '1', 'project_id': project,
        'image_id': image_id, 'pattern': 'compute1',
        # {id} by the collection it follows
        'servers': sid, 'flavors': '1', 'os-keypairs': key,
        'os-aggregates': str(agg), 'os-server-groups': group,
        'os-volume_attachments': vol.data['volume']['id'],
        'os-hypervisors': '1', 'volumes': vol.data['volume']['id'],
        'networks': private['uuid'], 'ports': port['id'],
        'subnets': network_common.subnet_id(private['uuid']),
        'floatingips': fip.data['floatingip']['id'],
        'security-groups': sg, 'security-group-rules': rule,
        # references inside bodies (_with_refs)
        'imageRef': image_id, 'flavorRef': '1',
        'volumeId': vol.data['volume']['id'],
        'floating_network_id': public['uuid'], 'security_group_id': sg,
        'port_id': port['id'],
    }


_REFS = ('imageRef', 'flavorRef', 'volumeId', 'floating_network_id',
         'security_group_id', 'port_id')


def _with_refs(value, seeds):
    """``value`` with every reference field it has set to a seeded
    resource, so that a generated body gets past the lookups."""
    if isinstance(value, dict):
        return {k: seeds[k] if k in _REFS else _with_refs(v, seeds)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_with_refs(v, seeds) for v in value]
    return value


def _pinned(path, seeds):
    """Path parameters of ``path`` set to the seeded resources."""
    values = {}
    for match in re.finditer(r'([^/{}]+)/{(\w+)}', path):
        collection, name = match.groups()
        value = seeds.get(name) if name != 'id' else seeds.get(collection)
        if value is not None:
            values[name] = value
    return values


def _operations(schema):
    ops = [result.ok() for result in schema.get_all_operations()]
    # Deletions last, so that the pinned resources live as long as can be.
    return sorted(ops, key=lambda op: op.method.upper() == 'DELETE')


def _fuzz(schema, seeds, tok):
    failures, calls = [], [0]
    for op in _operations(schema):
        pinned = _pinned(op.path, seeds)
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(op.as_strategy(generation_mode=mode))
            if pinned:
                strategies.append(op.as_strategy(generation_mode=mode,
                                                 path_parameters=pinned))

        @_SETTINGS
        @hypothesis.given(case=st.one_of(strategies),
                          role=st.sampled_from(sorted(tok)),
                          refs=st.booleans())
        def run(case, role, refs):
            if refs and isinstance(case.body, (dict, list)):
                case.body = _with_refs(case.body, seeds)
            headers = {'X-Auth-Token': tok[role]}
            response = case.call(headers=headers)
            calls[0] += 1
            try:
                case.validate_response(response, checks=_CHECKS,
                                       headers=headers)
            except (Exception, BaseExceptionGroup) as e:
                # A FailureGroup: record it; raising would shrink.
                failures.append('%s %s as %s: %s' % (
                    case.method, case.formatted_path, role,
                    str(e)[:600]))
        run()
    return failures, calls[0]


@pytest.mark.parametrize('name', APIS)
def test_fuzz_gives_no_500_and_no_traceback(cloud, name):
    seeds, apps, tok = cloud
    seeds = seeds[name]
    schema = schemathesis.openapi.from_wsgi('/openapi.json', apps[name],
                                            config=_CONFIG)
    failures, calls = _fuzz(schema, seeds, tok)
    assert failures == [], '%d of %d calls failed:\n%s' % (
        len(failures), calls, '\n'.join(failures[:10]))
    # Each operation was really exercised.
    operations = sum(1 for _ in schema.get_all_operations())
    assert calls >= operations * EXAMPLES // 2, (calls, operations)
    # The cloud still answers.
    resp = Http(apps[name], tok['member'])('GET', _LISTS[name])
    assert resp.status_int == 200, resp.body


def test_leak_check_catches_tracebacks_and_reprs():
    class Body:
        def __init__(self, text):
            self.content = text.encode()
    for text in ('Traceback (most recent call last):\n  File "/x.py", '
                 'line 1, in f', "{'message': \"KeyError('server')\"}",
                 '{"message": "ValueError(\\"bad\\")"}',
                 '<stratus.db.models.Instance object at 0x7f3a2b>'):
        with pytest.raises(AssertionError):
            no_traceback_in_body(None, Body(text), None)
    no_traceback_in_body(None, Body('{"badRequest": {"code": 400, '
                                    '"message": "Invalid input."}}'), None)
