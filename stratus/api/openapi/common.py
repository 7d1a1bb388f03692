"""Building blocks of the OpenAPI 3.1 descriptions.

Request bodies come from the JSON schemas the controllers validate with
(draft 4), converted to the dialect OpenAPI 3.1 speaks (JSON Schema
2020-12), so that the description cannot drift from the validation.
"""
import copy
import re

OPENAPI_VERSION = '3.1.0'
TOKEN_SCHEME = 'keystoneToken'
FAULT = {'$ref': '#/components/responses/fault'}

# Keywords whose value is a map of subschemas, one subschema, or a list.
_SCHEMA_MAPS = ('properties', 'patternProperties', '$defs', 'definitions')
_SCHEMA_ONE = ('items', 'additionalProperties', 'not', 'contains')
_SCHEMA_LIST = ('oneOf', 'anyOf', 'allOf', 'prefixItems')
# Glance's image schema carries hyper-schema keywords clients read.
_NOT_KEYWORDS = ('links', 'name')


def json_schema(schema):
    """``schema`` (draft 4) as JSON Schema 2020-12, on a copy."""
    schema = copy.deepcopy(schema)
    _convert(schema)
    return schema


def _convert(schema):
    if not isinstance(schema, dict):
        return
    for key in _NOT_KEYWORDS:
        if not isinstance(schema.get(key), dict):
            schema.pop(key, None)
    for bound, limit in (('exclusiveMinimum', 'minimum'),
                         ('exclusiveMaximum', 'maximum')):
        # Draft 4 has a boolean next to the limit; 2020-12 a number.
        if schema.get(bound) is True:
            schema[bound] = schema.pop(limit)
        elif schema.get(bound) is False:
            del schema[bound]
    for key in _SCHEMA_MAPS:
        for sub in (schema.get(key) or {}).values():
            _convert(sub)
    for key in _SCHEMA_ONE:
        _convert(schema.get(key))
    for key in _SCHEMA_LIST:
        for sub in schema.get(key) or ():
            _convert(sub)


def wrapped(key, kind='object'):
    """A response body ``{key: <object or array>}``."""
    inner = {'type': 'object'} if kind == 'object' else \
        {'type': 'array', 'items': {'type': 'object'}}
    return {'type': 'object', 'required': [key],
            'properties': {key: inner}}


def any_of(*schemas):
    return {'anyOf': [json_schema(s) for s in schemas]}


def query(name, schema=None, description=None):
    param = {'name': name, 'in': 'query', 'required': False,
             'schema': schema or {'type': 'string'}}
    if description:
        param['description'] = description
    return param


LIMIT = query('limit', {'type': 'integer', 'minimum': 0},
              'Page size, capped by [api] max_limit.')
MARKER = query('marker', description='Last id of the previous page.')


class Operation:
    """One (method, path) of an API.

    :param ok: success status, or a tuple of them.
    :param result: schema of the success body (None: no body).
    :param empty: the success statuses answered without a body.
    :param body: request body schema (draft 4 is fine), or None.
    :param media_type: of the request body.
    :param result_type: of the success body.
    """

    def __init__(self, method, path, summary, ok=200, result=None,
                 body=None, params=(), public=False, empty=(204,),
                 media_type='application/json',
                 result_type='application/json'):
        self.method, self.path, self.summary = method, path, summary
        self.ok = ok if isinstance(ok, tuple) else (ok,)
        self.result, self.body, self.params = result, body, list(params)
        self.public, self.empty = public, empty
        self.media_type, self.result_type = media_type, result_type

    def render(self, headers):
        op = {'summary': self.summary,
              'operationId': _operation_id(self.method, self.path)}
        params = [{'name': name, 'in': 'path', 'required': True,
                   'schema': {'type': 'string', 'minLength': 1}}
                  for name in re.findall(r'{(\w+)}', self.path)]
        params += [{'$ref': '#/components/parameters/%s' % h}
                   for h in headers] + self.params
        if params:
            op['parameters'] = params
        if self.body is not None:
            op['requestBody'] = {'required': True, 'content': {
                self.media_type: {'schema': json_schema(self.body)}}}
        responses = {}
        for status in self.ok:
            resp = {'description': 'Success.'}
            if self.result is not None and status not in self.empty:
                resp['content'] = {self.result_type: {
                    'schema': json_schema(self.result)}}
            responses[str(status)] = resp
        responses['default'] = FAULT
        op['responses'] = responses
        if self.public:
            op['security'] = []
        return op


def _operation_id(method, path):
    """``GET /v2.1/servers/{id}`` -> ``getV21ServersId``."""
    words = re.findall(r'[A-Za-z0-9]+', path.replace('.', ''))
    name = ''.join(w[:1].upper() + w[1:] for w in words) or 'Root'
    if path.endswith('/') and path != '/':
        name += 'Slash'
    return method.lower() + name


def document(title, description, operations, fault_schema, headers=None):
    """The OpenAPI document of one API.

    :param headers: ``{name: parameter}`` every operation takes (e.g. the
        microversion header), put in ``components.parameters``.
    """
    headers = headers or {}
    paths, ids = {}, {}
    for op in operations:
        item = paths.setdefault(op.path, {})
        method = op.method.lower()
        if method in item:
            raise ValueError('%s %s described twice' % (op.method, op.path))
        item[method] = op.render(sorted(headers))
        ids.setdefault(item[method]['operationId'], []).append(op.path)
    clashes = {k: v for k, v in ids.items() if len(v) > 1}
    if clashes:
        raise ValueError('operation ids clash: %s' % clashes)
    return {
        'openapi': OPENAPI_VERSION,
        'info': {'title': title, 'version': '1.0',
                 'description': description},
        'paths': paths,
        'components': {
            'securitySchemes': {TOKEN_SCHEME: {
                'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token',
                'description': 'A Keystone v3 token '
                               '(POST /v3/auth/tokens).'}},
            'parameters': headers,
            'responses': {'fault': {
                'description': 'An error, as a fault body.',
                'content': {'application/json': {
                    'schema': fault_schema}}}},
        },
        'security': [{TOKEN_SCHEME: []}],
    }


def microversion_header(service_type, pattern, example):
    return {'name': 'OpenStack-API-Version', 'in': 'header',
            'required': False,
            'description': 'The microversion, e.g. "%s"; none means the '
                           'oldest.' % example,
            'schema': {'type': 'string',
                       'pattern': '^%s (%s|latest)$' % (service_type,
                                                        pattern)}}


# {"itemNotFound": {"code": 404, "message": "..."}}: compute, image, volume.
NOVA_FAULT = {
    'type': 'object', 'minProperties': 1, 'maxProperties': 1,
    'additionalProperties': {
        'type': 'object', 'required': ['code', 'message'],
        'properties': {'code': {'type': 'integer'},
                       'message': {'type': 'string'}}},
}

# {"NeutronError": {"type": "HTTPNotFound", "message": "...", "detail": ""}}
NEUTRON_FAULT = {
    'type': 'object', 'required': ['NeutronError'],
    'properties': {'NeutronError': {
        'type': 'object', 'required': ['type', 'message'],
        'properties': {'type': {'type': 'string'},
                       'message': {'type': 'string'},
                       'detail': {'type': 'string'}}}},
}

DESCRIPTION = Operation('GET', '/openapi.json',
                        'This OpenAPI description.', public=True,
                        result={'type': 'object', 'required': ['openapi']})
