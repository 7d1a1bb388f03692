"""Faults around real guests: libvirtd restarted, a guest killed outside
Stratus, and the compute daemon killed (-9) in the middle of a reboot, a
volume attach and a delete.

A private stack (libvirt driver, no instance networking, a short RPC
timeout and power-state sync interval), because its compute daemon is
killed and restarted. libvirtd is the machine's own
(``tests/fixtures/libvirtd.py`` says why it can't be private).

What must hold after each restart: every instance ends ACTIVE, SHUTOFF,
deleted or in ERROR with a fault, never with a task left; the database
agrees with libvirt (power state, the guest's disks, a volume ``in-use``
only while its guest has the disk).
"""
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from tests.fixtures import guest
from tests.fixtures import libvirtd
from tests.fixtures import stack as stack_fixture
from tests.fixtures import stack_client

RPC_TIMEOUT = 10
SYNC_INTERVAL = 5
BOOT_TIMEOUT = 240

FIGURES = {}


@pytest.fixture(scope='module')
def lstack():
    stack = stack_fixture.Stack(
        driver='libvirt', tag='%slvf' % os.getpid(), overrides={
            'network': {'manager': 'noop'},
            'DEFAULT': {'rpc_response_timeout': RPC_TIMEOUT},
            'compute': {'sync_power_state_interval': SYNC_INTERVAL},
            'libvirt': {'soft_reboot_timeout': 120},
        })
    started = time.monotonic()
    stack.start()
    FIGURES['stack start (s)'] = round(time.monotonic() - started, 1)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope='module')
def client(lstack):
    client = stack_client.Client(lstack)
    client.image = guest.upload_guest(lstack, 'lvf-guest-%d' % os.getpid())
    return client


@pytest.fixture(scope='module')
def server(lstack, client):
    """A running guest the tests below share, in this order."""
    return _boot(lstack, client, 'lvf-main')


def _boot(stack, client, name):
    uuid = client.boot(name)
    stack_client.wait(lambda: stack_client.settled(stack, [uuid]),
                      BOOT_TIMEOUT, 'the boot of %s' % name, stack)
    assert client.show(uuid)['status'] == 'ACTIVE'
    return uuid


def _domain(stack, uuid):
    row = stack.query('SELECT id FROM instances WHERE uuid = ?', uuid)
    return stack.domain_prefix + '%08x' % row[0][0]


def _virsh(*args):
    return subprocess.run(['virsh', '-c', stack_fixture.LIBVIRT_URI] +
                          list(args), capture_output=True, text=True)


def _domstate(domain):
    res = _virsh('domstate', domain)
    return res.stdout.strip() if res.returncode == 0 else 'gone'


def _disks(domain):
    out = _virsh('domblklist', domain).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.strip().startswith('vd')]


def _row(stack, uuid):
    rows = stack.query('SELECT vm_state, task_state, power_state, deleted '
                       'FROM instances WHERE uuid = ?', uuid)
    return rows[0] if rows else None


def _kill9_compute(stack):
    proc = stack.procs['compute']
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _wait_task(stack, uuid, tasks, timeout=60):
    """Poll fast: some tasks last about a second under TCG."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = _row(stack, uuid)
        if row and row[1] in tasks:
            return row[1]
        time.sleep(0.02)
    raise AssertionError('%s never reached %s: %s\n%s' % (
        uuid, tasks, _row(stack, uuid), stack.dump_logs(25)))


def _restart_compute(stack):
    stack_client.restart_daemon(stack, 'compute')


def _consistent(stack, client, uuid):
    """Settled, and the status agrees with the guest's state."""
    server = client.show(uuid)
    state = _domstate(_domain(stack, uuid))
    assert server['OS-EXT-STS:task_state'] is None, server
    expected = {'running': 'ACTIVE', 'shut off': 'SHUTOFF'}.get(state)
    assert server['status'] == expected or (
        server['status'] == 'ERROR' and server['fault']['message']), \
        (server['status'], state)
    return server['status']


def test_libvirtd_restart_compute_reconnects_and_sees_dead_guest(
        lstack, client, server):
    stack = lstack
    domain = _domain(stack, server)
    assert _domstate(domain) == 'running'
    started = time.monotonic()
    libvirtd.restart()
    FIGURES['libvirtd restart (s)'] = round(time.monotonic() - started, 1)
    # Guests outlive libvirtd.
    assert _domstate(domain) == 'running'

    # Killed outside Stratus, through our own connection.
    other = _boot(stack, client, 'lvf-killed')
    killed = time.monotonic()
    assert _virsh('destroy', _domain(stack, other)).returncode == 0
    stack_client.wait(lambda: client.show(other)['status'] == 'SHUTOFF',
                      SYNC_INTERVAL * 4 + 30, 'the dead guest SHUTOFF', stack)
    FIGURES['virsh destroy -> SHUTOFF (s)'] = round(
        time.monotonic() - killed, 1)
    assert _row(stack, other)[2] == 4  # power_state SHUTDOWN
    assert client.show(server)['status'] == 'ACTIVE'


def test_kill9_compute_mid_reboot(lstack, client, server):
    stack = lstack
    client.action(server, {'reboot': {'type': 'SOFT'}})
    task = _wait_task(stack, server, ('reboot_started',))
    _kill9_compute(stack)
    killed_in = _domstate(_domain(stack, server))
    _restart_compute(stack)
    stack_client.wait(lambda: _row(stack, server)[1] is None, 60,
                      'the reboot task cleared', stack)
    status = _consistent(stack, client, server)
    FIGURES['reboot: killed in task / guest'] = '%s / %s' % (task, killed_in)
    FIGURES['reboot: after restart'] = status
    if status == 'SHUTOFF':
        client.action(server, {'os-start': None})
        stack_client.wait(lambda: client.show(server)['status'] == 'ACTIVE',
                          BOOT_TIMEOUT, 'the start', stack)


