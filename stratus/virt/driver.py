"""The contract between the compute daemon and a hypervisor.

Instances reach a driver as plain dicts (a row of ``instances`` as the
conductor returns it: ``id``, ``uuid``, ``display_name``, ``vcpus``,
``memory_mb``, ``root_gb``, ``flavor``, ``image_ref``, ``user_data``,
``metadata``...). ``image_meta`` is the image's record from the image API
(``id``, ``disk_format``, ``properties``...). ``network_info`` is the list of
VIF dicts the network daemon returned (may be empty). A driver never opens
the database and never calls other daemons.
"""
import abc
import collections

from stratus import conf

CONF = conf.CONF

InstanceInfo = collections.namedtuple('InstanceInfo', ['state', 'domain'])
"""``state``: a ``stratus.compute.power_state`` value; ``domain``: the
hypervisor's name for the guest."""

# Lifecycle events a driver reports through its listener.
EVENT_STARTED = 'started'
EVENT_STOPPED = 'stopped'
EVENT_PAUSED = 'paused'
EVENT_RESUMED = 'resumed'


def instance_name(instance):
    """The hypervisor-side name (``instance-%08x`` of the integer id)."""
    return CONF.instance_name_template % instance['id']


class ComputeDriver(abc.ABC):
    """What the compute manager needs from a hypervisor."""

    capabilities = {'supports_attach_volume': False}

    def __init__(self):
        self._listener = None

    def register_event_listener(self, callback):
        """Call ``callback(instance_uuid, event)`` on lifecycle changes
        seen outside our own calls (a guest that powered off by itself)."""
        self._listener = callback

    def emit_event(self, instance_uuid, event):
        if self._listener is not None:
            self._listener(instance_uuid, event)

    @abc.abstractmethod
    def init_host(self, host):
        """Connect to the hypervisor; raise if it can't be reached."""

    def cleanup_host(self, host):
        """Release connections at shutdown."""

    @abc.abstractmethod
    def get_available_resource(self):
        """The host's capacity for the resource tracker.

        :returns: dict with ``vcpus``, ``memory_mb``, ``local_gb``,
            ``hypervisor_type``, ``hypervisor_version``,
            ``hypervisor_hostname`` and ``cpu_info`` (a dict).
        """

    @abc.abstractmethod
    def list_instance_uuids(self):
        """UUIDs of the guests this host runs or has defined."""

    def prepare_disks(self, context, instance, image_meta):
        """Start making the root disk ahead of ``spawn`` (which waits for
        it); a driver that can't does nothing. Never raises."""

    @abc.abstractmethod
    def spawn(self, context, instance, image_meta, network_info,
              block_device_info=None):
        """Create the guest and return once it is RUNNING.

        :returns: None, or the spawn's sub-steps as ``[(name, start,
            finish)]`` (UTC datetimes) for the instance's action events.
        :raises: ``exception.RescheduledException`` when another host could
            succeed, ``exception.InstanceBuildTimeout`` when the guest did
            not reach RUNNING in time, any other exception when it failed.
            On any failure no partial guest, disk or definition is left.
        """

    @abc.abstractmethod
    def destroy(self, context, instance, network_info,
                block_device_info=None, destroy_disks=True):
        """Stop and remove the guest; a guest that is already gone is not
        an error."""

    @abc.abstractmethod
    def reboot(self, context, instance, network_info, reboot_type):
        """Reboot; ``reboot_type`` is 'SOFT' (ACPI, hard after a timeout)
        or 'HARD'. Returns once the guest runs again."""

    @abc.abstractmethod
    def power_off(self, instance, timeout=0):
        """Shut down (ACPI for up to ``timeout`` seconds, then force)."""

    @abc.abstractmethod
    def power_on(self, context, instance, network_info,
                 block_device_info=None):
        """Start a defined guest and return once it is RUNNING."""

    @abc.abstractmethod
    def get_info(self, instance):
        """:returns: ``InstanceInfo``.

        :raises: ``exception.InstanceNotFound`` when the guest is unknown.
        """

    @abc.abstractmethod
    def get_console_output(self, context, instance):
        """:returns: the guest's serial console log as text."""

    @abc.abstractmethod
    def attach_volume(self, context, connection_info, instance, mountpoint):
        """Attach a volume live (and persistently) at ``mountpoint``."""

    @abc.abstractmethod
    def detach_volume(self, context, connection_info, instance, mountpoint):
        """Detach a volume live (and persistently)."""

    def get_volume_devices(self, instance):
        """:returns: ``{volume id: device name}`` of the volume disks the
            guest has, or None when the driver can't tell (the compute
            host then leaves volume attachments as recorded).

        :raises: ``exception.InstanceNotFound`` when the guest is unknown.
        """
        return None


def load(name):
    """The driver named by ``[compute] driver``."""
    if name == 'fake':
        from stratus.virt import fake
        return fake.FakeDriver()
    if name == 'libvirt':
        from stratus.virt.libvirt import driver
        return driver.LibvirtDriver()
    raise ValueError('Unknown compute driver %r' % name)
