"""The file driver against a temporary folder with the real qemu-img, and
the lvm driver against a volume group on a loop device the test creates
and removes."""
import json
import os
import subprocess
import uuid

import pytest

from stratus import exception
from stratus.volume.drivers import file as file_driver
from stratus.volume.drivers import lvm

GiB = 1024 ** 3


def _info(path, fmt):
    return json.loads(subprocess.run(
        ['qemu-img', 'info', '--output=json', '-f', fmt, path],
        check=True, capture_output=True, text=True).stdout)


def _volume(size=1):
    return {'id': str(uuid.uuid4()), 'size': size, 'disk_format': None}


@pytest.mark.parametrize('fmt', ['qcow2', 'raw'])
def test_file_create_extend_connect_delete(tmp_path, fmt):
    driver = file_driver.FileDriver(str(tmp_path / 'vols'), fmt)
    driver.do_setup()
    volume = _volume()
    updates = driver.create_volume(volume)
    path = str(tmp_path / 'vols' / ('volume-' + volume['id']))
    assert updates == {'provider_location': path, 'disk_format': fmt}
    assert _info(path, fmt)['virtual-size'] == GiB
    assert os.stat(path).st_mode & 0o777 == 0o600
    volume.update(updates)
    driver.extend_volume(volume, 2)
    assert _info(path, fmt)['virtual-size'] == 2 * GiB
    info = driver.initialize_connection(volume, {'host': 'c1'})
    assert info == {'driver_volume_type': 'file',
                    'data': {'path': path, 'format': fmt,
                             'volume_id': volume['id']}}
    driver.delete_volume(volume)
    assert not os.path.exists(path)
    driver.delete_volume(volume)  # already gone: not an error
    with pytest.raises(exception.VolumeBackendError):
        driver.initialize_connection(volume, {'host': 'c1'})


def test_file_from_image_and_too_small(tmp_path):
    image = str(tmp_path / 'image.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', image, '64M'],
                   check=True)
    driver = file_driver.FileDriver(str(tmp_path / 'vols'), 'qcow2')
    driver.do_setup()
    volume = _volume(size=1)
    updates = driver.create_volume_from_image(volume, image, 'qcow2')
    assert _info(updates['provider_location'], 'qcow2')['virtual-size'] == \
        GiB
    big = str(tmp_path / 'big.raw')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'raw', big, '2G'],
                   check=True)
    other = _volume(size=1)
    with pytest.raises(exception.Invalid):
        driver.create_volume_from_image(other, big, 'raw')
    assert os.listdir(str(tmp_path / 'vols')) == [
        'volume-' + volume['id']]


def test_file_no_space_leaves_nothing(tmp_path, flags):
    flags(group='volume', capacity_gb=2)
    driver = file_driver.FileDriver(str(tmp_path), 'qcow2')
    driver.do_setup()
    assert driver.get_stats()['total_gb'] == 2.0
    with pytest.raises(exception.VolumeBackendError, match='not enough'):
        driver.create_volume(_volume(size=3))
    assert os.listdir(str(tmp_path)) == []


def test_backend_name_refuses_non_uuids(tmp_path):
    driver = file_driver.FileDriver(str(tmp_path), 'qcow2')
    with pytest.raises(exception.Invalid):
        driver.create_volume({'id': '../../etc/passwd', 'size': 1})


@pytest.fixture
def volume_group(tmp_path):
    name = 'stratus-test-%d' % os.getpid()
    backing = str(tmp_path / 'pv.img')
    with open(backing, 'wb') as f:
        f.truncate(2100 * 1024 * 1024)  # sparse
    loop = subprocess.run(['losetup', '--show', '-f', backing], check=True,
                          capture_output=True, text=True).stdout.strip()
    try:
        subprocess.run(['vgcreate', '-q', name, loop], check=True,
                       capture_output=True)
        yield name
    finally:
        subprocess.run(['vgremove', '-q', '-f', name], capture_output=True)
        subprocess.run(['pvremove', '-q', '-f', loop], capture_output=True)
        subprocess.run(['losetup', '-d', loop], capture_output=True)


def test_lvm_stats_from_a_real_volume_group(volume_group):
    # This kernel has no device-mapper, so LVs can't be activated here:
    # the real group checks setup and capacity (metadata only).
    driver = lvm.LVMDriver(volume_group)
    driver.do_setup()
    stats = driver.get_stats()
    assert 2.0 <= stats['total_gb'] < 2.1
    assert stats['free_gb'] == stats['total_gb']
    with pytest.raises(exception.VolumeBackendError):
        lvm.LVMDriver(volume_group + '-missing').do_setup()


class _Recorder:
    def __init__(self, free_bytes=10 * GiB, lv_exists=True):
        self.calls = []
        self.free_bytes = free_bytes
        self.lv_exists = lv_exists

    def __call__(self, cmd, timeout=600):
        self.calls.append(cmd)
        if cmd[0] == 'vgs':
            return '  %d %d\n' % (20 * GiB, self.free_bytes)
        if cmd[0] == 'lvs' and not self.lv_exists:
            raise exception.VolumeBackendError(reason='no such LV')
        if cmd[0] == 'qemu-img' and cmd[1] == 'info':
            return json.dumps({'virtual-size': 64 * 1024 ** 2})
        return ''


def test_lvm_commands(monkeypatch):
    from stratus.volume.drivers import base
    rec = _Recorder()
    monkeypatch.setattr(base, 'execute', rec)
    driver = lvm.LVMDriver('vg0')
    volume = _volume(size=1)
    lv = 'volume-' + volume['id']
    updates = driver.create_volume_from_image(volume, '/img', 'qcow2')
    assert updates == {'provider_location': '/dev/vg0/' + lv,
                       'disk_format': 'raw'}
    assert ['lvcreate', '-q', '-y', '-Wy', '-Zy', '-L', '1G', '-n', lv,
            'vg0'] in rec.calls
    assert rec.calls[-1] == ['qemu-img', 'convert', '-q', '-n', '-f',
                             'qcow2', '-O', 'raw', '/img', '/dev/vg0/' + lv]
    driver.extend_volume(volume, 3)
    assert rec.calls[-1] == ['lvextend', '-q', '-L', '3G', 'vg0/' + lv]
    driver.delete_volume(volume)
    assert rec.calls[-1] == ['lvremove', '-q', '-f', 'vg0/' + lv]
    rec.lv_exists = False
    rec.calls = []
    driver.delete_volume(volume)
    assert [c[0] for c in rec.calls] == ['lvs']


def test_lvm_no_space_creates_nothing(monkeypatch):
    from stratus.volume.drivers import base
    rec = _Recorder(free_bytes=GiB // 2)
    monkeypatch.setattr(base, 'execute', rec)
    with pytest.raises(exception.VolumeBackendError, match='not enough'):
        lvm.LVMDriver('vg0').create_volume(_volume(size=1))
    assert [c[0] for c in rec.calls] == ['vgs']
