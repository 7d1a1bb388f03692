"""Keeping the database true to the hypervisor: reconciliation when the
daemon starts, a periodic power-state sync, and lifecycle events."""
import os

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import context as stratus_context
from stratus import exception
from stratus.compute import actions
from stratus.compute import power_state
from stratus.compute import task_states
from stratus.compute import vm_states
from stratus.compute import volumes as compute_volumes
from stratus.virt import driver as virt_driver
from stratus.volume import states as volume_states

LOG = logging.getLogger(__name__)

_INTERRUPTED_ACTIONS = (task_states.REBOOTING, task_states.REBOOT_STARTED,
                        task_states.REBOOTING_HARD, task_states.POWERING_OFF,
                        task_states.POWERING_ON)


def reconcile_on_start(mgr):
    """Settle every instance this host holds after a (re)start.

    A build or action that was under way when the daemon died will never
    finish: builds go to ERROR (with a fault saying why), deletes are
    completed, other actions are cleared and the power state re-read.
    """
    ctxt = stratus_context.get_admin_context()
    instances = mgr.conductor.instance_get_all_by_host(ctxt, mgr.host)
    mgr.resource_tracker.reset(instances)
    for instance in instances:
        try:
            _reconcile_one(mgr, ctxt, instance)
        except Exception:
            LOG.exception('Could not reconcile instance %s',
                          instance['uuid'])
    for instance in instances:
        if instance['task_state'] == task_states.DELETING or \
                instance['vm_state'] == vm_states.BUILDING:
            continue  # deleted or put in ERROR above, volumes released
        try:
            _reconcile_volumes(mgr, ctxt, instance)
        except messaging.MessagingException as e:
            # One timeout per instance would hold up the start.
            LOG.warning('Volume attachments not reconciled: %s', e)
            break
        except Exception:
            LOG.exception('Could not reconcile the volumes of %s',
                          instance['uuid'])
    known = {i['uuid'] for i in instances}
    for orphan in set(mgr.driver.list_instance_uuids()) - known:
        _reap_if_deleted(mgr, ctxt, orphan)


def _reap_if_deleted(mgr, ctxt, instance_uuid):
    """A guest whose instance is gone (deleted while this host was down)
    is destroyed, as Nova's default running_deleted_instance_action does;
    a guest whose instance lives elsewhere is only reported."""
    try:
        mgr.conductor.instance_get(ctxt, instance_uuid)
    except exception.InstanceNotFound:
        LOG.warning('Destroying guest %s: its instance was deleted while '
                    'this host was down', instance_uuid)
        try:
            mgr.driver.destroy(ctxt, {'uuid': instance_uuid}, [])
        except Exception:
            LOG.exception('Could not destroy the orphan guest %s',
                          instance_uuid)
        return
    LOG.warning('The hypervisor has guest %s that no instance of this '
                'host owns', instance_uuid)


def _reconcile_one(mgr, ctxt, instance):
    uuid = instance['uuid']
    task = instance['task_state']
    if task == task_states.DELETING:
        LOG.info('Completing the interrupted delete of %s', uuid)
        actions.terminate(mgr, ctxt, uuid)
    elif instance['vm_state'] == vm_states.BUILDING:
        LOG.warning('Instance %s was building when the compute service '
                    'stopped; putting it in ERROR', uuid)
        try:
            mgr.driver.destroy(ctxt, instance, [])
        except Exception:
            LOG.exception('Could not remove the partial guest of %s', uuid)
        mgr.conductor.instance_set_error(
            ctxt, uuid, 'The compute service restarted while the instance '
            'was building.', host=mgr.host,
            values={'power_state': power_state.NOSTATE})
        mgr.resource_tracker.release(uuid)
    else:
        if task in _INTERRUPTED_ACTIONS:
            LOG.warning('Clearing interrupted task %s of %s', task, uuid)
            mgr.conductor.instance_update(ctxt, uuid, {'task_state': None})
            instance = dict(instance, task_state=None)
        _sync_one(mgr, ctxt, instance)


