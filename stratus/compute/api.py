"""Compute business logic behind the REST API (and later the EC2 API).

The REST controllers parse and validate requests and shape responses; this
module decides: it looks up flavors, images and key pairs, checks quotas,
writes instance rows and instance actions, checks states and casts to the
conductor or the compute host. RPC clients are created on first use so that
importing this module needs no transport.
"""
import base64
import datetime
import hashlib
import re
import secrets
import string
import uuid

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import policy
from stratus import rpc
from stratus.compute import task_states
from stratus.compute import vm_states
from stratus.db import api as db_api
from stratus.db import flavors as flavors_db
from stratus.db import images as images_db
from stratus.db import instances as instances_db
from stratus.db import keypairs as keypairs_db
from stratus.db import models
from stratus.db import quotas as quotas_db
from stratus.db import aggregates as aggregates_db
from stratus.db import server_groups as server_groups_db
from stratus.db import volumes as volumes_db
from stratus.volume import states as volume_states

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# Which states each action accepts (Nova's check_instance_state sets).
_REBOOT_SOFT_VM = (vm_states.ACTIVE,)
_REBOOT_HARD_VM = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)
_REBOOT_SOFT_TASK = (None,)
_REBOOT_HARD_TASK = (None, task_states.REBOOTING,
                     task_states.REBOOT_STARTED)
_STOP_VM = (vm_states.ACTIVE, vm_states.ERROR)
_START_VM = (vm_states.STOPPED,)
_CONSOLE_VM = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR,
               vm_states.BUILDING)

_HOSTNAME_BAD = re.compile(r'[^\w.-]+', re.ASCII)


def sanitize_hostname(name, default):
    """A DNS-safe host name derived from a display name (Nova's rules)."""
    name = name.lower().replace(' ', '-').replace('_', '-')
    name = _HOSTNAME_BAD.sub('', name)
    name = name.strip('.-')[:63].rstrip('.-')
    return name or default


