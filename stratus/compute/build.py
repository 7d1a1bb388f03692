"""The compute host's part of a boot: claim, network, disks, spawn, and
the one place where every build error is mapped to a state.

Errors fall in three kinds (STYLE.md): reschedule (this host can't do it:
release and ask the conductor for another host), abort/unexpected (ERROR
with a fault, nothing left behind), and 'the instance went away' (deleted
during the build: clean up quietly).
"""
import traceback
from concurrent import futures

from oslo_log import log as logging
from oslo_utils import timeutils

from stratus import conf
from stratus import exception
from stratus import instance_events
from stratus import notifications
from stratus.compute import block_devices
from stratus.compute import firewall
from stratus.compute import power_state
from stratus.compute import task_states
from stratus.compute import vm_states
from stratus.compute import volumes as compute_volumes

CONF = conf.CONF
LOG = logging.getLogger(__name__)


# Round trips that need not hold up a boot (see _build).
_BACKGROUND = futures.ThreadPoolExecutor(max_workers=16,
                                         thread_name_prefix='build-bg')


class _Gone(Exception):
    """The instance was deleted (or its task changed) during the build."""


def build_and_run(mgr, context, instance_uuid, request_spec,
                  filter_properties, instance=None):
    """Build one instance on this host; never raises."""
    recorder = mgr.event_recorder
    try:
        with instance_events.recorded(recorder, context, instance_uuid,
                                      'compute_build_and_run_instance'):
            active = _build(mgr, context, instance_uuid, request_spec,
                            instance)
        # The ACTIVE update's answer is the instance as it now is: no
        # instance_get round trip for the payload.
        notifications.notify_instance(context, active, 'create', 'end',
                                      mgr.host)
    except _Gone:
        LOG.info('Instance %s was deleted during its build', instance_uuid)
        _cleanup(mgr, context, instance_uuid, request_spec)
    except exception.RescheduledException as e:
        LOG.warning('Rescheduling %s: %s', instance_uuid, e.message)
        _cleanup(mgr, context, instance_uuid, request_spec,
                 rescheduled=True)
        _reschedule(mgr, context, instance_uuid, request_spec,
                    filter_properties, e.message)
    except Exception as e:
        LOG.exception('Build of instance %s failed', instance_uuid)
        _cleanup(mgr, context, instance_uuid, request_spec)
        _set_error(mgr, context, instance_uuid, e)
        _notify(mgr, context, instance_uuid, 'error', e)


def _notify(mgr, context, instance_uuid, phase, fault=None):
    if not notifications.enabled():
        return
    try:
        instance = mgr.conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        return
    notifications.notify_instance(context, instance, 'create', phase,
                                  mgr.host, fault)


def _advance(mgr, context, instance_uuid, values, expected):
    try:
        return mgr.conductor.instance_update(
            context, instance_uuid, values, expected_task_state=expected)
    except (exception.InstanceNotFound, exception.UnexpectedTaskState):
        raise _Gone()


