"""Server representations (Nova's views.servers.ViewBuilder)."""
import hashlib

from stratus import conf
from stratus.api.compute import common
from stratus.api.compute import microversion
from stratus.api.compute.views import flavors as flavor_views
from stratus.compute import power_state

CONF = conf.CONF


def basic(req, inst):
    return {'id': inst['uuid'], 'name': inst['display_name'],
            'links': common.links(req, 'servers', inst['uuid'])}


def _version(req):
    """The request's microversion as a tuple, parsed once a request."""
    return microversion.of(req)


def host_id(inst):
    if not inst.get('host'):
        return ''
    data = (inst['project_id'] + inst['host']).encode()
    return hashlib.sha224(data).hexdigest()


def addresses(network_info):
    """``{label: [{version, addr, OS-EXT-IPS:type, ...:mac_addr}]}``."""
    result = {}
    for vif in network_info or []:
        net = vif.get('network')
        if isinstance(net, dict):
            label = net.get('label') or net.get('name') or 'private'
        else:
            label = net or vif.get('label') or 'private'
        mac = vif.get('mac_address') or vif.get('mac') or vif.get('address')
        entries = result.setdefault(label, [])
        for ip in vif.get('ips') or []:
            if isinstance(ip, str):
                ip = {'address': ip}
            entries.append(_address(ip, ip.get('type') or 'fixed', mac))
            for fip in ip.get('floating_ips') or []:
                if isinstance(fip, str):
                    fip = {'address': fip}
                entries.append(_address(fip, 'floating', mac))
    return result


def _address(ip, kind, mac):
    addr = ip.get('address') or ip.get('addr')
    version = ip.get('version') or (6 if addr and ':' in addr else 4)
    return {'version': version, 'addr': addr, 'OS-EXT-IPS:type': kind,
            'OS-EXT-IPS-MAC:mac_addr': mac}


def _image(req, inst):
    if not inst.get('image_ref'):
        return ''
    return {'id': inst['image_ref'],
            'links': [{'rel': 'bookmark',
                       'href': '%s/images/%s' % (common.base_url(req),
                                                 inst['image_ref'])}]}


def _flavor(req, inst, show_extra_specs, version=None):
    flavor = inst.get('flavor') or {}
    if (version or _version(req)) < (2, 47):
        return flavor_views.bookmark(req, flavor.get('flavorid'))
    body = {'vcpus': flavor.get('vcpus', inst['vcpus']),
            'ram': flavor.get('memory_mb', inst['memory_mb']),
            'disk': flavor.get('root_gb', inst['root_gb']),
            'ephemeral': flavor.get('ephemeral_gb', 0),
            'swap': flavor.get('swap', 0),
            'original_name': flavor.get('name')}
    if show_extra_specs:
        body['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return body


def _volumes(version, attachments):
    volumes = []
    for att in attachments:
        entry = {'id': att['volume_id']}
        if version >= (2, 3):
            entry['delete_on_termination'] = bool(
                att.get('delete_on_termination'))
        volumes.append(entry)
    return volumes


def _fault(fault, is_admin):
    body = {'code': fault['code'], 'message': fault['message'],
            'created': common.isotime(fault['created'])}
    details = fault.get('details')
    # As Nova: members see the details of a fault that is not a 500. A
    # traceback recorded with another code (a build failure with a 409)
    # stays admin-only too: it names the deployment's files and lines.
    if details and (is_admin or (
            fault['code'] != 500 and
            'Traceback (most recent call last)' not in details)):
        body['details'] = details
    return body


def detail(req, inst, is_admin=False, fault=None, host_status=None,
           show_extra_specs=False, show_server_groups=False, attachments=()):
    """The full server dict for ``GET /servers/{id}`` and ``/detail``.

    :param host_status: a string for callers allowed to see it, else None.
    :param attachments: the instance's volume attachments.
    """
    version = _version(req)
    status = common.status_from_state(inst['vm_state'], inst['task_state'])
    body = basic(req, inst)
    body.update({
        'status': status,
        'tenant_id': inst['project_id'],
        'user_id': inst['user_id'],
        'metadata': dict(inst.get('metadata') or {}),
        'hostId': host_id(inst),
        'image': _image(req, inst),
        'flavor': _flavor(req, inst, show_extra_specs, version),
        'created': common.isotime(inst['created_at']),
        'updated': common.isotime(inst['updated_at'] or
                                  inst['created_at']),
        'addresses': addresses(inst.get('network_info')),
        'accessIPv4': inst.get('access_ip_v4') or '',
        'accessIPv6': inst.get('access_ip_v6') or '',
        'OS-DCF:diskConfig': 'MANUAL',
        'OS-EXT-AZ:availability_zone': inst.get('availability_zone') or '',
        'config_drive': inst.get('config_drive') or '',
        'key_name': inst.get('key_name'),
        'OS-SRV-USG:launched_at': common.isotime_us(inst.get('launched_at')),
        'OS-SRV-USG:terminated_at':
            common.isotime_us(inst.get('terminated_at')),
        'OS-EXT-STS:vm_state': inst['vm_state'],
        'OS-EXT-STS:task_state': inst['task_state'],
        'OS-EXT-STS:power_state': inst['power_state'] or
        power_state.NOSTATE,
        'os-extended-volumes:volumes_attached': _volumes(version,
                                                         attachments),
    })
    if status in common.PROGRESS_STATUSES:
        body['progress'] = inst.get('progress') or 0
    groups = inst.get('security_groups') or []
    if groups:
        body['security_groups'] = [{'name': g} for g in groups]
    if fault and inst['vm_state'] in ('error', 'deleted'):
        body['fault'] = _fault(fault, is_admin)
    if is_admin:
        body['OS-EXT-SRV-ATTR:host'] = inst.get('host')
        body['OS-EXT-SRV-ATTR:hypervisor_hostname'] = inst.get('node')
        body['OS-EXT-SRV-ATTR:instance_name'] = \
            CONF.instance_name_template % inst['id']
        if version >= (2, 3):
            body.update({
                'OS-EXT-SRV-ATTR:reservation_id': inst.get('reservation_id'),
                'OS-EXT-SRV-ATTR:launch_index': inst.get('launch_index'),
                'OS-EXT-SRV-ATTR:hostname': inst.get('hostname'),
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': None,
                'OS-EXT-SRV-ATTR:user_data': inst.get('user_data'),
            })
    if version >= (2, 9):
        body['locked'] = bool(inst.get('locked'))
    if version >= (2, 16) and host_status is not None:
        body['host_status'] = host_status
    if version >= (2, 19):
        body['description'] = inst.get('display_description')
    if version >= (2, 26):
        body['tags'] = list(inst.get('tags') or [])
    if version >= (2, 63):
        body['trusted_image_certificates'] = None
    if version >= (2, 71) and show_server_groups:
        body['server_groups'] = []
    if version >= (2, 73):
        body['locked_reason'] = None
    return body


def created(req, inst, admin_pass=None):
    """The 202 answer of ``POST /servers``."""
    body = basic(req, inst)
    del body['name']
    body['OS-DCF:diskConfig'] = 'MANUAL'
    body['security_groups'] = [{'name': g} for g in
                               inst.get('security_groups') or []]
    if admin_pass is not None:
        body['adminPass'] = admin_pass
    return {'server': body}
