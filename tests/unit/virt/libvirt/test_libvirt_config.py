"""Config classes write the XML their attributes describe, nothing more."""
import xml.etree.ElementTree as ET

from stratus.virt.libvirt import config


def _parse(obj):
    return ET.fromstring(obj.to_xml())


def test_kernel_boot_os():
    os_el = _parse(config.GuestOS(kernel='/k', initrd='/i',
                                  cmdline='console=ttyS0'))
    assert os_el.findtext('type') == 'hvm'
    assert os_el.findtext('kernel') == '/k'
    assert os_el.findtext('initrd') == '/i'
    assert os_el.findtext('cmdline') == 'console=ttyS0'
    assert os_el.find('boot') is None


def test_disk_boot_os():
    os_el = _parse(config.GuestOS(boot_devs=['hd']))
    assert os_el.find('kernel') is None
    assert os_el.find('boot').get('dev') == 'hd'


def test_disk_round_trip():
    disk = config.GuestDisk(source_path='/v/vol', driver_type='raw',
                            target_dev='vdb', driver_cache='none',
                            serial='abc-1')
    el = _parse(disk)
    assert el.get('type') == 'file' and el.get('device') == 'disk'
    assert el.find('driver').attrib == {'name': 'qemu', 'type': 'raw',
                                        'cache': 'none'}
    assert el.find('source').get('file') == '/v/vol'
    assert el.find('target').attrib == {'dev': 'vdb', 'bus': 'virtio'}
    back = config.GuestDisk.parse_dom(el)
    assert (back.source_path, back.driver_type, back.target_dev,
            back.target_bus, back.serial) == ('/v/vol', 'raw', 'vdb',
                                              'virtio', 'abc-1')


def test_overlay_disk_names_its_base_and_ends_the_chain():
    disk = config.GuestDisk(source_path='/i/disk', target_dev='vda',
                            backing_path='/b/base', backing_format='raw')
    el = _parse(disk)
    backing = el.find('backingStore')
    assert backing.get('type') == 'file'
    assert backing.find('format').get('type') == 'raw'
    assert backing.find('source').get('file') == '/b/base'
    # An empty backingStore: the base has no backing file of its own.
    end = backing.find('backingStore')
    assert end is not None and len(end) == 0 and not end.attrib
    back = config.GuestDisk.parse_dom(el)
    assert (back.backing_path, back.backing_format) == ('/b/base', 'raw')
    assert _parse(config.GuestDisk(source_path='/v')).find(
        'backingStore') is None


def test_parse_disks_of_a_domain():
    dom = config.GuestDomain()
    dom.name = 'instance-00000001'
    dom.uuid = '00000000-0000-0000-0000-000000000001'
    dom.devices = [config.GuestDisk(source_path='/a', target_dev='vda'),
                   config.GuestDisk(source_path='/b', target_dev='vdb')]
    disks = config.parse_disks(dom.to_xml())
    assert [(d.source_path, d.target_dev) for d in disks] == [
        ('/a', 'vda'), ('/b', 'vdb')]


def test_bridge_interface():
    el = _parse(config.GuestInterface(mac_address='fa:16:3e:00:00:01',
                                      source_bridge='br100'))
    assert el.get('type') == 'bridge'
    assert el.find('mac').get('address') == 'fa:16:3e:00:00:01'
    assert el.find('source').get('bridge') == 'br100'
    assert el.find('model').get('type') == 'virtio'


def test_file_serial_appends():
    el = _parse(config.GuestCharDevice('serial', source_path='/x/console.log',
                                       target_type='isa-serial',
                                       append=True))
    assert el.tag == 'serial' and el.get('type') == 'file'
    assert el.find('source').attrib == {'path': '/x/console.log',
                                        'append': 'on'}
    assert el.find('target').get('port') == '0'


def test_metadata_text_is_escaped():
    hostile = '</name><devices><disk type="file"/></devices>&'
    el = _parse(config.GuestMetadata(display_name=hostile))
    name = el.find('{%s}instance/{%s}name' % (config.STRATUS_NS,
                                              config.STRATUS_NS))
    assert name.text == hostile
    assert el.find('.//devices') is None


def test_domain_elements():
    dom = config.GuestDomain()
    dom.virt_type, dom.name, dom.uuid = 'kvm', 'instance-0000000a', 'u'
    dom.memory_mb, dom.vcpus, dom.features = 256, 2, ['acpi', 'apic']
    el = _parse(dom)
    assert el.get('type') == 'kvm'
    assert el.findtext('name') == 'instance-0000000a'
    assert el.find('memory').text == str(256 * 1024)
    assert el.find('memory').get('unit') == 'KiB'
    assert el.findtext('vcpu') == '2'
    assert [f.tag for f in el.find('features')] == ['acpi', 'apic']
    assert el.findtext('on_poweroff') == 'destroy'
    assert el.find('devices') is not None
