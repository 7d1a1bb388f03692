"""Volumes as qcow2 or raw files under ``[volume] volumes_path``.

Exporting is local: compute hosts open the file at the same path, so the
folder is on the compute host itself or on a file system every compute host
mounts at the same place. A truly remote volume host would need an export
(an iSCSI target such as LIO/tgt over the file or LV, or ``qemu-nbd``/NBD
per attachment) and a connection_info type the libvirt driver maps to a
network disk.
"""
import os

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.volume.drivers import base

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class FileDriver(base.VolumeDriver):
    name = 'file'

    def __init__(self, path=None, fmt=None):
        self._path = path
        self._format = fmt

    @property
    def path(self):
        return self._path or CONF.volume.volumes_path

    @property
    def format(self):
        return self._format or CONF.volume.file_format

    def _file(self, volume):
        return os.path.join(self.path, base.backend_name(volume))

    def do_setup(self):
        try:
            os.makedirs(self.path, mode=0o755, exist_ok=True)
            # QEMU (libvirt-qemu) must traverse the folder.
            os.chmod(self.path, 0o755)
        except OSError as e:
            raise exception.VolumeBackendError(reason=str(e))

    def get_stats(self):
        st = os.statvfs(self.path)
        total = st.f_frsize * st.f_blocks / base.GiB
        free = st.f_frsize * st.f_bavail / base.GiB
        if CONF.volume.capacity_gb:
            total = float(CONF.volume.capacity_gb)
            free = min(free, total)
        return {'total_gb': round(total, 2), 'free_gb': round(free, 2)}

    def _updates(self, path):
        os.chmod(path, 0o600)
        return {'provider_location': path, 'disk_format': self.format}

    def create_volume(self, volume):
        path = self._file(volume)
        self._check_space(volume['size'])
        try:
            base.execute(['qemu-img', 'create', '-q', '-f', self.format,
                          path, '%dG' % volume['size']])
            return self._updates(path)
        except Exception:
            self._remove(path)
            raise

    def create_volume_from_image(self, volume, image_path, image_format):
        path = self._file(volume)
        virtual = base.image_virtual_size(image_path, image_format)
        if virtual > volume['size'] * base.GiB:
            raise exception.Invalid(
                reason='the image (%d bytes) is larger than the volume '
                       '(%d GiB)' % (virtual, volume['size']))
        self._check_space(volume['size'])
        try:
            base.execute(['qemu-img', 'convert', '-q', '-f', image_format,
                          '-O', self.format, image_path, path])
            base.execute(['qemu-img', 'resize', '-q', '-f', self.format,
                          path, '%dG' % volume['size']])
            return self._updates(path)
        except Exception:
            self._remove(path)
            raise

    def _check_space(self, size_gb):
        if self.format == 'raw' or CONF.volume.capacity_gb:
            free = self.get_stats()['free_gb']
            if size_gb > free:
                raise exception.VolumeBackendError(
                    reason='not enough space: %d GiB requested, %.1f GiB '
                           'free' % (size_gb, free))

    @staticmethod
    def _remove(path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as e:
            raise exception.VolumeBackendError(reason=str(e))

    def delete_volume(self, volume):
        self._remove(self._file(volume))

    def extend_volume(self, volume, new_size):
        path = self._file(volume)
        if not os.path.exists(path):
            raise exception.VolumeBackendError(reason='%s is missing' % path)
        self._check_space(new_size - volume['size'])
        base.execute(['qemu-img', 'resize', '-q', '-f',
                      volume.get('disk_format') or self.format, path,
                      '%dG' % new_size])

    def initialize_connection(self, volume, connector):
        path = self._file(volume)
        if not os.path.exists(path):
            raise exception.VolumeBackendError(reason='%s is missing' % path)
        return {'driver_volume_type': 'file',
                'data': {'path': path,
                         'format': volume.get('disk_format') or self.format,
                         'volume_id': volume['id']}}