def _reconcile_volumes(mgr, ctxt, instance):
    """Make the books agree with the guest's disks after a crash between
    a guest's attach (or detach) and its recording: the caller's RPC timed
    out and rolled the reservation back though the guest has the disk, or
    the volume is still ``in-use`` though the guest let go of it. The
    guest keeps a volume disk only while its attachment is recorded as
    attached; other attachments are released (the volume is
    ``available``)."""
    uuid = instance['uuid']
    try:
        devices = mgr.driver.get_volume_devices(instance)
    except exception.InstanceNotFound:
        devices = {}
    if devices is None:
        return
    volumes = compute_volumes.volume_api(mgr)
    attachments = volumes.get_attachments(ctxt, uuid)
    kept = {a['volume_id'] for a in attachments
            if a['attach_status'] == volume_states.ATTACHED and
            a['volume_id'] in devices}
    root = os.path.basename(instance.get('root_device_name') or 'vda')
    for volume_id, dev in devices.items():
        if volume_id not in kept and dev != root:
            LOG.warning('Detaching volume %s (%s) from %s: it is not '
                        'recorded as attached', volume_id, dev, uuid)
            mgr.driver.detach_volume(ctxt, {'serial': volume_id}, instance,
                                     dev)
    for att in attachments:
        if att['volume_id'] in kept or devices.get(att['volume_id']) == root:
            continue  # the root disk of a boot from volume is left alone
        LOG.warning('Releasing volume %s of %s: the guest does not have '
                    'it', att['volume_id'], uuid)
        if att.get('volume_host'):
            try:
                volumes.terminate_connection(ctxt, att['volume_host'],
                                             att['volume_id'],
                                             {'host': mgr.host})
            except exception.VolumeNotFound:
                pass
        volumes.detach_volume(ctxt, att['uuid'])


def _driver_state(mgr, instance):
    try:
        return mgr.driver.get_info(instance).state
    except exception.InstanceNotFound:
        return power_state.NOSTATE


def _sync_one(mgr, ctxt, instance):
    """Make vm_state/power_state match the hypervisor for a settled
    instance (no task under way), as Nova's power-state sync does."""
    if instance['task_state'] is not None or \
            instance['vm_state'] not in (vm_states.ACTIVE, vm_states.STOPPED):
        return
    state = _driver_state(mgr, instance)
    values = {}
    if state != instance['power_state']:
        values['power_state'] = state
    if instance['vm_state'] == vm_states.ACTIVE and \
            state != power_state.RUNNING:
        LOG.warning('Instance %s is not running in the hypervisor (%s); '
                    'marking it stopped', instance['uuid'],
                    power_state.NAMES.get(state))
        values['vm_state'] = vm_states.STOPPED
    elif instance['vm_state'] == vm_states.STOPPED and \
            state == power_state.RUNNING:
        LOG.warning('Stopped instance %s runs in the hypervisor; marking '
                    'it active', instance['uuid'])
        values['vm_state'] = vm_states.ACTIVE
    if values:
        try:
            mgr.conductor.instance_update(ctxt, instance['uuid'], values,
                                          expected_task_state=None)
        except (exception.UnexpectedTaskState, exception.InstanceNotFound):
            pass  # an action started meanwhile; it owns the state now


def sync_power_states(mgr):
    ctxt = stratus_context.get_admin_context()
    for instance in mgr.conductor.instance_get_all_by_host(ctxt, mgr.host):
        _sync_one(mgr, ctxt, instance)


def handle_lifecycle_event(mgr, instance_uuid, event):
    """A guest changed state outside our own calls (or because of them:
    an instance with a task under way is left to that task)."""
    if event not in (virt_driver.EVENT_STOPPED, virt_driver.EVENT_STARTED):
        return
    ctxt = stratus_context.get_admin_context()
    try:
        instance = mgr.conductor.instance_get(ctxt, instance_uuid)
    except exception.InstanceNotFound:
        return
    if instance['host'] == mgr.host:
        _sync_one(mgr, ctxt, instance)
