"""Multi-node on one machine: a controller plus two compute hosts that are
network namespaces (tools/multinode.sh), each with its own host name,
config file, instances folder, domain names and ``stratus-compute``
process, talking to the controller's RabbitMQ and image API over a veth
link to a bridge of the run's own.

The controller's own compute uses the fake driver; the two namespace hosts
use libvirt. The scheduler's cpu_allocation_ratio gives each libvirt host
room for exactly one m1.tiny guest and the fake host room for two, so four
boots must spread over all three hosts (one real guest per namespace host).
"""
import collections
import os
import subprocess
import time

from tests.fixtures import guest
from tests.fixtures import stack as stack_fixture

BOOT_TIMEOUT = 150


def _libvirt_cpus():
    out = subprocess.run(['virsh', '-c', stack_fixture.LIBVIRT_URI,
                          'nodeinfo'], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        if line.startswith('CPU(s):'):
            return int(line.split()[1])
    raise AssertionError('no CPU(s) in virsh nodeinfo: %s' % out)


def _virsh(*args):
    return subprocess.run(['virsh', '-c', stack_fixture.LIBVIRT_URI]
                          + list(args), capture_output=True, text=True)


def _wait_servers(stack, ids, status='ACTIVE', timeout=BOOT_TIMEOUT):
    """{id: server} once every server has ``status``; fails on ERROR."""
    deadline = time.monotonic() + timeout
    while True:
        servers = {s['ID']: s for s in stack.openstack_json(
            'server', 'list', '--long', user='admin')}
        got = {i: servers.get(i, {}).get('Status') for i in ids}
        errors = [i for i, s in got.items() if s == 'ERROR']
        assert not errors, 'servers in ERROR: %s' % errors
        if all(s == status for s in got.values()):
            return {i: servers[i] for i in ids}
        assert time.monotonic() < deadline, \
            'servers not %s after %ss: %s' % (status, timeout, got)
        time.sleep(1)


def _host_of(stack, server_id):
    return stack.openstack_json('server', 'show', server_id,
                                user='admin')['OS-EXT-SRV-ATTR:host']


def _boot(stack, image_id, name, count=1):
    args = ['server', 'create', '--flavor', 'm1.tiny', '--image', image_id]
    if count > 1:
        args += ['--min', str(count), '--max', str(count)]
    stack.openstack('server', *args[1:], name, user='admin')
    deadline = time.monotonic() + 30
    while True:
        ids = [s['ID'] for s in stack.openstack_json(
            'server', 'list', '--name', '^%s' % name, user='admin')]
        if len(ids) == count:
            return ids
        assert time.monotonic() < deadline, 'boot of %s: %s' % (name, ids)
        time.sleep(0.5)


def _check_real_guest(stack, name, server_id):
    """The guest runs in libvirt under the namespace host's own domain
    name and instances folder, not under any other host's."""
    c = stack.computes[name]
    prefix = c['template'].split('%')[0]
    ours = [d for d in stack.domains() if d.startswith(prefix)]
    uuids = {_virsh('domuuid', d).stdout.strip(): d for d in ours}
    assert server_id in uuids, (name, server_id, uuids)
    dom = uuids[server_id]
    assert _virsh('domstate', dom).stdout.strip() == 'running'
    xml = _virsh('dumpxml', dom).stdout
    assert stack.compute_state_path(name) + '/instances/' + server_id in xml
    others = [d for d in stack.domains()
              if not d.startswith(prefix) and
              _virsh('domuuid', d).stdout.strip() == server_id]
    assert not others, others


def test_controller_and_two_compute_namespaces():
    cpus = _libvirt_cpus()
    overrides = {
        'scheduler': {'driver': 'filter', 'host_subset_size': 1,
                      # One m1.tiny per libvirt host, two on the fake one.
                      'cpu_allocation_ratio': 1.0 / cpus + 1e-6},
        'compute': {'fake_vcpus': 2 * cpus},
        'network': {'manager': 'noop'},
    }
    stack = stack_fixture.MultiNodeStack(
        computes=[('c1', 'libvirt'), ('c2', 'libvirt')], driver='fake',
        tag='%dm' % os.getpid(), overrides=overrides)
    t0 = time.monotonic()
    marks = []

    def mark(what):
        marks.append((what, round(time.monotonic() - t0, 1)))
    try:
        stack.start()
        started = time.monotonic() - t0
        ctl = stack.host
        c1, c2 = stack.computes['c1']['host'], stack.computes['c2']['host']

        # Each namespace host's compute runs inside its namespace, with no
        # route off the bridge.
        for name, c in stack.computes.items():
            pid = stack.procs['compute-%s' % name].pid
            ns = subprocess.run(['ip', 'netns', 'identify', str(pid)],
                                capture_output=True, text=True).stdout
            assert ns.strip() == c['netns']
            routes = subprocess.run(['ip', '-n', c['netns'], 'route'],
                                    capture_output=True, text=True).stdout
            assert 'default' not in routes
            # Host discovery: the compute node row is there within one
            # heartbeat of the service's first one.
            svc, node = stack.query(
                'SELECT s.created_at, n.created_at FROM services s, '
                'compute_nodes n WHERE s.host = ? AND n.host = s.host AND '
                's."binary" = \'stratus-compute\' AND s.deleted = 0 AND '
                'n.deleted = 0', c['host'])[0]
            gap = (time.mktime(time.strptime(node[:19], '%Y-%m-%d %H:%M:%S'))
                   - time.mktime(time.strptime(svc[:19], '%Y-%m-%d %H:%M:%S')))
            assert gap <= 2, (name, svc, node, c['ready_log'])

        hypervisors = {h['Hypervisor Hostname'] for h in stack.openstack_json(
            'hypervisor', 'list', user='admin')}
        assert {ctl, c1, c2} <= hypervisors, hypervisors
        services = stack.manage('service', 'list')
        for host in (ctl, c1, c2):
            line = [ln for ln in services.splitlines()
                    if 'stratus-compute' in ln and host in ln]
            assert line and ' up ' in line[0] and 'enabled' in line[0], \
                services

        mark('checks')
        image_id = guest.upload_guest(stack, 'mn-tiny')

        # Four boots: the filter scheduler must use all three hosts.
        t_boot = time.monotonic()
        ids = _boot(stack, image_id, 'mn-a', count=4)
        _wait_servers(stack, ids)
        boot_s = time.monotonic() - t_boot
        placed = {i: _host_of(stack, i) for i in ids}
        assert collections.Counter(placed.values()) == {
            ctl: 2, c1: 1, c2: 1}, placed
        by_host = {h: [i for i, hh in placed.items() if hh == h]
                   for h in (ctl, c1, c2)}
        _check_real_guest(stack, 'c1', by_host[c1][0])
        _check_real_guest(stack, 'c2', by_host[c2][0])
        # The fake host's instances never reach libvirt.
        for sid in by_host[ctl]:
            assert not [d for d in stack.domains()
                        if _virsh('domuuid', d).stdout.strip() == sid]

        mark('boot4')
        # Disable c1, free a slot on c1 and one on the fake host: the next
        # boot must avoid c1 although it has room.
        out = stack.manage('service', 'disable', c1, '--reason',
                           'multinode test')
        assert 'disabled' in out
        listed = {s['Host']: s for s in stack.openstack_json(
            'compute', 'service', 'list', '--service', 'stratus-compute',
            '--long', user='admin')}
        assert listed[c1]['Status'] == 'disabled'
        assert listed[c1]['Disabled Reason'] == 'multinode test'
        stack.openstack('server', 'delete', '--wait', by_host[c1][0],
                        by_host[ctl][0], user='admin')
        mark('disable+delete')
        ids_b = _boot(stack, image_id, 'mn-b')
        assert _wait_servers(stack, ids_b)[ids_b[0]]['Host'] == ctl

        mark('boot-avoid')
        # Enabled again, c1 takes the next boot (the only room left).
        assert 'enabled' in stack.manage('service', 'enable', c1)
        ids_c = _boot(stack, image_id, 'mn-c')
        assert _wait_servers(stack, ids_c)[ids_c[0]]['Host'] == c1
        _check_real_guest(stack, 'c1', ids_c[0])
        mark('boot-enabled')
        print('multinode: stack up in %.1fs, 4 boots ACTIVE in %.1fs, '
              'ready logs %s' % (started, boot_s, {
                  n: c['ready_log'] for n, c in stack.computes.items()}))
    finally:
        mark('test')
        stack.stop(keep=False)
        mark('teardown')
        print('multinode timings: %s' % marks)
    # Nothing of the run remains: namespaces, veths, bridge, domains,
    # processes, RabbitMQ user, folder.
    assert stack.leftovers() == []
