"""Daemons killed (-9) or stopped (SIGTERM) in the middle of boots.

A private stack of its own (fake driver, a 4 s spawn, a short build
timeout), because its daemons are killed and restarted: the shared
``fake_stack`` would see its other tests disturbed.

- compute killed while boots spawn: on restart ``init_host`` puts each in
  ERROR with a fault (stratus/compute/sync.py);
- scheduler then conductor killed while the conductor waits for the
  scheduler: the builds' messages are gone; the restarted conductor's
  ``instance_build_timeout`` check puts them in ERROR;
- SIGTERM: the conductor deregisters at once and a boot cast while it is
  down is built after it is back (nothing lost); compute finishes the boot
  it holds, deregisters at once, and exits.

Figures are printed (``pytest -s``) and summed up in the module's last test.
"""
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from tests.fixtures import stack as stack_fixture
from tests.fixtures import stack_client

SPAWN_DELAY = 4
BUILD_TIMEOUT = 15
# The conductor checks build timeouts every 30 s, starting 30 s after it
# starts; waits below allow for one check plus slack.
CHECK_PERIOD = 30

FIGURES = {}






class Cloud:
    def __init__(self, stack):
        self.stack = stack
        self.token = stack_client.token(stack, 'demo')
        status, image, _ = stack_client.http('POST', stack.image_url + '/v2/images', {
            'name': 'reliability', 'disk_format': 'raw',
            'container_format': 'bare'}, token=self.token)
        assert status == 201, image
        status, _, _ = stack_client.http('PUT', '%s/v2/images/%s/file' % (
            stack.image_url, image['id']), raw=os.urandom(1024),
            token=self.token)
        assert status == 204, status
        self.image = image['id']

    def boot(self, name):
        status, body, _ = stack_client.http('POST', self.stack.compute_url + '/servers', {
            'server': {'name': name, 'imageRef': self.image,
                       'flavorRef': '1'}},
            token=self.token)
        assert status == 202, body
        return body['server']['id']

    def show(self, uuid):
        status, body, _ = stack_client.http('GET', '%s/servers/%s' % (
            self.stack.compute_url, uuid), token=self.token)
        assert status == 200, body
        return body['server']


# -- helpers on the private stack ---------------------------------------------
def _states(stack, uuids):
    marks = ','.join('?' * len(uuids))
    rows = stack.query('SELECT uuid, vm_state, task_state FROM instances '
                       'WHERE uuid IN (%s)' % marks, *uuids)
    return {r[0]: (r[1], r[2]) for r in rows}




def _settled(stack, uuids):
    states = _states(stack, uuids)
    return len(states) == len(uuids) and all(
        vm in ('active', 'error') and task is None
        for vm, task in states.values())




def _group_pids(pgid):
    """Live (non-zombie) processes of a process group."""
    out = subprocess.run(['ps', '-e', '-o', 'pid=,pgid=,stat='],
                         capture_output=True, text=True).stdout
    pids = []
    for line in out.splitlines():
        pid, group, stat = line.split(None, 2)
        if int(group) == pgid and not stat.startswith('Z'):
            pids.append(int(pid))
    return pids


def _kill9(stack, name):
    """SIGKILL the launcher and its worker at once: a crash. :returns: the
    pids that were killed (master and worker)."""
    proc = stack.procs[name]
    pids = _group_pids(proc.pid)
    assert proc.pid in pids and len(pids) >= 2, pids  # master + worker
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    stack_client.wait(lambda: not _group_pids(proc.pid), 10, 'stratus-%s gone' % name,
          stack)
    return pids


def _service_row(stack, binary):
    rows = stack.query('SELECT last_seen_up FROM services WHERE host = ? '
                       'AND "binary" = ? AND deleted = 0', stack.host, binary)
    assert rows, binary
    return rows[0][0]


def _queue_depths(stack):
    out = stack_fixture.run(['rabbitmqctl', '-q', 'list_queues', '-p',
                             stack.vhost, 'name', 'messages',
                             '--no-table-headers']).stdout
    depths = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            depths[parts[0]] = int(parts[1])
    return depths


