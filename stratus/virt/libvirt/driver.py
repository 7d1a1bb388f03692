"""LibvirtDriver: real guests through libvirt (QEMU/TCG or KVM).

Each instance owns ``[compute] instances_path/<uuid>/`` holding its
copy-on-write root disk (``disk``, a qcow2 overlay on the cached image) and
its serial console log (``console.log``). Domains are named by
``[DEFAULT] instance_name_template``; only domains with that prefix are
considered ours.
"""
import contextlib
from concurrent import futures
import functools
import json
import os
import queue
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import libvirt
from oslo_log import log as logging
from oslo_utils import excutils
from oslo_utils import timeutils

from stratus import conf
from stratus import exception
from stratus.compute import power_state
from stratus.virt import driver
from stratus.virt.libvirt import config
from stratus.virt.libvirt import designer
from stratus.virt.libvirt import host as host_mod
from stratus.virt.libvirt import imagecache
from stratus.virt.libvirt import paths
from stratus.virt.libvirt import waiter

CONF = conf.CONF
LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
MAX_CONSOLE_BYTES = 100 * 1024
# Events of a domain we are operating on are our own doing; they may still
# be in flight for a moment after the call returned.
OWN_EVENT_GRACE = 2.0

POWER_STATES = {
    libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
    libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
}
RUNNING = {libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_BLOCKED}
STOPPED = {libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_CRASHED}
LIFECYCLE_EVENTS = {
    libvirt.VIR_DOMAIN_EVENT_STARTED: driver.EVENT_STARTED,
    libvirt.VIR_DOMAIN_EVENT_STOPPED: driver.EVENT_STOPPED,
    libvirt.VIR_DOMAIN_EVENT_SUSPENDED: driver.EVENT_PAUSED,
    libvirt.VIR_DOMAIN_EVENT_RESUMED: driver.EVENT_RESUMED,
}


