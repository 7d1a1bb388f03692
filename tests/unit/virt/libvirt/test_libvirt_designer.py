"""The designer turns an instance into a domain; outside values stay data."""
import xml.etree.ElementTree as ET

import pytest

from stratus import conf
from stratus import exception
from stratus.virt.libvirt import config
from stratus.virt.libvirt import designer

CONF = conf.CONF
UUID = '2f1b6c8e-6a4e-4a55-9a64-0f3a2b5c7d11'
NS = '{%s}' % config.STRATUS_NS


@pytest.fixture(autouse=True)
def _conf(tmp_path):
    CONF([], project='stratus')
    CONF.set_override('instances_path', str(tmp_path), group='compute')
    CONF.set_override('instance_name_template', 'instance-%08x')
    yield
    CONF.clear_override('instances_path', group='compute')
    CONF.clear_override('instance_name_template')


def _instance(**kw):
    inst = {'id': 10, 'uuid': UUID, 'display_name': 'web-1',
            'memory_mb': 128, 'vcpus': 1, 'root_gb': 1,
            'project_id': 'p1', 'user_id': 'u1',
            'flavor': {'name': 'm1.tiny'}}
    inst.update(kw)
    return inst


def _xml(instance=None, image_meta=None, network_info=(), virt_type='qemu',
         **kw):
    guest = designer.domain_config(
        instance or _instance(), image_meta or {'disk_format': 'qcow2'},
        list(network_info), virt_type, disk_path='/inst/%s/disk' % UUID,
        console_path='/inst/%s/console.log' % UUID, **kw)
    return ET.fromstring(guest.to_xml())


def test_basic_domain():
    dom = _xml()
    assert dom.get('type') == 'qemu'
    assert dom.findtext('name') == 'instance-0000000a'
    assert dom.findtext('uuid') == UUID
    assert dom.findtext('memory') == str(128 * 1024)
    assert dom.findtext('vcpu') == '1'
    assert dom.find('features/acpi') is not None
    disk = dom.find('devices/disk')
    assert disk.find('target').attrib == {'dev': 'vda', 'bus': 'virtio'}
    assert disk.find('driver').get('type') == 'qcow2'
    assert disk.find('source').get('file') == '/inst/%s/disk' % UUID
    serial = dom.find('devices/serial')
    assert serial.get('type') == 'file'
    assert serial.find('source').get('path') == '/inst/%s/console.log' % UUID
    assert dom.find('devices/console/target').get('type') == 'serial'
    assert dom.find('devices/interface') is None
    meta = dom.find('metadata/%sinstance' % NS)
    assert meta.findtext(NS + 'name') == 'web-1'
    assert meta.findtext(NS + 'flavor') == 'm1.tiny'


def test_kvm_domain_type():
    assert _xml(virt_type='kvm').get('type') == 'kvm'
    with pytest.raises(exception.Invalid):
        _xml(virt_type='xen')


def test_kernel_boot_when_image_has_kernel_id():
    dom = _xml(image_meta={'disk_format': 'qcow2', 'kernel_id': 'k',
                           'ramdisk_id': 'r'},
               kernel_path='/cache/k', ramdisk_path='/cache/r')
    assert dom.findtext('os/kernel') == '/cache/k'
    assert dom.findtext('os/initrd') == '/cache/r'
    assert dom.findtext('os/cmdline') == 'console=ttyS0'
    assert dom.find('os/boot') is None


def test_disk_boot_without_kernel_id():
    dom = _xml(image_meta={'disk_format': 'raw'})
    assert dom.find('os/kernel') is None
    assert dom.find('os/boot').get('dev') == 'hd'


def test_kernel_id_without_kernel_file_is_refused():
    with pytest.raises(exception.Invalid):
        _xml(image_meta={'kernel_id': 'k'})


