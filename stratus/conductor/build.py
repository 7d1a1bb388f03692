"""The conductor's part of a boot: ask the scheduler, hand each instance
to its host, or put it in ERROR when no host can take it."""
import datetime
import traceback

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import instance_events
from stratus.compute import task_states
from stratus.compute import vm_states
from stratus.db import instances
from stratus.db import models

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def build_instances(context, scheduler, compute, instance_uuids,
                    request_spec, filter_properties):
    recorder = instance_events.writer(CONF.host)
    filter_properties = dict(filter_properties or {})
    retry = dict(filter_properties.get('retry') or
                 {'num_attempts': 0, 'hosts': []})
    retry['num_attempts'] += 1
    filter_properties['retry'] = retry
    try:
        with instance_events.recorded(recorder, context, instance_uuids,
                                      'conductor_build_instances'):
            if retry['num_attempts'] > CONF.scheduler.max_attempts:
                raise exception.NoValidHost(
                    reason='Exceeded maximum number of retries (%d) for '
                           'instance(s) %s. Last exception: %s' % (
                               CONF.scheduler.max_attempts,
                               ', '.join(instance_uuids),
                               retry.get('exc_reason', '')))
            with instance_events.recorded(recorder, context,
                                          instance_uuids,
                                          'scheduler_select_destinations'):
                hosts = scheduler.select_destinations(
                    context, request_spec, filter_properties,
                    instance_uuids)
    except (exception.NoValidHost, messaging.MessagingTimeout,
            messaging.MessagingException) as e:
        message = getattr(e, 'message', None) or str(e)
        if isinstance(e, messaging.MessagingTimeout):
            message = 'Timed out waiting for the scheduler.'
        LOG.warning('Build of %s failed to schedule: %s', instance_uuids,
                    message)
        for instance_uuid in instance_uuids:
            _set_error(instance_uuid, message, traceback.format_exc())
        return
    except Exception as e:
        LOG.exception('Unexpected error scheduling %s', instance_uuids)
        for instance_uuid in instance_uuids:
            _set_error(instance_uuid, str(e), traceback.format_exc())
        return

    for instance_uuid, dest in zip(instance_uuids, hosts):
        try:
            # Host and the next task in one update (DESIGN step 5); the
            # compute host gets the row with the cast and starts at once.
            instance = instances.update(
                instance_uuid,
                {'host': dest['host'],
                 'node': dest.get('nodename', dest['host']),
                 'scheduled_at': models.utcnow(),
                 'task_state': task_states.NETWORKING},
                expected_task_state=task_states.SCHEDULING)
        except (exception.InstanceNotFound, exception.UnexpectedTaskState):
            # Deleted (or being deleted) while it was scheduled: drop it.
            LOG.info('Instance %s went away while scheduling; not building',
                     instance_uuid)
            continue
        LOG.info('Instance %s scheduled to %s', instance_uuid, dest['host'])
        compute.build_and_run_instance(context, dest['host'], instance_uuid,
                                       request_spec, filter_properties,
                                       instance=instance)


def _set_error(instance_uuid, message, details):
    try:
        instances.set_error(instance_uuid, message, 500, details, CONF.host)
    except exception.InstanceNotFound:
        pass


def fail_timed_out_builds():
    """ERROR for instances in BUILD longer than ``instance_build_timeout``.

    Whatever died on the way (a daemon killed, a lost message), no instance
    stays in BUILD forever. The compare-and-swap on the task_state it was
    seen in leaves alone a build that moved on meanwhile.
    """
    cutoff = models.utcnow() - datetime.timedelta(
        seconds=CONF.instance_build_timeout)
    for instance in instances.get_all(filters={'vm_state': [
            vm_states.BUILDING]}):
        if instance['created_at'] >= cutoff:
            continue
        message = ('Build of instance %s timed out after %d seconds in '
                   'task state %s' % (instance['uuid'],
                                      CONF.instance_build_timeout,
                                      instance['task_state']))
        try:
            instances.set_error(instance['uuid'], message, host=CONF.host,
                                expected_task_state=instance['task_state'])
        except (exception.InstanceNotFound, exception.UnexpectedTaskState):
            continue
        LOG.warning('Instance %s exceeded the build timeout', instance['uuid'])
