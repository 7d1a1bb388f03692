"""Request bodies of /os-keypairs."""

create = {
    'type': 'object',
    'properties': {
        'keypair': {
            'type': 'object',
            'properties': {
                'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': '^[a-zA-Z0-9 _-]+$'},
                'public_key': {'type': 'string', 'minLength': 1,
                               'maxLength': 65535},
                'type': {'type': 'string', 'enum': ['ssh', 'x509']},
                'user_id': {'type': 'string', 'minLength': 1,
                            'maxLength': 64},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['keypair'],
    'additionalProperties': False,
}
