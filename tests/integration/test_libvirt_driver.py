"""The libvirt driver against a real libvirtd with the tiny guest image.

The guest (tools/build-guest-image.sh) is built into $STRATUS_GUEST_DIR or
.stack/guest if it is not there yet, and pre-seeded into a private image
cache, so no image API is needed. Domains are named ``strtest-%08x`` with
ids from 0x7ff00000 up and random UUIDs, so they never collide with a
running stack; every domain and file the test made is removed even when it
fails. Guests have no NIC. Step timings are printed (run with -s).
"""
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

from stratus import conf
from stratus import context
from stratus.compute import power_state
from stratus.virt import driver as virt_driver
from stratus.virt.libvirt import driver as libvirt_driver
from tests.fixtures import guest

CONF = conf.CONF
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SOCKET = '/run/libvirt/libvirt-sock'
BOOTED = 'STRATUS-GUEST-BOOTED'


def _ensure_libvirtd():
    if os.path.exists(SOCKET):
        return
    subprocess.run(['virtlogd', '-d'], check=False)
    subprocess.run(['libvirtd', '-d'], check=True)
    deadline = time.monotonic() + 60
    while not os.path.exists(SOCKET):
        assert time.monotonic() < deadline, 'libvirtd did not start'
        time.sleep(0.2)


def _ensure_guest_image():
    return guest.ensure_guest_image()


class Timings(dict):
    def step(self, name):
        timings = self

        class _Step:
            def __enter__(self):
                self.start = time.monotonic()

            def __exit__(self, *exc):
                timings[name] = time.monotonic() - self.start
        return _Step()


@pytest.fixture
def env():
    _ensure_libvirtd()
    files = _ensure_guest_image()
    # QEMU runs as libvirt-qemu: the state folder must be traversable, so
    # not pytest's private tmp_path.
    state = tempfile.mkdtemp(prefix='strtest-', dir='/var/tmp')
    os.chmod(state, 0o755)
    CONF([], project='stratus')
    overrides = [
        ('instances_path', os.path.join(state, 'instances'), 'compute'),
        ('image_cache_path', os.path.join(state, 'cache'), 'compute'),
        ('instance_name_template', 'strtest-%08x', None),
        ('wait_timeout', 60, 'libvirt'),
        ('soft_reboot_timeout', 30, 'libvirt'),
    ]
    for name, value, group in overrides:
        CONF.set_override(name, value, group=group)
    os.makedirs(CONF.compute.image_cache_path, mode=0o755)
    image = {}
    for key, name in (('id', 'disk.qcow2'), ('kernel_id', 'vmlinuz'),
                      ('ramdisk_id', 'initrd.img')):
        image[key] = str(uuid.uuid4())
        shutil.copy(files[name],
                    os.path.join(CONF.compute.image_cache_path, image[key]))
    image.update(disk_format='qcow2', container_format='ami')
    drv = libvirt_driver.LibvirtDriver()
    instances = []
    try:
        yield drv, image, instances, state
    finally:
        import libvirt
        conn = libvirt.open(CONF.libvirt.connection_uri)
        for inst in instances:
            try:
                drv.destroy(None, inst, [])
            except Exception:
                pass
            try:
                dom = conn.lookupByUUIDString(inst['uuid'])
                if dom.isActive():
                    dom.destroy()
                dom.undefine()
            except libvirt.libvirtError:
                pass
        conn.close()
        drv.cleanup_host(CONF.host)
        shutil.rmtree(state, ignore_errors=True)
        for name, _value, group in overrides:
            CONF.clear_override(name, group=group)


