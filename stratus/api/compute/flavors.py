"""``/flavors`` and ``/flavors/{id}/os-extra_specs``."""
from stratus import exception
from stratus import policy
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.compute.servers import allowed
from stratus.api.compute.views import flavors as views
from stratus.api.schemas import flavors as schemas
from stratus.api.schemas import types
from stratus.compute import api as compute_api


def _int_param(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise exception.Invalid(reason='Invalid %s filter [%s]' %
                                (name, value))
    if number < 0:
        raise exception.Invalid(reason='Invalid %s filter [%s]' %
                                (name, value))
    return number


class FlavorsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    def _list(self, req):
        ctxt = req.context
        is_public = True
        raw = req.GET.get('is_public')
        if policy.check_is_admin(ctxt) and raw is not None:
            if raw.lower() == 'none':
                is_public = None
            else:
                is_public = types.to_bool(raw)
        limit, marker = common.get_limit_marker(req)
        flavors = self.compute_api.get_flavors(
            ctxt, is_public=is_public, min_ram=_int_param(req, 'minRam'),
            min_disk=_int_param(req, 'minDisk'), limit=limit, marker=marker)
        return flavors, limit

    def _links(self, req, body, flavors, limit):
        links = common.next_link(req, 'flavors',
                                 [{'id': f['flavorid']} for f in flavors],
                                 limit)
        if links:
            body['flavors_links'] = links
        return body

    def index(self, req):
        flavors, limit = self._list(req)
        return self._links(req, {'flavors': [views.basic(req, f)
                                             for f in flavors]},
                           flavors, limit)

    def detail(self, req):
        flavors, limit = self._list(req)
        specs = allowed(req.context, policies.EXTRA_SPECS_INDEX)
        return self._links(req, {'flavors': [views.detail(req, f, specs)
                                             for f in flavors]},
                           flavors, limit)

    def show(self, req, id):
        flavor = self.compute_api.get_flavor(req.context, id)
        specs = allowed(req.context, policies.EXTRA_SPECS_INDEX)
        return {'flavor': views.detail(req, flavor, specs)}

    def create(self, req):
        ctxt = req.context
        policy.authorize(ctxt, policies.FLAVOR_CREATE)
        body = req.json()
        common.validate(schemas.create, body)
        flavor = body['flavor']
        if 'description' in flavor and not common.at_least(req, '2.55'):
            raise exception.ValidationError(
                field='flavor', reason='description needs microversion 2.55')
        values = {
            'name': flavor['name'].strip(),
            'flavorid': flavor.get('id'),
            'memory_mb': common.positive_int(flavor['ram'], 'ram'),
            'vcpus': common.positive_int(flavor['vcpus'], 'vcpus'),
            'root_gb': common.positive_int(flavor['disk'], 'disk', 0),
            'ephemeral_gb': common.positive_int(
                flavor.get('OS-FLV-EXT-DATA:ephemeral', 0), 'ephemeral', 0),
            'swap': common.positive_int(flavor.get('swap') or 0, 'swap', 0),
            'rxtx_factor': float(flavor.get('rxtx_factor', 1.0)),
            'is_public': types.to_bool(
                flavor.get('os-flavor-access:is_public', True)),
            'description': flavor.get('description'),
        }
        created = self.compute_api.create_flavor(ctxt, values)
        return {'flavor': views.detail(req, created, True)}

    def delete(self, req, id):
        ctxt = req.context
        policy.authorize(ctxt, policies.FLAVOR_DELETE)
        self.compute_api.delete_flavor(ctxt, id)
        return 202, None

    # -- extra specs --------------------------------------------------------
    def extra_specs_index(self, req, flavor_id):
        policy.authorize(req.context, policies.EXTRA_SPECS_INDEX)
        flavor = self.compute_api.get_flavor(req.context, flavor_id)
        return {'extra_specs': flavor['extra_specs']}

    def extra_specs_show(self, req, flavor_id, key):
        policy.authorize(req.context, policies.EXTRA_SPECS_SHOW)
        flavor = self.compute_api.get_flavor(req.context, flavor_id)
        if key not in flavor['extra_specs']:
            raise exception.NotFound('Flavor %s has no extra specs with key '
                                     '%s.' % (flavor_id, key))
        return {key: flavor['extra_specs'][key]}

    def extra_specs_create(self, req, flavor_id):
        policy.authorize(req.context, policies.EXTRA_SPECS_CREATE)
        body = req.json()
        common.validate(schemas.extra_specs, body)
        specs = {k: str(v) for k, v in body['extra_specs'].items()}
        self.compute_api.update_flavor_extra_specs(req.context, flavor_id,
                                                   specs)
        return {'extra_specs': specs}

    def extra_specs_update(self, req, flavor_id, key):
        policy.authorize(req.context, policies.EXTRA_SPECS_UPDATE)
        body = req.json()
        common.validate(schemas.extra_spec_item, body)
        if key not in body:
            raise exception.Invalid(reason='Request body and URI mismatch')
        specs = {key: str(body[key])}
        self.compute_api.update_flavor_extra_specs(req.context, flavor_id,
                                                   specs)
        return specs

    def extra_specs_delete(self, req, flavor_id, key):
        policy.authorize(req.context, policies.EXTRA_SPECS_DELETE)
        self.compute_api.update_flavor_extra_specs(req.context, flavor_id,
                                                   {}, delete_keys=[key])
        return 202, None
