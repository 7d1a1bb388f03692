"""The compute host's own view of its capacity, and claims against it.

The scheduler only guesses; a claim here is the real check. Claims and
releases are reported to the conductor by one background thread, off the
boot's path: reports go out one at a time and in order (so an older
snapshot never lands last), and a burst of claims is sent as one report.
The scheduler does not wait for them: it counts instances by host and its
own in-flight decisions.
"""
import threading

from oslo_log import log as logging

from stratus import conf
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def _usage(instance):
    return (instance['vcpus'], instance['memory_mb'],
            instance['root_gb'] + (instance.get('ephemeral_gb') or 0))


class ResourceTracker:
    def __init__(self, host, driver, report):
        """:param report: ``callable(resources)`` sending the node's row."""
        self.host = host
        self.driver = driver
        self._report = report
        self._lock = threading.Lock()
        self._dirty = threading.Condition()
        self._pending = False
        self._reporter = None
        self.capacity = {}
        self.tracked = {}

    def reset(self, instances):
        """Start tracking exactly ``instances`` (on start-up)."""
        with self._lock:
            self.tracked = {i['uuid']: _usage(i) for i in instances}
        self.update_available_resource()

    def _used(self):
        used = [0, 0, 0]
        for usage in self.tracked.values():
            for i, value in enumerate(usage):
                used[i] += value
        return used

    def claim(self, instance):
        """Reserve the instance's resources on this host.

        :raises: RescheduledException when they don't fit.
        """
        vcpus, memory_mb, disk_gb = _usage(instance)
        with self._lock:
            if instance['uuid'] not in self.tracked:
                cap = self.capacity
                used_cpu, used_mem, used_disk = self._used()
                limits = (
                    ('vCPUs', vcpus, cap.get('vcpus', 0) *
                     CONF.scheduler.cpu_allocation_ratio - used_cpu),
                    ('MiB RAM', memory_mb, cap.get('memory_mb', 0) *
                     CONF.scheduler.ram_allocation_ratio -
                     CONF.scheduler.reserved_host_memory_mb - used_mem),
                    ('GB disk', disk_gb, cap.get('local_gb', 0) *
                     CONF.scheduler.disk_allocation_ratio - used_disk))
                for what, wanted, free in limits:
                    if wanted > free:
                        raise exception.RescheduledException(
                            instance_uuid=instance['uuid'],
                            reason='Insufficient compute resources: %s '
                                   'wanted %s, free %s on %s' % (
                                       what, wanted, free, self.host))
                self.tracked[instance['uuid']] = (vcpus, memory_mb, disk_gb)
        self._send()

    def release(self, instance_uuid):
        with self._lock:
            removed = self.tracked.pop(instance_uuid, None)
        if removed is not None:
            self._send()

    def update_available_resource(self):
        """Re-read capacity from the driver and report it."""
        resources = self.driver.get_available_resource()
        with self._lock:
            self.capacity = resources
        self._send()

    def _send(self):
        """Ask the reporter thread for a report of the current state."""
        with self._dirty:
            self._pending = True
            if self._reporter is None:
                self._reporter = threading.Thread(
                    target=self._report_loop, name='resource-reporter',
                    daemon=True)
                self._reporter.start()
            self._dirty.notify()

    def _report_loop(self):
        while True:
            with self._dirty:
                while not self._pending:
                    self._dirty.wait()
                self._pending = False
            self._report_now()

    def _report_now(self):
        with self._lock:
            resources = dict(self.capacity)
            used_cpu, used_mem, used_disk = self._used()
            resources.update(vcpus_used=used_cpu, memory_mb_used=used_mem,
                             local_gb_used=used_disk,
                             running_vms=len(self.tracked),
                             host_ip=CONF.my_ip)
        try:
            self._report(resources)
        except Exception:
            LOG.warning('Could not report resources of %s', self.host,
                        exc_info=True)
