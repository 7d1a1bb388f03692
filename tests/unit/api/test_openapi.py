"""The OpenAPI descriptions: current, complete, and valid schemas."""
import json

import jsonschema
import pytest

from stratus.api import auth
from stratus.api import openapi
from stratus.api.compute import router as compute_router
from stratus.api.image import router as image_router
from stratus.api.network import router as network_router
from stratus.api.openapi import common
from stratus.api.openapi import generate
from stratus.api.volume import router as volume_router
from tests.fixtures.http import Http

_ROUTERS = {
    'compute': lambda: compute_router.create_router(auth.authenticate),
    'image': image_router.create_router,
    'volume': lambda: volume_router.create_router(auth.authenticate),
    'network': network_router.create_router,
}
_METHODS = ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')


def _routes(router):
    """{(METHOD, path): public} of everything the router dispatches."""
    found = {}
    for route in router.mapper.matchlist:
        _c, _a, public = router._targets[int(route.defaults['target'])]
        for method in route.conditions['method']:
            found[(method, route.routepath)] = public
    return found


def _described(doc):
    """{(METHOD, path): public} of everything the description lists."""
    return {(method.upper(), path): op.get('security') == []
            for path, item in doc['paths'].items()
            for method, op in item.items() if method in _METHODS}


@pytest.mark.parametrize('name', openapi.NAMES)
def test_stored_description_is_current(name):
    with open(openapi.path_of(name), encoding='utf-8') as f:
        stored = f.read()
    assert stored == generate.render(name), (
        'stratus/api/openapi/%s.json is stale: run python -m '
        'stratus.api.openapi.generate' % name)


@pytest.mark.parametrize('name', openapi.NAMES)
def test_every_route_is_described_and_nothing_else(name):
    served = _routes(_ROUTERS[name]())
    described = _described(openapi.load(name))
    assert sorted(set(served) - set(described)) == []
    assert sorted(set(described) - set(served)) == []
    # Routes that skip the token are exactly those described without one.
    assert served == described


@pytest.mark.parametrize('name', openapi.NAMES)
def test_description_is_well_formed_openapi_3_1(name):
    doc = openapi.load(name)
    assert doc['openapi'] == '3.1.0'
    scheme = doc['components']['securitySchemes'][common.TOKEN_SCHEME]
    assert scheme == {'type': 'apiKey', 'in': 'header',
                      'name': 'X-Auth-Token',
                      'description': scheme['description']}
    ids = []
    for path, item in doc['paths'].items():
        for method, op in item.items():
            ids.append(op['operationId'])
            declared = {p['name'] for p in op.get('parameters', ())
                        if p.get('in') == 'path'}
            assert declared == set(path.replace('}', '{').split('{')[1::2])
            assert op['responses']['default'] == common.FAULT
            schemas = [c['schema'] for c in op.get('requestBody', {}).get(
                'content', {}).values()]
            schemas += [c['schema'] for r in op['responses'].values()
                        for c in r.get('content', {}).values()]
            schemas += [p['schema'] for p in op.get('parameters', ())
                        if 'schema' in p]
            for schema in schemas:
                jsonschema.Draft202012Validator.check_schema(schema)
    assert len(ids) == len(set(ids))
    fault = doc['components']['responses']['fault']['content'][
        'application/json']['schema']
    jsonschema.Draft202012Validator.check_schema(fault)


def test_draft4_bounds_become_2020_12():
    schema = common.json_schema({'type': 'object', 'properties': {
        'rate': {'type': 'number', 'minimum': 0, 'exclusiveMinimum': True},
        'name': {'type': 'string'}}, 'links': [{'rel': 'self'}]})
    assert schema == {'type': 'object', 'properties': {
        'rate': {'type': 'number', 'exclusiveMinimum': 0},
        'name': {'type': 'string'}}}
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({'rate': 0})
    assert validator.is_valid({'rate': 0.5, 'name': 'x'})


@pytest.mark.parametrize('name', openapi.NAMES)
def test_description_is_served_without_a_token(name):
    resp = Http(_ROUTERS[name]())('GET', '/openapi.json')
    assert resp.status_int == 200
    assert resp.content_type == 'application/json'
    assert resp.data == json.loads(generate.render(name))


def test_fault_schema_matches_what_the_routers_answer():
    for name, fault in (('compute', common.NOVA_FAULT),
                        ('network', common.NEUTRON_FAULT)):
        resp = Http(_ROUTERS[name]())('GET', '/no/such/path')
        assert resp.status_int == 404
        jsonschema.validate(resp.data, fault)

