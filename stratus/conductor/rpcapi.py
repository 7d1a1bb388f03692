"""Client side of the conductor (topic ``conductor``).

History:
    1.0 - build orchestration and the database proxy for compute.
    1.1 - action_events: many event starts/finishes in one cast.
"""
from stratus import rpc

TOPIC = 'conductor'


class ConductorAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.0')
        self.client_1_1 = self.client.prepare(version='1.1')

    def ping(self, ctxt, timeout=None):
        """Answers once the conductor consumes its topic (call)."""
        client = self.client.prepare(timeout=timeout) if timeout else \
            self.client
        return client.call(ctxt, 'ping')

    def wait_until_ready(self, ctxt, attempt_timeout=5):
        """Block until the conductor answers: a compute host that starts
        before it would otherwise lose its first calls (a message sent
        before the conductor declared its queue is dropped)."""
        import oslo_messaging as messaging
        from oslo_log import log as logging
        log = logging.getLogger(__name__)
        attempt = 0
        while True:
            try:
                return self.ping(ctxt, timeout=attempt_timeout)
            except messaging.MessagingTimeout:
                attempt += 1
                log.warning('Waiting for the conductor (attempt %d)', attempt)

    # -- orchestration -------------------------------------------------------
    def build_instances(self, ctxt, instance_uuids, request_spec,
                        filter_properties=None):
        """Schedule and start the build of new instances (cast).

        :param request_spec: dict with ``flavor``, ``image``,
            ``num_instances``, ``availability_zone``, ``scheduler_hints``,
            ``project_id``, ``requested_networks``.
        :param filter_properties: ``{'retry': {'num_attempts', 'hosts'}}``
            on a reschedule.
        """
        self.client.cast(ctxt, 'build_instances',
                         instance_uuids=instance_uuids,
                         request_spec=request_spec,
                         filter_properties=filter_properties or {})

    # -- database proxy for compute (calls) ----------------------------------
    def instance_get(self, ctxt, instance_uuid):
        return self.client.call(ctxt, 'instance_get',
                                instance_uuid=instance_uuid)

    def instance_get_all_by_host(self, ctxt, host):
        return self.client.call(ctxt, 'instance_get_all_by_host', host=host)

    def instance_update(self, ctxt, instance_uuid, values,
                        expected_task_state='__unset__',
                        expected_vm_state='__unset__'):
        """Compare-and-swap update.

        :raises: UnexpectedTaskState, InstanceNotFound.
        """
        return self.client.call(ctxt, 'instance_update',
                                instance_uuid=instance_uuid, values=values,
                                expected_task_state=expected_task_state,
                                expected_vm_state=expected_vm_state)

    def instance_set_error(self, ctxt, instance_uuid, message, code=500,
                           details=None, host=None, values=None):
        """ERROR plus its fault, atomically. :raises: InstanceNotFound."""
        return self.client.call(ctxt, 'instance_set_error',
                                instance_uuid=instance_uuid, message=message,
                                code=code, details=details, host=host,
                                values=values)

    def instance_destroy(self, ctxt, instance_uuid):
        return self.client.call(ctxt, 'instance_destroy',
                                instance_uuid=instance_uuid)

    def instance_fault_create(self, ctxt, instance_uuid, code, message,
                              details=None, host=None):
        self.client.call(ctxt, 'instance_fault_create',
                         instance_uuid=instance_uuid, code=code,
                         message=message, details=details, host=host)

    def action_event_start(self, ctxt, instance_uuid, event, host=None,
                           start_time=None):
        """Casts: the event carries its own times, so order of arrival
        does not matter and the caller never waits."""
        self.client.cast(ctxt, 'action_event_start',
                         instance_uuid=instance_uuid, event=event, host=host,
                         start_time=start_time)

    def action_event_finish(self, ctxt, instance_uuid, event,
                            result='Success', traceback=None, details=None,
                            start_time=None, finish_time=None, host=None):
        self.client.cast(ctxt, 'action_event_finish',
                         instance_uuid=instance_uuid, event=event,
                         result=result, traceback=traceback, details=details,
                         start_time=start_time, finish_time=finish_time,
                         host=host)

    def action_events(self, ctxt, events):
        """Many events in one cast (1.1).

        :param events: ``[('start'|'finish', kwargs)]``, each kwargs with
            its own ``request_id``, as ``instance_events`` builds them.
        """
        self.client_1_1.cast(ctxt, 'action_events', events=events)

    def compute_node_update(self, ctxt, host, resources):
        return self.client.call(ctxt, 'compute_node_update', host=host,
                                resources=resources)

    def service_report(self, ctxt, host, binary, topic, stopping=False):
        return self.client.call(ctxt, 'service_report', host=host,
                                binary=binary, topic=topic,
                                stopping=stopping)