@pytest.fixture(scope='module')
def rstack():
    stack = stack_fixture.Stack(
        driver='fake', tag='%srel' % os.getpid(), overrides={
            'network': {'manager': 'noop'},
            'compute': {'fake_spawn_delay': SPAWN_DELAY},
            'DEFAULT': {'instance_build_timeout': BUILD_TIMEOUT},
        })
    started = time.monotonic()
    stack.start()
    FIGURES['stack start (s)'] = round(time.monotonic() - started, 1)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope='module')
def cloud(rstack):
    return Cloud(rstack)


# -- kill -9 ------------------------------------------------------------------
def test_kill9_mid_boot_every_instance_ends_active_or_error(rstack, cloud):
    stack = rstack
    # Scheduler dies; the conductor's calls for three boots wait in its
    # queue; then the conductor dies too, holding those builds.
    _kill9(stack, 'scheduler')
    lost = [cloud.boot('rel-lost-%d' % i) for i in range(3)]
    posted = time.monotonic()
    stack_client.wait(lambda: _queue_depths(stack).get('scheduler') == 3, 20,
          'three select_destinations calls queued for the scheduler', stack)
    killed = _kill9(stack, 'conductor')
    assert all(v == ('building', 'scheduling')
               for v in _states(stack, lost).values()), \
        _states(stack, lost)
    stack.start_daemon('scheduler')
    stack.start_daemon('conductor')
    conductor_back = time.monotonic()
    stack.wait_for_heartbeat('stratus-conductor', 30)

    # Compute dies while four guests spawn.
    spawning = [cloud.boot('rel-spawn-%d' % i) for i in range(4)]
    stack_client.wait(lambda: all(v == ('building', 'spawning') for v in
                      _states(stack, spawning).values()),
          20, 'four boots spawning', stack)
    _kill9(stack, 'compute')
    restarted = time.monotonic()
    stack.start_daemon('compute')
    stack_client.wait(lambda: _settled(stack, spawning), 30,
          'boots interrupted by the compute crash to settle', stack)
    FIGURES['compute restart -> interrupted boots in ERROR (s)'] = round(
        time.monotonic() - restarted, 1)
    for uuid in spawning:
        server = cloud.show(uuid)
        assert server['status'] == 'ERROR', server
        assert 'compute service restarted' in server['fault']['message']
    assert len(killed) >= 2

    # The lost builds: nobody will ever finish them; the restarted
    # conductor's build timeout check does.
    stack_client.wait(lambda: _settled(stack, lost), CHECK_PERIOD + BUILD_TIMEOUT + 10,
          'lost builds to time out', stack)
    FIGURES['conductor restart -> lost builds in ERROR (s)'] = round(
        time.monotonic() - conductor_back, 1)
    FIGURES['POST -> lost builds in ERROR (s)'] = round(
        time.monotonic() - posted, 1)
    for uuid in lost:
        assert _states(stack, [uuid])[uuid] == ('error', None)
        assert any('timed out' in m for m in stack_client.faults(stack, uuid)), \
            stack_client.faults(stack, uuid)
    # Nothing of this stack is left building.
    assert stack.query("SELECT uuid FROM instances WHERE deleted = 0 AND "
                       "(vm_state = 'building' OR task_state IS NOT NULL)"
                       ) == []
    stack.wait_for_heartbeat('stratus-compute', 30)


