"""The launch form: POST /servers with what the user picked.

The dashboard checks only what it must to build the request; everything
else is the compute API's call, and its error message is shown next to
the field it is about.
"""
from stratus.api.dashboard import client

FIELDS = ('name', 'image', 'flavor', 'network', 'key_name', 'az', 'count',
          'boot_from_volume', 'volume_size')
# Which form field an API error message is about, first match wins.
MESSAGE_FIELDS = (
    ('flavor', 'flavor'), ('image', 'image'), ('key', 'key_name'),
    ('network', 'network'), ('availability zone', 'az'),
    ('availability_zone', 'az'), ('zone', 'az'), ('count', 'count'),
    ('quota', 'count'), ('volume', 'volume_size'), ('name', 'name'),
)
MAX_COUNT = 100


def field_of(message):
    """The form field an API error message names, else ``form``."""
    text = (message or '').lower()
    for word, field in MESSAGE_FIELDS:
        if word in text:
            return field
    return 'form'


def _choices(cloud):
    """The options of the form's lists; a list an API refuses is empty."""
    def get(service, path, key):
        try:
            return cloud.get(service, path)[key]
        except (client.APIError, KeyError, TypeError):
            return []
    images = [i for i in get('image', '/v2/images?limit=1000', 'images')
              if i.get('status') == 'active' and
              i.get('disk_format') not in ('aki', 'ari')]
    flavors = sorted(get('compute', '/flavors/detail', 'flavors'),
                     key=lambda f: (f.get('ram', 0), f.get('name', '')))
    zones = [z['zoneName'] for z in get('compute', '/os-availability-zone',
                                        'availabilityZoneInfo')
             if (z.get('zoneState') or {}).get('available')]
    return {
        'images': sorted(images, key=lambda i: i.get('name') or ''),
        'flavors': flavors,
        'networks': get('network', '/v2.0/networks', 'networks'),
        'keypairs': [k['keypair'] for k in get('compute', '/os-keypairs',
                                                'keypairs')],
        'zones': zones,
    }


def form(ctx, values=None, errors=None, status=200):
    values = values or {'count': '1', 'network': 'none', 'volume_size': '1'}
    return ctx.render('launch.html', status=status, values=values,
                      errors=errors or {}, **_choices(ctx.cloud))


def _body(values):
    """The POST /servers body, or (None, errors) for what the API could
    not even be asked."""
    errors = {}
    if not values['name']:
        errors['name'] = 'A name is required.'
    if not values['flavor']:
        errors['flavor'] = 'Pick a flavor.'
    if not values['image']:
        errors['image'] = 'Pick an image.'
    try:
        count = int(values['count'] or '1')
        if not 1 <= count <= MAX_COUNT:
            raise ValueError
    except ValueError:
        errors['count'] = 'A whole number from 1 to %d.' % MAX_COUNT
    size = None
    if values['boot_from_volume']:
        try:
            size = int(values['volume_size'])
            if size < 1:
                raise ValueError
        except ValueError:
            errors['volume_size'] = 'A size of at least 1 GB.'
    if errors:
        return None, errors
    server = {'name': values['name'], 'flavorRef': values['flavor'],
              'min_count': count, 'max_count': count}
    if size:
        server['imageRef'] = ''
        server['block_device_mapping_v2'] = [{
            'boot_index': 0, 'uuid': values['image'], 'source_type': 'image',
            'destination_type': 'volume', 'volume_size': size,
            'delete_on_termination': True}]
    else:
        server['imageRef'] = values['image']
    network = values['network'] or 'none'
    server['networks'] = network if network in ('none', 'auto') \
        else [{'uuid': network}]
    if values['key_name']:
        server['key_name'] = values['key_name']
    if values['az']:
        server['availability_zone'] = values['az']
    return {'server': server}, None


def launch(ctx):
    values = {f: ctx.form.get(f, '').strip() for f in FIELDS}
    body, errors = _body(values)
    if errors:
        return form(ctx, values, errors, status=400)
    try:
        ctx.cloud.post('compute', '/servers', body,
                       headers={'OpenStack-API-Version': 'compute 2.47'})
    except client.APIError as e:
        if e.status == 401:
            raise
        return form(ctx, values, {field_of(e.message): e.message},
                    status=e.status if e.status < 500 else 502)
    count = body['server']['min_count']
    return ctx.redirect('/instances', 'Launched %s%s.' % (
        values['name'], ' (%d instances)' % count if count > 1 else ''))
