"""Config objects for the libvirt domain XML.

Each class holds the attributes of one XML element and turns them into an
ElementTree element (``format_dom``); the few that the driver must read back
from a live domain (disks) also parse one (``parse_dom``). They make no
decisions: ``designer.py`` chooses every value. Text and attribute values go
through ElementTree, which escapes them, so no value can become markup.
"""
import xml.etree.ElementTree as ET

STRATUS_NS = 'https://stratus.invalid/xmlns/libvirt/instance/1.0'
ET.register_namespace('stratus', STRATUS_NS)


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()
                                          if v is not None})
    if text is not None:
        element.text = str(text)
    return element


class LibvirtConfigObject:
    root_name = None

    def format_dom(self):
        return ET.Element(self.root_name)

    def to_xml(self):
        return ET.tostring(self.format_dom(), encoding='unicode')

    @classmethod
    def parse_str(cls, xml):
        return cls.parse_dom(ET.fromstring(xml))

    @classmethod
    def parse_dom(cls, element):
        raise NotImplementedError(cls.__name__)


class GuestOS(LibvirtConfigObject):
    """``<os>``: machine type plus either a boot device or a kernel."""
    root_name = 'os'

    def __init__(self, os_type='hvm', arch=None, machine=None, kernel=None,
                 initrd=None, cmdline=None, boot_devs=()):
        self.os_type = os_type
        self.arch = arch
        self.machine = machine
        self.kernel = kernel
        self.initrd = initrd
        self.cmdline = cmdline
        self.boot_devs = list(boot_devs)

    def format_dom(self):
        root = super().format_dom()
        _sub(root, 'type', self.os_type, arch=self.arch, machine=self.machine)
        if self.kernel:
            _sub(root, 'kernel', self.kernel)
        if self.initrd:
            _sub(root, 'initrd', self.initrd)
        if self.cmdline:
            _sub(root, 'cmdline', self.cmdline)
        for dev in self.boot_devs:
            _sub(root, 'boot', dev=dev)
        return root


class GuestMetadata(LibvirtConfigObject):
    """``<metadata>`` with Stratus's own namespaced element.

    Only informative (``virsh dumpxml`` shows who owns a guest); the driver
    never reads it back to make a decision.
    """
    root_name = 'metadata'

    def __init__(self, display_name=None, flavor_name=None, project_id=None,
                 user_id=None, created=None):
        self.display_name = display_name
        self.flavor_name = flavor_name
        self.project_id = project_id
        self.user_id = user_id
        self.created = created

    def format_dom(self):
        root = super().format_dom()
        inst = _sub(root, '{%s}instance' % STRATUS_NS)
        for tag, value in (('name', self.display_name),
                           ('flavor', self.flavor_name),
                           ('project', self.project_id),
                           ('user', self.user_id),
                           ('created', self.created)):
            if value is not None:
                _sub(inst, '{%s}%s' % (STRATUS_NS, tag), value)
        return root


class GuestDisk(LibvirtConfigObject):
    """``<disk type='file'>`` backed by a local image file."""
    root_name = 'disk'

    def __init__(self, source_path=None, driver_type='qcow2',
                 target_dev=None, target_bus='virtio', device='disk',
                 driver_name='qemu', driver_cache=None, serial=None,
                 read_only=False, backing_path=None, backing_format=None):
        self.source_path = source_path
        # The overlay's base, named so that libvirt need not open the
        # image files to probe the chain when the domain starts; the chain
        # ends there (an empty <backingStore/>).
        self.backing_path = backing_path
        self.backing_format = backing_format
        self.driver_type = driver_type
        self.target_dev = target_dev
        self.target_bus = target_bus
        self.device = device
        self.driver_name = driver_name
        self.driver_cache = driver_cache
        self.serial = serial
        self.read_only = read_only

    def format_dom(self):
        root = super().format_dom()
        root.set('type', 'file')
        root.set('device', self.device)
        _sub(root, 'driver', name=self.driver_name, type=self.driver_type,
             cache=self.driver_cache)
        _sub(root, 'source', file=self.source_path)
        if self.backing_path:
            backing = _sub(root, 'backingStore', type='file')
            _sub(backing, 'format', type=self.backing_format)
            _sub(backing, 'source', file=self.backing_path)
            _sub(backing, 'backingStore')
        _sub(root, 'target', dev=self.target_dev, bus=self.target_bus)
        if self.serial:
            _sub(root, 'serial', self.serial)
        if self.read_only:
            _sub(root, 'readonly')
        return root

    @classmethod
    def parse_dom(cls, element):
        disk = cls(device=element.get('device', 'disk'))
        driver = element.find('driver')
        if driver is not None:
            disk.driver_name = driver.get('name')
            disk.driver_type = driver.get('type')
            disk.driver_cache = driver.get('cache')
        source = element.find('source')
        if source is not None:
            disk.source_path = source.get('file')
        backing = element.find('backingStore')
        if backing is not None and backing.find('source') is not None:
            disk.backing_path = backing.find('source').get('file')
            fmt = backing.find('format')
            disk.backing_format = fmt.get('type') if fmt is not None \
                else None
        target = element.find('target')
        if target is not None:
            disk.target_dev = target.get('dev')
            disk.target_bus = target.get('bus')
        serial = element.find('serial')
        if serial is not None:
            disk.serial = serial.text
        disk.read_only = element.find('readonly') is not None
        return disk


