#!/usr/bin/env python3
"""Boot latency of real guests: Stratus against raw libvirt.

    .venv/bin/python tools/bench/boot_latency.py [--boots N]

Starts a private stack (its own RabbitMQ vhost, database, ports and domain
names, as the integration tests do) with the libvirt driver, then for N
sequential boots of the tiny guest measures POST /servers -> the API shows
ACTIVE, and POST -> the guest's first console line through the API. In the
same run it measures the floor: the same domain XML defined and started
with libvirt-python directly, timed to RUNNING and to the first console
line. Prints p50/p90 and the Stratus/raw ratio, and the machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import stratus  # noqa: E402,F401  (threading backend first)
import libvirt  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1.identity import v3  # noqa: E402

import bench_common  # noqa: E402  (beside this file)
from tests.fixtures import guest  # noqa: E402
from tests.fixtures import stack as stack_fixture  # noqa: E402

# Both sides poll at the same interval, so both carry the same rounding;
# faster polling of the API would cost CPU the booting guest needs here.
POLL = float(os.environ.get("BENCH_POLL", 0.05))


def wait(predicate, timeout=120, interval=POLL):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError('timed out')


def demo_session(stack):
    auth = v3.Password(auth_url=stack.auth_url, username='demo',
                       password=stack.demo_password, project_name='demo',
                       user_domain_name='Default',
                       project_domain_name='Default')
    sess = ks_session.Session(auth=auth)
    sess.get_token()
    return sess


def stratus_boots(stack, sess, image_id, n):
    base = stack.compute_url
    active, console, xml, backing, hops = [], [], None, None, []
    for i in range(n):
        t0 = time.monotonic()
        resp = sess.post(base + '/servers', json={'server': {
            'name': 'bench-%d' % i, 'imageRef': image_id, 'flavorRef': '1',
            'networks': 'none'}},
            headers={'OpenStack-API-Version': 'compute 2.37'})
        sid = resp.json()['server']['id']

        def is_active():
            s = sess.get(base + '/servers/' + sid).json()['server']
            if s['status'] == 'ERROR':
                raise RuntimeError(s.get('fault'))
            return s['status'] == 'ACTIVE'
        wait(is_active)
        active.append(time.monotonic() - t0)

        def printed():
            out = sess.post(base + '/servers/%s/action' % sid,
                            json={'os-getConsoleOutput': {}}).json()
            return guest.BOOTED in out['output']
        wait(printed)
        console.append(time.monotonic() - t0)
        if xml is None:
            rows = stack.query('SELECT id FROM instances WHERE uuid = ?',
                               sid)
            name = stack.domain_prefix + '%08x' % rows[0][0]
            # The XML as Stratus defined it (--inactive): the live XML also
            # carries what libvirt worked out when the domain started (CPU
            # features, aliases, addresses), sparing the raw side work.
            xml = subprocess.run(['virsh', 'dumpxml', '--inactive', name],
                                 check=True,
                                 capture_output=True, text=True).stdout
            disk = ET.fromstring(xml).find('./devices/disk/source').get(
                'file')
            info = subprocess.run(['qemu-img', 'info', '-U',
                                   '--output=json', disk], check=True,
                                  capture_output=True, text=True).stdout
            backing = json.loads(info)['full-backing-filename']
        hops.append(_hops(stack, sid))
        sess.delete(base + '/servers/' + sid)
        wait(lambda: sess.get(base + '/servers/' + sid,
                              raise_exc=False).status_code == 404)
    return active, console, xml, backing, hops


def _hops(stack, server_id):
    """Seconds from the API's create action to the start and end of each
    hop, from the instance's action events (no polling in the way)."""
    import datetime
    rows = stack.query(
        'SELECT a.start_time, e.event, e.start_time, e.finish_time, '
        'i.launched_at FROM instance_actions a JOIN instance_actions_events'
        ' e ON e.action_id = a.id JOIN instances i ON i.uuid = '
        'a.instance_uuid WHERE a.instance_uuid = ? AND a.action = ? '
        'ORDER BY e.id', server_id, 'create')
    parse = datetime.datetime.fromisoformat
    t0 = parse(rows[0][0])
    result = {e: ((parse(s) - t0).total_seconds(),
                  (parse(f) - t0).total_seconds())
              for _, e, s, f, _ in rows}
    result['launched_at'] = (parse(rows[0][4]) - t0).total_seconds()
    return result


