"""Server side of the compute daemon (topic ``compute``, server = host).

Methods are entry points: they check state, then hand the work to a flow
module (``build``, ``actions``). The compute daemon never opens the
database; everything goes through the conductor.
"""
import contextlib

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import context as stratus_context
from stratus import exception
from stratus import instance_events
from stratus import notifications
from stratus import rpc
from stratus import service
from stratus.compute import actions
from stratus.compute import build
from stratus.compute import firewall
from stratus.compute import resource_tracker
from stratus.compute import sync
from stratus.compute import volumes
from stratus.conductor import rpcapi as conductor_rpcapi
from stratus.network import rpcapi as network_rpcapi
from stratus.virt import driver as virt_driver

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class ConductorReporter:
    """Heartbeats through the conductor."""

    def __init__(self, mgr):
        self.mgr = mgr

    def report(self, host, binary, topic, stopping=False):
        self.mgr.conductor.service_report(
            stratus_context.get_admin_context(), host, binary, topic,
            stopping)


class ComputeManager:
    target = messaging.Target(version='1.3')
    # Fanout casts to every compute host (firewall refreshes).
    compute_rpcapi = rpc.LazyClient('stratus.compute.rpcapi', 'ComputeAPI')

    def __init__(self, host=None, driver=None):
        self.host = host or CONF.host
        self._driver = driver
        self._conductor = None
        self._network = None
        self.reporter = ConductorReporter(self)
        # Instance action events go to the conductor in batched casts.
        self.event_recorder = instance_events.SendingRecorder(
            self.host, lambda batch: self.conductor.action_events(
                stratus_context.get_admin_context(), batch))
        self.resource_tracker = None
        self.firewall = firewall.load()

    @property
    def driver(self):
        if self._driver is None:
            self._driver = virt_driver.load(CONF.compute.driver)
        return self._driver

    @property
    def conductor(self):
        if self._conductor is None:
            self._conductor = conductor_rpcapi.ConductorAPI()
        return self._conductor

    @property
    def network(self):
        if self._network is None:
            self._network = network_rpcapi.NetworkAPI()
        return self._network

    def _report_resources(self, resources):
        self.conductor.compute_node_update(
            stratus_context.get_admin_context(), self.host, resources)

    # -- life cycle of the daemon -------------------------------------------
    def init_host(self):
        """Connect the driver and reconcile the database with it."""
        self.conductor.wait_until_ready(stratus_context.get_admin_context())
        self.driver.init_host(self.host)
        self.driver.register_event_listener(self._on_lifecycle_event)
        self.resource_tracker = resource_tracker.ResourceTracker(
            self.host, self.driver, self._report_resources)
        sync.reconcile_on_start(self)
        self.refresh_firewall(stratus_context.get_admin_context())

    def cleanup_host(self):
        # Bounded: with the broker gone the casts can't leave anyway.
        if not self.event_recorder.flush(timeout=10):
            LOG.warning('Instance action events still unsent at stop')
        self.driver.cleanup_host(self.host)

    def periodic_tasks(self):
        return [
            service.PeriodicTask('update_available_resource',
                                 CONF.compute.resource_update_interval,
                                 self.resource_tracker
                                 .update_available_resource),
            service.PeriodicTask('sync_power_states',
                                 CONF.compute.sync_power_state_interval,
                                 lambda: sync.sync_power_states(self)),
        ]

    def _on_lifecycle_event(self, instance_uuid, event):
        sync.handle_lifecycle_event(self, instance_uuid, event)

    # -- RPC entry points ----------------------------------------------------
    def build_and_run_instance(self, context, instance_uuid, request_spec,
                               filter_properties, instance=None):
        """Build ``instance_uuid`` here (cast from the conductor)."""
        build.build_and_run(self, context, instance_uuid, request_spec,
                            filter_properties, instance)

    def refresh_firewall(self, context):
        """Re-apply the security group rules of every guest here (fanout
        cast: a rule or a group's membership changed)."""
        if not firewall.enforced(self.firewall):
            return
        try:
            instances = self.conductor.instance_get_all_by_host(
                context, self.host)
        except Exception:
            LOG.warning('Could not list instances to refresh the firewall',
                        exc_info=True)
            return
        for inst in instances:
            if inst.get('network_info') and inst.get('vm_state') != \
                    'deleted':
                firewall.refresh_instance(self, context, inst['uuid'],
                                          inst['network_info'])

    def terminate_instance(self, context, instance_uuid):
        """Destroy the guest, release its resources, delete the row."""
        actions.terminate(self, context, instance_uuid)

    def reboot_instance(self, context, instance_uuid, reboot_type):
        actions.reboot(self, context, instance_uuid, reboot_type)

    def stop_instance(self, context, instance_uuid):
        actions.stop(self, context, instance_uuid)

    def start_instance(self, context, instance_uuid):
        actions.start(self, context, instance_uuid)

    @messaging.expected_exceptions(exception.InstanceNotFound)
    def get_console_output(self, context, instance_uuid, length=None):
        """:returns: the console log, its last ``length`` lines if given.

        :raises: InstanceNotFound when this host has no such guest.
        """
        instance = self.conductor.instance_get(context, instance_uuid)
        output = self.driver.get_console_output(context, instance)
        if length is not None:
            lines = output.splitlines(True)
            output = ''.join(lines[-length:]) if length > 0 else ''
        return output

    def attach_volume(self, context, instance_uuid, volume_id, volume_host,
                      attachment):
        """Attach a reserved volume live and persistently (call from the
        API). :returns: the recorded attachment."""
        with self._volume_action(context, instance_uuid, 'attach'):
            return volumes.attach(self, context, instance_uuid, volume_id,
                                  volume_host, attachment)

    def detach_volume(self, context, instance_uuid, volume_id, volume_host,
                      attachment):
        """Detach a volume from the guest (call from the API)."""
        with self._volume_action(context, instance_uuid, 'detach'):
            volumes.detach(self, context, instance_uuid, volume_id,
                           volume_host, attachment)

    @contextlib.contextmanager
    def _volume_action(self, context, instance_uuid, verb):
        """The event and the instance.volume_<verb>.* notifications of an
        attach or detach, as Nova records them."""
        name = 'volume_%s' % verb
        instance = None
        if notifications.enabled():
            # Fetched for the payloads only.
            try:
                instance = self.conductor.instance_get(context,
                                                       instance_uuid)
            except exception.InstanceNotFound:
                pass
        if instance is not None:
            notifications.notify_instance(context, instance, name, 'start',
                                          self.host)
        try:
            with instance_events.recorded(self.event_recorder, context,
                                          instance_uuid,
                                          'compute_%s_volume' % verb):
                yield
        except Exception as e:
            if instance is not None:
                notifications.notify_instance(context, instance, name,
                                              'error', self.host, e)
            raise
        if instance is not None:
            notifications.notify_instance(context, instance, name, 'end',
                                          self.host)
