"""A virt driver that keeps guests in memory: for tests and scale runs.

Named fake on purpose: it boots nothing. It honours the driver contract so
that the compute manager's flows run exactly as with libvirt.
"""
import threading
import time

from stratus import conf
from stratus import exception
from stratus.compute import power_state
from stratus.virt import driver

CONF = conf.CONF


class FakeDriver(driver.ComputeDriver):
    capabilities = {'supports_attach_volume': True}

    def __init__(self, resources=None):
        """:param resources: optional overrides of what
            ``get_available_resource`` reports (``vcpus``, ``memory_mb``,
            ``local_gb``, ``cpu_info``...): hosts of different sizes."""
        super().__init__()
        self.resources = dict(resources or {})
        self._guests = {}
        self._lock = threading.Lock()
        # Tests set this to make the next spawn fail with the given error.
        self.fail_next_spawn = None

    def init_host(self, host):
        self.host = host

    def get_available_resource(self):
        resources = {'vcpus': CONF.compute.fake_vcpus,
                     'memory_mb': CONF.compute.fake_memory_mb,
                     'local_gb': CONF.compute.fake_disk_gb,
                     'hypervisor_type': 'fake', 'hypervisor_version': 1000,
                     'hypervisor_hostname': getattr(self, 'host', None) or
                     CONF.host,
                     'cpu_info': {'arch': 'x86_64', 'model': 'fake'}}
        resources.update(self.resources)
        return resources

    def list_instance_uuids(self):
        with self._lock:
            return list(self._guests)

    def spawn(self, context, instance, image_meta, network_info,
              block_device_info=None):
        error, self.fail_next_spawn = self.fail_next_spawn, None
        if error is not None:
            raise error
        if CONF.compute.fake_spawn_delay:
            time.sleep(CONF.compute.fake_spawn_delay)
        with self._lock:
            self._guests[instance['uuid']] = {
                'name': driver.instance_name(instance),
                'state': power_state.RUNNING,
                'volumes': {bdm['mount_device']: bdm['connection_info']
                            for bdm in (block_device_info or {}).get(
                                'block_device_mapping', ())},
                'console': 'fake console of %s\n' % instance['uuid']}

    def _guest(self, instance):
        try:
            return self._guests[instance['uuid']]
        except KeyError:
            raise exception.InstanceNotFound(instance_id=instance['uuid'])

    def destroy(self, context, instance, network_info,
                block_device_info=None, destroy_disks=True):
        with self._lock:
            self._guests.pop(instance['uuid'], None)

    def reboot(self, context, instance, network_info, reboot_type):
        with self._lock:
            self._guest(instance)['state'] = power_state.RUNNING

    def power_off(self, instance, timeout=0):
        with self._lock:
            self._guest(instance)['state'] = power_state.SHUTDOWN

    def power_on(self, context, instance, network_info,
                 block_device_info=None):
        with self._lock:
            self._guest(instance)['state'] = power_state.RUNNING

    def get_info(self, instance):
        with self._lock:
            guest = self._guest(instance)
            return driver.InstanceInfo(state=guest['state'],
                                       domain=guest['name'])

    def get_console_output(self, context, instance):
        with self._lock:
            return self._guest(instance)['console']

    def attach_volume(self, context, connection_info, instance, mountpoint):
        with self._lock:
            self._guest(instance)['volumes'][mountpoint] = connection_info

    def detach_volume(self, context, connection_info, instance, mountpoint):
        with self._lock:
            self._guest(instance)['volumes'].pop(mountpoint, None)
