"""Instances: the project's servers, their details, console and actions."""
import urllib.parse

from stratus.api.dashboard import client
from stratus.api.dashboard import errors
from stratus.api.dashboard import render

# Statuses that change on their own: the page polls faster while any row
# shows one.
TRANSITIONAL = ('BUILD', 'REBOOT', 'HARD_REBOOT', 'RESIZE', 'MIGRATING',
                'REBUILD')
ACTIONS = {
    'reboot': ({'reboot': {'type': 'SOFT'}}, 'Rebooting %s.'),
    'stop': ({'os-stop': None}, 'Stopping %s.'),
    'start': ({'os-start': None}, 'Starting %s.'),
}
CONSOLE_LINES = 200


def quote(value):
    return urllib.parse.quote(value, safe='')


def image_names(cloud):
    """``{image id: name}`` of the images the user can see."""
    try:
        images = cloud.get('image', '/v2/images?limit=1000')['images']
    except (client.APIError, KeyError, TypeError):
        return {}
    return {i['id']: i.get('name') or i['id'] for i in images}


def _addresses(server):
    out = []
    for network, ips in sorted((server.get('addresses') or {}).items()):
        for ip in ips:
            kind = ip.get('OS-EXT-IPS:type', 'fixed')
            out.append('%s%s' % (ip.get('addr'), ' (floating)'
                                 if kind == 'floating' else ''))
    return out


def summary(server, images):
    """What a row of the instances table shows of one server."""
    flavor = server.get('flavor') or {}
    image = server.get('image') or {}
    image_id = image.get('id') if isinstance(image, dict) else None
    status = server.get('status', 'UNKNOWN')
    return {
        'id': server['id'],
        'name': server.get('name') or '',
        'status': status,
        'task_state': server.get('OS-EXT-STS:task_state'),
        'transitional': status in TRANSITIONAL or bool(
            server.get('OS-EXT-STS:task_state')),
        'addresses': _addresses(server),
        'flavor': flavor.get('original_name') or flavor.get('id') or '',
        'flavor_detail': ('%s vCPU, %s MB RAM, %s GB disk' % (
            flavor.get('vcpus'), flavor.get('ram'), flavor.get('disk'))
            if 'vcpus' in flavor else ''),
        'image': (images.get(image_id) or image_id or 'volume')
        if image_id else 'volume',
        'host': server.get('OS-EXT-SRV-ATTR:host'),
        'created': server.get('created'),
        'fault': (server.get('fault') or {}).get('message'),
        'az': server.get('OS-EXT-AZ:availability_zone'),
        'key_name': server.get('key_name'),
    }


def _servers(ctx):
    servers = ctx.cloud.get('compute', '/servers/detail')['servers']
    images = image_names(ctx.cloud)
    rows = [summary(s, images) for s in servers]
    rows.sort(key=lambda r: (r['created'] or '', r['name']), reverse=True)
    return rows


def index(ctx):
    rows = _servers(ctx)
    return ctx.render('instances.html', servers=rows,
                      polling=any(r['transitional'] for r in rows))


def rows(ctx):
    """The table body alone, for the page's auto-refresh."""
    servers = _servers(ctx)
    text = render.render_text('instance_rows.html', servers=servers,
                              csrf_token=ctx.session.csrf_token,
                              is_admin=ctx.cloud.is_admin)
    return render.html_response(text, headers={
        'X-Dashboard-Polling': '1' if any(r['transitional']
                                          for r in servers) else '0'})


def _server(ctx, server_id):
    try:
        return ctx.cloud.get('compute', '/servers/%s' % quote(server_id)
                             )['server']
    except client.APIError as e:
        if e.status == 404:
            raise errors.PageNotFound('No instance %s in this project.'
                                   % server_id)
        raise


def show(ctx, server_id):
    server = _server(ctx, server_id)
    row = summary(server, image_names(ctx.cloud))
    return ctx.render('instance.html', server=row)


def console(ctx, server_id):
    server = _server(ctx, server_id)
    try:
        output = ctx.cloud.post(
            'compute', '/servers/%s/action' % quote(server_id),
            {'os-getConsoleOutput': {'length': CONSOLE_LINES}})['output']
        error = None
    except client.APIError as e:
        output, error = '', e.message
    return ctx.render('console.html', server=summary(server, {}),
                      output=output, error=error)


def action(ctx, server_id, action):
    path = '/servers/%s' % quote(server_id)
    name = ctx.form.get('name') or server_id
    try:
        if action == 'delete':
            ctx.cloud.delete('compute', path)
            message = 'Deleting %s.' % name
        elif action in ACTIONS:
            body, message = ACTIONS[action]
            ctx.cloud.post('compute', path + '/action', body)
            message = message % name
        else:
            raise errors.PageNotFound('No action %s.' % action)
    except client.APIError as e:
        if e.status == 404:
            raise errors.PageNotFound('No instance %s in this project.'
                                   % server_id)
        if e.status == 401:
            raise
        return ctx.redirect('/instances', '%s: %s' % (name, e.message),
                            'error')
    return ctx.redirect('/instances', message)
