"""A real guest through the HTTP API: ACTIVE only once libvirt runs it,
its console through the API, reboot, stop, start and a clean delete."""
import os
import subprocess
import time

import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from tests.fixtures import guest


def _domstate(name):
    out = subprocess.run(['virsh', '-c', 'qemu:///system', 'domstate', name],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


@pytest.fixture(scope='module')
def guest_image(stack):
    return guest.upload_guest(stack, 'itest-guest-%d' % os.getpid())


@pytest.fixture(scope='module')
def http(stack):
    auth = v3.Password(auth_url=stack.auth_url, username='demo',
                       password=stack.demo_password, project_name='demo',
                       user_domain_name='Default',
                       project_domain_name='Default')
    sess = ks_session.Session(auth=auth)
    base = stack.compute_url

    def call(method, path, **kw):
        return sess.request(base + path, method, raise_exc=False, **kw)
    return call


def _status(http, server_id):
    resp = http('GET', '/servers/%s' % server_id)
    return resp.json()['server']['status'] if resp.ok else resp.status_code


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError('timed out waiting for %s' % what)


def _action(http, server_id, body):
    resp = http('POST', '/servers/%s/action' % server_id, json=body)
    assert resp.status_code in (200, 202), resp.text
    return resp


def test_real_guest_lifecycle_through_the_api(stack, guest_image, http):
    resp = http('POST', '/servers', json={'server': {
        'name': 'itest-%d' % os.getpid(), 'imageRef': guest_image,
        'flavorRef': '1', 'networks': 'none'}},
        headers={'OpenStack-API-Version': 'compute 2.37'})
    assert resp.status_code == 202, resp.text
    server_id = resp.json()['server']['id']
    rows = stack.query('SELECT id FROM instances WHERE uuid = ?', server_id)
    domain = stack.domain_prefix + '%08x' % rows[0][0]
    assert domain.startswith('stt')

    # Every time the API shows ACTIVE, libvirt already runs the domain.
    def active():
        status = _status(http, server_id)
        assert status != 'ERROR', http('GET', '/servers/%s' %
                                       server_id).text
        if status == 'ACTIVE':
            assert _domstate(domain) == 'running'
            return True
    _wait(active, 120, 'ACTIVE')

    def console():
        resp = _action(http, server_id, {'os-getConsoleOutput': {}})
        return guest.BOOTED in resp.json()['output'] and resp.json()
    _wait(console, 120, 'the guest marker in the console')
    tail = _action(http, server_id, {'os-getConsoleOutput': {'length': 2}})
    assert len(tail.json()['output'].splitlines()) <= 2

    _action(http, server_id, {'reboot': {'type': 'HARD'}})
    _wait(lambda: _status(http, server_id) == 'ACTIVE', 120, 'reboot')
    assert _domstate(domain) == 'running'

    _action(http, server_id, {'os-stop': None})
    _wait(lambda: _status(http, server_id) == 'SHUTOFF', 120, 'SHUTOFF')
    assert _domstate(domain) == 'shut off'
    # A stopped server can't be stopped again.
    again = http('POST', '/servers/%s/action' % server_id,
                 json={'os-stop': None})
    assert again.status_code == 409

    _action(http, server_id, {'os-start': None})
    _wait(lambda: _status(http, server_id) == 'ACTIVE', 120, 'start')
    assert _domstate(domain) == 'running'

    instance_dir = os.path.join(stack.instances_path, server_id)
    assert os.path.isdir(instance_dir)
    assert http('DELETE', '/servers/%s' % server_id).status_code == 204
    _wait(lambda: _status(http, server_id) == 404, 120, 'delete')
    assert _domstate(domain) is None
    assert not os.path.exists(instance_dir)
    hops = ('compute_spawn', 'compute_reboot_instance',
            'compute_stop_instance', 'compute_start_instance',
            'compute_terminate_instance')

    def recorded():
        # Compute sends its events in batched casts, after the fact.
        rows = stack.query(
            'SELECT e.event FROM instance_actions_events e JOIN '
            'instance_actions a ON a.id = e.action_id WHERE '
            'a.instance_uuid = ? ORDER BY e.id', server_id)
        names = [e[0] for e in rows]
        return names if all(hop in names for hop in hops) else None
    names = _wait(recorded, 30, 'action events')
    for hop in hops:
        assert hop in names
    # The spawn's sub-steps, each an event of its own, in the order run.
    steps = [n for n in names if n.startswith('compute_spawn_')]
    assert steps == ['compute_spawn_' + s for s in (
        'image_fetch', 'disk', 'xml', 'define', 'create', 'wait_running')]
