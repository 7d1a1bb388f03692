"""JSON schemas of the block storage API request bodies."""
from stratus.api.schemas import types

_size = {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1,
         'maximum': 2147483647, 'minLength': 1, 'maxLength': 10}
_nullable_name = {'type': ['string', 'null'], 'minLength': 0,
                  'maxLength': 255}

create = {
    'type': 'object',
    'properties': {
        'volume': {
            'type': 'object',
            'properties': {
                'size': _size,
                'name': _nullable_name,
                'display_name': _nullable_name,
                'description': types.description,
                'display_description': types.description,
                'availability_zone': {'type': ['string', 'null'],
                                      'maxLength': 255},
                'imageRef': {'type': ['string', 'null']},
                'image_id': {'type': ['string', 'null']},
                'volume_type': {'type': ['string', 'null']},
                'metadata': {'anyOf': [types.metadata, {'type': 'null'}]},
                # Features not served here: only their absence is valid.
                'snapshot_id': {'type': 'null'},
                'source_volid': {'type': 'null'},
                'backup_id': {'type': 'null'},
                'consistencygroup_id': {'type': 'null'},
                'group_id': {'type': 'null'},
                'scheduler_hints': {'type': ['object', 'null']},
                'multiattach': {'enum': [False, 'false', 'False', None]},
            },
            'required': ['size'],
            'additionalProperties': False,
        },
        'OS-SCH-HNT:scheduler_hints': {'type': ['object', 'null']},
    },
    'required': ['volume'],
    'additionalProperties': False,
}

extend = {
    'type': 'object',
    'properties': {
        'os-extend': {
            'type': 'object',
            'properties': {'new_size': _size},
            'required': ['new_size'],
            'additionalProperties': False,
        },
    },
    'required': ['os-extend'],
    'additionalProperties': False,
}

attach = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': types.uuid,
                'device': {'type': ['string', 'null'],
                           'pattern': '(^/dev/x{0,1}[a-z]{0,1}d{0,1})'
                                      '([a-z]+)[0-9]*$'},
                'tag': {'type': 'string', 'maxLength': 60},
                'delete_on_termination': types.boolean,
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}