def _translated(func):
    """libvirt errors leave the driver as VirtDriverError: libvirtError is
    not an exception RPC can carry back to the caller."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except libvirt.libvirtError as e:
            raise exception.VirtDriverError(reason=str(e)) from e
    return wrapper


def _error_code(error):
    return error.get_error_code() if isinstance(
        error, libvirt.libvirtError) else None


_SIZES = {}
_SIZES_LOCK = threading.Lock()


def _virtual_size(path, fmt):
    """Virtual size of a cached base image. Cached files never change in
    place (a new download is a new file), so ask qemu-img once per file
    instead of once per boot."""
    stat = os.stat(path)
    key = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size, fmt)
    with _SIZES_LOCK:
        if key in _SIZES:
            return _SIZES[key]
    info = _run(['qemu-img', 'info', '--output=json', '-f', fmt, path])
    size = json.loads(info)['virtual-size']
    with _SIZES_LOCK:
        _SIZES[key] = size
    return size


def _image_props(image_meta):
    """Image metadata with its properties flattened in."""
    meta = dict(image_meta.get('properties') or {})
    meta.update({k: v for k, v in image_meta.items() if k != 'properties'})
    return meta


class _Steps:
    """Times the sub-steps of a spawn (image fetch, disk, XML, define,
    create, wait for RUNNING), so that an operator sees where a slow boot
    spent its time."""

    def __init__(self):
        self.done = []

    @contextlib.contextmanager
    def __call__(self, name):
        start = timeutils.utcnow()
        yield
        self.done.append((name, start, timeutils.utcnow()))


class LibvirtDriver(driver.ComputeDriver):
    capabilities = {'supports_attach_volume': True}

    def __init__(self, host=None, image_cache=None):
        super().__init__()
        self._host = host or host_mod.Host(
            CONF.libvirt.connection_uri, self._on_lifecycle,
            pool_size=CONF.libvirt.connection_pool_size)
        self._image_cache = image_cache or imagecache.ImageCache()
        self._waiters = waiter.DomainWaiters()
        self._busy_lock = threading.Lock()
        self._busy = {}
        # Root disks made ahead of the spawn (``prepare_disks``), by uuid.
        self._prepared = {}
        self._preparer = futures.ThreadPoolExecutor(
            max_workers=4, thread_name_prefix='disk-prep')
        self._events = queue.Queue()
        self._event_thread = None
        self.virt_type = None

    # -- host ---------------------------------------------------------------

    def init_host(self, host):
        self._host.initialize()
        self.virt_type = host_mod.detect_virt_type(CONF.libvirt.virt_type)
        os.makedirs(CONF.compute.instances_path, mode=0o755, exist_ok=True)
        if self._event_thread is None:
            # The listener may make RPC calls: run it off the libvirt event
            # loop, which must never block.
            self._event_thread = threading.Thread(
                target=self._dispatch_events, name='libvirt-lifecycle',
                daemon=True)
            self._event_thread.start()

    def cleanup_host(self, host):
        self._host.close()

    @_translated
    def get_available_resource(self):
        conn = self._host.get_connection()
        model, memory_mb, cpus, mhz, nodes, sockets, cores, threads = \
            conn.getInfo()
        disk = os.statvfs(CONF.compute.instances_path)
        cpu_model = ET.fromstring(conn.getCapabilities()).findtext(
            './host/cpu/model')
        return {
            'vcpus': cpus,
            'memory_mb': memory_mb,
            'local_gb': disk.f_frsize * disk.f_blocks // GiB,
            'hypervisor_type': 'QEMU',
            'hypervisor_version': conn.getVersion(),
            'hypervisor_hostname': CONF.host,
            'cpu_info': {'arch': model, 'model': cpu_model, 'mhz': mhz,
                         'virt_type': self.virt_type,
                         'topology': {'nodes': nodes, 'sockets': sockets,
                                      'cores': cores, 'threads': threads}},
        }

    @_translated
    def list_instance_uuids(self):
        conn = self._host.get_connection()
        return [dom.UUIDString() for dom in conn.listAllDomains(0)
                if self._is_ours(dom.name())]

    # -- lifecycle ----------------------------------------------------------

    def prepare_disks(self, context, instance, image_meta):
        """Fetch the image and make the root disk in the background, so
        that the build's network and state round trips overlap them;
        ``spawn`` waits for the result (and reports its errors)."""
        try:
            uuid = paths.checked_uuid(instance['uuid'])
            self._prepared[uuid] = self._preparer.submit(
                self._make_disks, context, instance,
                _image_props(image_meta), False, _Steps())
        except Exception:
            LOG.warning('Could not start the disks of %s ahead',
                        instance.get('uuid'), exc_info=True)

    def _take_prepared(self, uuid):
        """Wait for a root disk made ahead for ``uuid``, if any."""
        future = self._prepared.pop(uuid, None)
        return future.result() if future is not None else None

    def _make_disks(self, context, instance, meta, from_volume, steps):
        """:returns: (root disk or None, kernel, ramdisk, steps, the base
        image the root disk overlays)."""
        disk = base = kernel = ramdisk = None
        with steps('image_fetch'):
            if not from_volume:
                base = self._image_cache.fetch(context, meta['id'],
                                               meta.get('checksum'))
            if designer.uses_kernel_boot(meta):
                kernel = self._image_cache.fetch(context, meta['kernel_id'])
                if meta.get('ramdisk_id'):
                    ramdisk = self._image_cache.fetch(context,
                                                      meta['ramdisk_id'])
        if not from_volume:
            with steps('disk'):
                os.makedirs(paths.instance_dir(instance), mode=0o755,
                            exist_ok=True)
                disk = paths.root_disk(instance)
                self._create_overlay(instance, base,
                                     designer.backing_format(meta), disk)
        return disk, kernel, ramdisk, steps, base

    @_translated
    def spawn(self, context, instance, image_meta, network_info,
              block_device_info=None):
        uuid = paths.checked_uuid(instance['uuid'])
        started = time.monotonic()
        steps = _Steps()
        with self._operation(uuid):
            if self._find_domain(uuid) is not None:
                raise exception.Duplicate(
                    reason='instance %s already has a domain here' % uuid)
            try:
                os.makedirs(paths.instance_dir(instance), mode=0o755,
                            exist_ok=True)
                guest = self._prepare_guest(context, instance, image_meta,
                                            network_info, block_device_info,
                                            steps)
                with steps('xml'):
                    xml = guest.to_xml()
                with steps('define'):
                    dom = self._host.get_connection().defineXML(xml)
                with steps('create'):
                    dom.createWithFlags(0)
                with steps('wait_running'):
                    self._wait_running(dom, uuid)
            except Exception:
                with excutils.save_and_reraise_exception():
                    LOG.warning('Spawn of %s failed; removing what it made',
                                uuid)
                    self._cleanup(instance, uuid)
        LOG.info('Instance %s running after %.2f s', uuid,
                 time.monotonic() - started)
        return steps.done

    @_translated
    def destroy(self, context, instance, network_info,
                block_device_info=None, destroy_disks=True):
        uuid = paths.checked_uuid(instance['uuid'])
        with self._operation(uuid):
            try:
                # A disk still being made ahead would outlive the rmtree.
                self._take_prepared(uuid)
            except Exception:
                pass
            dom = self._find_domain(uuid)
            if dom is not None:
                self._force_stop(dom)
                self._undefine(dom)
            if destroy_disks:
                shutil.rmtree(paths.instance_dir(instance), ignore_errors=True)

    @_translated
    def reboot(self, context, instance, network_info, reboot_type):
        uuid = paths.checked_uuid(instance['uuid'])
        with self._operation(uuid):
            dom = self._lookup(uuid)
            if reboot_type == 'SOFT' and dom.isActive():
                if self._shutdown_gracefully(
                        dom, uuid, CONF.libvirt.soft_reboot_timeout):
                    self._start(dom, uuid)
                    return
                LOG.warning('Instance %s ignored the ACPI shutdown for %d s: '
                            'rebooting it hard', uuid,
                            CONF.libvirt.soft_reboot_timeout)
            self._force_stop(dom)
            self._start(dom, uuid)

    @_translated
    def power_off(self, instance, timeout=0):
        uuid = paths.checked_uuid(instance['uuid'])
        with self._operation(uuid):
            dom = self._lookup(uuid)
            if not dom.isActive():
                return
            if timeout and self._shutdown_gracefully(dom, uuid, timeout):
                return
            self._force_stop(dom)

    @_translated
    def power_on(self, context, instance, network_info,
                 block_device_info=None):
        uuid = paths.checked_uuid(instance['uuid'])
        with self._operation(uuid):
            dom = self._lookup(uuid)
            if not dom.isActive():
                self._start(dom, uuid)

    @_translated
    def get_info(self, instance):
        dom = self._lookup(paths.checked_uuid(instance['uuid']))
        state = POWER_STATES.get(dom.state()[0], power_state.NOSTATE)
        return driver.InstanceInfo(state=state, domain=dom.name())

    @_translated
    def get_console_output(self, context, instance):
        self._lookup(paths.checked_uuid(instance['uuid']))
        try:
            # QEMU's user owns the file; the compute daemon reads as root.
            with open(paths.console_log(instance), 'rb') as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - MAX_CONSOLE_BYTES))
                data = f.read()
        except FileNotFoundError:
            return ''
        return data.decode('utf-8', errors='replace')

    # -- volumes ------------------------------------------------------------

    @_translated
    def attach_volume(self, context, connection_info, instance, mountpoint):
        disk = designer.volume_config(connection_info, mountpoint)
        dom = self._lookup(paths.checked_uuid(instance['uuid']))
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        if dom.isActive():
            flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.attachDeviceFlags(disk.to_xml(), flags)
        LOG.info('Attached %s to %s at %s', disk.source_path,
                 instance['uuid'], disk.target_dev)

    @_translated
    def detach_volume(self, context, connection_info, instance, mountpoint):
        dev = designer.device_name(mountpoint)
        uuid = paths.checked_uuid(instance['uuid'])
        dom = self._lookup(uuid)
        live = bool(dom.isActive())
        persistent = self._disk(dom, dev, libvirt.VIR_DOMAIN_XML_INACTIVE)
        current = self._disk(dom, dev, 0) if live else None
        if persistent is None and current is None:
            LOG.warning('Volume at %s is not attached to %s', dev, uuid)
            return
        flags = 0
        if persistent is not None:
            flags |= libvirt.VIR_DOMAIN_AFFECT_CONFIG
        if current is not None:
            flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.detachDeviceFlags((current or persistent).to_xml(), flags)
        if current is not None:
            # The guest releases the device asynchronously.
            gone = waiter.wait_for_state(
                self._waiters, uuid, lambda: self._disk(dom, dev, 0) is None,
                {True}, CONF.libvirt.wait_timeout,
                max(CONF.libvirt.wait_poll_interval, 0.1))
            if gone is None:
                raise exception.VirtDriverError(
                    reason='guest %s did not release %s' % (uuid, dev))
        LOG.info('Detached %s from %s', dev, uuid)

    @_translated
    def get_volume_devices(self, instance):
        """Volume disks are those with a serial (the volume id)."""
        dom = self._lookup(paths.checked_uuid(instance['uuid']))
        flags = 0 if dom.isActive() else libvirt.VIR_DOMAIN_XML_INACTIVE
        return {disk.serial: disk.target_dev
                for disk in config.parse_disks(dom.XMLDesc(flags))
                if disk.serial}

    # -- helpers ------------------------------------------------------------

    def _prepare_guest(self, context, instance, image_meta, network_info,
                       block_device_info, steps):
        meta = _image_props(image_meta)
        volumes = [(bdm['connection_info'], bdm['mount_device'])
                   for bdm in (block_device_info or {}).get(
                       'block_device_mapping', ())]
        # Booted from a volume: it is vda, and no image disk is made.
        from_volume = any(designer.device_name(mount) == 'vda'
                          for _info, mount in volumes)
        prepared = self._take_prepared(instance['uuid'])
        if prepared is None or from_volume:
            prepared = self._make_disks(context, instance, meta, from_volume,
                                        steps)
        else:
            steps.done.extend(prepared[3].done)
        disk, kernel, ramdisk, _steps, base = prepared
        return designer.domain_config(
            instance, meta, network_info, self.virt_type or 'qemu',
            disk_path=disk, console_path=paths.console_log(instance),
            kernel_path=kernel, ramdisk_path=ramdisk, volumes=volumes,
            backing_path=base)

    @staticmethod
    def _create_overlay(instance, base, fmt, disk):
        root_gb = instance.get('root_gb')
        if root_gb is None and isinstance(instance.get('flavor'), dict):
            root_gb = instance['flavor'].get('root_gb')
        size = None
        if root_gb:
            virtual = _virtual_size(base, fmt)
            if root_gb * GiB < virtual:
                raise exception.Invalid(
                    reason='flavor disk %d GiB is smaller than the image '
                           '(%d bytes)' % (root_gb, virtual))
            size = '%dG' % root_gb
        # Every overlay of one base and size is the same file (a qcow2
        # header naming the base, no per-disk identity), so qemu-img runs
        # once per base and size and each boot copies its few hundred KiB:
        # a process start less on the boot's path.
        shutil.copyfile(_overlay_template(base, fmt, size), disk)

    def _lookup(self, uuid):
        dom = self._find_domain(uuid)
        if dom is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return dom

    def _find_domain(self, uuid):
        try:
            return self._host.get_connection().lookupByUUIDString(uuid)
        except libvirt.libvirtError as e:
            if _error_code(e) == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise

    def _start(self, dom, uuid):
        dom.createWithFlags(0)
        self._wait_running(dom, uuid)

    def _wait_running(self, dom, uuid):
        state = waiter.wait_for_running(
            self._waiters, uuid, lambda: dom.state()[0], RUNNING | STOPPED,
            CONF.libvirt.wait_timeout, CONF.libvirt.wait_poll_interval)
        if state not in RUNNING:
            raise exception.VirtDriverError(
                reason='domain of %s stopped while starting' % uuid)

    def _shutdown_gracefully(self, dom, uuid, timeout):
        """ACPI shutdown; True once the guest is off within ``timeout``."""
        try:
            dom.shutdown()
        except libvirt.libvirtError as e:
            if _error_code(e) != libvirt.VIR_ERR_OPERATION_INVALID:
                raise
        return waiter.wait_for_state(
            self._waiters, uuid, lambda: dom.state()[0], STOPPED, timeout,
            CONF.libvirt.wait_poll_interval) is not None

    @staticmethod
    def _force_stop(dom):
        for attempt in range(3):
            try:
                if not dom.isActive():
                    return
                dom.destroy()
                return
            except libvirt.libvirtError as e:
                code = _error_code(e)
                if code == libvirt.VIR_ERR_NO_DOMAIN:
                    return
                if code == libvirt.VIR_ERR_OPERATION_INVALID:
                    continue  # stopped between our check and destroy
                if code == libvirt.VIR_ERR_SYSTEM_ERROR and attempt < 2:
                    # QEMU is still flushing I/O: SIGKILL did not land yet.
                    time.sleep(1)
                    continue
                raise

    @staticmethod
    def _undefine(dom):
        try:
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM |
                              libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        except libvirt.libvirtError as e:
            code = _error_code(e)
            if code == libvirt.VIR_ERR_NO_DOMAIN:
                return
            if code in (libvirt.VIR_ERR_NO_SUPPORT,
                        libvirt.VIR_ERR_INVALID_ARG):
                dom.undefine()
                return
            raise

    def _cleanup(self, instance, uuid):
        try:
            dom = self._find_domain(uuid)
            if dom is not None:
                self._force_stop(dom)
                self._undefine(dom)
        except Exception:
            LOG.exception('Could not remove the domain of %s', uuid)
        shutil.rmtree(paths.instance_dir(instance), ignore_errors=True)

    @staticmethod
    def _disk(dom, dev, flags):
        for disk in config.parse_disks(dom.XMLDesc(flags)):
            if disk.target_dev == dev:
                return disk
        return None

    # -- events -------------------------------------------------------------

    @staticmethod
    def _is_ours(name):
        prefix = CONF.instance_name_template.split('%', 1)[0]
        return bool(prefix) and name.startswith(prefix)

    @contextlib.contextmanager
    def _operation(self, uuid):
        """Mark ``uuid`` busy so its lifecycle events are not reported as
        changes made outside the driver."""
        with self._busy_lock:
            now = time.monotonic()
            for key, (count, until) in list(self._busy.items()):
                if count <= 0 and until < now:
                    del self._busy[key]
            count, _until = self._busy.get(uuid, (0, 0))
            self._busy[uuid] = (count + 1, 0)
        try:
            yield
        finally:
            with self._busy_lock:
                count, _until = self._busy[uuid]
                self._busy[uuid] = (count - 1,
                                    time.monotonic() + OWN_EVENT_GRACE)

    def _own_event(self, uuid):
        with self._busy_lock:
            count, until = self._busy.get(uuid, (0, 0))
            if count <= 0 and until < time.monotonic():
                self._busy.pop(uuid, None)
                return False
            return True

    def _on_lifecycle(self, name, uuid, event, detail):
        """Runs on the libvirt event loop thread: no blocking here."""
        self._waiters.notify(uuid)
        mapped = LIFECYCLE_EVENTS.get(event)
        if mapped is None or not self._is_ours(name):
            return
        if self._own_event(uuid):
            LOG.debug('Lifecycle %s of %s is our own doing', mapped, uuid)
            return
        self._events.put((uuid, mapped))

    def _dispatch_events(self):
        while True:
            uuid, event = self._events.get()
            LOG.info('Instance %s %s outside the driver', uuid, event)
            try:
                self.emit_event(uuid, event)
            except Exception:
                LOG.exception('Lifecycle listener failed for %s', uuid)


def _overlay_template(base, fmt, size):
    """A fresh qcow2 overlay of ``base`` made once, beside it. Its name
    carries the base's inode and mtime: a new download of the image never
    finds the template of the old one."""
    stat = os.stat(base)
    path = '%s.overlay-%d-%d-%s-%s' % (base, stat.st_ino, stat.st_mtime_ns,
                                       fmt, size or 'same')
    if not os.path.exists(path):
        tmp = '%s.%d.%d.tmp' % (path, os.getpid(), threading.get_ident())
        cmd = ['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', fmt,
               '-b', base, tmp]
        if size:
            cmd.append(size)
        try:
            _run(cmd)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return path


def _run(cmd):
    try:
        result = subprocess.run(cmd, check=True, capture_output=True,
                                text=True, timeout=120)
    except subprocess.CalledProcessError as e:
        raise exception.VirtDriverError(
            reason='%s failed: %s' % (cmd[0], e.stderr.strip()))
    return result.stdout
