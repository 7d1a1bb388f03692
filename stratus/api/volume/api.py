"""Volume business logic behind the block storage API and compute's
``os-volume_attachments`` (runs in the api daemon, which owns the database
writes that start each flow).

Create records the volume (``creating``) and casts to the scheduler; delete
and extend swap the status and cast to the volume's host; attach reserves
the volume (``attaching`` plus an attachment row) and calls the compute
host, rolling the reservation back if the call fails.
"""
import re

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import policy
from stratus import rpc
from stratus.compute import vm_states
from stratus.db import images as images_db
from stratus.db import instances as instances_db
from stratus.db import quotas as quotas_db
from stratus.db import volumes as volumes_db
from stratus.volume import states

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_DEVICE = re.compile(r'^(/dev/)?(vd[b-z])$')
_ATTACH_VM = (vm_states.ACTIVE, vm_states.STOPPED)


def _pick_device(requested):
    def pick(used):
        used = {str(u).rsplit('/', 1)[-1] for u in used} | {'vda'}
        if requested:
            match = _DEVICE.match(str(requested))
            if not match:
                raise exception.Invalid(
                    reason='The supplied device path (%s) is invalid.' %
                           requested)
            if match.group(2) in used:
                raise exception.Invalid(
                    reason='The supplied device path (%s) is in use.' %
                           requested)
            return '/dev/' + match.group(2)
        for letter in 'bcdefghijklmnopqrstuvwxyz':
            if 'vd' + letter not in used:
                return '/dev/vd' + letter
        raise exception.Invalid(reason='No free device name is left.')
    return pick


