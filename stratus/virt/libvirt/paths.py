"""Where an instance's files live on this host.

Every path is derived from the instance's UUID after parsing it as a UUID,
never from a name a user chose, so no instance can reach outside its own
folder under ``[compute] instances_path``.
"""
import os
import uuid

from stratus import conf
from stratus import exception

CONF = conf.CONF


def checked_uuid(value):
    """The canonical form of ``value``; Invalid unless it is a UUID."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise exception.Invalid(reason='%r is not a UUID' % (value,))


def instance_dir(instance):
    return os.path.join(CONF.compute.instances_path,
                        checked_uuid(instance['uuid']))


def root_disk(instance):
    return os.path.join(instance_dir(instance), 'disk')


def console_log(instance):
    return os.path.join(instance_dir(instance), 'console.log')
