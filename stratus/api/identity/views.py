"""JSON shapes of the identity API (Keystone v3)."""
from stratus.identity import domains


def timestamp(value):
    """Keystone's token time format: ``2026-01-01T00:00:00.000000Z``."""
    return value.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def base_url(req):
    return req.application_url + '/v3'


def collection_links(req):
    return {'self': req.url, 'previous': None, 'next': None}


def domain_ref():
    return {'id': domains.DEFAULT_ID, 'name': domains.DEFAULT['name']}


def domain(req, values=domains.DEFAULT):
    body = dict(values)
    body.update({'tags': [], 'options': {},
                 'links': {'self': '%s/domains/%s' % (base_url(req),
                                                      values['id'])}})
    return body


def project(req, values):
    return {
        'id': values['id'], 'name': values['name'],
        'domain_id': values['domain_id'],
        'description': values.get('description') or '',
        'enabled': values['enabled'], 'parent_id': values['domain_id'],
        'is_domain': False, 'tags': [], 'options': {},
        'links': {'self': '%s/projects/%s' % (base_url(req), values['id'])},
    }


def user(req, values):
    body = {
        'id': values['id'], 'name': values['name'],
        'domain_id': values['domain_id'], 'enabled': values['enabled'],
        'password_expires_at': None, 'options': {},
        'links': {'self': '%s/users/%s' % (base_url(req), values['id'])},
    }
    if values.get('default_project_id'):
        body['default_project_id'] = values['default_project_id']
    if values.get('email'):
        body['email'] = values['email']
    return body


def role(req, values):
    return {'id': values['id'], 'name': values['name'], 'domain_id': None,
            'description': None, 'options': {},
            'links': {'self': '%s/roles/%s' % (base_url(req), values['id'])}}


def assignment(req, values, include_names):
    body = {'role': {'id': values['role']['id']},
            'user': {'id': values['user']['id']},
            'scope': {'project': {'id': values['project']['id']}},
            'links': {'assignment': '%s/projects/%s/users/%s/roles/%s' % (
                base_url(req), values['project']['id'],
                values['user']['id'], values['role']['id'])}}
    if include_names:
        body['role']['name'] = values['role']['name']
        body['user']['name'] = values['user']['name']
        body['user']['domain'] = domain_ref()
        body['scope']['project']['name'] = values['project']['name']
        body['scope']['project']['domain'] = domain_ref()
    return body


def token(info, catalog=None):
    """The ``{"token": ..}`` body of a token's info."""
    body = {
        'methods': info['methods'],
        'user': {'id': info['user']['id'], 'name': info['user']['name'],
                 'domain': domain_ref(), 'password_expires_at': None},
        'audit_ids': info['audit_ids'],
        'issued_at': timestamp(info['issued_at']),
        'expires_at': timestamp(info['expires_at']),
    }
    if info['project']:
        body['project'] = {'id': info['project']['id'],
                           'name': info['project']['name'],
                           'domain': domain_ref()}
        body['is_domain'] = False
        body['roles'] = [{'id': r['id'], 'name': r['name']}
                         for r in info['roles']]
        if catalog is not None:
            body['catalog'] = catalog
    return {'token': body}
