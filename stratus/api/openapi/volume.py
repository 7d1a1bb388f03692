"""The block storage API (Cinder v3 subset) as OpenAPI.

Every volume path is served with the project id (as the catalog gives
it) and without (microversion 3.67+), so each is described twice.
"""
from stratus.api.openapi import common
from stratus.api.volume import schemas

Op = common.Operation
_versions = common.wrapped('versions', 'array')
_LIST_FILTERS = [common.LIMIT, common.MARKER, common.query('all_tenants'),
                 common.query('all_projects'), common.query('name'),
                 common.query('status')]


def _volume_operations(prefix):
    vol = common.wrapped('volume')
    return [
        Op('GET', prefix + '/volumes', 'List volumes.',
           result=common.wrapped('volumes', 'array'), params=_LIST_FILTERS),
        Op('POST', prefix + '/volumes', 'Create a volume.', ok=202,
           result=vol, body=schemas.create),
        Op('GET', prefix + '/volumes/detail', 'List volumes with details.',
           result=common.wrapped('volumes', 'array'), params=_LIST_FILTERS),
        Op('GET', prefix + '/volumes/{id}', 'Show a volume.', result=vol),
        Op('DELETE', prefix + '/volumes/{id}', 'Delete a volume.', ok=202),
        Op('POST', prefix + '/volumes/{id}/action',
           'os-extend: grow a volume.', ok=202, body=schemas.extend),
    ]


def operations():
    return [
        common.DESCRIPTION,
        Op('GET', '/', 'The API versions.', ok=300, result=_versions,
           public=True),
        Op('GET', '/v3', 'Version 3.', result=_versions, public=True),
        Op('GET', '/v3/', 'Version 3.', result=_versions, public=True),
        Op('GET', '/v3/{project_id}', 'Version 3.', result=_versions,
           public=True),
        Op('GET', '/v3/{project_id}/', 'Version 3.', result=_versions,
           public=True),
    ] + _volume_operations('/v3') + _volume_operations('/v3/{project_id}')


def build():
    return common.document(
        'Stratus block storage API',
        'The Cinder v3 subset Stratus serves (port [api] volume_port), '
        'microversions 3.0 to 3.71.',
        operations(), common.NOVA_FAULT,
        headers={'microversion': common.microversion_header(
            'volume', r'3\.([0-9]|[1-6][0-9]|7[01])', 'volume 3.71')})