def raw_boots(template_xml, backing_file, workdir, n):
    """The same domain, defined and started with libvirt-python alone."""
    conn = libvirt.open('qemu:///system')
    root = ET.fromstring(template_xml)
    running, console, creates = [], [], []
    for i in range(n):
        name = 'rawbench-%d-%s' % (os.getpid(), uuid.uuid4().hex[:8])
        folder = os.path.join(workdir, name)
        os.makedirs(folder)
        os.chmod(folder, 0o755)
        disk = os.path.join(folder, 'disk')
        log = os.path.join(folder, 'console.log')
        root.find('name').text = name
        root.find('uuid').text = str(uuid.uuid4())
        root.find("./devices/disk/source").set('file', disk)
        for serial in root.iter('serial'):
            src = serial.find('source')
            if src is not None and src.get('path'):
                src.set('path', log)
        for path in root.iter('log'):
            path.set('file', log)
        xml = ET.tostring(root, encoding='unicode')
        t0 = time.monotonic()
        # The same work Stratus's driver does per boot: overlay, define,
        # create, wait for RUNNING.
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F',
                        'qcow2', '-b', backing_file, disk], check=True)
        dom = conn.defineXML(xml)
        c0 = time.monotonic()
        dom.createWithFlags(0)
        creates.append(time.monotonic() - c0)
        wait(lambda: dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING)
        running.append(time.monotonic() - t0)

        def printed():
            try:
                with open(log, errors='replace') as f:
                    return guest.BOOTED in f.read()
            except OSError:
                return False
        wait(printed)
        console.append(time.monotonic() - t0)
        dom.destroy()
        dom.undefine()
        subprocess.run(['rm', '-rf', folder])
    conn.close()
    return running, console, creates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--boots', type=int, default=10)
    args = parser.parse_args()
    stack = stack_fixture.Stack(driver='libvirt', tag='b%d' % os.getpid())
    stack.overrides.setdefault('network', {})['manager'] = 'noop'
    stack.start()
    try:
        image_id = guest.upload_guest(stack, 'bench-guest')
        sess = demo_session(stack)
        # One warm-up boot fills the image cache, as a cloud's would be,
        # and gives the domain XML the raw side boots.
        _, _, xml, backing, _ = stratus_boots(stack, sess, image_id, 1)
        active, s_console, hops, raw_run, raw_console = [], [], [], [], []
        raw_create = []
        # Alternate the two sides so that any change in the machine's load
        # during the run weighs on both alike.
        for _ in range(args.boots):
            a, c, _, _, h = stratus_boots(stack, sess, image_id, 1)
            active += a
            s_console += c
            hops += h
            r, rc, cr = raw_boots(xml, backing, stack.state_path, 1)
            raw_run += r
            raw_create += cr
            raw_console += rc
    finally:
        stack.stop()
    print('Boot latency, %d sequential boots of the tiny guest (TCG where '
          'no VT-x)' % args.boots)
    print('machine: %s' % bench_common.machine())
    print('command: .venv/bin/python tools/bench/boot_latency.py --boots %d'
          % args.boots)
    print()
    print('%-44s %8s %8s' % ('', 'p50 (s)', 'p90 (s)'))
    for label, values in (
            ('Stratus: POST -> API shows ACTIVE', active),
            ('raw libvirt: define+create -> RUNNING', raw_run),
            ('Stratus: POST -> first console line (API)', s_console),
            ('raw libvirt: -> first console line (file)', raw_console)):
        print('%-44s %8.3f %8.3f' % (label, bench_common.pct(values, 50),
                                     bench_common.pct(values, 90)))
    print()
    print('Where a Stratus boot spends its time (median seconds after the '
          'API recorded the create action):')
    steps = sorted({e for h in hops for e in h
                    if e.startswith('compute_spawn_')},
                   key=lambda e: statistics.median(
                       h[e][0] for h in hops if e in h))
    for hop in ['conductor_build_instances', 'scheduler_select_destinations',
                'compute_build_and_run_instance',
                'network_allocate_for_instance', 'compute_spawn'] + steps:
        starts = [h[hop][0] for h in hops if hop in h]
        ends = [h[hop][1] for h in hops if hop in h]
        if starts:
            print('  %-32s start %6.3f  end %6.3f' % (
                hop, statistics.median(starts), statistics.median(ends)))
    print('  %-32s       %6.3f' % (
        'raw libvirt: createWithFlags took', statistics.median(raw_create)))
    print('  %-32s       %6.3f' % ('launched_at (ACTIVE written)',
                                    statistics.median(
                                        h['launched_at'] for h in hops)))
    print()
    print('ratio Stratus/raw to RUNNING/ACTIVE (p50): %.2f' % (
        statistics.median(active) / statistics.median(raw_run)))
    print('ratio Stratus/raw to first console line (p50): %.2f' % (
        statistics.median(s_console) / statistics.median(raw_console)))


if __name__ == '__main__':
    main()
