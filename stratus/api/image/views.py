"""JSON shape of an image, as Glance v2 returns it."""

# Attributes with their own column; every other attribute is a property.
CORE = ('id', 'name', 'status', 'visibility', 'protected', 'owner',
        'checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size',
        'min_ram', 'min_disk', 'disk_format', 'container_format', 'tags')
# Shown but never set by a client (id and owner only at create).
READ_ONLY = ('status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size',
             'virtual_size', 'created_at', 'updated_at', 'self', 'file',
             'schema', 'direct_url', 'locations', 'deleted', 'deleted_at')
# Glance keeps os_hidden as a column; here it rides in properties.
HIDDEN_KEY = 'os_hidden'


def timestamp(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def image(values):
    body = {key: values.get(key) for key in CORE}
    body['tags'] = list(values.get('tags') or [])
    props = dict(values.get('properties') or {})
    body[HIDDEN_KEY] = bool(props.pop(HIDDEN_KEY, False))
    for key, value in props.items():
        body.setdefault(key, value)
    body.update({
        'created_at': timestamp(values['created_at']),
        'updated_at': timestamp(values.get('updated_at') or
                                values['created_at']),
        'self': '/v2/images/%s' % values['id'],
        'file': '/v2/images/%s/file' % values['id'],
        'schema': '/v2/schemas/image',
    })
    return body
