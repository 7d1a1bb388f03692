"""``/servers``: create, list, show, update and delete servers."""
import base64
import binascii
import re

import sqlalchemy as sa

from stratus import exception
from stratus import policy
from stratus import servicegroup
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.compute.views import servers as views
from stratus.api.schemas import servers as schemas
from stratus.api.schemas import types
from stratus.compute import api as compute_api
from stratus.db import api as db_api
from stratus.db import models

_UUID_RE = re.compile(types.UUID_PATTERN)


def allowed(ctxt, rule, target=None):
    """True when ``ctxt`` passes ``rule`` (no exception)."""
    try:
        policy.authorize(ctxt, rule, target)
    except exception.Forbidden:
        return False
    return True


def _target(inst):
    return {'project_id': inst['project_id'], 'user_id': inst['user_id']}


def _ref_id(ref):
    """The id at the end of an id-or-link reference."""
    return str(ref).rstrip('/').rsplit('/', 1)[-1]


def host_statuses(hosts):
    """{host: UP / DOWN / MAINTENANCE / UNKNOWN} from the services table."""
    hosts = {h for h in hosts if h}
    if not hosts:
        return {}
    svc = models.Service
    with db_api.reader() as session:
        rows = session.scalars(sa.select(svc).where(
            svc.host.in_(hosts), svc.binary == 'stratus-compute',
            svc.deleted == 0)).all()
        found = {}
        for row in rows:
            if row.forced_down or not servicegroup.is_up(row):
                found[row.host] = 'DOWN'
            elif row.disabled:
                found[row.host] = 'MAINTENANCE'
            else:
                found[row.host] = 'UP'
    return {h: found.get(h, 'UNKNOWN') for h in hosts}


