"""Volume bodies as Cinder v3 shapes them."""


def isotime(value):
    if value is None or isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f')


def base_url(req):
    return req.application_url


def links(req, volume):
    path = '%s/volumes/%s' % (volume['project_id'], volume['id'])
    return [{'rel': 'self', 'href': '%s/v3/%s' % (base_url(req), path)},
            {'rel': 'bookmark', 'href': '%s/%s' % (base_url(req), path)}]


def attachment(att, host=None):
    return {'id': att['volume_id'], 'attachment_id': att['uuid'],
            'volume_id': att['volume_id'], 'server_id': att['instance_uuid'],
            'host_name': att.get('attached_host'),
            'device': att['mountpoint'],
            'attached_at': isotime(att.get('attach_time'))}


def summary(req, volume):
    return {'id': volume['id'], 'name': volume['display_name'],
            'links': links(req, volume)}


def detail(req, volume, attachments=(), show_host=False):
    body = {
        'id': volume['id'],
        'name': volume['display_name'],
        'description': volume['display_description'],
        'status': volume['status'],
        'size': volume['size'],
        'availability_zone': volume['availability_zone'],
        'created_at': isotime(volume['created_at']),
        'updated_at': isotime(volume['updated_at']),
        'attachments': [attachment(a) for a in attachments
                        if a['attach_status'] == 'attached'],
        'volume_type': volume['volume_type'] or '__DEFAULT__',
        'snapshot_id': None,
        'source_volid': None,
        'metadata': volume['metadata'] or {},
        'links': links(req, volume),
        'user_id': volume['user_id'],
        'bootable': 'true' if volume['bootable'] else 'false',
        'encrypted': False,
        'replication_status': None,
        'consistencygroup_id': None,
        'multiattach': False,
        'migration_status': None,
        'group_id': None,
        'provider_id': None,
        'shared_targets': False,
        'consumes_quota': True,
        'os-vol-tenant-attr:tenant_id': volume['project_id'],
        'os-vol-mig-status-attr:migstat': None,
        'os-vol-mig-status-attr:name_id': None,
    }
    if volume['source_image_id']:
        body['volume_image_metadata'] = {'image_id':
                                         volume['source_image_id']}
    if show_host:
        body['os-vol-host-attr:host'] = volume['host']
    if volume['status'] == 'error' and volume.get('status_reason'):
        # Cinder keeps the reason in user messages; clients show it here.
        body['status_reason'] = volume['status_reason']
    return body
