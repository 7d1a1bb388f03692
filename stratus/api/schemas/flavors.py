"""Request bodies of /flavors and their extra specs."""
from stratus.api.schemas import types

create = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': types.name,
                'id': {'type': ['string', 'null'], 'minLength': 1,
                       'maxLength': 255,
                       'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
                'ram': {'type': ['integer', 'string'],
                        'pattern': '^[0-9]+$', 'minimum': 1,
                        'maximum': 2147483647},
                'vcpus': {'type': ['integer', 'string'],
                          'pattern': '^[0-9]+$', 'minimum': 1,
                          'maximum': 2147483647},
                'disk': {'type': ['integer', 'string'],
                         'pattern': '^[0-9]+$', 'minimum': 0,
                         'maximum': 2147483647},
                'OS-FLV-EXT-DATA:ephemeral': {
                    'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                    'minimum': 0, 'maximum': 2147483647},
                'swap': {'type': ['integer', 'string'],
                         'pattern': '^[0-9]*$', 'minimum': 0,
                         'maximum': 2147483647},
                'rxtx_factor': {'type': ['number', 'string'],
                                'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                'minimum': 0, 'exclusiveMinimum': True},
                'os-flavor-access:is_public': types.boolean,
                'description': types.description,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

extra_specs = {
    'type': 'object',
    'properties': {
        'extra_specs': {
            'type': 'object',
            'patternProperties': {
                '^[a-zA-Z0-9-_:. ]{1,255}$': {
                    'type': ['string', 'number', 'boolean'],
                    'maxLength': 255},
            },
            'additionalProperties': False,
        },
    },
    'required': ['extra_specs'],
    'additionalProperties': False,
}

extra_spec_item = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {
            'type': ['string', 'number', 'boolean'], 'maxLength': 255},
    },
    'additionalProperties': False,
    'minProperties': 1,
    'maxProperties': 1,
}
