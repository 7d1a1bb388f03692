"""Request bodies of /servers and /servers/{id}/action."""
import copy

from stratus.api.schemas import types

_network = {
    'type': 'object',
    'properties': {
        'uuid': types.uuid,
        'port': {'oneOf': [types.uuid, {'type': 'null'}]},
        'fixed_ip': {'type': 'string', 'oneOf': [{'format': 'ipv4'},
                                                 {'format': 'ipv6'}]},
        'tag': {'type': 'string', 'maxLength': 60, 'pattern': '^[^,/]*$'},
    },
    'additionalProperties': False,
}

_bdm = {
    'type': 'object',
    'properties': {
        'source_type': {'type': 'string',
                        'enum': ['volume', 'image', 'snapshot', 'blank']},
        'destination_type': {'type': 'string',
                             'enum': ['local', 'volume']},
        'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                 'pattern': '^[a-zA-Z0-9._-]*$'},
        'boot_index': {'type': ['integer', 'string', 'null'],
                       'pattern': '^-?[0-9]+$'},
        'volume_size': {'type': ['integer', 'string', 'null'],
                        'pattern': '^[0-9]+$', 'minimum': 1},
        'delete_on_termination': types.boolean,
        'device_name': {'type': ['string', 'null'], 'maxLength': 255},
        'guest_format': {'type': 'string', 'maxLength': 255},
        'disk_bus': {'type': 'string', 'maxLength': 255},
        'device_type': {'type': 'string', 'maxLength': 255},
        'volume_type': {'type': ['string', 'null'], 'maxLength': 255},
        'no_device': {},
        'tag': {'type': 'string', 'maxLength': 60, 'pattern': '^[^,/]*$'},
    },
    'additionalProperties': False,
}

create = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': types.name,
                'imageRef': {'type': 'string', 'maxLength': 255},
                'flavorRef': {'type': ['string', 'integer'], 'minLength': 1,
                              'maxLength': 255},
                'adminPass': {'type': 'string', 'maxLength': 255},
                'metadata': types.metadata,
                'networks': {'oneOf': [
                    {'type': 'array', 'items': _network},
                    {'type': 'string', 'enum': ['auto', 'none']}]},
                'OS-DCF:diskConfig': {'type': 'string',
                                      'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': {'type': 'string', 'format': 'ipv4'},
                'accessIPv6': {'type': 'string', 'format': 'ipv6'},
                'availability_zone': {'type': 'string', 'minLength': 1,
                                      'maxLength': 255},
                'block_device_mapping_v2': {'type': 'array',
                                            'items': _bdm},
                'config_drive': types.boolean,
                'key_name': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'min_count': types.positive_integer,
                'max_count': types.positive_integer,
                'return_reservation_id': types.boolean,
                'security_groups': {
                    'type': 'array',
                    'items': {'type': 'object',
                              'properties': {'name': {
                                  'type': 'string', 'minLength': 1,
                                  'maxLength': 255}},
                              'required': ['name'],
                              'additionalProperties': False}},
                'user_data': {'type': 'string', 'maxLength': 65535},
                'description': types.description,
                'tags': {'type': 'array', 'maxItems': 50,
                         'items': {'type': 'string', 'minLength': 1,
                                   'maxLength': 60,
                                   'pattern': '^[^,/]*$'}},
                'trusted_image_certificates': {'type': ['array', 'null']},
                'host': {'type': 'string', 'minLength': 1,
                         'maxLength': 255},
                'hypervisor_hostname': {'type': 'string', 'minLength': 1,
                                        'maxLength': 255},
                'personality': {'type': 'array'},
            },
            'required': ['name', 'flavorRef'],
            'additionalProperties': False,
        },
        'os:scheduler_hints': {'type': 'object'},
        'OS-SCH-HNT:scheduler_hints': {'type': 'object'},
    },
    'required': ['server'],
    'additionalProperties': False,
}

# Fields each microversion added or removed (checked in the controller).
CREATE_ADDED = {
    'description': '2.19', 'tags': '2.52',
    'trusted_image_certificates': '2.63', 'host': '2.74',
    'hypervisor_hostname': '2.74',
}
CREATE_REMOVED = {'personality': '2.57'}


def create_for(version_at_least):
    """The create schema of a microversion (``version_at_least('2.x')``)."""
    schema = copy.deepcopy(create)
    props = schema['properties']['server']['properties']
    for field, version in CREATE_ADDED.items():
        if not version_at_least(version):
            del props[field]
    for field, version in CREATE_REMOVED.items():
        if version_at_least(version):
            del props[field]
    if version_at_least('2.37'):
        schema['properties']['server']['required'].append('networks')
    else:
        props['networks'] = {'type': 'array', 'items': _network}
    return schema


update = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': types.name,
                'description': types.description,
                'OS-DCF:diskConfig': {'type': 'string',
                                      'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': {'type': 'string', 'format': 'ipv4'},
                'accessIPv6': {'type': 'string', 'format': 'ipv6'},
            },
            'additionalProperties': False,
        },
    },
    'required': ['server'],
    'additionalProperties': False,
}

reboot = {
    'type': 'object',
    'properties': {
        'reboot': {
            'type': 'object',
            'properties': {
                'type': {'type': 'string',
                         'enum': ['HARD', 'Hard', 'hard',
                                  'SOFT', 'Soft', 'soft']},
            },
            'required': ['type'],
            'additionalProperties': False,
        },
    },
    'required': ['reboot'],
    'additionalProperties': False,
}

stop = {'type': 'object',
        'properties': {'os-stop': {'type': ['object', 'null']}},
        'required': ['os-stop'], 'additionalProperties': False}

start = {'type': 'object',
         'properties': {'os-start': {'type': ['object', 'null']}},
         'required': ['os-start'], 'additionalProperties': False}

console_output = {
    'type': 'object',
    'properties': {
        'os-getConsoleOutput': {
            'type': 'object',
            'properties': {
                'length': {'type': ['integer', 'string', 'null'],
                           'pattern': '^-?[0-9]+$', 'minimum': -1},
            },
            'additionalProperties': False,
        },
    },
    'required': ['os-getConsoleOutput'],
    'additionalProperties': False,
}
