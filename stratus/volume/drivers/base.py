"""The contract between the volume manager and a storage backend.

Volumes reach a driver as plain dicts (a row of ``volumes``: ``id``,
``size`` in GiB, ``provider_location``, ``disk_format``...). A driver never
opens the database and never calls other daemons; every failure leaves as
``exception.VolumeBackendError`` (or ``Invalid`` for a request that can
never work) and leaves nothing half made behind.
"""
import abc
import json
import subprocess
import uuid

from oslo_log import log as logging

from stratus import conf
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)

GiB = 1024 ** 3


def backend_name(volume):
    """``volume-<uuid>``: the file or LV name, from the checked UUID."""
    try:
        checked = str(uuid.UUID(str(volume['id'])))
    except ValueError:
        raise exception.Invalid(reason='%r is not a volume id' %
                                (volume['id'],))
    return CONF.volume.lv_prefix + checked


def execute(cmd, timeout=600):
    """Run ``cmd`` (a list); its stdout, or VolumeBackendError."""
    LOG.debug('Running %s', cmd)
    try:
        result = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise exception.VolumeBackendError(reason='%s: %s' % (cmd[0], e))
    if result.returncode != 0:
        raise exception.VolumeBackendError(
            reason='%s failed: %s' % (' '.join(cmd[:2]),
                                      (result.stderr or result.stdout)
                                      .strip()[-300:]))
    return result.stdout


def image_virtual_size(path, fmt):
    """Virtual size in bytes of an image file of format ``fmt``."""
    info = json.loads(execute(['qemu-img', 'info', '--output=json', '-f',
                               fmt, path]))
    return int(info['virtual-size'])


class VolumeDriver(abc.ABC):
    """What the volume manager needs from a backend."""

    name = None

    @abc.abstractmethod
    def do_setup(self):
        """Check the backend is usable (folder, volume group); raise
        VolumeBackendError when it is not."""

    @abc.abstractmethod
    def get_stats(self):
        """:returns: ``{'total_gb': float, 'free_gb': float}``."""

    @abc.abstractmethod
    def create_volume(self, volume):
        """Make an empty volume of ``volume['size']`` GiB.

        :returns: model updates: ``provider_location``, ``disk_format``.
        """

    @abc.abstractmethod
    def create_volume_from_image(self, volume, image_path, image_format):
        """Make a volume holding the image at ``image_path`` (``qcow2`` or
        ``raw``), grown to ``volume['size']`` GiB.

        :raises: Invalid when the image is larger than the volume.
        :returns: model updates as ``create_volume``.
        """

    @abc.abstractmethod
    def delete_volume(self, volume):
        """Remove the volume; one that is already gone is not an error."""

    @abc.abstractmethod
    def extend_volume(self, volume, new_size):
        """Grow the volume to ``new_size`` GiB, keeping its data."""

    @abc.abstractmethod
    def initialize_connection(self, volume, connector):
        """:param connector: ``{'host': ...}`` of the compute host.

        :returns: connection_info ``{'driver_volume_type', 'data'}``.
        """

    def terminate_connection(self, volume, connector):
        """Undo ``initialize_connection`` (local volumes: nothing)."""