class VolumeAPI:
    """Every method takes the caller's context."""

    scheduler_rpcapi = rpc.LazyClient('stratus.scheduler.rpcapi',
                                      'SchedulerAPI')
    volume_rpcapi = rpc.LazyClient('stratus.volume.rpcapi', 'VolumeAPI')
    compute_rpcapi = rpc.LazyClient('stratus.compute.rpcapi', 'ComputeAPI')

    # -- volumes ------------------------------------------------------------
    def _scope(self, ctxt):
        return None if policy.check_is_admin(ctxt) else ctxt.project_id

    def get(self, ctxt, volume_id):
        """:raises: VolumeNotFound (also for another project's volume)."""
        return volumes_db.get(volume_id, self._scope(ctxt))

    def get_all(self, ctxt, all_projects=False, filters=None, limit=None,
                marker=None):
        project_id = None if all_projects else ctxt.project_id
        try:
            return volumes_db.get_all(project_id=project_id, filters=filters,
                                      limit=limit, marker=marker)
        except exception.NotFound:
            raise exception.Invalid(reason='marker [%s] not found' % marker)

    def attachments(self, volume_ids=None, instance_uuid=None):
        """Live attachments by volume id (or of one instance)."""
        found = {}
        if instance_uuid is not None:
            rows = volumes_db.attachments_get(instance_uuid=instance_uuid)
        else:
            rows = [a for vid in volume_ids or ()
                    for a in volumes_db.attachments_get(volume_id=vid)]
        for att in rows:
            found.setdefault(att['volume_id'], []).append(att)
        return found

    def create(self, ctxt, params):
        """Record a volume and cast its placement to the scheduler.

        :param params: ``size``, ``name``, ``description``,
            ``availability_zone``, ``image_id``, ``metadata``.
        :raises: Invalid (400), QuotaExceeded (``volumes`` or
            ``gigabytes``).
        """
        size = params['size']
        if size > CONF.volume.max_size_gb:
            raise exception.Invalid(reason='Volume size %d GiB is larger '
                                    'than the limit of %d GiB' %
                                    (size, CONF.volume.max_size_gb))
        image = None
        if params.get('image_id'):
            image = self._resolve_image(ctxt, params['image_id'], size)
        volume = volumes_db.create_request(
            ctxt.project_id, ctxt.user_id, size,
            params.get('availability_zone') or
            CONF.volume.storage_availability_zone,
            name=params.get('name'), description=params.get('description'),
            image=image, metadata=params.get('metadata'),
            check=quotas_db.check_volume)
        spec = {'size': size, 'image': image,
                'availability_zone': params.get('availability_zone')}
        try:
            self.scheduler_rpcapi.create_volume(ctxt, volume['id'], spec)
        except Exception as e:
            LOG.exception('Could not cast create_volume for %s', volume['id'])
            volumes_db.update(volume['id'], {
                'status': states.ERROR,
                'status_reason': 'The scheduler is unreachable: %s' % e})
            raise exception.ServiceUnavailable(reason='the scheduler is '
                                                      'unreachable')
        return volume

    def _resolve_image(self, ctxt, image_id, size):
        try:
            image = images_db.get_image(ctxt, image_id)
        except exception.ImageNotFound as e:
            raise exception.Invalid(reason=e.message)
        if image['status'] != 'active':
            raise exception.Invalid(reason='Image %s is not active.' %
                                    image_id)
        needed = max(image.get('min_disk') or 0,
                     -(-(image.get('virtual_size') or image.get('size') or 0)
                       // 1024 ** 3))
        if needed > size:
            raise exception.Invalid(
                reason='Volume size %d GiB is smaller than the image (%d '
                       'GiB).' % (size, needed))
        return {'id': image['id'], 'disk_format': image['disk_format'],
                'checksum': image.get('checksum'), 'name': image['name']}

    def delete(self, ctxt, volume_id):
        """:raises: VolumeNotFound, VolumeInvalidState (409: in use)."""
        volume = self.get(ctxt, volume_id)
        if volume['status'] == states.CREATING and not volume['host']:
            # Not placed yet: nothing exists on a backend.
            try:
                volumes_db.update(volume_id, {'status': states.DELETING},
                                  expected_status=states.CREATING,
                                  action='delete')
                volumes_db.destroy(volume_id)
                return
            except exception.VolumeInvalidState:
                volume = self.get(ctxt, volume_id)
        if volume['status'] == states.ERROR and not volume['host']:
            volumes_db.destroy(volume_id)
            return
        volumes_db.update(volume_id, {'status': states.DELETING},
                          expected_status=states.DELETABLE, action='delete')
        self.volume_rpcapi.delete_volume(ctxt, volume['host'], volume_id)

    def extend(self, ctxt, volume_id, new_size):
        """:raises: VolumeNotFound, VolumeInvalidState, Invalid."""
        volume = self.get(ctxt, volume_id)
        if new_size <= volume['size']:
            raise exception.Invalid(
                reason='New size for extend must be greater than current '
                       'size. (current: %d, extended: %d).' %
                       (volume['size'], new_size))
        if new_size > CONF.volume.max_size_gb:
            raise exception.Invalid(reason='Volume size %d GiB is larger '
                                    'than the limit of %d GiB' %
                                    (new_size, CONF.volume.max_size_gb))
        volumes_db.update(volume_id, {'status': states.EXTENDING},
                          expected_status=states.AVAILABLE, action='extend')
        self.volume_rpcapi.extend_volume(ctxt, volume['host'], volume_id,
                                         new_size)

    # -- attachments --------------------------------------------------------
    def attach(self, ctxt, instance, volume_id, device=None,
               delete_on_termination=False):
        """Reserve, then attach through the instance's compute host.

        :returns: the attachment (``mountpoint``...).
        :raises: VolumeNotFound (404), VolumeInvalidState /
            InstanceInvalidState (409), Invalid (400), or the compute
            host's error after the volume is ``available`` again.
        """
        if instance['vm_state'] not in _ATTACH_VM or \
                instance['task_state'] is not None or not instance['host']:
            raise exception.InstanceInvalidState(
                action='attach_volume', instance_uuid=instance['uuid'],
                attr='vm_state', state=instance['vm_state'])
        volume, attachment = volumes_db.reserve(
            volume_id, self._scope(ctxt), instance['uuid'],
            _pick_device(device), delete_on_termination)
        instances_db.record_action(ctxt, instance['uuid'], 'attach_volume')
        try:
            return self.compute_rpcapi.attach_volume(
                ctxt, instance['host'], instance['uuid'], volume_id,
                volume['host'], attachment)
        except Exception as e:
            # The compute host rolls back what it did; make sure the
            # reservation is gone too (a timeout may have hidden its work).
            try:
                volumes_db.attachment_remove(attachment['uuid'],
                                             (states.ATTACHING,))
            except exception.StratusException:
                pass
            if isinstance(e, messaging.MessagingTimeout):
                raise exception.ServiceUnavailable(
                    reason='the compute host did not answer')
            raise

    def detach(self, ctxt, instance, volume_id):
        """:raises: VolumeAttachmentNotFound (404), VolumeInvalidState."""
        self.get(ctxt, volume_id)
        attachment = volumes_db.attachment_get(volume_id, instance['uuid'])
        if attachment['attach_status'] != states.ATTACHED:
            raise exception.VolumeInvalidState(
                action='detach', volume_id=volume_id,
                status=attachment['attach_status'])
        volume = volumes_db.update(volume_id, {'status': states.DETACHING},
                                   expected_status=states.IN_USE,
                                   action='detach')
        instances_db.record_action(ctxt, instance['uuid'], 'detach_volume')
        try:
            self.compute_rpcapi.detach_volume(
                ctxt, instance['host'], instance['uuid'], volume_id,
                volume['host'], attachment)
        except Exception as e:
            try:
                volumes_db.update(volume_id, {'status': states.IN_USE},
                                  expected_status=states.DETACHING)
            except exception.StratusException:
                pass
            if isinstance(e, messaging.MessagingTimeout):
                raise exception.ServiceUnavailable(
                    reason='the compute host did not answer')
            raise