def _build(mgr, context, instance_uuid, request_spec, instance=None):
    """:returns: the instance dict as the ACTIVE update left it."""
    if instance is None or instance.get('host') != mgr.host or \
            instance.get('task_state') != task_states.NETWORKING:
        instance = _advance(mgr, context, instance_uuid,
                            {'task_state': task_states.NETWORKING},
                            (task_states.SCHEDULING, task_states.NETWORKING))
    notifications.notify_instance(context, instance, 'create', 'start',
                                  mgr.host)
    mgr.resource_tracker.claim(instance)
    volume_bdms = _volume_bdms(request_spec)
    if not volume_bdms:
        # The image disk is made while the network is allocated.
        mgr.driver.prepare_disks(context, instance,
                                 request_spec.get('image') or {})
    recorder = mgr.event_recorder
    with instance_events.recorded(recorder, context, instance_uuid,
                                  'network_allocate_for_instance'):
        network_info = mgr.network.allocate_for_instance(
            context, instance_uuid, instance['project_id'], mgr.host,
            request_spec.get('requested_networks'))
    block_device_info = None
    if volume_bdms:
        instance = _advance(mgr, context, instance_uuid,
                            {'task_state': task_states.BLOCK_DEVICE_MAPPING,
                             'network_info': network_info or []},
                            task_states.NETWORKING)
        block_device_info = block_devices.prepare(
            mgr, context, instance, volume_bdms)
        instance = _advance(mgr, context, instance_uuid,
                            {'task_state': task_states.SPAWNING},
                            task_states.BLOCK_DEVICE_MAPPING)
        spawning = None
    else:
        # No volumes to prepare: the `spawning` update runs beside the
        # spawn instead of before it; it is awaited before ACTIVE, so the
        # compare-and-swaps still happen in order.
        spawning = _BACKGROUND.submit(
            _advance, mgr, context, instance_uuid,
            {'task_state': task_states.SPAWNING,
             'network_info': network_info or []}, task_states.NETWORKING)
    # Security groups hold before the guest starts.
    firewall.refresh_instance(mgr, context, instance_uuid, network_info,
                              raise_errors=True)
    try:
        with instance_events.recorded(recorder, context, instance_uuid,
                                      'compute_spawn'):
            steps = mgr.driver.spawn(context, instance,
                                     request_spec.get('image') or {},
                                     network_info or [], block_device_info)
    finally:
        if spawning is not None:
            spawning.result()     # _Gone when the instance went away
    if block_device_info:
        block_devices.finish(mgr, context, block_device_info)
    active = _advance(mgr, context, instance_uuid,
                      {'vm_state': vm_states.ACTIVE, 'task_state': None,
                       'power_state': power_state.RUNNING,
                       'launched_at': timeutils.utcnow()},
                      task_states.SPAWNING)
    LOG.info('Instance %s is ACTIVE on %s', instance_uuid, mgr.host)
    if network_info and firewall.enforced(mgr.firewall):
        # Its groups gained a member: other guests' rules may name it.
        mgr.compute_rpcapi.refresh_firewall(context)
    # After ACTIVE, so that the bookkeeping costs the boot nothing.
    for name, start, finish in steps or ():
        instance_events.record_finished(recorder, context, instance_uuid,
                                        'compute_spawn_' + name, start,
                                        finish)
    return active


def _volume_bdms(request_spec):
    return [b for b in request_spec.get('block_device_mapping') or ()
            if b.get('destination_type') == 'volume']


def _cleanup(mgr, context, instance_uuid, request_spec, rescheduled=False):
    """Release everything this host may hold for the instance."""
    instance = {'uuid': instance_uuid}
    try:
        instance = mgr.conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        pass
    except Exception:
        LOG.warning('Could not load %s for cleanup', instance_uuid,
                    exc_info=True)
    firewall.forget_instance(mgr, instance_uuid)
    # Drivers find the guest by uuid: destroy it even when the row could
    # not be read (the conductor unreachable while the broker restarts).
    try:
        mgr.driver.destroy(context, instance, [])
    except Exception:
        LOG.exception('Could not destroy the guest of %s', instance_uuid)
    if _volume_bdms(request_spec):
        compute_volumes.release_all(mgr, context, instance_uuid,
                                    delete=not rescheduled)
    try:
        mgr.network.deallocate_for_instance(context, instance_uuid)
    except Exception:
        LOG.exception('Could not release the network of %s', instance_uuid)
    mgr.resource_tracker.release(instance_uuid)


def _reschedule(mgr, context, instance_uuid, request_spec,
                filter_properties, reason):
    retry = dict((filter_properties or {}).get('retry') or
                 {'num_attempts': 1, 'hosts': []})
    retry['hosts'] = list(retry.get('hosts', [])) + [mgr.host]
    retry['exc_reason'] = reason
    try:
        mgr.conductor.instance_fault_create(context, instance_uuid, 500,
                                            reason, None, mgr.host)
        mgr.conductor.instance_update(
            context, instance_uuid,
            {'task_state': task_states.SCHEDULING, 'host': None,
             'node': None, 'network_info': []})
    except exception.InstanceNotFound:
        return
    mgr.conductor.build_instances(context, [instance_uuid], request_spec,
                                  dict(filter_properties or {},
                                       retry=retry))


def _set_error(mgr, context, instance_uuid, error):
    message = getattr(error, 'message', None) or str(error) or \
        type(error).__name__
    try:
        code = getattr(error, 'code', 500) or 500
        # As Nova: a traceback only for unexpected errors, not for expected
        # outcomes such as a full network.
        details = traceback.format_exc() if code >= 500 else None
        mgr.conductor.instance_set_error(
            context, instance_uuid, message, code, details, mgr.host,
            {'power_state': power_state.NOSTATE})
    except exception.InstanceNotFound:
        pass
    except Exception:
        LOG.exception('Could not put %s in ERROR', instance_uuid)