def _pause_group(proc, sig):
    os.killpg(proc.pid, sig)


def test_kill9_compute_mid_attach(lstack, client, server):
    stack = lstack
    volume = client.create_volume('lvf-vol')
    stack_client.wait(lambda: client.volume(volume)['status'] ==
                      'available', 60, 'the volume', stack)
    domain = _domain(stack, server)
    # The volume host stops answering: compute's attach hangs in its
    # initialize_connection call, with the volume reserved (attaching).
    vol_proc = stack.procs['volume']
    _pause_group(vol_proc, signal.SIGSTOP)
    result = {}
    try:
        thread = threading.Thread(target=lambda: result.update(
            answer=client.attach(server, volume)))
        thread.start()
        stack_client.wait(lambda: client.volume(volume)['status'] ==
                          'attaching', 30, 'the reservation', stack)
        stack_client.wait(
            lambda: _queue_depth(stack, 'volume.%s' % stack.host) >= 1, 30,
            'compute waiting on the volume host', stack)
        _kill9_compute(stack)
    finally:
        _pause_group(vol_proc, signal.SIGCONT)
    thread.join(RPC_TIMEOUT * 3)
    status, body = result['answer']
    assert status == 503, body
    _restart_compute(stack)
    # In the books and in the guest alike: not attached.
    assert client.volume(volume)['status'] == 'available'
    assert client.volume(volume)['attachments'] == []
    assert _disks(domain) == ['vda']
    assert _consistent(stack, client, server) == 'ACTIVE'
    # And the next attach works.
    status, body = client.attach(server, volume)
    assert status == 200, body
    assert client.volume(volume)['status'] == 'in-use'
    assert _disks(domain) == ['vda', 'vdb']


def test_restarted_compute_makes_volumes_match_the_guest(
        lstack, client, server):
    """The states a crash between a guest's attach (or detach) and its
    recording leaves: the API's timed-out call rolled the volume back
    (``available``) though the guest has the disk, or the volume is
    ``in-use`` though the guest let go of it. The restarted compute must
    trust the guest: a disk the books don't know is detached, an
    attachment without a disk is released."""
    stack = lstack
    domain = _domain(stack, server)
    in_use = [a['volumeId'] for a in client.compute(
        'GET', '/servers/%s/os-volume_attachments' % server)[1][
            'volumeAttachments']]
    assert len(in_use) == 1 and _disks(domain) == ['vda', 'vdb'], in_use
    stray = client.create_volume('lvf-stray')
    stack_client.wait(lambda: client.volume(stray)['status'] ==
                      'available', 60, 'the second volume', stack)
    _kill9_compute(stack)
    assert _virsh('detach-disk', domain, 'vdb', '--persistent'
                  ).returncode == 0
    path = os.path.join(stack.state_path, 'volumes', 'volume-%s' % stray)
    res = _virsh('attach-disk', domain, path, 'vdc', '--persistent',
                 '--targetbus', 'virtio', '--subdriver', 'qcow2',
                 '--serial', stray)
    assert res.returncode == 0, res.stderr
    stack_client.wait(lambda: _disks(domain) == ['vda', 'vdc'], 30,
                      'the guest with the stray disk only', stack)
    _restart_compute(stack)
    stack_client.wait(lambda: _disks(domain) == ['vda'], 60,
                      'the stray disk detached', stack)
    stack_client.wait(lambda: client.volume(in_use[0])['status'] ==
                      'available', 60, 'the lost attachment released', stack)
    assert client.volume(in_use[0])['attachments'] == []
    assert client.volume(stray)['status'] == 'available'
    assert _consistent(stack, client, server) == 'ACTIVE'
    # Both attach again.
    for volume in (in_use[0], stray):
        status, body = client.attach(server, volume)
        assert status == 200, body
    assert _disks(domain) == ['vda', 'vdb', 'vdc']


def _queue_depth(stack, name):
    out = stack.rabbitmqctl('-q', 'list_queues', '-p', stack.vhost, 'name',
                            'messages', '--no-table-headers').stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == name:
            return int(parts[1])
    return 0


def test_kill9_compute_mid_delete(lstack, client, server):
    stack = lstack
    domain = _domain(stack, server)
    attached = [a['volumeId'] for a in client.compute(
        'GET', '/servers/%s/os-volume_attachments' % server)[1][
            'volumeAttachments']]
    assert attached, 'the previous test left a volume attached'
    status, body, _ = client.compute('DELETE', '/servers/%s' % server)
    assert status == 204, body
    _wait_task(stack, server, ('deleting',))
    _kill9_compute(stack)
    killed_in = _domstate(domain)
    _restart_compute(stack)
    stack_client.wait(lambda: _row(stack, server)[3], 90,
                      'the delete to complete', stack)
    FIGURES['delete: guest when killed'] = killed_in
    assert _domstate(domain) == 'gone'
    for volume in attached:
        assert client.volume(volume)['status'] == 'available'
        assert client.volume(volume)['attachments'] == []
    # Nothing of this stack is left with a task.
    assert stack.query('SELECT uuid, task_state FROM instances WHERE '
                       'deleted = 0 AND task_state IS NOT NULL') == []


def test_zz_report_figures():
    print('\nlibvirt fault figures: %s' % json.dumps(FIGURES, indent=1))
