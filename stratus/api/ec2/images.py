"""DescribeImages: the image API's images under ``ami-%08x`` ids."""
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import params as p
from stratus.db import ec2 as ec2_db
from stratus.db import images as images_db

# Glance status -> EC2 imageState.
_STATES = {'active': 'available', 'queued': 'pending', 'saving': 'pending',
           'importing': 'pending', 'uploading': 'pending',
           'killed': 'failed', 'deleted': 'deregistered',
           'pending_delete': 'deregistered', 'deactivated': 'disabled'}

_FILTERS = {
    'image-id': lambda i: [i['imageId']],
    'name': lambda i: [i['name']],
    'state': lambda i: [i['imageState']],
    'owner-id': lambda i: [i['imageOwnerId']],
    'is-public': lambda i: ['true' if i['isPublic'] else 'false'],
    'image-type': lambda i: [i['imageType']],
    'architecture': lambda i: [i['architecture']],
}


def view(image, number):
    props = image.get('properties') or {}
    return {
        'imageId': ids.image_ec2_id(number, image.get('disk_format')),
        'imageLocation': props.get('image_location') or
        '%s (%s)' % (image['id'], image.get('name') or ''),
        'imageState': _STATES.get(image['status'], 'pending'),
        'imageOwnerId': image.get('owner') or '',
        'creationDate': image['created_at'],
        'isPublic': image.get('visibility') == 'public',
        'architecture': props.get('architecture') or 'x86_64',
        'imageType': ids.IMAGE_TYPES[ids.image_prefix(
            image.get('disk_format'))],
        'name': image.get('name') or '',
        'description': props.get('description'),
        'rootDeviceType': 'instance-store',
        'rootDeviceName': '/dev/vda',
        'blockDeviceMapping': [],
        'virtualizationType': 'hvm',
        'tagSet': [],
    }


def _owner_check(ctxt, owners):
    if not owners:
        return lambda image: True
    wanted = {ctxt.project_id if o == 'self' else o for o in owners}
    return lambda image: image.get('owner') in wanted


def describe_images(api, ctxt, params):
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    wanted = p.get_list(params, 'ImageId')
    wanted_numbers = [ids.image_number(i) for i in wanted]
    owner_ok = _owner_check(ctxt, p.get_list(params, 'Owner'))
    images = images_db.get_all(ctxt)
    numbers = ec2_db.ec2_ids_for_images(i['id'] for i in images)
    by_number = {numbers[i['id']]: i for i in images if i['id'] in numbers}
    if wanted:
        for ec2_id, number in zip(wanted, wanted_numbers):
            if number not in by_number:
                raise errors.image_not_found(ec2_id)
        chosen = [by_number[n] for n in dict.fromkeys(wanted_numbers)]
    else:
        chosen = [by_number[n] for n in sorted(by_number)]
    items = [view(i, numbers[i['id']]) for i in chosen if owner_ok(i)]
    items = [i for i in items if all(
        any(v in values for v in _FILTERS[name](i))
        for name, values in filters.items())]
    return {'imagesSet': items}
