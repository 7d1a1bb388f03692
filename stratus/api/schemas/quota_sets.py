"""Request body of PUT /os-quota-sets/{project_id}."""
from stratus.api.schemas import types
from stratus.db import quotas


def update_for(resources):
    props = {name: types.quota_limit for name in resources}
    props['force'] = types.boolean
    return {
        'type': 'object',
        'properties': {
            'quota_set': {'type': 'object', 'properties': props,
                          'additionalProperties': False},
        },
        'required': ['quota_set'],
        'additionalProperties': False,
    }


update = update_for(quotas.DEFAULTS)
