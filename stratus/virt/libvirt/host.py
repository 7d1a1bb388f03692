"""The libvirt connection(s) of one compute host and its event loop.

libvirtd serves at most ``max_client_requests`` (5 by default) calls at once
per client connection and queues the rest, so one connection shared by every
worker thread serialises slow calls (destroy takes 1.5 s under TCG). This
module keeps a small pool of connections, handed out round robin; the first
one also carries the lifecycle event subscription. A connection that died
(libvirtd restarted) is replaced the next time it is handed out.
"""
import itertools
import os
import threading

from oslo_log import log as logging

from stratus import exception

LOG = logging.getLogger(__name__)

_event_loop_lock = threading.Lock()
_event_loop_started = False


def detect_virt_type(configured='auto', kvm_device='/dev/kvm',
                     cpuinfo='/proc/cpuinfo'):
    """'kvm' or 'qemu'.

    ``auto`` picks kvm only where the KVM device exists *and* the CPU flags
    show hardware virtualisation: a /dev/kvm backed by something else (as
    kvm_pvm on these machines) starts guests that then hang forever.
    """
    if configured != 'auto':
        LOG.info('virt_type %s (configured)', configured)
        return configured
    has_device = os.path.exists(kvm_device)
    has_flags = False
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith('flags'):
                    flags = line.split(':', 1)[-1].split()
                    has_flags = 'vmx' in flags or 'svm' in flags
                    break
    except OSError as e:
        LOG.warning('Cannot read %s: %s', cpuinfo, e)
    virt_type = 'kvm' if has_device and has_flags else 'qemu'
    LOG.info('virt_type %s (auto: %s %s, vmx/svm flags %s)', virt_type,
             kvm_device, 'present' if has_device else 'absent',
             'present' if has_flags else 'absent')
    return virt_type


def _libvirt():
    # Imported late so that unit tests and the fake driver never need it.
    import libvirt
    return libvirt


def start_event_loop():
    """Register libvirt's default event loop and run it in a thread.

    Must happen before the first connection is opened, or that connection
    never delivers events. Once per process.
    """
    global _event_loop_started
    with _event_loop_lock:
        if _event_loop_started:
            return
        libvirt = _libvirt()
        # libvirt prints every error to stderr by default, even the ones we
        # expect and handle (a lookup of a domain that is gone).
        libvirt.registerErrorHandler(lambda opaque, error: None, None)
        libvirt.virEventRegisterDefaultImpl()

        def run():
            while True:
                try:
                    libvirt.virEventRunDefaultImpl()
                except Exception:
                    LOG.exception('libvirt event loop iteration failed')

        thread = threading.Thread(target=run, name='libvirt-events',
                                  daemon=True)
        thread.start()
        _event_loop_started = True


class Host:
    """Lazily opened libvirt connections plus lifecycle event dispatch.

    :param uri: libvirt connection URI.
    :param lifecycle_callback: ``callback(domain_name, domain_uuid, event,
        detail)``, run on the event loop thread: it must not block.
    :param pool_size: connections to spread concurrent calls over.
    """

    def __init__(self, uri, lifecycle_callback=None, pool_size=2):
        self.uri = uri
        self._callback = lifecycle_callback
        self._lock = threading.Lock()
        self._pool = [None] * max(1, pool_size)
        self._next = itertools.cycle(range(len(self._pool)))
        self._event_conn = None
        self._event_id = None

    def initialize(self):
        start_event_loop()
        self.get_connection()

    def get_connection(self):
        """A live connection; opens or re-opens one as needed.

        :raises: ``exception.ServiceUnavailable`` when libvirtd can't be
            reached.
        """
        with self._lock:
            slot = next(self._next)
            conn = self._pool[slot]
            if conn is None or not self._alive(conn):
                conn = self._pool[slot] = self._open()
            if self._event_conn is None or not self._alive(self._event_conn):
                self._subscribe(conn)
            return conn

    def close(self):
        with self._lock:
            for conn in self._pool:
                if conn is None:
                    continue
                try:
                    conn.close()
                except Exception:
                    pass
            self._pool = [None] * len(self._pool)
            self._event_conn = None

    @staticmethod
    def _alive(conn):
        try:
            return conn.isAlive() == 1
        except Exception:
            return False

    def _open(self):
        libvirt = _libvirt()
        try:
            conn = libvirt.open(self.uri)
        except libvirt.libvirtError as e:
            raise exception.ServiceUnavailable(
                reason='libvirt at %s: %s' % (self.uri, e))
        try:
            # Notice a restarted libvirtd within seconds, not at next call.
            conn.setKeepAlive(5, 3)
        except libvirt.libvirtError:
            pass
        LOG.info('Connected to libvirt at %s', self.uri)
        return conn

    def _subscribe(self, conn):
        if self._callback is None:
            return
        libvirt = _libvirt()
        try:
            self._event_id = conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                self._on_lifecycle, None)
            self._event_conn = conn
        except libvirt.libvirtError as e:
            # Waiters still poll, so a missing subscription only costs time.
            LOG.warning('Cannot subscribe to lifecycle events: %s', e)

    def _on_lifecycle(self, conn, dom, event, detail, opaque):
        try:
            self._callback(dom.name(), dom.UUIDString(), event, detail)
        except Exception:
            LOG.exception('Lifecycle event handler failed')
