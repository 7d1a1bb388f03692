"""EC2 ids as the reference system made them: ``i-%08x`` from the
instance's integer id; from the image's ``ec2_id``, ``aki-%08x`` for a
kernel, ``ari-%08x`` for a ramdisk and ``ami-%08x`` for a machine image;
``sg-%08x`` from a security group's integer id; ``eipalloc-%08x`` from a
floating IP's.

A volume has only its UUID: ``vol-%08x`` numbers come from the
``ec2_volume_mappings`` table (``stratus.db.ec2.volume_numbers``), and the
volume dicts this API handles carry theirs as ``ec2_number``.
"""
import re

from stratus.api.ec2 import errors

_ID = re.compile(r'^(?P<prefix>[a-z]+)-(?P<hex>[0-9a-f]{1,16})$')


def instance_ec2_id(instance):
    return 'i-%08x' % instance['id']


_IMAGE_PREFIXES = {'aki': 'aki', 'ari': 'ari'}
IMAGE_TYPES = {'aki': 'kernel', 'ari': 'ramdisk', 'ami': 'machine'}


def image_prefix(disk_format):
    return _IMAGE_PREFIXES.get(disk_format, 'ami')


def image_ec2_id(number, disk_format=None):
    return '%s-%08x' % (image_prefix(disk_format), number)


def keypair_ec2_id(keypair):
    return 'key-%08x' % keypair['id']


def _number(ec2_id, prefix):
    match = _ID.match(ec2_id or '')
    if match is None or match.group('prefix') != prefix:
        return None
    return int(match.group('hex'), 16)


def instance_number(ec2_id):
    """:raises: Ec2Error InvalidInstanceID.Malformed."""
    number = _number(ec2_id, 'i')
    if number is None:
        raise errors.malformed_instance_id(ec2_id)
    return number


def image_number(ec2_id):
    """:raises: Ec2Error InvalidAMIID.Malformed."""
    match = _ID.match(ec2_id or '')
    number = None
    if match is not None and match.group('prefix') in IMAGE_TYPES:
        number = int(match.group('hex'), 16)
    if number is None:
        raise errors.malformed_image_id(ec2_id)
    return number


def keypair_number(ec2_id):
    """The key pair's row id, or None for something else."""
    return _number(ec2_id, 'key')


def volume_ec2_id(volume):
    return 'vol-%08x' % volume['ec2_number']


def volume_number(ec2_id):
    """:raises: Ec2Error InvalidVolumeID.Malformed."""
    number = _number(ec2_id, 'vol')
    if number is None:
        raise errors.malformed_volume_id(ec2_id)
    return number


def group_ec2_id(group):
    return 'sg-%08x' % group['id']


def group_number(ec2_id):
    """:raises: Ec2Error InvalidGroupId.Malformed."""
    number = _number(ec2_id, 'sg')
    if number is None:
        raise errors.malformed_group_id(ec2_id)
    return number


def allocation_ec2_id(floating_ip):
    return 'eipalloc-%08x' % floating_ip['id']


def association_ec2_id(floating_ip):
    return 'eipassoc-%08x' % floating_ip['id']


def number_of(ec2_id, prefix):
    """The number in ``prefix-...``, or None for something else."""
    return _number(ec2_id, prefix)
