"""A daemon: an RPC server for one topic, a heartbeat and periodic tasks.

``Service`` runs under oslo.service's threading launcher (cotyledon), which
forks one worker and forwards SIGTERM to ``stop()``. Everything that opens
sockets (transport, database, libvirt) is created in ``start()``, so in the
worker, never in the parent.
"""
import threading
import time

from oslo_log import log as logging
from oslo_messaging._drivers import amqpdriver
from oslo_service import service as o_service

from stratus import conf
from stratus import context
from stratus import rpc

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# An idle RPC listener of oslo.messaging (18.x) blocks in one consume() for
# up to ACK_REQUEUE_EVERY_SECONDS_MAX (5 s) and only sees ``stop()`` when
# that returns, so every SIGTERM of an idle daemon took ~5 s before the
# graceful stop even began. A 1 s cap bounds that wait at the cost of one
# more wake-up a second of an idle listener (the module reads the constant
# at each poll).
IDLE_POLL_MAX = 1.0
if getattr(amqpdriver, 'ACK_REQUEUE_EVERY_SECONDS_MAX', 0) > IDLE_POLL_MAX:
    amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MAX = IDLE_POLL_MAX


class PeriodicTask:
    """A manager method run every ``interval`` seconds on its own thread."""

    def __init__(self, name, interval, func, initial_delay=None):
        self.name = name
        self.interval = interval
        self.func = func
        self.initial_delay = interval if initial_delay is None \
            else initial_delay


class Service(o_service.Service):
    """One Stratus daemon.

    :param binary: e.g. ``stratus-compute``; names the services row.
    :param topic: the RPC topic the manager serves (None: no RPC server,
        as for the API daemon).
    :param manager: the endpoint object; may define ``init_host()``,
        ``cleanup_host()``, ``periodic_tasks()`` and ``reporter``.
    """

    def __init__(self, binary, topic, manager, host=None):
        super().__init__()
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.host = host or CONF.host
        # The services row needs a topic even for the RPC-less api daemon.
        self.report_topic = topic or binary.replace('stratus-', '')
        self.rpcserver = None
        self._stopping = threading.Event()
        self._threads = []

    def start(self):
        try:
            self._start()
        except Exception:
            # The launcher prints to stderr only: say why in our own log.
            LOG.exception('%s failed to start', self.binary)
            raise

    def _start(self):
        LOG.info('Starting %s on %s (topic %s)', self.binary, self.host,
                 self.topic)
        rpc.init()
        if hasattr(self.manager, 'init_host'):
            self.manager.init_host()
        if self.topic is not None:
            self.rpcserver = rpc.get_server(self.topic, self.host,
                                            [self.manager])
            self.rpcserver.start()
        self._report(first=True)
        self._spawn('heartbeat', CONF.report_interval, self._report, 0)
        tasks = getattr(self.manager, 'periodic_tasks', lambda: [])()
        for task in tasks:
            self._spawn(task.name, task.interval, task.func,
                        task.initial_delay)
        LOG.info('%s started', self.binary)

    def _report(self, first=False):
        try:
            self.manager.reporter.report(self.host, self.binary,
                                         self.report_topic)
        except Exception:
            # A missed heartbeat is logged, not fatal: the next one may land.
            LOG.exception('Heartbeat of %s failed', self.binary)

    def _spawn(self, name, interval, func, initial_delay):
        def loop():
            if self._stopping.wait(initial_delay):
                return
            while not self._stopping.is_set():
                started = time.monotonic()
                try:
                    func()
                except Exception:
                    LOG.exception('Periodic task %s failed', name)
                delay = max(0.0, interval - (time.monotonic() - started))
                if self._stopping.wait(delay):
                    return
        thread = threading.Thread(target=loop, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, graceful=True):
        """Stop taking work, let in-flight work finish, deregister."""
        if self._stopping.is_set():
            return
        LOG.info('Stopping %s', self.binary)
        self._stopping.set()
        if self.rpcserver is not None:
            self.rpcserver.stop()
            waiter = threading.Thread(target=self.rpcserver.wait,
                                      daemon=True)
            waiter.start()
            waiter.join(CONF.graceful_stop_timeout)
            if waiter.is_alive():
                LOG.warning('In-flight work did not finish within %ss',
                            CONF.graceful_stop_timeout)
        if hasattr(self.manager, 'cleanup_host'):
            try:
                self.manager.cleanup_host()
            except Exception:
                LOG.exception('cleanup_host failed')
        try:
            self.manager.reporter.report(self.host, self.binary,
                                         self.report_topic, stopping=True)
        except Exception:
            LOG.exception('Could not deregister %s', self.binary)
        LOG.info('%s stopped', self.binary)

    def wait(self):
        self._stopping.wait()

    def reset(self):
        pass


def serve(server):
    """Run ``server`` until SIGTERM/SIGINT; returns the exit code."""
    launcher = o_service.launch(CONF, server, restart_method='mutate')
    return launcher.wait()


def admin_context():
    return context.get_admin_context()
