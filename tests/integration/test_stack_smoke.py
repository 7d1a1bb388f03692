"""The spine over real processes: six daemons, RabbitMQ, the stock CLI."""
import os
import time

import pytest

from tests.fixtures import stack as stack_fixture


def test_daemons_alive_and_queues_declared(fake_stack):
    dead = [d for d in stack_fixture.DAEMONS
            if not fake_stack.daemon_alive(d)]
    assert not dead, 'daemons not running: %s' % dead
    queues = fake_stack.rabbit_queues()
    for topic in stack_fixture.RPC_TOPICS:
        assert topic in queues, 'no queue %s in %s' % (topic, queues)
        # The per-host queue that prepare(server=host) reaches.
        assert '%s.%s' % (topic, fake_stack.host) in queues


@pytest.fixture(scope='module')
def tiny_image(fake_stack, tmp_path_factory):
    path = tmp_path_factory.mktemp('image') / 'tiny.img'
    path.write_bytes(os.urandom(4096))
    image = fake_stack.openstack_json(
        'image', 'create', '--disk-format', 'raw', '--container-format',
        'bare', '--public', '--file', str(path), 'smoke-tiny', user='admin')
    yield image['id']
    fake_stack.openstack('image', 'delete', image['id'], user='admin',
                         check=False)


def test_boot_list_delete_with_stock_cli(fake_stack, tiny_image):
    name = 'smoke-%d' % os.getpid()
    started = time.monotonic()
    server = fake_stack.openstack_json(
        'server', 'create', '--flavor', 'm1.tiny', '--image', tiny_image,
        '--wait', name)
    assert server['status'] == 'ACTIVE', server
    boot_s = time.monotonic() - started

    shown = fake_stack.openstack_json('server', 'show', name)
    assert shown['status'] == 'ACTIVE'
    assert shown['id'] == server['id']
    names = [s['Name'] for s in fake_stack.openstack_json('server', 'list')]
    assert name in names

    fake_stack.openstack('server', 'delete', '--wait', name)
    gone = fake_stack.openstack('server', 'show', name, check=False)
    assert gone.returncode != 0, gone.stdout
    names = [s['Name'] for s in fake_stack.openstack_json('server', 'list')]
    assert name not in names
    # The record is soft-deleted, not lost.
    rows = fake_stack.query(
        'SELECT vm_state, deleted FROM instances WHERE uuid = ?',
        server['id'])
    assert rows and rows[0][1] != 0, rows
    print('boot to ACTIVE through the CLI in %.1fs' % boot_s)


def test_boot_events_through_the_stock_cli(fake_stack, tiny_image):
    """`openstack server event list/show` show one event per hop, to the
    owner without tracebacks, with the request id the API returned."""
    name = 'events-%d' % os.getpid()
    fake_stack.openstack_json('server', 'create', '--flavor', 'm1.tiny',
                              '--image', tiny_image, '--wait', name)
    actions = fake_stack.openstack_json('server', 'event', 'list', name)
    create = [a for a in actions if a['Action'] == 'create']
    assert len(create) == 1, actions
    request_id = create[0]['Request ID']
    assert request_id.startswith('req-')
    shown = fake_stack.openstack_json(
        '--os-compute-api-version', '2.51', 'server', 'event', 'show',
        name, request_id)
    events = [e['event'] for e in shown['events']]
    for hop in ('conductor_build_instances', 'scheduler_select_destinations',
                'compute_build_and_run_instance', 'compute_spawn'):
        assert hop in events, events
    assert not any(e.get('traceback') for e in shown['events'])
    # The same request id is in the logs of every daemon the boot crossed.
    for daemon in ('api', 'conductor', 'scheduler', 'compute'):
        with open(fake_stack.log_path(daemon)) as log:
            assert request_id in log.read(), daemon
    fake_stack.openstack('server', 'delete', '--wait', name)