# -- quotas under concurrency -------------------------------------------------
def test_parallel_creates_over_http_respect_the_quota(rstack, cloud):
    stack = rstack
    project = stack.query("SELECT id FROM projects WHERE name = 'demo'")[0][0]
    used = stack.query("SELECT count(*) FROM instances WHERE project_id = ? "
                       "AND deleted = 0", project)[0][0]
    admin_token = stack_client.token(stack, 'admin')
    status, body, _ = stack_client.http('PUT', '%s/os-quota-sets/%s' % (
        stack.compute_url, project), {'quota_set': {'instances': used + 10,
                                                    'cores': -1, 'ram': -1}},
        token=admin_token)
    assert status == 200, body
    barrier = threading.Barrier(30)
    results = []

    def create(i):
        barrier.wait()
        status, body, _ = stack_client.http('POST', stack.compute_url + '/servers', {
            'server': {'name': 'rel-quota-%d' % i, 'imageRef': cloud.image,
                       'flavorRef': '1'}}, token=cloud.token)
        results.append((status, body['server']['id'] if status == 202
                        else body))

    threads = [threading.Thread(target=create, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(r[0] for r in results)
    assert statuses == [202] * 10 + [403] * 20, results
    assert stack.query("SELECT count(*) FROM instances WHERE project_id = ? "
                       "AND deleted = 0", project)[0][0] == used + 10
    created = [r[1] for r in results if r[0] == 202]
    stack_client.wait(lambda: _settled(stack, created), 60, 'the quota boots', stack)
    assert {v for v in _states(stack, created).values()} == {
        ('active', None)}
    status, body, _ = stack_client.http('PUT', '%s/os-quota-sets/%s' % (
        stack.compute_url, project), {'quota_set': {'instances': -1}},
        token=admin_token)
    assert status == 200, body


# -- SIGTERM ------------------------------------------------------------------
def _sigterm(stack, name):
    """SIGTERM the daemon's group; :returns: seconds until it exited."""
    proc = stack.procs[name]
    started = time.monotonic()
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)
    stack_client.wait(lambda: not _group_pids(proc.pid), 10, 'stratus-%s gone' % name,
          stack)
    return time.monotonic() - started


def test_sigterm_conductor_deregisters_and_loses_nothing(rstack, cloud):
    stack = rstack
    stack.wait_for_heartbeat('stratus-conductor', 30)
    took = _sigterm(stack, 'conductor')
    FIGURES['conductor SIGTERM -> exit (s)'] = round(took, 1)
    # Shown down at once, not after service_down_time.
    assert _service_row(stack, 'stratus-conductor') is None
    assert 'stratus-conductor' not in stack.up_services()
    uuid = cloud.boot('rel-while-conductor-down')
    time.sleep(1)
    assert _states(stack, [uuid])[uuid] == ('building', 'scheduling')
    stack.start_daemon('conductor')
    stack_client.wait(lambda: _settled(stack, [uuid]), 30, 'the queued boot', stack)
    assert _states(stack, [uuid])[uuid] == ('active', None)


def test_sigterm_compute_finishes_its_boot_and_deregisters(rstack, cloud):
    stack = rstack
    stack.wait_for_heartbeat('stratus-compute', 30)
    uuid = cloud.boot('rel-sigterm-compute')
    stack_client.wait(lambda: _states(stack, [uuid]).get(uuid) ==
          ('building', 'spawning'), 20, 'the boot to spawn', stack)
    took = _sigterm(stack, 'compute')
    FIGURES['compute SIGTERM with a boot in flight -> exit (s)'] = round(
        took, 1)
    # The boot it held was finished, not dropped or left in BUILD.
    assert _states(stack, [uuid])[uuid] == ('active', None)
    assert _service_row(stack, 'stratus-compute') is None
    assert took < SPAWN_DELAY + 10


def test_passwords_hashed_and_secrets_never_logged(rstack, cloud):
    stack = rstack
    admin_token = stack_client.token(stack, 'admin')
    status, body, _ = stack_client.http('GET', stack.compute_url + '/os-services',
                            token=admin_token)
    assert status == 200, body
    status, _, _ = stack_client.http('POST', stack.auth_url + '/auth/tokens', {
        'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'name': 'demo', 'domain': {'id': 'default'},
                     'password': stack.demo_password + 'x'}}}}})
    assert status == 401
    rows = stack.query('SELECT name, password_hash FROM users')
    assert {r[0] for r in rows} >= {'admin', 'demo'}
    for name, hashed in rows:
        scheme, rounds, salt, digest = hashed.split('$')
        assert scheme == 'pbkdf2_sha256' and int(rounds) >= 100000, name
        assert stack.admin_password not in hashed
        assert stack.demo_password not in hashed
    # Debug logging is on in test stacks: the strictest case.
    secrets = {'admin password': stack.admin_password,
               'demo password': stack.demo_password,
               'admin token': admin_token, 'demo token': cloud.token}
    leaks = []
    for name in os.listdir(stack.logs_dir):
        with open(os.path.join(stack.logs_dir, name), errors='replace') as f:
            text = f.read()
        leaks += ['%s in %s' % (what, name) for what, value in
                  secrets.items() if value in text]
    assert leaks == []


def test_zz_report_figures():
    print('\nreliability figures: %s' % json.dumps(FIGURES, indent=1))