def test_one_bridge_interface_per_vif():
    vifs = [{'address': 'FA:16:3E:00:00:01', 'bridge': 'br100', 'id': 'a'},
            {'address': 'fa:16:3e:00:00:02', 'bridge': 'br101', 'id': 'b'}]
    interfaces = _xml(network_info=vifs).findall('devices/interface')
    assert [(i.get('type'), i.find('mac').get('address'),
             i.find('source').get('bridge'), i.find('model').get('type'))
            for i in interfaces] == [
        ('bridge', 'fa:16:3e:00:00:01', 'br100', 'virtio'),
        ('bridge', 'fa:16:3e:00:00:02', 'br101', 'virtio')]


@pytest.mark.parametrize('vif', [
    {'address': 'fa:16:3e:00:00:01"/><x', 'bridge': 'br100'},
    {'address': 'fa:16:3e:00:00:01', 'bridge': 'br100"><disk'},
    {'address': 'fa:16:3e:00:00:01', 'bridge': 'a-name-far-too-long'},
    {'address': 'fa:16:3e:00:00:01'},
])
def test_bad_vif_is_refused(vif):
    with pytest.raises(exception.Invalid):
        _xml(network_info=[vif])


@pytest.mark.parametrize('name', [
    '</name><devices><disk type="file"><source file="/etc/shadow"/>',
    '../../etc/passwd',
    'evil\x00\x1b[31m\x07name',
])
def test_hostile_display_name_stays_text(name):
    dom = _xml(_instance(display_name=name))
    assert dom.findtext('name') == 'instance-0000000a'
    # Only our own disk; the name reached no path and no element.
    sources = [s.get('file') for s in dom.findall('devices/disk/source')]
    assert sources == ['/inst/%s/disk' % UUID]
    text = dom.find('metadata/%sinstance' % NS).findtext(NS + 'name')
    assert text == designer.xml_text(name)
    assert '\x00' not in text and '\x1b' not in text


def test_hostile_uuid_is_refused():
    with pytest.raises(exception.Invalid):
        _xml(_instance(uuid='../../etc'))


def test_volume_disk():
    disk = designer.volume_config(
        {'driver_volume_type': 'file', 'serial': 'vol-1',
         'data': {'path': '/vols/vol-1', 'format': 'qcow2'}}, '/dev/vdb')
    el = ET.fromstring(disk.to_xml())
    assert el.find('target').attrib == {'dev': 'vdb', 'bus': 'virtio'}
    assert el.find('driver').get('type') == 'qcow2'
    assert el.find('source').get('file') == '/vols/vol-1'
    assert el.findtext('serial') == 'vol-1'


@pytest.mark.parametrize('info,mountpoint', [
    ({'driver_volume_type': 'iscsi', 'data': {'path': '/v'}}, 'vdb'),
    ({'driver_volume_type': 'file', 'data': {'path': 'rel/v'}}, 'vdb'),
    ({'driver_volume_type': 'file', 'data': {'path': '/v/../etc/x'}}, 'vdb'),
    ({'driver_volume_type': 'file',
      'data': {'path': '/v', 'format': 'vmdk'}}, 'vdb'),
    ({'driver_volume_type': 'file', 'data': {'path': '/v'}}, '/dev/sda'),
    ({'driver_volume_type': 'file', 'data': {'path': '/v'}}, 'vdb"/>'),
])
def test_bad_volume_is_refused(info, mountpoint):
    with pytest.raises(exception.Invalid):
        designer.volume_config(info, mountpoint)


def test_volumes_at_boot_follow_the_root_disk():
    dom = _xml(volumes=[({'driver_volume_type': 'file',
                          'data': {'path': '/vols/a', 'format': 'raw'}},
                         '/dev/vdb')])
    assert [d.find('target').get('dev') for d in
            dom.findall('devices/disk')] == ['vda', 'vdb']


def test_backing_format_never_guesses():
    assert designer.backing_format({'disk_format': 'qcow2'}) == 'qcow2'
    assert designer.backing_format({'disk_format': 'ami'}) == 'raw'
    with pytest.raises(exception.Invalid):
        designer.backing_format({'disk_format': 'vmdk'})