def _wait_console(drv, inst, predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        out = drv.get_console_output(None, inst)
        if predicate(out):
            return out
        assert time.monotonic() < deadline, 'console:\n' + out[-3000:]
        time.sleep(0.2)


def _block_lines(out):
    return [line.strip() for line in out.splitlines()
            if line.startswith('STRATUS-BLOCK-DEVICES:')]


def _booted_count(drv, inst):
    return drv.get_console_output(None, inst).count(BOOTED)


def _wait_booted(drv, inst, before):
    # Wait for the block device line: /init printed it after acpid started.
    _wait_console(drv, inst, lambda out: out.count(BOOTED) > before and
                  _block_lines(out.rsplit(BOOTED, 1)[-1]))


def test_guest_lifecycle(env):
    drv, image, instances, state = env
    timings = Timings()
    events = []
    stopped = threading.Event()

    def listener(instance_uuid, event):
        events.append((instance_uuid, event))
        if event == virt_driver.EVENT_STOPPED:
            stopped.set()

    drv.register_event_listener(listener)
    with timings.step('init_host'):
        drv.init_host(CONF.host)
    assert drv.virt_type in ('qemu', 'kvm')
    resources = drv.get_available_resource()
    assert resources['vcpus'] >= 1 and resources['memory_mb'] > 0
    assert resources['hypervisor_type'] == 'QEMU'

    inst = {'id': 0x7ff00000 + random.randint(1, 0xfffff),
            'uuid': str(uuid.uuid4()),
            'display_name': '</name><devices> ../../etc',
            'memory_mb': 128, 'vcpus': 1, 'root_gb': 1,
            'project_id': 'p', 'user_id': 'u'}
    instances.append(inst)
    ctx = context.get_admin_context()

    with timings.step('spawn -> RUNNING'):
        drv.spawn(ctx, inst, image, [])
    assert drv.get_info(inst).state == power_state.RUNNING
    assert drv.get_info(inst).domain == 'strtest-%08x' % inst['id']
    assert inst['uuid'] in drv.list_instance_uuids()
    with timings.step('first console marker'):
        _wait_console(drv, inst, lambda out: BOOTED in out)
    timings['spawn -> console marker'] = (timings['spawn -> RUNNING'] +
                                          timings['first console marker'])
    _wait_booted(drv, inst, 0)

    with timings.step('power_off (ACPI)'):
        drv.power_off(inst, timeout=30)
    assert drv.get_info(inst).state == power_state.SHUTDOWN
    assert 'STRATUS-GUEST-POWEROFF' in drv.get_console_output(None, inst)

    with timings.step('power_on -> RUNNING'):
        drv.power_on(ctx, inst, [])
    assert drv.get_info(inst).state == power_state.RUNNING
    with timings.step('power_on -> booted'):
        _wait_booted(drv, inst, 1)

    with timings.step('reboot HARD'):
        drv.reboot(ctx, inst, [], 'HARD')
    assert drv.get_info(inst).state == power_state.RUNNING
    with timings.step('reboot HARD -> booted'):
        _wait_booted(drv, inst, 2)

    with timings.step('reboot SOFT'):
        drv.reboot(ctx, inst, [], 'SOFT')
    assert drv.get_info(inst).state == power_state.RUNNING
    _wait_booted(drv, inst, 3)
    assert drv.get_console_output(None, inst).count(
        'STRATUS-GUEST-POWEROFF') == 2

    volume = os.path.join(state, 'volume.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', volume,
                    '16M'], check=True)
    os.chmod(volume, 0o644)
    connection_info = {'driver_volume_type': 'file',
                       'data': {'path': volume, 'format': 'qcow2'}}
    with timings.step('attach_volume'):
        drv.attach_volume(ctx, connection_info, inst, '/dev/vdb')
    with timings.step('guest sees vdb'):
        _wait_console(drv, inst, lambda out: _block_lines(out)[-1] ==
                      'STRATUS-BLOCK-DEVICES: vda vdb')
    with timings.step('detach_volume'):
        drv.detach_volume(ctx, connection_info, inst, '/dev/vdb')
    with timings.step('guest lost vdb'):
        _wait_console(drv, inst, lambda out: _block_lines(out)[-1] ==
                      'STRATUS-BLOCK-DEVICES: vda')

    # A shutdown the driver did not ask for reaches the listener.
    import libvirt
    conn = libvirt.open(CONF.libvirt.connection_uri)
    try:
        with timings.step('outside shutdown -> STOPPED event'):
            conn.lookupByUUIDString(inst['uuid']).shutdown()
            assert stopped.wait(30)
    finally:
        conn.close()
    assert (inst['uuid'], virt_driver.EVENT_STOPPED) in events

    with timings.step('destroy'):
        drv.destroy(ctx, inst, [])
    assert inst['uuid'] not in drv.list_instance_uuids()
    assert not os.path.exists(os.path.join(CONF.compute.instances_path,
                                           inst['uuid']))
    drv.destroy(ctx, inst, [])   # already gone: fine

    print('\nlibvirt driver timings (s):')
    for name, seconds in timings.items():
        print('  %-34s %6.2f' % (name, seconds))
