"""A volume on a real guest, through the stock CLI: create (scheduler ->
volume host, file driver), attach live (the guest's console reports the new
disk and libvirt lists it), detach (the guest reports it gone), delete (the
file is gone), with the status asserted at each step; delete while in use
is refused."""
import os
import subprocess
import time

import pytest

from tests.fixtures import guest


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError('timed out waiting for %s' % what)


@pytest.fixture(scope='module')
def guest_image(stack):
    return guest.upload_guest(stack, 'vtest-guest-%d' % os.getpid())


def _volume(stack, name):
    res = stack.openstack('volume', 'show', name, '-f', 'json', check=False)
    if res.returncode != 0:
        return None
    import json
    return json.loads(res.stdout)


def _block_devices(stack, server_id):
    out = stack.openstack('console', 'log', 'show', server_id).stdout
    lines = [line.strip() for line in out.splitlines()
             if line.startswith('STRATUS-BLOCK-DEVICES:')]
    return lines[-1] if lines else None


def _disks(domain):
    out = subprocess.run(['virsh', '-c', 'qemu:///system', 'domblklist',
                          domain], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.strip().startswith('vd')]


def test_attach_detach_real_guest(stack, guest_image):
    tag = os.getpid()
    vol, srv = 'vt-vol-%d' % tag, 'vt-srv-%d' % tag
    created = stack.openstack_json('volume', 'create', '--size', '1', vol)
    assert created['status'] == 'creating'
    volume_id = created['id']
    _wait(lambda: (_volume(stack, vol) or {}).get('status') == 'available',
          60, 'volume available')
    path = os.path.join(stack.state_path, 'volumes', 'volume-%s' % volume_id)
    assert os.path.exists(path)

    server = stack.openstack_json('server', 'create', '--flavor', '1',
                                  '--image', guest_image, '--nic', 'none',
                                  '--wait', srv, timeout=240)
    server_id = server['id']
    rows = stack.query('SELECT id FROM instances WHERE uuid = ?', server_id)
    domain = stack.domain_prefix + '%08x' % rows[0][0]
    _wait(lambda: _block_devices(stack, server_id) ==
          'STRATUS-BLOCK-DEVICES: vda', 120, 'the guest reporting vda')

    stack.openstack('server', 'add', 'volume', server_id, volume_id)
    shown = _volume(stack, vol)
    assert shown['status'] == 'in-use'
    assert shown['attachments'][0]['server_id'] == server_id
    assert shown['attachments'][0]['device'] == '/dev/vdb'
    assert _disks(domain) == ['vda', 'vdb']
    _wait(lambda: _block_devices(stack, server_id) ==
          'STRATUS-BLOCK-DEVICES: vda vdb', 60, 'the guest seeing vdb')

    refused = stack.openstack('volume', 'delete', vol, check=False)
    assert refused.returncode != 0 and '409' in refused.stderr
    assert _volume(stack, vol)['status'] == 'in-use'

    stack.openstack('server', 'remove', 'volume', server_id, volume_id)
    assert _volume(stack, vol)['status'] == 'available'
    assert _disks(domain) == ['vda']
    _wait(lambda: _block_devices(stack, server_id) ==
          'STRATUS-BLOCK-DEVICES: vda', 60, 'the guest losing vdb')

    stack.openstack('server', 'delete', '--wait', server_id, timeout=180)
    stack.openstack('volume', 'delete', vol)
    _wait(lambda: _volume(stack, vol) is None, 60, 'volume gone')
    assert not os.path.exists(path)


def _disk_sources(domain):
    out = subprocess.run(['virsh', '-c', 'qemu:///system', 'domblklist',
                          domain], capture_output=True, text=True).stdout
    return dict(line.split()[:2] for line in out.splitlines()
                if line.strip().startswith('vd'))


def test_boot_real_guest_from_volume(stack, guest_image):
    """The stock CLI's --boot-from-volume: the volume service makes a
    bootable volume from the image, compute boots the guest with it as
    vda (no image disk), and the volume outlives its server (the CLI does
    not ask delete_on_termination)."""
    srv = 'vt-bfv-%d' % os.getpid()
    server = stack.openstack_json(
        'server', 'create', '--flavor', '1', '--image', guest_image,
        '--boot-from-volume', '1', '--nic', 'none', '--wait', srv,
        timeout=300)
    assert server['status'] == 'ACTIVE'
    server_id = server['id']
    shown = stack.openstack_json('server', 'show', server_id)
    attached = shown['volumes_attached']
    assert len(attached) == 1, shown
    volume_id = attached[0]['id']
    volume = _volume(stack, volume_id)
    assert volume['status'] == 'in-use'
    assert str(volume['bootable']).lower() == 'true'
    assert volume['attachments'][0]['device'] == '/dev/vda'
    assert volume['attachments'][0]['server_id'] == server_id

    rows = stack.query('SELECT id, image_ref FROM instances WHERE uuid = ?',
                       server_id)
    assert rows[0][1] == ''
    domain = stack.domain_prefix + '%08x' % rows[0][0]
    path = os.path.join(stack.state_path, 'volumes', 'volume-%s' % volume_id)
    assert _disk_sources(domain) == {'vda': path}
    assert not os.path.exists(os.path.join(stack.instances_path, server_id,
                                           'disk'))
    _wait(lambda: _block_devices(stack, server_id) ==
          'STRATUS-BLOCK-DEVICES: vda', 120, 'the guest booting with vda')

    # The build recorded the volume as its own hop, before the spawn.
    events = stack.openstack_json('server', 'event', 'list', server_id)
    request_id = [e for e in events if e['Action'] == 'create'][0][
        'Request ID']
    action = stack.openstack_json('server', 'event', 'show', server_id,
                                  request_id)
    names = [e['event'] for e in action['events']]
    assert 'volume_attach' in names

    stack.openstack('server', 'delete', '--wait', server_id, timeout=180)
    _wait(lambda: (_volume(stack, volume_id) or {}).get('status') ==
          'available', 60, 'the root volume free again')
    stack.openstack('volume', 'delete', volume_id)
    _wait(lambda: _volume(stack, volume_id) is None, 60, 'volume gone')
    assert not os.path.exists(path)
