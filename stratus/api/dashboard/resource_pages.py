"""Volumes, images, key pairs and floating IPs: list, create, delete and
attach, each through its own API."""
from stratus.api.dashboard import client
from stratus.api.dashboard import errors
from stratus.api.dashboard.instance_pages import quote

IMAGE_FORMATS = ('qcow2', 'raw', 'ami', 'aki', 'ari', 'iso', 'vmdk')


def _list(cloud, service, path, key):
    try:
        return cloud.get(service, path)[key], None
    except (KeyError, TypeError):
        return [], None
    except client.APIError as e:
        if e.status == 401:
            raise
        return [], e.message


def _server_names(cloud):
    servers, _ = _list(cloud, 'compute', '/servers', 'servers')
    return {s['id']: s.get('name') or s['id'] for s in servers}


def _done(ctx, page, message, error=None):
    if error is not None:
        if error.status == 401:
            raise error
        if error.status == 404:
            raise errors.PageNotFound(error.message)
        return ctx.redirect(page, error.message, 'error')
    return ctx.redirect(page, message)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- volumes -----------------------------------------------------------------
def volumes(ctx, values=None, form_errors=None, status=200):
    vols, error = _list(ctx.cloud, 'block-storage', '/volumes/detail',
                        'volumes')
    names = _server_names(ctx.cloud)
    for vol in vols:
        vol['attached_to'] = [
            (a.get('server_id'), names.get(a.get('server_id'),
                                           a.get('server_id')),
             a.get('device')) for a in vol.get('attachments') or []]
    return ctx.render('volumes.html', status=status, volumes=vols,
                      servers=sorted(names.items(), key=lambda kv: kv[1]),
                      list_error=error, values=values or {'size': '1'},
                      errors=form_errors or {})


def volume_create(ctx):
    values = {'name': ctx.form.get('name', '').strip(),
              'size': ctx.form.get('size', '').strip()}
    size = _int(values['size'])
    if size is None or size < 1:
        return volumes(ctx, values, {'size': 'A size of at least 1 GB.'},
                       status=400)
    try:
        ctx.cloud.post('block-storage', '/volumes', {'volume': {
            'name': values['name'] or None, 'size': size}})
    except client.APIError as e:
        if e.status == 401:
            raise
        field = 'size' if ('size' in e.message.lower() or
                           'quota' in e.message.lower()) else 'name'
        return volumes(ctx, values, {field: e.message}, status=e.status)
    return ctx.redirect('/volumes', 'Creating volume %s (%d GB).' % (
        values['name'] or '(no name)', size))


def volume_action(ctx, volume_id, action):
    vid = quote(volume_id)
    try:
        if action == 'delete':
            ctx.cloud.delete('block-storage', '/volumes/%s' % vid)
            message = 'Deleting volume %s.' % volume_id
        elif action == 'attach':
            server = ctx.form.get('server_id', '')
            if not server:
                return ctx.redirect('/volumes', 'Pick an instance to attach '
                                    'to.', 'error')
            ctx.cloud.post('compute', '/servers/%s/os-volume_attachments'
                           % quote(server),
                           {'volumeAttachment': {'volumeId': volume_id}})
            message = 'Attaching volume %s.' % volume_id
        elif action == 'detach':
            server = ctx.form.get('server_id', '')
            ctx.cloud.delete('compute', '/servers/%s/os-volume_attachments/%s'
                             % (quote(server), vid))
            message = 'Detaching volume %s.' % volume_id
        else:
            raise errors.PageNotFound('No action %s.' % action)
    except client.APIError as e:
        return _done(ctx, '/volumes', None, e)
    return _done(ctx, '/volumes', message)


# -- images ------------------------------------------------------------------
def images(ctx, values=None, form_errors=None, status=200):
    imgs, error = _list(ctx.cloud, 'image', '/v2/images?limit=1000',
                        'images')
    imgs.sort(key=lambda i: i.get('name') or '')
    return ctx.render('images.html', status=status, images=imgs,
                      list_error=error, formats=IMAGE_FORMATS,
                      project_id=ctx.cloud.project_id,
                      values=values or {'disk_format': 'qcow2'},
                      errors=form_errors or {})


def image_create(ctx):
    values = {k: ctx.form.get(k, '').strip()
              for k in ('name', 'disk_format', 'visibility')}
    upload = ctx.form.get('file')
    form_errors = {}
    if not values['name']:
        form_errors['name'] = 'A name is required.'
    if values['disk_format'] not in IMAGE_FORMATS:
        form_errors['disk_format'] = 'Pick a disk format.'
    if upload is None or not hasattr(upload, 'file'):
        form_errors['file'] = 'Pick a file to upload.'
    if form_errors:
        return images(ctx, values, form_errors, status=400)
    fmt = values['disk_format']
    container = fmt if fmt in ('ami', 'aki', 'ari') else 'bare'
    body = {'name': values['name'], 'disk_format': fmt,
            'container_format': container}
    if values['visibility'] in ('public', 'shared', 'community'):
        body['visibility'] = values['visibility']
    try:
        image = ctx.cloud.post('image', '/v2/images', body)
        ctx.cloud.session.request(
            '/v2/images/%s/file' % quote(image['id']), 'PUT',
            data=upload.file, raise_exc=True,
            headers={'Content-Type': 'application/octet-stream'},
            endpoint_filter={'service_type': 'image',
                             'interface': 'public'})
    except client.APIError as e:
        if e.status == 401:
            raise
        return images(ctx, values, {'name': e.message}, status=e.status)
    except Exception as e:  # keystoneauth's HttpError of the upload
        return images(ctx, values, {'file': 'Upload failed: %s' % e},
                      status=400)
    return ctx.redirect('/images', 'Uploaded image %s.' % values['name'])


