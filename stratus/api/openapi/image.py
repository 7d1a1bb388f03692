"""The image API (Glance v2 subset) as OpenAPI."""
from stratus.api.image import images
from stratus.api.image import schemas
from stratus.api.openapi import common

Op = common.Operation

_IMAGE = {'type': 'object', 'required': ['id', 'status'],
          'properties': {'id': {'type': 'string'},
                         'status': {'type': 'string'}}}

# What a client may write, plus string properties of its own.
_CREATE = {'type': 'object', 'properties': schemas.WRITABLE,
           'additionalProperties': schemas.IMAGE['additionalProperties']}

_PATCH = {'type': 'array', 'items': {
    'type': 'object',
    'properties': {'op': {'type': 'string',
                          'enum': ['add', 'replace', 'remove']},
                   'path': {'type': 'string', 'pattern': '^/[^/]+$'},
                   'value': {}},
    'required': ['op', 'path']}}

_LIST_FILTERS = [
    common.LIMIT, common.MARKER,
    common.query('sort_key', {'type': 'string', 'enum': list(
        images._SORT_KEYS)}),
    common.query('sort_dir', {'type': 'string', 'enum': ['asc', 'desc']}),
    common.query('visibility', {'type': 'string', 'enum': list(
        schemas.VISIBILITIES) + ['all']}),
    common.query('protected', {'type': 'string', 'enum': ['true', 'false']}),
    common.query('os_hidden', {'type': 'string', 'enum': ['true', 'false']}),
] + [common.query(name) for name in images._FILTERS]


def operations():
    return [
        common.DESCRIPTION,
        Op('GET', '/', 'The API versions.', ok=300,
           result=common.wrapped('versions', 'array'), public=True),
        Op('GET', '/versions', 'The API versions.',
           result=common.wrapped('versions', 'array'), public=True),
        Op('GET', '/v2/images', 'List images.',
           result=common.wrapped('images', 'array'), params=_LIST_FILTERS),
        Op('POST', '/v2/images', 'Create an image record (no data yet).',
           ok=201, result=_IMAGE, body=_CREATE),
        Op('GET', '/v2/images/{image_id}', 'Show an image.',
           result=_IMAGE),
        Op('PATCH', '/v2/images/{image_id}',
           'Update an image with a JSON patch.', result=_IMAGE,
           body=_PATCH, media_type=images.PATCH_TYPES[0]),
        Op('DELETE', '/v2/images/{image_id}', 'Delete an image.', ok=204),
        Op('PUT', '/v2/images/{image_id}/file', 'Upload the image data.',
           ok=204, body={'type': 'string', 'format': 'binary'},
           media_type='application/octet-stream'),
        Op('GET', '/v2/images/{image_id}/file', 'Download the image data '
           '(204 while it has none).', ok=(200, 204),
           result={'type': 'string', 'format': 'binary'},
           result_type='application/octet-stream'),
        Op('GET', '/v2/schemas/image', 'The JSON schema of an image.',
           result={'type': 'object'}),
        Op('GET', '/v2/schemas/images',
           'The JSON schema of an image list.', result={'type': 'object'}),
    ]


def build():
    return common.document(
        'Stratus image API',
        'The Glance v2 subset Stratus serves (port [api] image_port).',
        operations(), common.NOVA_FAULT)
