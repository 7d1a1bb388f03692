"""The image schema: checks what clients write, and is served at
``/v2/schemas/image`` for clients that read it."""
import jsonschema

from stratus import exception

DISK_FORMATS = ('ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2',
                'vdi', 'iso', 'ploop')
CONTAINER_FORMATS = ('ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker',
                     'compressed')
VISIBILITIES = ('public', 'private', 'shared', 'community')
MAX_PROPERTIES = 128

_UUID = ('^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
         '-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$')

# What a client may write: the mutable core attributes, plus string
# properties of its own.
WRITABLE = {
    'id': {'type': 'string', 'pattern': _UUID},
    'name': {'type': ['null', 'string'], 'maxLength': 255},
    'visibility': {'type': 'string', 'enum': list(VISIBILITIES)},
    'protected': {'type': 'boolean'},
    'os_hidden': {'type': 'boolean'},
    'owner': {'type': ['null', 'string'], 'maxLength': 255},
    'disk_format': {'type': ['null', 'string'],
                    'enum': [None] + list(DISK_FORMATS)},
    'container_format': {'type': ['null', 'string'],
                         'enum': [None] + list(CONTAINER_FORMATS)},
    'min_ram': {'type': 'integer', 'minimum': 0},
    'min_disk': {'type': 'integer', 'minimum': 0},
    'tags': {'type': 'array', 'maxItems': 128,
             'items': {'type': 'string', 'maxLength': 255}},
}

IMAGE = {
    'name': 'image', 'type': 'object',
    'properties': dict(WRITABLE, **{
        'status': {'type': 'string', 'readOnly': True, 'enum': [
            'queued', 'saving', 'active', 'killed', 'deleted']},
        'checksum': {'type': ['null', 'string'], 'readOnly': True},
        'os_hash_algo': {'type': ['null', 'string'], 'readOnly': True},
        'os_hash_value': {'type': ['null', 'string'], 'readOnly': True},
        'size': {'type': ['null', 'integer'], 'readOnly': True},
        'virtual_size': {'type': ['null', 'integer'], 'readOnly': True},
        'created_at': {'type': 'string', 'readOnly': True},
        'updated_at': {'type': 'string', 'readOnly': True},
        'self': {'type': 'string', 'readOnly': True},
        'file': {'type': 'string', 'readOnly': True},
        'schema': {'type': 'string', 'readOnly': True},
    }),
    'additionalProperties': {'type': 'string', 'maxLength': 255},
    'maxProperties': len(WRITABLE) + 11 + MAX_PROPERTIES,
    'links': [{'rel': 'self', 'href': '{self}'},
              {'rel': 'enclosure', 'href': '{file}'},
              {'rel': 'describedby', 'href': '{schema}'}],
}

IMAGES = {
    'name': 'images',
    'properties': {'images': {'type': 'array', 'items': IMAGE},
                   'schema': {'type': 'string'}, 'first': {'type': 'string'},
                   'next': {'type': 'string'}},
    'links': [{'rel': 'first', 'href': '{first}'},
              {'rel': 'next', 'href': '{next}'},
              {'rel': 'describedby', 'href': '{schema}'}],
}

_validator = jsonschema.Draft7Validator(IMAGE)


def validate(image):
    """Check an image's client-visible attributes.

    :raises: ValidationError (400).
    """
    error = jsonschema.exceptions.best_match(_validator.iter_errors(image))
    if error is not None:
        field = '.'.join(str(p) for p in error.absolute_path) or 'image'
        raise exception.ValidationError(field=field, reason=error.message)


class SchemasController:

    def image(self, req):
        return IMAGE

    def images(self, req):
        return IMAGES