class ServersController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    # -- views --------------------------------------------------------------
    def _details(self, req, instances, show_server_groups=False):
        ctxt = req.context
        is_admin = policy.check_is_admin(ctxt)
        errored = [i['uuid'] for i in instances
                   if i['vm_state'] in ('error', 'deleted')]
        faults = self.compute_api.get_faults(errored)
        volumes = self.compute_api.get_volume_attachments(
            i['uuid'] for i in instances)
        statuses = None
        if common.at_least(req, '2.16') and \
                allowed(ctxt, policies.SERVERS_HOST_STATUS):
            statuses = host_statuses(i.get('host') for i in instances)
        specs = common.at_least(req, '2.47') and allowed(
            ctxt, policies.EXTRA_SPECS_INDEX)
        result = []
        for inst in instances:
            status = None
            if statuses is not None:
                status = statuses.get(inst.get('host'), '')
            result.append(views.detail(
                req, inst, is_admin=is_admin,
                fault=faults.get(inst['uuid']), host_status=status,
                show_extra_specs=specs,
                show_server_groups=show_server_groups,
                attachments=volumes.get(inst['uuid'], ())))
        return result

    # -- list ---------------------------------------------------------------
    def index(self, req):
        instances, limit = self._list(req, policies.SERVERS_INDEX)
        body = {'servers': [views.basic(req, i) for i in instances]}
        return self._with_links(req, body, instances, limit)

    def detail(self, req):
        instances, limit = self._list(req, policies.SERVERS_DETAIL)
        body = {'servers': self._details(req, instances)}
        return self._with_links(req, body, instances, limit)

    @staticmethod
    def _with_links(req, body, instances, limit):
        links = common.next_link(req, 'servers',
                                 [{'id': i['uuid']} for i in instances],
                                 limit)
        if links:
            body['servers_links'] = links
        return body

    def _list(self, req, rule):
        ctxt = req.context
        policy.authorize(ctxt, rule)
        params = req.GET
        is_admin = policy.check_is_admin(ctxt)
        project_id = ctxt.project_id
        if 'all_tenants' in params and \
                types.to_bool(params['all_tenants'] or 'true'):
            policy.authorize(ctxt, policies.SERVERS_ALL_TENANTS)
            project_id = params.get('project_id') or \
                params.get('tenant_id') or None
        checks = []
        filters = {}
        vm_list = None
        status = params.get('status')
        if status:
            vm_list = common.vm_states_for_status(status)
            if not vm_list:
                if common.at_least(req, '2.38'):
                    raise exception.Invalid(reason='Invalid status value')
                return [], None
            wanted = status.upper()
            checks.append(lambda i: common.status_from_state(
                i['vm_state'], i['task_state']) == wanted)
        if params.get('name'):
            checks.append(_name_check(params['name']))
        # Exact matches run in SQL; only regular expressions and the
        # status need Python (on a stream that stops at the limit).
        if params.get('reservation_id'):
            filters['reservation_id'] = params['reservation_id']
        if params.get('image'):
            filters['image_ref'] = _ref_id(params['image'])
        if params.get('flavor'):
            filters['flavorid'] = _ref_id(params['flavor'])
        if params.get('ip'):
            checks.append(_ip_check(params['ip']))
        host = params.get('host') if is_admin else None
        if host:
            filters['host'] = host
        limit, marker = common.get_limit_marker(req)

        def predicate(inst):
            return all(check(inst) for check in checks)

        if len(checks) == 1:
            predicate = checks[0]
        instances = self.compute_api.get_all(
            ctxt, project_id, vm_states_=vm_list, limit=limit,
            marker=marker, predicate=predicate if checks else None,
            filters=filters)
        if not instances and is_admin and params.get('name') and \
                project_id is not None and marker is None:
            # Deliberate deviation from Nova: an admin's lookup by name
            # (what `openstack server show NAME` does) that finds nothing
            # in the admin's own project searches every project, so that
            # operators can act on users' servers by name.
            instances = self.compute_api.get_all(
                ctxt, None, vm_states_=vm_list, limit=limit,
                predicate=predicate, filters=filters)
        return instances, limit

    # -- one server ---------------------------------------------------------
    def show(self, req, id):
        ctxt = req.context
        inst = self.compute_api.get(ctxt, id)
        policy.authorize(ctxt, policies.SERVERS_SHOW, _target(inst))
        return {'server': self._details(req, [inst],
                                        show_server_groups=True)[0]}

    def update(self, req, id):
        ctxt = req.context
        body = req.json()
        schema = schemas.update
        common.validate(schema, body)
        server = body['server']
        if 'description' in server and not common.at_least(req, '2.19'):
            raise exception.ValidationError(
                field='server', reason='description needs 2.19')
        inst = self.compute_api.get(ctxt, id)
        policy.authorize(ctxt, policies.SERVERS_UPDATE, _target(inst))
        values = {}
        if 'name' in server:
            values['display_name'] = server['name']
        if 'description' in server:
            values['display_description'] = server['description']
        if 'accessIPv4' in server:
            values['access_ip_v4'] = server['accessIPv4']
        if 'accessIPv6' in server:
            values['access_ip_v6'] = server['accessIPv6']
        inst = self.compute_api.update(ctxt, id, values)
        return {'server': self._details(req, [inst])[0]}

    def delete(self, req, id):
        ctxt = req.context
        inst = self.compute_api.get(ctxt, id)
        policy.authorize(ctxt, policies.SERVERS_DELETE, _target(inst))
        self.compute_api.delete(ctxt, id)
        return 204, None

    # -- create -------------------------------------------------------------
    def create(self, req):
        ctxt = req.context
        body = req.json()
        common.validate(schemas.create_for(
            lambda v: common.at_least(req, v)), body)
        policy.authorize(ctxt, policies.SERVERS_CREATE)
        server = body['server']
        params = {
            'name': server['name'],
            'flavor_id': _ref_id(server['flavorRef']),
            'key_name': server.get('key_name'),
            'metadata': server.get('metadata') or {},
            'description': server.get('description'),
            'tags': server.get('tags') or [],
            'scheduler_hints': body.get('os:scheduler_hints') or
            body.get('OS-SCH-HNT:scheduler_hints') or {},
        }
        params.update(_counts(server))
        params.update(_image_and_bdms(server))
        params.update(_placement(ctxt, server))
        params['user_data'] = _user_data(server.get('user_data'))
        params['requested_networks'] = _networks(server.get('networks'))
        groups = []
        for group in server.get('security_groups') or [{'name': 'default'}]:
            if group['name'] not in groups:
                groups.append(group['name'])
        params['security_groups'] = groups
        admin_pass = server.get('adminPass') or \
            compute_api.generate_password()
        instances, reservation_id = self.compute_api.create(ctxt, params)
        if types.to_bool(server.get('return_reservation_id', False)):
            return 202, {'reservation_id': reservation_id}
        first = instances[0]
        headers = {'Location': common.links(req, 'servers',
                                            first['uuid'])[0]['href']}
        return 202, views.created(req, first, admin_pass), headers


