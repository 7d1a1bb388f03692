"""Flows of the server actions on a running instance: delete, reboot,
stop and start. The API has already set the task_state (compare-and-swap);
each flow does the work, then clears it, or records a fault."""
import traceback

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import instance_events
from stratus import notifications
from stratus.compute import firewall
from stratus.compute import power_state
from stratus.compute import task_states
from stratus.compute import volumes as compute_volumes
from stratus.compute import vm_states

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def _load(mgr, context, instance_uuid):
    try:
        return mgr.conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        LOG.info('Instance %s is already gone', instance_uuid)
        return None


def _fail(mgr, context, instance, error, values):
    """Record a fault and put the instance back in a stable state."""
    LOG.error('Action on %s failed: %s', instance['uuid'], error)
    message = getattr(error, 'message', None) or str(error)
    code = getattr(error, 'code', 500) or 500
    try:
        if values.get('vm_state') == vm_states.ERROR:
            mgr.conductor.instance_set_error(
                context, instance['uuid'], message, code,
                traceback.format_exc(), mgr.host, values)
        else:
            mgr.conductor.instance_update(context, instance['uuid'], values)
            mgr.conductor.instance_fault_create(
                context, instance['uuid'], code, message,
                traceback.format_exc(), mgr.host)
    except exception.InstanceNotFound:
        pass


def terminate(mgr, context, instance_uuid):
    instance = _load(mgr, context, instance_uuid)
    if instance is None:
        return
    notifications.notify_instance(context, instance, 'delete', 'start',
                                  mgr.host)
    try:
        with instance_events.recorded(mgr.event_recorder, context,
                                      instance_uuid,
                                      'compute_terminate_instance'):
            mgr.driver.destroy(context, instance,
                               instance.get('network_info') or [])
            compute_volumes.release_all(mgr, context, instance_uuid)
            firewall.forget_instance(mgr, instance_uuid)
            mgr.network.deallocate_for_instance(context, instance_uuid)
            mgr.resource_tracker.release(instance_uuid)
            gone = mgr.conductor.instance_destroy(context, instance_uuid)
        notifications.notify_instance(context, gone, 'delete', 'end',
                                      mgr.host)
        if instance.get('network_info') and \
                firewall.enforced(mgr.firewall):
            # Its groups lost a member: other guests' rules may name it.
            mgr.compute_rpcapi.refresh_firewall(context)
    except exception.InstanceNotFound:
        mgr.resource_tracker.release(instance_uuid)
    except Exception as e:
        _fail(mgr, context, instance, e,
              {'vm_state': vm_states.ERROR, 'task_state': None})
    LOG.info('Instance %s deleted', instance_uuid)


def reboot(mgr, context, instance_uuid, reboot_type):
    instance = _load(mgr, context, instance_uuid)
    if instance is None:
        return
    try:
        with instance_events.recorded(mgr.event_recorder, context,
                                      instance_uuid,
                                      'compute_reboot_instance'):
            if reboot_type == 'SOFT':
                mgr.conductor.instance_update(
                    context, instance_uuid,
                    {'task_state': task_states.REBOOT_STARTED},
                    expected_task_state=task_states.REBOOTING)
            mgr.driver.reboot(context, instance,
                              instance.get('network_info') or [],
                              reboot_type)
            mgr.conductor.instance_update(
                context, instance_uuid,
                {'vm_state': vm_states.ACTIVE, 'task_state': None,
                 'power_state': power_state.RUNNING})
    except (exception.InstanceNotFound, exception.UnexpectedTaskState):
        return
    except Exception as e:
        _fail(mgr, context, instance, e, {'task_state': None,
                                          'vm_state': vm_states.ERROR})


def stop(mgr, context, instance_uuid):
    instance = _load(mgr, context, instance_uuid)
    if instance is None:
        return
    notifications.notify_instance(context, instance, 'power_off', 'start',
                                  mgr.host)
    try:
        with instance_events.recorded(mgr.event_recorder, context,
                                      instance_uuid,
                                      'compute_stop_instance'):
            mgr.driver.power_off(instance,
                                 CONF.libvirt.shutdown_timeout)
            instance = mgr.conductor.instance_update(
                context, instance_uuid,
                {'vm_state': vm_states.STOPPED, 'task_state': None,
                 'power_state': power_state.SHUTDOWN},
                expected_task_state=task_states.POWERING_OFF)
        notifications.notify_instance(context, instance, 'power_off', 'end',
                                      mgr.host)
    except (exception.InstanceNotFound, exception.UnexpectedTaskState):
        return
    except Exception as e:
        _fail(mgr, context, instance, e, {'task_state': None})


def start(mgr, context, instance_uuid):
    instance = _load(mgr, context, instance_uuid)
    if instance is None:
        return
    notifications.notify_instance(context, instance, 'power_on', 'start',
                                  mgr.host)
    try:
        with instance_events.recorded(mgr.event_recorder, context,
                                      instance_uuid,
                                      'compute_start_instance'):
            mgr.driver.power_on(context, instance,
                                instance.get('network_info') or [])
            instance = mgr.conductor.instance_update(
                context, instance_uuid,
                {'vm_state': vm_states.ACTIVE, 'task_state': None,
                 'power_state': power_state.RUNNING},
                expected_task_state=task_states.POWERING_ON)
        notifications.notify_instance(context, instance, 'power_on', 'end',
                                      mgr.host)
    except (exception.InstanceNotFound, exception.UnexpectedTaskState):
        return
    except Exception as e:
        _fail(mgr, context, instance, e, {'task_state': None})
