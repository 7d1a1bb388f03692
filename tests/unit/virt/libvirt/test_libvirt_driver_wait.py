"""Waiting for RUNNING, cleanup of a failed spawn and lifecycle forwarding,
against a fake libvirt connection."""
import json
import os
import subprocess
import threading
import time
import uuid

import libvirt
import pytest

from stratus import conf
from stratus import exception
from stratus.virt import driver as virt_driver
from stratus.virt.libvirt import driver
from stratus.virt.libvirt import imagecache

CONF = conf.CONF


class FakeDomain:
    def __init__(self, conn, uuid_str, name, start_delay=0.0,
                 send_event=True, never_runs=False, fail_create=False):
        self.conn, self.uuid, self._name = conn, uuid_str, name
        self.state_value = libvirt.VIR_DOMAIN_SHUTOFF
        self.start_delay = start_delay
        self.send_event = send_event
        self.never_runs = never_runs
        self.fail_create = fail_create
        self.polls = 0

    def name(self):
        return self._name

    def UUIDString(self):
        return self.uuid

    def state(self):
        self.polls += 1
        return [self.state_value, 0]

    def isActive(self):
        return self.state_value == libvirt.VIR_DOMAIN_RUNNING

    def createWithFlags(self, flags):
        if self.fail_create:
            raise libvirt.libvirtError('boom')
        self.state_value = libvirt.VIR_DOMAIN_PAUSED
        if self.never_runs:
            return

        def run():
            self.state_value = libvirt.VIR_DOMAIN_RUNNING
            if self.send_event:
                self.conn.callback(self._name, self.uuid,
                                   libvirt.VIR_DOMAIN_EVENT_STARTED, 0)
        threading.Timer(self.start_delay, run).start()

    def destroy(self):
        self.state_value = libvirt.VIR_DOMAIN_SHUTOFF

    def undefineFlags(self, flags):
        self.conn.domains.pop(self.uuid, None)


class FakeConn:
    def __init__(self):
        self.domains = {}
        self.callback = None
        self.next_domain = {}

    def lookupByUUIDString(self, uuid_str):
        try:
            return self.domains[uuid_str]
        except KeyError:
            error = libvirt.libvirtError('no domain')
            error.err = (libvirt.VIR_ERR_NO_DOMAIN,)
            raise error

    def defineXML(self, xml):
        import xml.etree.ElementTree as ET
        root = ET.fromstring(xml)
        dom = FakeDomain(self, root.findtext('uuid'), root.findtext('name'),
                         **self.next_domain)
        self.domains[dom.uuid] = dom
        return dom


class FakeHost:
    def __init__(self, conn):
        self.conn = conn

    def initialize(self):
        pass

    def get_connection(self):
        return self.conn

    def close(self):
        pass


@pytest.fixture
def env(tmp_path):
    CONF([], project='stratus')
    overrides = [('instances_path', str(tmp_path / 'instances'), 'compute'),
                 ('image_cache_path', str(tmp_path / 'cache'), 'compute'),
                 ('instance_name_template', 'strunit-%08x', None),
                 ('virt_type', 'qemu', 'libvirt'),
                 ('wait_timeout', 1, 'libvirt')]
    for name, value, group in overrides:
        CONF.set_override(name, value, group=group)
    conn = FakeConn()
    drv = driver.LibvirtDriver(host=FakeHost(conn),
                               image_cache=imagecache.ImageCache())
    conn.callback = drv._on_lifecycle
    drv.init_host('h')
    yield drv, conn, tmp_path
    for name, _value, group in overrides + [('wait_poll_interval', 0,
                                             'libvirt')]:
        CONF.clear_override(name, group=group)


def _flag(name, value):
    CONF.set_override(name, value, group='libvirt')


def _defined(conn, **kw):
    dom = FakeDomain(conn, str(uuid.uuid4()), 'strunit-00000001', **kw)
    conn.domains[dom.uuid] = dom
    return dom, {'id': 1, 'uuid': dom.uuid}


def test_event_wakes_the_wait_before_the_next_poll(env):
    drv, conn, _ = env
    _flag('wait_poll_interval', 30)   # polling alone would take 30 s
    dom, inst = _defined(conn, start_delay=0.2)
    started = time.monotonic()
    drv.power_on(None, inst, [])
    assert time.monotonic() - started < 0.9
    assert dom.polls >= 2


def test_polling_finds_running_without_events(env):
    drv, conn, _ = env
    _flag('wait_poll_interval', 0.05)
    dom, inst = _defined(conn, start_delay=0.3, send_event=False)
    drv.power_on(None, inst, [])
    assert dom.state_value == libvirt.VIR_DOMAIN_RUNNING
    assert dom.polls >= 3


def test_timeout_raises_build_timeout(env):
    drv, conn, _ = env
    _flag('wait_poll_interval', 0.05)
    _dom, inst = _defined(conn, never_runs=True)
    started = time.monotonic()
    with pytest.raises(exception.InstanceBuildTimeout):
        drv.power_on(None, inst, [])
    assert 0.9 < time.monotonic() - started < 2


def _seeded_image(tmp_path):
    image_id = str(uuid.uuid4())
    cache = tmp_path / 'cache'
    cache.mkdir(exist_ok=True)
    assert os.system('qemu-img create -q -f qcow2 %s 16M' %
                     (cache / image_id)) == 0
    return {'id': image_id, 'disk_format': 'qcow2'}


