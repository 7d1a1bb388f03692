"""SIGTERM of the api, scheduler, network and volume daemons, and kill -9
of the api while boots are being posted (compute and conductor are in
``test_reliability_faults.py``).

A private fake-driver stack, because its daemons are stopped and killed.
What must hold for SIGTERM: the process group exits (``graceful_stop_timeout``
bounds the wait for in-flight work), the services row shows the daemon
down at once (``last_seen_up`` cleared, not left to age), what it held or
what was sent while it was away ends in a stable state, and once
restarted it serves again. The api finishes a request it is still reading
when SIGTERM comes (``WSGIServer.stop`` waits for requests in flight),
while a client that stopped sending can't hold it past the timeout. For
kill -9 of the api: every instance that got a row ends ACTIVE or in ERROR
with a fault (the conductor's ``instance_build_timeout`` check catches a
row whose cast died with the api), none stays in BUILD, and the restarted
api serves.
"""
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error

import pytest

from tests.fixtures import stack as stack_fixture
from tests.fixtures import stack_client

GRACEFUL = 8
# The slow upload's last half comes this long after SIGTERM: later than
# the api's own stop takes (about 1.5 s), well inside GRACEFUL.
UPLOAD_LAG = 3
BUILD_TIMEOUT = 10
SPAWN_DELAY = 1
MAX_POSTS = 40


@pytest.fixture(scope='module')
def sstack():
    stack = stack_fixture.Stack(
        driver='fake', tag='%ssig' % os.getpid(), overrides={
            'network': {'manager': 'noop'},
            # Room for every boot these tests post (none is deleted).
            'compute': {'fake_spawn_delay': SPAWN_DELAY,
                        'fake_vcpus': 64, 'fake_memory_mb': 131072},
            'DEFAULT': {'instance_build_timeout': BUILD_TIMEOUT,
                        'graceful_stop_timeout': GRACEFUL},
        })
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope='module')
def client(sstack):
    client = stack_client.Client(sstack)
    client.lift_quota()
    return client


def _group_alive(pgid):
    out = subprocess.run(['ps', '-e', '-o', 'pgid=,stat='],
                         capture_output=True, text=True).stdout
    return any(int(line.split()[0]) == pgid and
               not line.split()[1].startswith('Z')
               for line in out.splitlines() if line.strip())


def _signal(stack, name, sig):
    """Signal the daemon's process group and wait until all of it is gone
    (a SIGTERM'd daemon has ``GRACEFUL`` s for its in-flight work)."""
    proc = stack.procs[name]
    os.killpg(proc.pid, sig)
    proc.wait(GRACEFUL + 15)
    stack_client.wait(lambda: not _group_alive(proc.pid), 10,
                      'stratus-%s gone' % name, stack)
    return proc.returncode


def _last_seen_up(stack, name):
    rows = stack.query('SELECT last_seen_up FROM services WHERE host = ? '
                       'AND "binary" = ? AND deleted = 0', stack.host,
                       'stratus-%s' % name)
    assert rows, name
    return rows[0][0]


def _post_boots(client, prefix, count, results):
    """Post up to ``count`` boots one after the other, until one fails;
    each result is the new server's id or the error the client saw (the
    api went away)."""
    for i in range(count):
        try:
            status, body, _ = client.compute('POST', '/servers', {
                'server': {'name': '%s-%d' % (prefix, i),
                           'imageRef': client.image, 'flavorRef': '1'}},
                timeout=20)
            results.append(body['server']['id'] if status == 202
                           else (status, body))
        except (urllib.error.URLError, OSError) as e:
            results.append(e)
            return
        time.sleep(0.05)


def _rows(stack, prefix):
    return [r[0] for r in stack.query(
        'SELECT uuid FROM instances WHERE display_name LIKE ?',
        prefix + '-%')]


def _restart_api(stack, client):
    stack.start_daemon('api')

    def serving():
        try:
            return stack_client.http('GET', stack.auth_url, timeout=2)[0] \
                == 200
        except (urllib.error.URLError, OSError):
            return False

    stack_client.wait(serving, 60, 'the api back', stack)
    client.token = stack_client.token(stack)
    return client.boot('after-api')


def _check_settled(stack, uuids, stable):
    stack_client.wait(lambda: stack_client.settled(stack, uuids), 60,
                      'instances to settle', stack)
    for uuid, (vm, task, _) in stack_client.states(stack, uuids).items():
        assert vm in stable and task is None, (uuid, vm, task)
        if vm == 'error':
            assert stack_client.faults(stack, uuid), uuid


def test_sigterm_api_answers_or_refuses_and_builds_what_it_took(sstack,
                                                                 client):
    stack = sstack
    results = []
    poster = threading.Thread(target=_post_boots,
                              args=(client, 'term-api', MAX_POSTS, results))
    poster.start()
    stack_client.wait(lambda: len(results) >= 3, 60, 'boots posted', stack)
    assert _signal(stack, 'api', signal.SIGTERM) == 0
    poster.join(120)
    assert _last_seen_up(stack, 'api') is None
    accepted = [r for r in results if isinstance(r, str)]
    assert len(accepted) >= 3 and not isinstance(results[-1], str), results
    # Every answered boot was cast: all become ACTIVE, none is lost.
    rows = _rows(stack, 'term-api')
    assert set(accepted) <= set(rows)
    _check_settled(stack, rows, ('active',))
    uuid = _restart_api(stack, client)
    stack_client.wait(lambda: stack_client.states(stack, [uuid]).get(uuid)
                      == ('active', None, False), 60, 'a boot after the '
                      'restart', stack)
    stack.wait_for_heartbeat('stratus-api', 30)


