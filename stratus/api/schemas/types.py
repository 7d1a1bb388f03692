"""Building blocks shared by the compute API schemas."""

UUID_PATTERN = ('^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?'
                '[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')

uuid = {'type': 'string', 'pattern': UUID_PATTERN}

# Printable, no leading/trailing blanks (Nova's "name" type).
name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': r'^(?! )[^\x00-\x1f\x7f]*(?<! )$'}

description = {'type': ['string', 'null'], 'minLength': 0,
               'maxLength': 255,
               'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$'}

positive_integer = {
    'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 1,
    'minLength': 1, 'maxLength': 10,
}

non_negative_integer = {
    'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 0,
    'minLength': 1, 'maxLength': 10,
}

quota_limit = {'type': ['integer', 'string'], 'pattern': '^-?[0-9]+$',
               'minimum': -1, 'maximum': 2147483647, 'minLength': 1,
               'maxLength': 11}

boolean = {'type': ['boolean', 'string'],
           'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
                    'YES', 'Yes', 'yes', 'y', 't',
                    False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off',
                    'off', 'NO', 'No', 'no', 'n', 'f']}

metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}


def to_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).lower() in ('true', '1', 'on', 'yes', 'y', 't')