def test_failed_spawn_leaves_nothing(env):
    drv, conn, tmp_path = env
    conn.next_domain = {'fail_create': True}
    inst = {'id': 2, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 0}
    with pytest.raises(exception.VirtDriverError):
        drv.spawn(None, inst, _seeded_image(tmp_path), [])
    assert conn.domains == {}
    assert not (tmp_path / 'instances' / inst['uuid']).exists()


def test_spawn_timeout_leaves_nothing(env):
    drv, conn, tmp_path = env
    _flag('wait_poll_interval', 0.05)
    conn.next_domain = {'never_runs': True}
    inst = {'id': 3, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 1}
    with pytest.raises(exception.InstanceBuildTimeout):
        drv.spawn(None, inst, _seeded_image(tmp_path), [])
    assert conn.domains == {}
    assert not (tmp_path / 'instances' / inst['uuid']).exists()


def test_spawn_makes_an_overlay_and_runs(env):
    drv, conn, tmp_path = env
    _flag('wait_poll_interval', 0.05)
    inst = {'id': 4, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 1}
    steps = drv.spawn(None, inst, _seeded_image(tmp_path), [])
    assert conn.domains[inst['uuid']].isActive()
    assert (tmp_path / 'instances' / inst['uuid'] / 'disk').exists()
    # Each sub-step of the spawn is timed, in the order it ran.
    assert [name for name, _s, _f in steps] == [
        'image_fetch', 'disk', 'xml', 'define', 'create', 'wait_running']
    assert all(start <= finish for _n, start, finish in steps)
    assert all(a[2] <= b[1] for a, b in zip(steps, steps[1:]))
    assert drv.get_info(inst).state == 1
    drv.destroy(None, inst, [])
    assert conn.domains == {}
    assert not (tmp_path / 'instances' / inst['uuid']).exists()
    drv.destroy(None, inst, [])   # gone already: not an error


def test_outside_lifecycle_events_reach_the_listener(env):
    drv, conn, _ = env
    seen = []
    got = threading.Event()
    drv.register_event_listener(lambda u, e: (seen.append((u, e)),
                                              got.set()))
    ours = str(uuid.uuid4())
    drv._on_lifecycle('someone-else', str(uuid.uuid4()),
                      libvirt.VIR_DOMAIN_EVENT_STOPPED, 0)
    drv._on_lifecycle('strunit-00000005', ours,
                      libvirt.VIR_DOMAIN_EVENT_STOPPED, 0)
    assert got.wait(2)
    assert seen == [(ours, virt_driver.EVENT_STOPPED)]


def test_events_of_our_own_operations_are_not_forwarded(env):
    drv, conn, _ = env
    seen = []
    drv.register_event_listener(lambda u, e: seen.append((u, e)))
    _flag('wait_poll_interval', 0.05)
    dom, inst = _defined(conn, start_delay=0.1)
    drv.power_on(None, inst, [])
    time.sleep(0.3)
    assert seen == []


def test_disks_made_ahead_are_used_by_the_spawn(env):
    drv, conn, tmp_path = env
    _flag('wait_poll_interval', 0.05)
    inst = {'id': 5, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 1}
    image = _seeded_image(tmp_path)
    drv.prepare_disks(None, inst, image)
    disk = tmp_path / 'instances' / inst['uuid'] / 'disk'
    drv._prepared[inst['uuid']].result()
    assert disk.exists()
    made = disk.stat().st_mtime_ns
    steps = drv.spawn(None, inst, image, [])
    assert disk.stat().st_mtime_ns == made     # not made a second time
    assert [name for name, _s, _f in steps][:2] == ['image_fetch', 'disk']
    assert inst['uuid'] not in drv._prepared
    drv.destroy(None, inst, [])


def test_destroy_removes_disks_made_ahead_without_a_spawn(env):
    drv, conn, tmp_path = env
    inst = {'id': 6, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 1}
    drv.prepare_disks(None, inst, _seeded_image(tmp_path))
    drv.destroy(None, inst, [])
    assert not (tmp_path / 'instances' / inst['uuid']).exists()
    assert drv._prepared == {}


def _qemu_info(path):
    out = subprocess.run(['qemu-img', 'info', '-U', '--output=json',
                          str(path)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def test_overlays_are_copies_of_one_template_per_base_and_size(env):
    drv, conn, tmp_path = env
    _flag('wait_poll_interval', 0.05)
    image = _seeded_image(tmp_path)
    base = tmp_path / 'cache' / image['id']
    disks = []
    for n, root_gb in ((7, 1), (8, 1), (9, 2)):
        inst = {'id': n, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
                'vcpus': 1, 'root_gb': root_gb}
        drv.spawn(None, inst, image, [])
        disk = tmp_path / 'instances' / inst['uuid'] / 'disk'
        info = _qemu_info(disk)
        assert info['format'] == 'qcow2'
        assert info['full-backing-filename'] == str(base)
        assert info['virtual-size'] == root_gb * 2 ** 30
        disks.append(disk)
    # Separate files: a guest's writes never reach another's disk.
    assert len({d.stat().st_ino for d in disks}) == 3
    templates = sorted(p.name for p in base.parent.iterdir()
                       if '.overlay-' in p.name)
    assert len(templates) == 2 and all(t.endswith(('-1G', '-2G'))
                                       for t in templates)
    # A new download of the image is a new file: a new template.
    os.unlink(base)
    assert os.system('qemu-img create -q -f qcow2 %s 16M' % base) == 0
    inst = {'id': 10, 'uuid': str(uuid.uuid4()), 'memory_mb': 128,
            'vcpus': 1, 'root_gb': 1}
    drv.spawn(None, inst, image, [])
    assert len([p for p in base.parent.iterdir()
                if '.overlay-' in p.name]) >= 3