def _start_upload(stack, client, length):
    """A raw PUT of an image file with ``length`` bytes announced and none
    sent yet. :returns: (socket, image id)."""
    status, image, _ = stack_client.http('POST', stack.image_url +
                                         '/v2/images', {
        'name': 'slow', 'disk_format': 'raw', 'container_format': 'bare'},
        token=client.token)
    assert status == 201, image
    sock = socket.create_connection(('127.0.0.1', stack.ports['image']), 10)
    sock.sendall((
        'PUT /v2/images/%s/file HTTP/1.1\r\nHost: 127.0.0.1\r\n'
        'X-Auth-Token: %s\r\nContent-Type: application/octet-stream\r\n'
        'Content-Length: %d\r\n\r\n' % (image['id'], client.token, length)
    ).encode())
    return sock, image['id']


def test_sigterm_api_finishes_an_upload_and_drops_a_stalled_client(
        sstack, client):
    """A request it holds is served to the end; a client that stops
    sending can't keep the daemon from exiting."""
    stack = sstack
    slow, slow_image = _start_upload(stack, client, 2048)
    slow.sendall(b'x' * 1024)
    stalled, _ = _start_upload(stack, client, 2048)
    stalled.sendall(b'y' * 10)
    time.sleep(1)  # both requests are read by the api's threads by now
    stopping = threading.Thread(target=_signal,
                                args=(stack, 'api', signal.SIGTERM))
    stopping.start()
    time.sleep(UPLOAD_LAG)
    slow.sendall(b'x' * 1024)
    answer = slow.recv(4096).decode(errors='replace')
    slow.close()
    assert answer.split(' ', 2)[1:2] == ['204'], answer
    stopping.join(GRACEFUL + 30)
    assert not stopping.is_alive()
    assert not stack.daemon_alive('api')
    stalled.close()
    assert stack.query('SELECT status FROM images WHERE id = ?',
                       slow_image) == [('active',)]
    assert _last_seen_up(stack, 'api') is None
    _restart_api(stack, client)


def test_kill9_api_mid_posts_leaves_nothing_in_build(sstack, client):
    stack = sstack
    results = []
    poster = threading.Thread(target=_post_boots,
                              args=(client, 'kill-api', MAX_POSTS, results))
    poster.start()
    stack_client.wait(lambda: len(results) >= 3, 60, 'boots posted', stack)
    assert _signal(stack, 'api', signal.SIGKILL) == -signal.SIGKILL
    poster.join(120)
    assert any(not isinstance(r, str) for r in results), results
    rows = _rows(stack, 'kill-api')
    assert {r for r in results if isinstance(r, str)} <= set(rows)
    # A row whose cast died with the api is failed by the build timeout.
    _check_settled(stack, rows, ('active', 'error'))
    assert stack.query("SELECT uuid FROM instances WHERE deleted = 0 AND "
                       "vm_state = 'building'") == []
    uuid = _restart_api(stack, client)
    stack_client.wait(lambda: stack_client.states(stack, [uuid]).get(uuid)
                      == ('active', None, False), 60, 'a boot after the '
                      'restart', stack)


def test_sigterm_scheduler_deregisters_and_loses_no_boot(sstack, client):
    stack = sstack
    stack.wait_for_heartbeat('stratus-scheduler', 30)
    assert _signal(stack, 'scheduler', signal.SIGTERM) == 0
    assert _last_seen_up(stack, 'scheduler') is None
    # The conductor's select_destinations waits in the scheduler's queue.
    uuid = client.boot('while-scheduler-down')
    time.sleep(1)
    assert stack_client.states(stack, [uuid])[uuid] == (
        'building', 'scheduling', False)
    stack_client.restart_daemon(stack, 'scheduler')
    stack_client.wait(lambda: stack_client.states(stack, [uuid])[uuid] ==
                      ('active', None, False), 60, 'the queued boot', stack)


def test_sigterm_network_deregisters_and_serves_after_restart(sstack,
                                                              client):
    stack = sstack
    stack.wait_for_heartbeat('stratus-network', 30)
    assert _signal(stack, 'network', signal.SIGTERM) == 0
    assert _last_seen_up(stack, 'network') is None
    # Compute's allocate_for_instance call waits in the network queue
    # (well inside rpc_response_timeout) for the restarted daemon.
    uuid = client.boot('while-network-down')
    stack_client.wait(lambda: stack_client.states(stack, [uuid])[uuid] ==
                      ('building', 'networking', False), 30,
                      'the boot waiting for its network', stack)
    stack_client.restart_daemon(stack, 'network')
    stack_client.wait(lambda: stack_client.states(stack, [uuid])[uuid] ==
                      ('active', None, False), 60, 'the boot', stack)


def test_sigterm_volume_finishes_or_keeps_a_create(sstack, client):
    stack = sstack
    stack.wait_for_heartbeat('stratus-volume', 30)
    volume_id = client.create_volume('term-volume')
    assert _signal(stack, 'volume', signal.SIGTERM) == 0
    assert _last_seen_up(stack, 'volume') is None
    # Created before the exit, or still queued for the restarted daemon:
    # either way it ends available, never stuck in creating.
    stack_client.restart_daemon(stack, 'volume')
    stack_client.wait(lambda: client.volume(volume_id)['status'] ==
                      'available', 60, 'the volume created', stack)
    second = client.create_volume('after-volume')
    stack_client.wait(lambda: client.volume(second)['status'] ==
                      'available', 60, 'a volume after the restart', stack)
