"""Volumes as logical volumes in ``[volume] volume_group``.

Exporting is local, as for the file driver: the compute host opens
``/dev/<vg>/<lv>`` directly (connection_info type ``block``). A remote
volume host would export the LV over iSCSI (LIO/tgt) or NBD.
"""
import os

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.volume.drivers import base

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class LVMDriver(base.VolumeDriver):
    name = 'lvm'

    def __init__(self, vg=None):
        self._vg = vg

    @property
    def vg(self):
        return self._vg or CONF.volume.volume_group

    def _lv(self, volume):
        return '%s/%s' % (self.vg, base.backend_name(volume))

    def _device(self, volume):
        return '/dev/%s' % self._lv(volume)

    def do_setup(self):
        base.execute(['vgs', '--noheadings', self.vg])

    def get_stats(self):
        out = base.execute(['vgs', '--noheadings', '--units', 'b',
                            '--nosuffix', '-o', 'vg_size,vg_free', self.vg])
        size, free = (int(float(v)) for v in out.split())
        return {'total_gb': round(size / base.GiB, 2),
                'free_gb': round(free / base.GiB, 2)}

    def _lv_exists(self, volume):
        try:
            base.execute(['lvs', '--noheadings', self._lv(volume)])
            return True
        except exception.VolumeBackendError:
            return False

    def create_volume(self, volume):
        free = self.get_stats()['free_gb']
        if volume['size'] > free:
            raise exception.VolumeBackendError(
                reason='not enough space in %s: %d GiB requested, %.1f GiB '
                       'free' % (self.vg, volume['size'], free))
        base.execute(['lvcreate', '-q', '-y', '-Wy', '-Zy', '-L',
                      '%dG' % volume['size'], '-n',
                      base.backend_name(volume), self.vg])
        return {'provider_location': self._device(volume),
                'disk_format': 'raw'}

    def create_volume_from_image(self, volume, image_path, image_format):
        virtual = base.image_virtual_size(image_path, image_format)
        if virtual > volume['size'] * base.GiB:
            raise exception.Invalid(
                reason='the image (%d bytes) is larger than the volume '
                       '(%d GiB)' % (virtual, volume['size']))
        updates = self.create_volume(volume)
        try:
            base.execute(['qemu-img', 'convert', '-q', '-n', '-f',
                          image_format, '-O', 'raw', image_path,
                          self._device(volume)])
        except Exception:
            self.delete_volume(volume)
            raise
        return updates

    def delete_volume(self, volume):
        if not self._lv_exists(volume):
            return
        base.execute(['lvremove', '-q', '-f', self._lv(volume)])

    def extend_volume(self, volume, new_size):
        base.execute(['lvextend', '-q', '-L', '%dG' % new_size,
                      self._lv(volume)])

    def initialize_connection(self, volume, connector):
        device = self._device(volume)
        if not os.path.exists(device):
            raise exception.VolumeBackendError(reason='%s is missing' %
                                               device)
        return {'driver_volume_type': 'block',
                'data': {'device_path': device, 'path': device,
                         'format': 'raw', 'volume_id': volume['id']}}