class GuestInterface(LibvirtConfigObject):
    """``<interface type='bridge'>`` on an existing Linux bridge."""
    root_name = 'interface'

    def __init__(self, mac_address=None, source_bridge=None, model='virtio',
                 target_dev=None, net_type='bridge'):
        self.mac_address = mac_address
        self.source_bridge = source_bridge
        self.model = model
        self.target_dev = target_dev
        self.net_type = net_type

    def format_dom(self):
        root = super().format_dom()
        root.set('type', self.net_type)
        if self.mac_address:
            _sub(root, 'mac', address=self.mac_address)
        _sub(root, 'source', bridge=self.source_bridge)
        if self.target_dev:
            _sub(root, 'target', dev=self.target_dev)
        if self.model:
            _sub(root, 'model', type=self.model)
        return root


class GuestCharDevice(LibvirtConfigObject):
    """``<serial>`` or ``<console>`` writing into a file."""

    def __init__(self, root_name='serial', source_path=None, port=0,
                 target_type=None, char_type='file', append=False):
        self.root_name = root_name
        self.source_path = source_path
        self.append = append
        self.port = port
        self.target_type = target_type
        self.char_type = char_type

    def format_dom(self):
        root = super().format_dom()
        root.set('type', self.char_type)
        _sub(root, 'source', path=self.source_path,
             append='on' if self.append else None)
        _sub(root, 'target', type=self.target_type, port=self.port)
        return root


class GuestDomain(LibvirtConfigObject):
    """``<domain>``: the whole guest definition."""
    root_name = 'domain'

    def __init__(self):
        self.virt_type = 'qemu'
        self.name = None
        self.uuid = None
        self.memory_mb = 128
        self.vcpus = 1
        self.metadata = None
        self.os = GuestOS()
        self.features = []
        self.cpu_mode = None
        self.clock_offset = 'utc'
        self.on_poweroff = 'destroy'
        self.on_reboot = 'restart'
        self.on_crash = 'destroy'
        self.devices = []

    def format_dom(self):
        root = super().format_dom()
        root.set('type', self.virt_type)
        _sub(root, 'name', self.name)
        _sub(root, 'uuid', self.uuid)
        if self.metadata is not None:
            root.append(self.metadata.format_dom())
        _sub(root, 'memory', self.memory_mb * 1024, unit='KiB')
        _sub(root, 'vcpu', self.vcpus)
        root.append(self.os.format_dom())
        if self.features:
            features = _sub(root, 'features')
            for name in self.features:
                _sub(features, name)
        if self.cpu_mode:
            _sub(root, 'cpu', mode=self.cpu_mode)
        _sub(root, 'clock', offset=self.clock_offset)
        _sub(root, 'on_poweroff', self.on_poweroff)
        _sub(root, 'on_reboot', self.on_reboot)
        _sub(root, 'on_crash', self.on_crash)
        devices = _sub(root, 'devices')
        for device in self.devices:
            devices.append(device.format_dom())
        return root


def parse_disks(domain_xml):
    """The ``GuestDisk`` of every file disk in a domain's XML."""
    root = ET.fromstring(domain_xml)
    return [GuestDisk.parse_dom(element)
            for element in root.findall('./devices/disk')]