def image_delete(ctx, image_id):
    try:
        ctx.cloud.delete('image', '/v2/images/%s' % quote(image_id))
    except client.APIError as e:
        return _done(ctx, '/images', None, e)
    return _done(ctx, '/images', 'Deleted image %s.' % image_id)


# -- key pairs ---------------------------------------------------------------
def keypairs(ctx, values=None, form_errors=None, status=200,
             private_key=None):
    kps, error = _list(ctx.cloud, 'compute', '/os-keypairs', 'keypairs')
    return ctx.render('keypairs.html', status=status,
                      keypairs=[k['keypair'] for k in kps],
                      list_error=error, values=values or {},
                      errors=form_errors or {}, private_key=private_key)


def keypair_create(ctx):
    values = {'name': ctx.form.get('name', '').strip(),
              'public_key': ctx.form.get('public_key', '').strip()}
    if not values['name']:
        return keypairs(ctx, values, {'name': 'A name is required.'},
                        status=400)
    body = {'keypair': {'name': values['name']}}
    if values['public_key']:
        body['keypair']['public_key'] = values['public_key']
    try:
        made = ctx.cloud.post('compute', '/os-keypairs', body)['keypair']
    except client.APIError as e:
        if e.status == 401:
            raise
        text = e.message.lower()
        field = 'public_key' if values['public_key'] and not (
            'name' in text or 'exists' in text) else 'name'
        return keypairs(ctx, values, {field: e.message}, status=e.status)
    ctx.session.flash('Created key pair %s.' % values['name'])
    # A generated private key is shown this once, never stored.
    return keypairs(ctx, private_key=made.get('private_key'))


def keypair_delete(ctx, name):
    try:
        ctx.cloud.delete('compute', '/os-keypairs/%s' % quote(name))
    except client.APIError as e:
        return _done(ctx, '/keypairs', None, e)
    return _done(ctx, '/keypairs', 'Deleted key pair %s.' % name)


# -- floating IPs ------------------------------------------------------------
def floating_ips(ctx):
    fips, error = _list(ctx.cloud, 'network', '/v2.0/floatingips',
                        'floatingips')
    nets, _ = _list(ctx.cloud, 'network', '/v2.0/networks', 'networks')
    ports, _ = _list(ctx.cloud, 'network', '/v2.0/ports', 'ports')
    names = _server_names(ctx.cloud)
    port_server = {p['id']: names.get(p.get('device_id'), p.get('device_id'))
                   for p in ports}
    for fip in fips:
        fip['server'] = port_server.get(fip.get('port_id'))
    return ctx.render(
        'floating_ips.html', floating_ips=fips, list_error=error,
        external=[n for n in nets if n.get('router:external')],
        servers=sorted(names.items(), key=lambda kv: kv[1]))


def floating_ip_create(ctx):
    net = ctx.form.get('network_id', '')
    if not net:
        return ctx.redirect('/floating-ips', 'Pick an external network.',
                            'error')
    try:
        fip = ctx.cloud.post('network', '/v2.0/floatingips', {
            'floatingip': {'floating_network_id': net}})['floatingip']
    except client.APIError as e:
        return _done(ctx, '/floating-ips', None, e)
    return _done(ctx, '/floating-ips', 'Allocated %s.'
                 % fip.get('floating_ip_address'))


def floating_ip_action(ctx, fip_id, action):
    path = '/v2.0/floatingips/%s' % quote(fip_id)
    try:
        if action == 'delete':
            ctx.cloud.delete('network', path)
            message = 'Released the floating IP.'
        elif action == 'associate':
            server = ctx.form.get('server_id', '')
            ports = ctx.cloud.get('network', '/v2.0/ports?device_id=%s'
                                  % quote(server))['ports'] if server else []
            if not ports:
                return ctx.redirect('/floating-ips', 'That instance has no '
                                    'port to associate with.', 'error')
            ctx.cloud.put('network', path, {'floatingip': {
                'port_id': ports[0]['id']}})
            message = 'Associated the floating IP.'
        elif action == 'disassociate':
            ctx.cloud.put('network', path, {'floatingip': {'port_id': None}})
            message = 'Disassociated the floating IP.'
        else:
            raise errors.PageNotFound('No action %s.' % action)
    except client.APIError as e:
        return _done(ctx, '/floating-ips', None, e)
    return _done(ctx, '/floating-ips', message)