def _jsonable(value):
    """Copy of ``value`` with datetimes as ISO strings (for JSON columns)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _reservation_id():
    alphabet = string.ascii_lowercase + string.digits
    return 'r-' + ''.join(secrets.choice(alphabet) for _ in range(8))


def generate_password(length=12):
    alphabet = string.ascii_letters + string.digits
    return ''.join(secrets.choice(alphabet) for _ in range(length))


def flavor_spec(flavor):
    """The flavor dict instances and request specs carry."""
    return {'flavorid': flavor['flavorid'], 'name': flavor['name'],
            'vcpus': flavor['vcpus'], 'memory_mb': flavor['memory_mb'],
            'root_gb': flavor['root_gb'] or 0,
            'ephemeral_gb': flavor['ephemeral_gb'] or 0,
            'swap': flavor['swap'] or 0,
            'extra_specs': dict(flavor.get('extra_specs') or {})}


class API:
    """Compute API operations; every method takes the caller's context."""

    conductor_rpcapi = rpc.LazyClient('stratus.conductor.rpcapi',
                                      'ConductorAPI')
    compute_rpcapi = rpc.LazyClient('stratus.compute.rpcapi', 'ComputeAPI')
    network_rpcapi = rpc.LazyClient('stratus.network.rpcapi', 'NetworkAPI')
    volume_rpcapi = rpc.LazyClient('stratus.volume.rpcapi', 'VolumeAPI')

    # -- reading instances -------------------------------------------------
    def get(self, ctxt, instance_uuid, read_deleted=False):
        """The instance if the caller's project owns it (or an admin asks).

        :raises: InstanceNotFound (also for another project's instance).
        """
        inst = instances_db.get(instance_uuid, read_deleted=read_deleted)
        if inst['project_id'] != ctxt.project_id and \
                not policy.check_is_admin(ctxt):
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return inst

    def get_all(self, ctxt, project_id, vm_states_=None, limit=None,
                marker=None, predicate=None, filters=None):
        """Instances of ``project_id`` (None: every project), newest first.

        :param filters: exact-match filters run in SQL (see
            ``stratus.db.instances.get_all``).
        :param predicate: optional ``callable(instance) -> bool`` applied
            before the page is cut (rows stream until ``limit`` match).
        :raises: Invalid for an unknown marker.
        """
        filters = dict(filters or {})
        if vm_states_ is not None:
            filters['vm_state'] = list(vm_states_)
            if not filters['vm_state']:
                return []
        try:
            return instances_db.get_all(
                project_id=project_id, filters=filters, marker=marker,
                limit=limit, predicate=predicate)
        except exception.NotFound:
            raise exception.Invalid(reason='marker [%s] not found' % marker)

    def get_faults(self, instance_uuids):
        return instances_db.get_latest_faults(instance_uuids)

    def get_volume_attachments(self, instance_uuids):
        """{instance uuid: [attachment, ...]}: what the server views list
        as ``os-extended-volumes:volumes_attached``."""
        return volumes_db.attachments_by_instance(instance_uuids)

    # -- create -------------------------------------------------------------
    def _resolve_flavor(self, ctxt, flavor_ref):
        try:
            flavor = flavors_db.get(flavor_ref)
        except exception.FlavorNotFound:
            raise exception.Invalid(reason='Flavor %s could not be found.' %
                                    flavor_ref)
        if flavor['disabled'] or (not flavor['is_public'] and
                                  not policy.check_is_admin(ctxt)):
            raise exception.Invalid(reason='Flavor %s could not be found.' %
                                    flavor_ref)
        return flavor

    def _resolve_image(self, ctxt, image_id, flavor):
        try:
            image = images_db.get_image(ctxt, image_id)
        except exception.ImageNotFound as e:
            raise exception.Invalid(reason=e.message)
        if image['status'] != 'active':
            raise exception.Invalid(reason='Image %s is not active.' %
                                    image_id)
        if flavor['memory_mb'] < (image.get('min_ram') or 0):
            raise exception.Invalid(reason='Flavor\'s memory is too small '
                                           'for requested image.')
        root_gb = flavor['root_gb'] or 0
        if root_gb and root_gb < (image.get('min_disk') or 0):
            raise exception.Invalid(reason='Flavor\'s disk is too small for '
                                           'requested image.')
        if root_gb and image.get('size') and \
                image['size'] > root_gb * 1024 ** 3:
            raise exception.Invalid(reason='Flavor\'s disk is too small for '
                                           'requested image.')
        return image

    def _check_block_devices(self, ctxt, bdms, flavor):
        """Check the volumes a boot asks for, as Nova's ``_validate_bdm``.

        Only volumes are supported (made from an image, or given by id);
        an image-to-local mapping is the image disk itself.

        :returns: (the mappings compute will prepare, the image metadata of
            a volume-backed root disk or {}).
        :raises: Invalid (400).
        """
        prepared, boot_image = [], {}
        for bdm in bdms:
            source, dest = bdm.get('source_type'), bdm['destination_type']
            if source == 'image' and dest == 'local' and \
                    bdm.get('boot_index') == 0:
                continue
            if dest != 'volume' or source not in ('image', 'volume'):
                raise exception.Invalid(
                    reason='Block device mapping %s to %s is not supported.'
                           % (source, dest))
            entry = {'source_type': source, 'destination_type': 'volume',
                     'boot_index': bdm.get('boot_index'),
                     'device_name': bdm.get('device_name'),
                     'delete_on_termination':
                         bool(bdm.get('delete_on_termination'))}
            if source == 'image':
                image = self._resolve_image(ctxt, bdm['uuid'], dict(
                    flavor, root_gb=0))
                needed = max(image.get('min_disk') or 0, -(-(
                    image.get('virtual_size') or image.get('size') or 0)
                    // 1024 ** 3), 1)
                size = bdm.get('volume_size') or max(
                    needed, flavor.get('root_gb') or 0)
                if size < needed:
                    raise exception.Invalid(
                        reason='Volume size %d GiB is smaller than the '
                               'image (%d GiB).' % (size, needed))
                if size > CONF.volume.max_size_gb:
                    raise exception.Invalid(
                        reason='Volume size %d GiB is larger than the limit '
                               'of %d GiB' % (size, CONF.volume.max_size_gb))
                entry['volume_size'] = size
                entry['image'] = {'id': image['id'],
                                  'disk_format': image['disk_format'],
                                  'checksum': image.get('checksum'),
                                  'name': image['name']}
                if entry['boot_index'] == 0:
                    boot_image = _jsonable(image)
            else:
                try:
                    volume = volumes_db.get(bdm['uuid'], ctxt.project_id)
                except exception.VolumeNotFound:
                    raise exception.Invalid(
                        reason='Block Device Mapping is Invalid: failed to '
                               'get volume %s.' % bdm['uuid'])
                if volume['status'] != volume_states.AVAILABLE:
                    raise exception.Invalid(
                        reason="Invalid volume: volume '%s' status must be "
                               "'available'. Currently in '%s'" %
                               (volume['id'], volume['status']))
                entry['uuid'] = volume['id']
                if entry['boot_index'] == 0 and volume['source_image_id']:
                    # The kernel and ramdisk of the image it was made from.
                    try:
                        boot_image = _jsonable(images_db.get_image(
                            ctxt, volume['source_image_id']))
                    except exception.ImageNotFound:
                        boot_image = {}
            prepared.append(entry)
        return prepared, boot_image

    def _check_availability_zone(self, az):
        if az is None or az == CONF.default_availability_zone:
            return
        import sqlalchemy as sa
        with db_api.reader() as session:
            found = session.scalars(sa.select(models.Service.id).where(
                models.Service.availability_zone == az,
                models.Service.deleted == 0)).first()
        if found is None and az in aggregates_db.zones():
            return
        if found is None:
            raise exception.Invalid(reason='The requested availability zone '
                                           'is not available')

    def create(self, ctxt, params):
        """Validate, check quota, write the instances, cast the build.

        :param params: dict with ``name``, ``image_id`` (None when booting
            from a volume), ``flavor_id``, ``min_count``, ``max_count`` and
            optionally ``key_name``, ``availability_zone``, ``forced_host``,
            ``forced_node``, ``metadata``, ``user_data``, ``description``,
            ``requested_networks``, ``security_groups``,
            ``block_device_mapping``, ``scheduler_hints``, ``tags``.
        :returns: (list of instance dicts, reservation id).
        :raises: Invalid (400), QuotaExceeded (403).
        """
        flavor = self._resolve_flavor(ctxt, params['flavor_id'])
        image = {}
        if params.get('image_id'):
            image = _jsonable(self._resolve_image(ctxt, params['image_id'],
                                                  flavor))
        bdms, boot_image = self._check_block_devices(
            ctxt, params.get('block_device_mapping') or [], flavor)
        key_data = None
        if params.get('key_name'):
            try:
                key_data = keypairs_db.get(ctxt.user_id,
                                           params['key_name'])['public_key']
            except exception.KeypairNotFound as e:
                raise exception.Invalid(reason=e.message)
        self._check_availability_zone(params.get('availability_zone'))
        metadata = params.get('metadata') or {}
        limits = quotas_db.get_limits(ctxt.project_id)
        if limits['metadata_items'] != quotas_db.UNLIMITED and \
                len(metadata) > limits['metadata_items']:
            raise exception.QuotaExceeded(
                resource='metadata_items', requested=len(metadata), used=0,
                allowed=limits['metadata_items'])

        spec_flavor = flavor_spec(flavor)
        hints = dict(params.get('scheduler_hints') or {})
        if params.get('forced_host'):
            hints['force_hosts'] = [params['forced_host']]
        if params.get('forced_node'):
            hints['force_nodes'] = [params['forced_node']]
        reservation_id = _reservation_id()
        request_spec = {
            'flavor': spec_flavor, 'image': image or boot_image,
            'num_instances': None,
            'availability_zone': params.get('availability_zone'),
            'scheduler_hints': hints,
            'project_id': ctxt.project_id, 'user_id': ctxt.user_id,
            'requested_networks': params.get('requested_networks'),
            'security_groups': list(params.get('security_groups') or
                                    ['default']),
            'block_device_mapping': bdms,
            'tags': list(params.get('tags') or []),
        }
        instances = self._create_rows(ctxt, params, spec_flavor, image,
                                      key_data, metadata, request_spec,
                                      reservation_id)
        uuids = [i['uuid'] for i in instances]
        try:
            self.conductor_rpcapi.build_instances(ctxt, uuids,
                                                  instances[0]['request_spec'])
        except Exception as e:
            LOG.exception('Could not cast build_instances for %s', uuids)
            for inst_uuid in uuids:
                instances_db.update(inst_uuid, {'vm_state': vm_states.ERROR,
                                                'task_state': None})
                instances_db.add_fault(inst_uuid, 500,
                                       'The build request was lost: %s' % e)
            raise exception.ServiceUnavailable(reason='the conductor is '
                                                      'unreachable')
        return instances, reservation_id

    @db_api.retry_on_unavailable
    def _create_rows(self, ctxt, params, flavor, image, key_data, metadata,
                     request_spec, reservation_id):
        with db_api.writer() as session:
            count = quotas_db.instances_allowed(
                session, ctxt.project_id,
                {'cores': flavor['vcpus'], 'ram': flavor['memory_mb']},
                params['max_count'], params['min_count'])
            spec = dict(request_spec, num_instances=count)
            rows = []
            for index in range(count):
                inst_uuid = str(uuid.uuid4())
                name = params['name']
                if count > 1:
                    name = '%s-%d' % (name, index + 1)
                row = instances_db.create(session, {
                    'uuid': inst_uuid, 'display_name': name,
                    'display_description': params.get('description'),
                    'hostname': sanitize_hostname(name,
                                                  'server-' + inst_uuid),
                    'project_id': ctxt.project_id, 'user_id': ctxt.user_id,
                    'image_ref': image.get('id') or '',
                    'flavor': flavor, 'vcpus': flavor['vcpus'],
                    'memory_mb': flavor['memory_mb'],
                    'root_gb': flavor['root_gb'],
                    'ephemeral_gb': flavor['ephemeral_gb'],
                    'vm_state': vm_states.BUILDING,
                    'task_state': task_states.SCHEDULING,
                    'power_state': 0,
                    'availability_zone': params.get('availability_zone'),
                    'key_name': params.get('key_name'),
                    'key_data': key_data,
                    'user_data': params.get('user_data'),
                    'metadata': dict(metadata),
                    'reservation_id': reservation_id,
                    'launch_index': index,
                    'request_spec': spec,
                    'security_groups': spec['security_groups'],
                    'network_info': [],
                })
                instances_db.action_start(session, ctxt, inst_uuid, 'create')
                rows.append(row)
            session.flush()
            server_groups_db.record_hint(session, spec['scheduler_hints'],
                                         [r.uuid for r in rows],
                                         ctxt.project_id)
            return [instances_db.to_dict(r) for r in rows]

    def update(self, ctxt, instance_uuid, values):
        """Change the user-settable fields (name, description, access IPs).

        :returns: the updated instance dict.
        """
        self.get(ctxt, instance_uuid)
        if not values:
            return self.get(ctxt, instance_uuid)
        return instances_db.update(instance_uuid, values)

    # -- delete -------------------------------------------------------------
    def delete(self, ctxt, instance_uuid):
        """Delete at once when no host has it, else mark and cast.

        The task_state compare-and-swap against what was read makes the
        decision atomic with the conductor's own swaps (it sets the host and
        moves task_state in one update).

        :raises: InstanceNotFound, Conflict (locked, or a race lost thrice).
        """
        for _attempt in range(5):
            inst = self.get(ctxt, instance_uuid)
            if inst['locked'] and not policy.check_is_admin(ctxt):
                raise exception.Conflict(reason='Instance %s is locked' %
                                         instance_uuid)
            if inst['task_state'] == task_states.DELETING and \
                    inst['host'] and self._compute_up(inst['host']):
                return
            try:
                inst = instances_db.update(
                    instance_uuid, {'task_state': task_states.DELETING},
                    expected_task_state=inst['task_state'],
                    expected_vm_state=inst['vm_state'])
            except exception.UnexpectedTaskState:
                continue
            break
        else:
            raise exception.Conflict(reason='Instance %s changed state '
                                     'during the delete, try again' %
                                     instance_uuid)
        instances_db.record_action(ctxt, instance_uuid, 'delete')
        if not inst['host']:
            LOG.info('Deleting instance %s that has no host', instance_uuid)
            instances_db.destroy(instance_uuid)
            return
        if not self._compute_up(inst['host']):
            self._local_delete(ctxt, inst)
            return
        self.compute_rpcapi.terminate_instance(ctxt, inst['host'],
                                               instance_uuid)

    @staticmethod
    def _compute_up(host):
        from stratus import servicegroup
        from stratus.db import services as services_db
        try:
            service = services_db.get(host=host, binary='stratus-compute')
        except exception.NotFound:
            return False
        return servicegroup.is_up(service)

    def _local_delete(self, ctxt, inst):
        """Delete an instance whose compute host is down, as Nova does:
        release its addresses and volumes from here and soft-delete the
        row. A guest left on the host is removed by the host's start-up
        reconciliation when it comes back."""
        uuid_ = inst['uuid']
        LOG.warning('Compute host %s of instance %s is down: deleting it '
                    'locally', inst['host'], uuid_)
        steps = [('release its network',
                  lambda: self.network_rpcapi.deallocate_for_instance(
                      ctxt, uuid_))]
        volumes = self.volume_rpcapi
        try:
            attachments = volumes.get_attachments(ctxt, uuid_)
        except Exception:
            LOG.warning('Could not list the volumes of %s', uuid_,
                        exc_info=True)
            attachments = []
        for att in attachments:
            steps.append(('free volume %s' % att['volume_id'],
                          lambda att=att: volumes.detach_volume(
                              ctxt, att['uuid'])))
        for what, step in steps:
            try:
                step()
            except Exception:
                # The row goes anyway: a leak here is logged, never a
                # server that can't be deleted.
                LOG.warning('Local delete of %s could not %s', uuid_, what,
                            exc_info=True)
        instances_db.destroy(uuid_)

    # -- actions ------------------------------------------------------------
    def _start_task(self, ctxt, instance_uuid, action, allowed_vm,
                    allowed_task, new_task):
        inst = self.get(ctxt, instance_uuid)
        self._check_state(inst, action, allowed_vm, allowed_task)
        if inst['locked'] and not policy.check_is_admin(ctxt):
            raise exception.Conflict(reason='Instance %s is locked' %
                                     instance_uuid)
        try:
            inst = instances_db.update(instance_uuid,
                                       {'task_state': new_task},
                                       expected_task_state=allowed_task,
                                       expected_vm_state=allowed_vm)
        except exception.UnexpectedTaskState:
            fresh = self.get(ctxt, instance_uuid)
            self._check_state(fresh, action, allowed_vm, allowed_task)
            raise
        instances_db.record_action(ctxt, instance_uuid, action)
        return inst

    @staticmethod
    def _check_state(inst, action, allowed_vm, allowed_task=None,
                     need_host=True):
        if inst['vm_state'] not in allowed_vm:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=inst['uuid'], attr='vm_state',
                state=inst['vm_state'])
        if allowed_task is not None and inst['task_state'] not in \
                allowed_task:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=inst['uuid'],
                attr='task_state', state=inst['task_state'])
        if need_host and not inst['host']:
            raise exception.Conflict(reason='Instance %s is not ready' %
                                     inst['uuid'])

    def _cast_or_undo(self, ctxt, inst, new_task, old_task, cast):
        try:
            cast()
        except Exception:
            LOG.exception('Cast for instance %s failed', inst['uuid'])
            try:
                instances_db.update(inst['uuid'], {'task_state': old_task},
                                    expected_task_state=new_task)
            except exception.StratusException:
                pass
            raise exception.ServiceUnavailable(reason='the compute service '
                                                      'is unreachable')

    def reboot(self, ctxt, instance_uuid, reboot_type):
        """:raises: InstanceNotFound, InstanceInvalidState, Conflict."""
        if reboot_type == 'HARD':
            vm, task, new = (_REBOOT_HARD_VM, _REBOOT_HARD_TASK,
                             task_states.REBOOTING_HARD)
        else:
            vm, task, new = (_REBOOT_SOFT_VM, _REBOOT_SOFT_TASK,
                             task_states.REBOOTING)
        inst = self._start_task(ctxt, instance_uuid, 'reboot', vm, task, new)
        self._cast_or_undo(
            ctxt, inst, new, None,
            lambda: self.compute_rpcapi.reboot_instance(
                ctxt, inst['host'], instance_uuid, reboot_type))

    def stop(self, ctxt, instance_uuid):
        inst = self._start_task(ctxt, instance_uuid, 'stop', _STOP_VM,
                                (None,), task_states.POWERING_OFF)
        self._cast_or_undo(
            ctxt, inst, task_states.POWERING_OFF, None,
            lambda: self.compute_rpcapi.stop_instance(ctxt, inst['host'],
                                                      instance_uuid))

    def start(self, ctxt, instance_uuid):
        inst = self._start_task(ctxt, instance_uuid, 'start', _START_VM,
                                (None,), task_states.POWERING_ON)
        self._cast_or_undo(
            ctxt, inst, task_states.POWERING_ON, None,
            lambda: self.compute_rpcapi.start_instance(ctxt, inst['host'],
                                                       instance_uuid))

    def get_console_output(self, ctxt, instance_uuid, length=None):
        """:returns: the console text.

        :raises: InstanceNotFound, Conflict, ServiceUnavailable.
        """
        inst = self.get(ctxt, instance_uuid)
        self._check_state(inst, 'get_console_output', _CONSOLE_VM)
        try:
            return self.compute_rpcapi.get_console_output(
                ctxt, inst['host'], instance_uuid, length=length)
        except messaging.MessagingTimeout:
            raise exception.ServiceUnavailable(
                reason='the compute host %s did not answer' % inst['host'])

    # -- instance actions ---------------------------------------------------
    def get_actions(self, ctxt, instance_uuid, read_deleted=True):
        self.get(ctxt, instance_uuid, read_deleted=read_deleted)
        return instances_db.get_actions(instance_uuid)

    def get_action(self, ctxt, instance_uuid, request_id, read_deleted=True):
        """:raises: InstanceNotFound, NotFound."""
        self.get(ctxt, instance_uuid, read_deleted=read_deleted)
        action = instances_db.get_action(instance_uuid, request_id)
        if action is None:
            raise exception.NotFound('Action %s on instance %s could not be '
                                     'found.' % (request_id, instance_uuid))
        return action

    # -- flavors ------------------------------------------------------------
    def get_flavors(self, ctxt, is_public=True, min_ram=None, min_disk=None,
                    limit=None, marker=None):
        if not policy.check_is_admin(ctxt):
            is_public = True
        try:
            return flavors_db.get_all(is_public=is_public,
                                      min_memory_mb=min_ram,
                                      min_root_gb=min_disk, limit=limit,
                                      marker=marker)
        except exception.FlavorNotFound:
            raise exception.Invalid(reason='marker [%s] not found' % marker)

    def get_flavor(self, ctxt, flavorid):
        """:raises: FlavorNotFound (private flavors for non-admins too)."""
        return flavors_db.get(flavorid,
                              include_private=policy.check_is_admin(ctxt))

    def create_flavor(self, ctxt, values):
        values = dict(values)
        if not values.get('flavorid') or values['flavorid'] == 'auto':
            values['flavorid'] = str(uuid.uuid4())
        return flavors_db.create(values)

    def delete_flavor(self, ctxt, flavorid):
        flavors_db.destroy(flavorid)

    def update_flavor_extra_specs(self, ctxt, flavorid, specs,
                                  delete_keys=()):
        return flavors_db.update_extra_specs(flavorid, specs, delete_keys)

    # -- key pairs ----------------------------------------------------------
    def create_keypair(self, ctxt, user_id, name, key_type='ssh',
                       public_key=None):
        """Import ``public_key`` or generate a new RSA key pair.

        :returns: (keypair dict, private key PEM or None).
        :raises: Invalid (bad key), KeypairExists, QuotaExceeded.
        """
        private_key = None
        if public_key is None:
            if key_type != 'ssh':
                raise exception.Invalid(reason='Only ssh keys can be '
                                               'generated.')
            private_key, public_key = generate_ssh_keypair()
        fingerprint = fingerprint_of(public_key, key_type)
        keypair = keypairs_db.create(ctxt.project_id, user_id, name,
                                     public_key.strip(), fingerprint,
                                     key_type)
        return keypair, private_key

    def get_keypairs(self, ctxt, user_id, limit=None, marker=None):
        try:
            return keypairs_db.get_all(user_id, limit=limit, marker=marker)
        except exception.KeypairNotFound:
            raise exception.Invalid(reason='marker [%s] not found' % marker)

    def get_keypair(self, ctxt, user_id, name):
        return keypairs_db.get(user_id, name)

    def delete_keypair(self, ctxt, user_id, name):
        keypairs_db.destroy(user_id, name)

    # -- quotas -------------------------------------------------------------
    def get_quotas(self, ctxt, project_id):
        return quotas_db.get_limits(project_id)

    def get_quota_usage(self, ctxt, project_id):
        usage = quotas_db.get_usage(project_id)
        with db_api.reader() as session:
            usage['key_pairs'] = quotas_db.count_key_pairs(session,
                                                           ctxt.user_id)
        return usage

    def update_quotas(self, ctxt, project_id, values):
        return quotas_db.update(project_id, values)

    def reset_quotas(self, ctxt, project_id):
        quotas_db.reset(project_id)


def generate_ssh_keypair(bits=2048):
    """:returns: (private key PEM, ``ssh-rsa ...`` public key)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()
    return private, public + ' Generated-by-Stratus'


def fingerprint_of(public_key, key_type='ssh'):
    """Nova's fingerprint: colon-separated MD5 (ssh) or SHA-1 (x509).

    :raises: Invalid when the key does not parse.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    try:
        if key_type == 'x509':
            cert = x509.load_pem_x509_certificate(public_key.encode())
            digest = cert.fingerprint(hashes.SHA1()).hex()
        else:
            key = serialization.load_ssh_public_key(
                public_key.strip().encode())
            blob = key.public_bytes(serialization.Encoding.OpenSSH,
                                    serialization.PublicFormat.OpenSSH)
            raw = base64.b64decode(blob.split()[1])
            digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    except Exception:
        raise exception.Invalid(reason='Keypair data is invalid: failed to '
                                       'generate fingerprint')
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


