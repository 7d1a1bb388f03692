"""Server side of the conductor: build orchestration and the database
proxy the compute daemons use (they never open the database themselves)."""
import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import instance_events
from stratus import service
from stratus import servicegroup
from stratus.compute import rpcapi as compute_rpcapi
from stratus.conductor import build
from stratus.db import compute_nodes
from stratus.db import instances
from stratus.scheduler import rpcapi as scheduler_rpcapi

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_UNSET = '__unset__'


def _expected(value):
    return instances._UNSET if value == _UNSET else value


class ConductorManager:
    target = messaging.Target(version='1.1')

    def __init__(self):
        self.reporter = servicegroup.DbReporter()
        self._scheduler = None
        self._compute = None

    @property
    def scheduler(self):
        if self._scheduler is None:
            self._scheduler = scheduler_rpcapi.SchedulerAPI()
        return self._scheduler

    @property
    def compute(self):
        if self._compute is None:
            self._compute = compute_rpcapi.ComputeAPI()
        return self._compute

    def periodic_tasks(self):
        if not CONF.instance_build_timeout:
            return []
        # Often enough that a stuck build is caught soon after its timeout.
        interval = max(1, min(30, CONF.instance_build_timeout // 2))
        return [service.PeriodicTask('check_build_timeouts', interval,
                                     build.fail_timed_out_builds)]

    def ping(self, context):
        return 'pong'

    def cleanup_host(self):
        """On SIGTERM: write the events still queued before exiting."""
        instance_events.writer(CONF.host).flush()

    def build_instances(self, context, instance_uuids, request_spec,
                        filter_properties):
        """Schedule ``instance_uuids`` and cast each to its host."""
        build.build_instances(context, self.scheduler, self.compute,
                              instance_uuids, request_spec,
                              filter_properties)

    @messaging.expected_exceptions(exception.InstanceNotFound)
    def instance_get(self, context, instance_uuid):
        return instances.get(instance_uuid)

    def instance_get_all_by_host(self, context, host):
        return instances.get_all(host=host)

    @messaging.expected_exceptions(exception.InstanceNotFound,
                                   exception.UnexpectedTaskState)
    def instance_update(self, context, instance_uuid, values,
                        expected_task_state=_UNSET,
                        expected_vm_state=_UNSET):
        return instances.update(
            instance_uuid, values,
            expected_task_state=_expected(expected_task_state),
            expected_vm_state=_expected(expected_vm_state))

    @messaging.expected_exceptions(exception.InstanceNotFound)
    def instance_set_error(self, context, instance_uuid, message, code=500,
                           details=None, host=None, values=None):
        return instances.set_error(instance_uuid, message, code, details,
                                   host, values)

    @messaging.expected_exceptions(exception.InstanceNotFound)
    def instance_destroy(self, context, instance_uuid):
        return instances.destroy(instance_uuid)

    def instance_fault_create(self, context, instance_uuid, code, message,
                              details=None, host=None):
        instances.add_fault(instance_uuid, code, message, details, host)

    def action_event_start(self, context, instance_uuid, event, host=None,
                           start_time=None):
        instance_events.writer(CONF.host).start(
            context, instance_uuid, event, start_time, host=host)

    def action_event_finish(self, context, instance_uuid, event,
                            result='Success', traceback=None, details=None,
                            start_time=None, finish_time=None, host=None):
        instance_events.writer(CONF.host).finish(
            context, instance_uuid, event, result, traceback, start_time,
            finish_time, details=details, host=host)

    def action_events(self, context, events):
        instance_events.writer(CONF.host).submit_many(
            (kind, dict(kwargs)) for kind, kwargs in events)

    def compute_node_update(self, context, host, resources):
        return compute_nodes.update(host, resources)

    def service_report(self, context, host, binary, topic, stopping=False):
        return servicegroup.report_service(host, binary, topic, stopping)
