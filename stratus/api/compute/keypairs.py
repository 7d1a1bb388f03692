"""``/os-keypairs``: create (generate or import), list, show, delete."""
import copy

from stratus import policy
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.schemas import keypairs as schemas
from stratus.compute import api as compute_api


def _view(req, keypair, full=False, private_key=None):
    body = {'name': keypair['name'], 'public_key': keypair['public_key'],
            'fingerprint': keypair['fingerprint']}
    if common.at_least(req, '2.2'):
        body['type'] = keypair['type']
    if full:
        body.update({'user_id': keypair['user_id'],
                     'created_at': common.isotime_us(keypair['created_at']),
                     'updated_at': common.isotime_us(keypair['updated_at']),
                     'deleted': False, 'deleted_at': None,
                     'id': keypair['id']})
    if private_key is not None:
        body['private_key'] = private_key
    return body


class KeypairsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    def _user(self, req, rule, user_id=None):
        ctxt = req.context
        if user_id is None or not common.at_least(req, '2.10'):
            user_id = ctxt.user_id
        policy.authorize(ctxt, rule, {'user_id': user_id,
                                      'project_id': ctxt.project_id})
        return user_id

    def index(self, req):
        user_id = self._user(req, policies.KEYPAIRS_INDEX,
                             req.GET.get('user_id'))
        limit = marker = None
        if common.at_least(req, '2.35'):
            limit, marker = common.get_limit_marker(req)
        keypairs = self.compute_api.get_keypairs(req.context, user_id,
                                                 limit=limit, marker=marker)
        body = {'keypairs': [{'keypair': _view(req, k)} for k in keypairs]}
        if limit is not None:
            links = common.next_link(req, 'os-keypairs',
                                     [{'id': k['name']} for k in keypairs],
                                     limit)
            if links:
                body['keypairs_links'] = links
        return body

    def show(self, req, id):
        user_id = self._user(req, policies.KEYPAIRS_SHOW,
                             req.GET.get('user_id'))
        keypair = self.compute_api.get_keypair(req.context, user_id, id)
        return {'keypair': _view(req, keypair, full=True)}

    def create(self, req):
        body = req.json()
        schema = copy.deepcopy(schemas.create)
        props = schema['properties']['keypair']['properties']
        if not common.at_least(req, '2.2'):
            del props['type']
        if not common.at_least(req, '2.10'):
            del props['user_id']
        common.validate(schema, body)
        args = body['keypair']
        user_id = self._user(req, policies.KEYPAIRS_CREATE,
                             args.get('user_id'))
        keypair, private_key = self.compute_api.create_keypair(
            req.context, user_id, args['name'], args.get('type', 'ssh'),
            args.get('public_key'))
        view = _view(req, keypair, private_key=private_key)
        view['user_id'] = keypair['user_id']
        status = 201 if common.at_least(req, '2.2') else 200
        return status, {'keypair': view}

    def delete(self, req, id):
        user_id = self._user(req, policies.KEYPAIRS_DELETE,
                             req.GET.get('user_id'))
        self.compute_api.delete_keypair(req.context, user_id, id)
        return (204 if common.at_least(req, '2.2') else 202), None

