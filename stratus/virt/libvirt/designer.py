"""Choices for the guest definition: which devices, which values.

The config classes only know how to write XML; this module decides what goes
into it from the instance, its image, its VIFs and the paths the driver
prepared. It also checks every value that comes from outside (MAC, bridge,
device names, volume paths) before it reaches the XML.
"""
import os
import re

from stratus import exception
from stratus.virt import driver
from stratus.virt.libvirt import config
from stratus.virt.libvirt import paths

DEFAULT_CMDLINE = 'console=ttyS0'
_MAC = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
_BRIDGE = re.compile(r'^[A-Za-z0-9_.-]{1,15}$')
_DEV = re.compile(r'^vd[a-z]{1,2}$')
_SERIAL = re.compile(r'^[A-Za-z0-9-]{1,36}$')
# Characters XML 1.0 cannot carry even escaped: libvirt would reject the
# whole document because of one odd byte in a display name.
_NOT_XML = re.compile('[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd'
                      '\U00010000-\U0010ffff]')
# Image disk formats we back an overlay with; 'ami' is Glance's raw machine
# image. Never probe the format: a raw image could pose as qcow2.
BACKING_FORMATS = {'qcow2': 'qcow2', 'raw': 'raw', 'ami': 'raw',
                   'img': 'raw'}


def xml_text(value, limit=255):
    """``value`` as text ElementTree can escape: no control characters."""
    if value is None:
        return None
    return _NOT_XML.sub('?', str(value))[:limit]


def backing_format(image_meta):
    fmt = (image_meta.get('disk_format') or 'raw').lower()
    try:
        return BACKING_FORMATS[fmt]
    except KeyError:
        raise exception.Invalid(
            reason='disk_format %s cannot back a guest disk' % fmt)


def uses_kernel_boot(image_meta):
    return bool(image_meta.get('kernel_id'))


def interface_config(vif):
    mac = str(vif.get('address', '')).lower()
    bridge = str(vif.get('bridge') or '')
    if not _MAC.match(mac):
        raise exception.Invalid(reason='bad MAC address %r' % mac)
    if not _BRIDGE.match(bridge):
        raise exception.Invalid(reason='bad bridge name %r' % bridge)
    return config.GuestInterface(mac_address=mac, source_bridge=bridge,
                                 model='virtio')


def device_name(mountpoint):
    """'/dev/vdb' or 'vdb' -> 'vdb'; anything else is Invalid."""
    name = os.path.basename(str(mountpoint or ''))
    if not _DEV.match(name):
        raise exception.Invalid(reason='bad device name %r' % mountpoint)
    return name


def volume_config(connection_info, mountpoint):
    """The disk of a file volume (``driver_volume_type`` 'file')."""
    if connection_info.get('driver_volume_type') != 'file':
        raise exception.Invalid(reason='unsupported volume type %r' %
                                connection_info.get('driver_volume_type'))
    data = connection_info.get('data') or {}
    path = str(data.get('path') or '')
    if not os.path.isabs(path) or os.path.normpath(path) != path:
        raise exception.Invalid(reason='bad volume path %r' % path)
    fmt = data.get('format', 'raw')
    if fmt not in ('qcow2', 'raw'):
        raise exception.Invalid(reason='bad volume format %r' % fmt)
    serial = connection_info.get('serial') or data.get('volume_id')
    if serial is not None and not _SERIAL.match(str(serial)):
        serial = None
    # Volumes are shared state: no host page cache, so a detach never
    # leaves writes behind on this host.
    return config.GuestDisk(source_path=path, driver_type=fmt,
                            target_dev=device_name(mountpoint),
                            target_bus='virtio', driver_cache='none',
                            serial=serial)


def _metadata(instance):
    flavor = instance.get('flavor')
    flavor_name = flavor.get('name') if isinstance(flavor, dict) else None
    created = instance.get('created_at')
    return config.GuestMetadata(
        display_name=xml_text(instance.get('display_name')),
        flavor_name=xml_text(flavor_name),
        project_id=xml_text(instance.get('project_id')),
        user_id=xml_text(instance.get('user_id')),
        created=xml_text(created) if created is not None else None)


def _flavor_value(instance, key, default):
    value = instance.get(key)
    if value is None and isinstance(instance.get('flavor'), dict):
        value = instance['flavor'].get(key)
    return int(value if value is not None else default)


def _os_config(image_meta, kernel_path, ramdisk_path):
    if not uses_kernel_boot(image_meta):
        return config.GuestOS(boot_devs=['hd'])
    if not kernel_path:
        raise exception.Invalid(reason='image has kernel_id but no kernel '
                                       'file was prepared')
    cmdline = xml_text(image_meta.get('os_command_line'), limit=1024)
    return config.GuestOS(kernel=kernel_path, initrd=ramdisk_path,
                          cmdline=cmdline or DEFAULT_CMDLINE)


def domain_config(instance, image_meta, network_info, virt_type, disk_path,
                  console_path, kernel_path=None, ramdisk_path=None,
                  volumes=(), backing_path=None):
    """The whole ``GuestDomain`` of an instance.

    :param virt_type: 'qemu' (TCG) or 'kvm'.
    :param disk_path: the image's root disk (vda), or None when a volume
        is the root disk (booted from a volume).
    :param volumes: ``(connection_info, mountpoint)`` pairs to attach at boot.
    :param backing_path: the cached image the root disk overlays.
    """
    if virt_type not in ('qemu', 'kvm'):
        raise exception.Invalid(reason='virt_type %r' % virt_type)
    guest = config.GuestDomain()
    guest.virt_type = virt_type
    guest.name = driver.instance_name(instance)
    guest.uuid = paths.checked_uuid(instance['uuid'])
    guest.memory_mb = _flavor_value(instance, 'memory_mb', 128)
    guest.vcpus = _flavor_value(instance, 'vcpus', 1)
    guest.metadata = _metadata(instance)
    guest.os = _os_config(image_meta, kernel_path, ramdisk_path)
    # ACPI lets power_off and soft reboot ask the guest to shut down.
    guest.features = ['acpi', 'apic']
    if disk_path is not None:
        guest.devices.append(config.GuestDisk(
            source_path=disk_path, driver_type='qcow2', target_dev='vda',
            target_bus='virtio', backing_path=backing_path,
            backing_format=backing_format(image_meta) if backing_path
            else None))
    for connection_info, mountpoint in volumes:
        guest.devices.append(volume_config(connection_info, mountpoint))
    for vif in network_info or ():
        guest.devices.append(interface_config(vif))
    # Appending keeps the log of earlier boots across reboots and stops.
    guest.devices.append(config.GuestCharDevice(
        'serial', source_path=console_path, port=0, target_type='isa-serial',
        append=True))
    guest.devices.append(config.GuestCharDevice(
        'console', source_path=console_path, port=0, target_type='serial',
        append=True))
    return guest
