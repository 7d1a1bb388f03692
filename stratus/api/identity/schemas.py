"""Request body schemas of the identity API, and the check that uses them."""
import jsonschema

from stratus import exception

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 64,
         'pattern': r'^[^\x00-\x1f]*\S[^\x00-\x1f]*$'}
_ID_OR_NULL = {'type': ['string', 'null'], 'maxLength': 64}
_TEXT = {'type': ['string', 'null'], 'maxLength': 65535}

project_create = {
    'type': 'object', 'required': ['project'],
    'properties': {'project': {
        'type': 'object', 'required': ['name'],
        'properties': {
            'name': _NAME, 'description': _TEXT, 'enabled': {
                'type': 'boolean'},
            'domain_id': _ID_OR_NULL, 'parent_id': _ID_OR_NULL,
            'is_domain': {'type': 'boolean', 'enum': [False]},
            'tags': {'type': 'array', 'maxItems': 0},
            'options': {'type': 'object'},
        }}},
}

project_update = {
    'type': 'object', 'required': ['project'],
    'properties': {'project': {
        'type': 'object', 'minProperties': 1,
        'properties': {'name': _NAME, 'description': _TEXT,
                       'enabled': {'type': 'boolean'},
                       'tags': {'type': 'array', 'maxItems': 0},
                       'options': {'type': 'object'}}}},
}

_USER_PROPS = {
    'name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'password': {'type': ['string', 'null'], 'maxLength': 4096},
    'enabled': {'type': 'boolean'},
    'domain_id': _ID_OR_NULL, 'default_project_id': _ID_OR_NULL,
    'email': {'type': ['string', 'null'], 'maxLength': 255},
    'description': _TEXT, 'options': {'type': 'object'},
}

user_create = {
    'type': 'object', 'required': ['user'],
    'properties': {'user': {'type': 'object', 'required': ['name'],
                            'properties': _USER_PROPS}},
}

user_update = {
    'type': 'object', 'required': ['user'],
    'properties': {'user': {'type': 'object', 'properties': _USER_PROPS}},
}

role_create = {
    'type': 'object', 'required': ['role'],
    'properties': {'role': {
        'type': 'object', 'required': ['name'],
        'properties': {'name': {'type': 'string', 'minLength': 1,
                                'maxLength': 255},
                       'domain_id': {'type': 'null'},
                       'description': _TEXT,
                       'options': {'type': 'object'}}}},
}


def validate(schema, body):
    """:raises: ValidationError naming the field, never echoing secrets."""
    try:
        jsonschema.Draft7Validator(schema).validate(body)
    except jsonschema.ValidationError as e:
        field = '.'.join(str(p) for p in e.absolute_path) or 'body'
        reason = ('Failed the %r check.' % e.validator
                  if 'password' in field else e.message)
        raise exception.ValidationError(field=field, reason=reason)
