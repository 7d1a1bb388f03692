#!/usr/bin/env python3
"""Boot throughput with many simulated compute hosts (fake driver).

    .venv/bin/python tools/bench/throughput.py [--runs 10x10,100x50] \\
        [--boots 500] [--hosts-procs 1]

For each run MxC: a private stack (tests/fixtures/stack.Stack, fake driver,
its own RabbitMQ vhost, database and ports: the six daemons as separate
processes) plus M simulated compute hosts, ComputeManager + Service objects
with the fake driver, each its own host name and queue, all in one helper
process (``--hosts-procs`` to spread them) over the same RabbitMQ. Then
C client threads (keystoneauth sessions) each boot, wait for their server
to leave BUILD, and boot again until K (``--boots``) servers were
requested. One poller thread lists ``/servers?status=BUILD`` every
20 ms (one request for all servers instead of one GET each; ids are all
it needs, so not the detailed list); a server that was created before a
poll and is not in its answer has left BUILD then.
Prints boots/s (K over the time from the first POST to the last ACTIVE),
p50/p99 POST->ACTIVE, errors, and SQL statements per boot summed over
every daemon (STRATUS_SQL_COUNT_DIR, see stratus/db/api.py), and the
write transactions per boot by where they are opened, with their mean
wait for the write turn and hold time (STRATUS_DB_HOLD_LOG).
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import bench_common  # noqa: E402  (beside this file)

POLL = 0.02
MICROVERSION = {'OpenStack-API-Version': 'compute 2.37'}


# -- the helper process: M compute hosts --------------------------------------

def hosts_main(conf_path, prefix, first, count, ready_file):
    """Run ``count`` compute services named ``prefix-N`` until SIGTERM."""
    import resource
    import stratus  # noqa: F401  (threading backend first)
    from stratus.cmd import common
    from stratus import service
    from oslo_messaging._drivers import amqpdriver
    # stratus.service caps an idle listener's wait at 1 s so that daemons
    # stop quickly; hundreds of simulated hosts in one process would wake
    # thousands of times a second for it: the library's 5 s here.
    amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MAX = 5
    # A few broker connections per simulated host: past the usual soft
    # limit of 1024 files with a few hundred hosts in one process.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    from stratus.compute import manager
    from stratus.db import api as db_api
    from stratus.virt import fake
    common.setup(['stratus-bench-hosts', '--config-file', conf_path],
                 'stratus-bench-hosts')
    db_api.forbid('simulated compute hosts go through the conductor')
    services = []
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for n in range(first, first + count):
        host = '%s-%04d' % (prefix, n)
        svc = service.Service('stratus-compute', 'compute',
                              manager.ComputeManager(
                                  host=host, driver=fake.FakeDriver()),
                              host=host)
        svc.start()
        services.append(svc)
    with open(ready_file, 'w') as f:
        f.write('%d\n' % count)
    stop.wait()
    threads = [threading.Thread(target=s.stop) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    os._exit(0)


# -- the client side -------------------------------------------------------------

def sql_total(count_dir):
    total = 0
    for name in os.listdir(count_dir):
        if name.endswith('.tmp'):
            continue
        try:
            with open(os.path.join(count_dir, name)) as f:
                total += int(f.read().strip() or 0)
        except (OSError, ValueError):
            pass
    return total


class Poller(threading.Thread):
    """Lists BUILD servers every POLL s; wakes the waiters of the others."""

    def __init__(self, sess, base):
        super().__init__(daemon=True)
        self.sess, self.base = sess, base
        self.lock = threading.Lock()
        self.waiting = {}  # id -> (created monotonic, Event, [done time])
        self.stopping = threading.Event()
        self.polls = 0

    def add(self, sid, created):
        event = threading.Event()
        slot = [None]
        with self.lock:
            self.waiting[sid] = (created, event, slot)
        return event, slot

    def run(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            with self.lock:
                known = {sid: v for sid, v in self.waiting.items()
                         if v[0] < started}
            if known:
                resp = self.sess.get(
                    self.base + '/servers?status=BUILD&limit=1000',
                    headers=MICROVERSION)
                building = {s['id'] for s in resp.json()['servers']}
                now = time.monotonic()
                self.polls += 1
                with self.lock:
                    for sid, (_, event, slot) in known.items():
                        if sid not in building:
                            slot[0] = now
                            event.set()
                            del self.waiting[sid]
            time.sleep(max(0.0, POLL - (time.monotonic() - started)))


def session_for(stack, user='demo'):
    from keystoneauth1 import session as ks_session
    from keystoneauth1.identity import v3
    password = stack.demo_password if user == 'demo' else \
        stack.admin_password
    auth = v3.Password(auth_url=stack.auth_url, username=user,
                       password=password, project_name=user,
                       user_domain_name='Default',
                       project_domain_name='Default')
    sess = ks_session.Session(auth=auth)
    sess.get_token()
    return sess


def prepare(stack):
    """Unlimited quota for demo and a public 1 KiB image; its id."""
    admin = session_for(stack, 'admin')
    project = stack.query("SELECT id FROM projects WHERE name = 'demo'")[0][0]
    resp = admin.put(stack.compute_url + '/os-quota-sets/' + project,
                     json={'quota_set': {'instances': -1, 'cores': -1,
                                         'ram': -1}})
    resp.raise_for_status()
    resp = admin.post(stack.image_url + '/v2/images', json={
        'name': 'bench', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    image = resp.json()['id']
    admin.put('%s/v2/images/%s/file' % (stack.image_url, image),
              data=os.urandom(1024),
              headers={'Content-Type': 'application/octet-stream'})
    return image


def fire(stack, image, boots, concurrency):
    sess = session_for(stack)
    base = stack.compute_url
    poller = Poller(sess, base)
    poller.start()
    lock = threading.Lock()
    left = [boots]
    latencies, ids, failures = [], [], []

    def worker(i):
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
                n = left[0]
            t0 = time.monotonic()
            resp = sess.post(base + '/servers', json={'server': {
                'name': 'tp-%d-%d' % (i, n), 'imageRef': image,
                'flavorRef': '1', 'networks': 'none'}},
                headers=MICROVERSION, raise_exc=False)
            if resp.status_code != 202:
                failures.append(resp.text[:200])
                continue
            sid = resp.json()['server']['id']
            event, slot = poller.add(sid, time.monotonic())
            if not event.wait(120):
                failures.append('%s not out of BUILD in 120 s' % sid)
                continue
            with lock:
                latencies.append(slot[0] - t0)
                ids.append(sid)

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,))
               for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    poller.stopping.set()
    poller.join()
    statuses = {}
    marker = None
    while True:
        url = base + '/servers/detail?limit=1000'
        if marker:
            url += '&marker=' + marker
        page = sess.get(url, headers=MICROVERSION).json()['servers']
        for s in page:
            statuses[s['id']] = s['status']
        if len(page) < 1000:
            break
        marker = page[-1]['id']
    errors = sum(1 for sid in ids if statuses.get(sid) != 'ACTIVE')
    return {'elapsed': elapsed, 'latencies': latencies,
            'errors': errors + len(failures), 'failures': failures[:3],
            'polls': poller.polls}


def wait_hosts(stack, prefix, count, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = stack.query(
            'SELECT count(*) FROM compute_nodes WHERE host LIKE ? AND '
            'deleted = 0', prefix + '-%')
        if rows and rows[0][0] >= count:
            return
        time.sleep(0.5)
    raise RuntimeError('only %s of %d compute nodes registered' % (
        rows, count))


def one_run(hosts, concurrency, boots, hosts_procs, keep_logs):
    from tests.fixtures import stack as stack_fixture
    count_dir = tempfile.mkdtemp(prefix='stratus-sqlcount-')
    os.environ['STRATUS_SQL_COUNT_DIR'] = count_dir
    # Every write transaction's wait and hold time (stratus/db/api.py).
    hold_prefix = os.path.join(count_dir, 'hold')
    os.environ['STRATUS_DB_HOLD_LOG'] = hold_prefix
    tag = 'tp%d' % os.getpid()
    stack = stack_fixture.Stack(driver='fake', tag=tag, overrides={
        'DEFAULT': {'debug': 'false', 'report_interval': 10,
                    'service_down_time': 120, 'rpc_response_timeout': 120},
        'network': {'manager': 'noop'},
        'compute': {'resource_update_interval': 60,
                    'sync_power_state_interval': 600},
    })
    procs = []
    stack.start()
    try:
        prefix = 'bench-%s' % uuid.uuid4().hex[:6]
        per = -(-hosts // hosts_procs)
        for p in range(hosts_procs):
            first, count = p * per, min(per, hosts - p * per)
            if count <= 0:
                break
            ready = os.path.join(stack.root, 'hosts-%d.ready' % p)
            out = open(stack.log_path('bench-hosts-%d' % p), 'ab')
            procs.append(subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), '--hosts-worker',
                 stack.conf_path, prefix, str(first), str(count), ready],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                env=stack._daemon_env()))
            out.close()
        t0 = time.monotonic()
        wait_hosts(stack, prefix, hosts)
        bring_up = time.monotonic() - t0
        image = prepare(stack)
        # Warm-up: a few boots so token caches and imports are hot.
        fire(stack, image, min(concurrency, 10), min(concurrency, 10))
        sql_before = sql_total(count_dir)
        for name in os.listdir(count_dir):
            if name.startswith('hold.'):
                os.unlink(os.path.join(count_dir, name))
        result = fire(stack, image, boots, concurrency)
        time.sleep(1.2)  # let every process write its last count
        result['sql'] = (sql_total(count_dir) - sql_before) / max(1, boots)
        result['holds'] = hold_table(count_dir, boots, result['elapsed'])
        result['bring_up'] = bring_up
        result['rss_mb'] = sum(_rss(p.pid) for p in procs) / 1024
        return result
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        if keep_logs:
            dest = os.path.join(keep_logs, '%dx%d' % (hosts, concurrency))
            shutil.copytree(stack.logs_dir, dest, dirs_exist_ok=True)
        stack.stop()
        shutil.rmtree(count_dir, ignore_errors=True)


def hold_table(count_dir, boots, elapsed):
    """Write transactions during the run, by the function that opened
    them: per boot, mean wait for the write turn and mean hold."""
    by = {}
    for name in os.listdir(count_dir):
        if not name.startswith('hold.'):
            continue
        with open(os.path.join(count_dir, name)) as f:
            for line in f:
                where, waited, held = line.split()
                n, w, h = by.get(where, (0, 0.0, 0.0))
                by[where] = (n + 1, w + float(waited), h + float(held))
    total = sum(h for _n, _w, h in by.values())
    lines = ['write transactions: %.1f per boot; the write lock was held '
             '%.0f%% of the run' % (sum(n for n, _w, _h in by.values()) /
                                     max(1, boots), 100 * total / elapsed)]
    for where, (n, w, h) in sorted(by.items(), key=lambda kv: -kv[1][2]):
        if h < 0.01 * total:
            continue
        lines.append('  %-40s %5.2f/boot  wait %6.1f ms  hold %5.2f ms  '
                     '(%2.0f%% of held time)' % (
                         where, n / max(1, boots), 1000 * w / n,
                         1000 * h / n, 100 * h / total))
    return '\n'.join(lines)


def _rss(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--hosts-worker':
        conf_path, prefix, first, count, ready = sys.argv[2:7]
        hosts_main(conf_path, prefix, int(first), int(count), ready)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', default='10x10,100x50',
                        help='comma-separated HOSTSxCONCURRENCY')
    parser.add_argument('--boots', type=int, default=500,
                        help='boots per run (K)')
    parser.add_argument('--hosts-procs', type=int, default=1,
                        help='helper processes the hosts are spread over')
    parser.add_argument('--keep-logs', default=None,
                        help='copy each run\'s daemon logs here')
    args = parser.parse_args()
    rows, holds = [], []
    for spec in args.runs.split(','):
        hosts, conc = (int(x) for x in spec.lower().split('x'))
        r = one_run(hosts, conc, args.boots, args.hosts_procs,
                    args.keep_logs)
        lat = r['latencies'] or [float('nan')]
        rows.append((hosts, conc, args.boots, len(r['latencies']) /
                     r['elapsed'], statistics.median(lat),
                     bench_common.pct(lat, 99),
                     r['errors'], r['sql'], r['bring_up'], r['rss_mb']))
        holds.append('(%d,%d) %s' % (hosts, conc, r['holds']))
        if r['failures']:
            print('failures (first 3): %s' % r['failures'], file=sys.stderr)
        # Each run's row and write-lock table as soon as it ends: a later
        # run that fails must not lose them.
        sys.stderr.write('run %s done: %.1f boots/s, p50 %.3f s, p99 %.3f '
                         's, %d errors\n%s\n' % (
                             spec, rows[-1][3], rows[-1][4], rows[-1][5],
                             rows[-1][6], r['holds']))
    print('command: %s' % ' '.join([os.path.relpath(sys.executable, ROOT)] +
                                   sys.argv))
    print('machine: %s' % bench_common.machine())
    print()
    print('| hosts M | concurrency C | boots K | boots/s | p50 POST->ACTIVE '
          '| p99 | errors | SQL statements/boot | hosts up in | hosts RSS |')
    print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for row in rows:
        print('| %d | %d | %d | %.1f | %.3f s | %.3f s | %d | %.1f | %.0f s '
              '| %.0f MiB |' % row)
    print()
    for text in holds:
        print(text)


if __name__ == '__main__':
    main()