def _name_check(pattern):
    try:
        regex = re.compile(pattern)
    except re.error:
        return lambda i: pattern in (i['display_name'] or '')
    return lambda i: regex.search(i['display_name'] or '') is not None


def _ip_check(pattern):
    try:
        regex = re.compile(pattern)
    except re.error:
        regex = re.compile(re.escape(pattern))

    def check(inst):
        for entries in views.addresses(inst.get('network_info')).values():
            for entry in entries:
                if entry['addr'] and regex.match(entry['addr']):
                    return True
        return False
    return check


def _counts(server):
    min_count = common.positive_int(server.get('min_count', 1), 'min_count')
    max_count = common.positive_int(server.get('max_count', min_count),
                                    'max_count')
    if max_count < min_count:
        raise exception.ValidationError(
            field='max_count', reason='min_count must be <= max_count')
    return {'min_count': min_count, 'max_count': max_count}


def _bdm_int(bdm, key):
    value = bdm.get(key)
    return None if value in (None, '') else int(value)


def _image_and_bdms(server):
    """The image to boot (None when a volume is the root disk) and the
    block device mappings with their numbers parsed."""
    bdms = []
    for given in server.get('block_device_mapping_v2') or []:
        bdm = dict(given, boot_index=_bdm_int(given, 'boot_index'),
                   volume_size=_bdm_int(given, 'volume_size'))
        bdm.setdefault('destination_type', 'local' if bdm.get(
            'source_type') in ('image', 'blank') else 'volume')
        bdms.append(bdm)
    image_id = None
    image_ref = server.get('imageRef') or ''
    if image_ref:
        image_id = _ref_id(image_ref)
        if not _UUID_RE.match(image_id):
            raise exception.ValidationError(
                field='imageRef', reason='Invalid imageRef provided.')
    boots = [b for b in bdms if b['boot_index'] == 0]
    if len(boots) > 1:
        raise exception.Invalid(reason='Boot sequence for the instance is '
                                       'invalid.')
    boot = boots[0] if boots else None
    for bdm in bdms:
        if bdm.get('source_type') in ('volume', 'image', 'snapshot') and \
                not bdm.get('uuid'):
            raise exception.Invalid(reason='Block device mapping needs a '
                                           'uuid for source %s' %
                                    bdm['source_type'])
    if boot is not None and boot['destination_type'] == 'volume':
        # Booted from a volume: the instance has no image of its own.
        image_id = None
    elif image_id is None:
        if boot is None or boot.get('source_type') != 'image':
            raise exception.Invalid(reason='Missing imageRef attribute')
        image_id = boot['uuid']
    return {'image_id': image_id, 'block_device_mapping': bdms}


def _placement(ctxt, server):
    az = server.get('availability_zone')
    host = server.get('host')
    node = server.get('hypervisor_hostname')
    if az and ':' in az:
        parts = az.split(':')
        if len(parts) > 3:
            raise exception.Invalid(reason='Unable to parse '
                                           'availability_zone')
        az = parts[0] or None
        host = parts[1] or None
        node = parts[2] if len(parts) > 2 else None
    if host or node:
        policy.authorize(ctxt, policies.SERVERS_CREATE_FORCED_HOST)
    return {'availability_zone': az, 'forced_host': host,
            'forced_node': node}


def _user_data(value):
    if value is None:
        return None
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise exception.ValidationError(
            field='user_data', reason='User data needs to be valid base 64.')
    return value


def _networks(value):
    """'auto' or absent -> None; 'none' -> []; a list -> plain dicts."""
    if value is None or value == 'auto':
        return None
    if value == 'none':
        return []
    requested = []
    for net in value:
        if not net.get('uuid') and not net.get('port'):
            raise exception.Invalid(reason='Bad networks format: network '
                                           'uuid or port is required')
        requested.append({'uuid': net.get('uuid'), 'port': net.get('port'),
                          'fixed_ip': net.get('fixed_ip'),
                          'tag': net.get('tag')})
    return requested
