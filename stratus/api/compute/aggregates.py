"""``/os-aggregates``: create, list, show, update, delete, and the
add_host / remove_host / set_metadata actions."""
from stratus import exception
from stratus import policy
from stratus.api.compute import admin_policies as policies
from stratus.api.compute import common
from stratus.db import aggregates as aggregates_db

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?! )[^\x00-\x1f\x7f]*(?<! )$'}
_zone = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
         'pattern': r'^[^:\x00-\x1f\x7f]*$'}
_host = {'type': 'string', 'minLength': 1, 'maxLength': 255}

CREATE = {
    'type': 'object',
    'properties': {'aggregate': {
        'type': 'object',
        'properties': {'name': _name, 'availability_zone': _zone},
        'required': ['name'], 'additionalProperties': False}},
    'required': ['aggregate'], 'additionalProperties': False,
}

UPDATE = {
    'type': 'object',
    'properties': {'aggregate': {
        'type': 'object',
        'properties': {'name': _name, 'availability_zone': _zone},
        'additionalProperties': False, 'minProperties': 1}},
    'required': ['aggregate'], 'additionalProperties': False,
}


def _host_action(name):
    return {'type': 'object',
            'properties': {name: {
                'type': 'object', 'properties': {'host': _host},
                'required': ['host'], 'additionalProperties': False}},
            'required': [name], 'additionalProperties': False}


SET_METADATA = {
    'type': 'object',
    'properties': {'set_metadata': {
        'type': 'object',
        'properties': {'metadata': {
            'type': 'object',
            'patternProperties': {
                r'^[a-zA-Z0-9-_:. ]{1,255}$': {
                    'type': ['string', 'null'], 'maxLength': 255}},
            'additionalProperties': False}},
        'required': ['metadata'], 'additionalProperties': False}},
    'required': ['set_metadata'], 'additionalProperties': False,
}


def _view(req, agg, full=True):
    body = {'availability_zone': agg['availability_zone'],
            'created_at': common.isotime_us(agg['created_at']),
            'deleted': False, 'deleted_at': None, 'id': agg['id'],
            'name': agg['name'],
            'updated_at': common.isotime_us(agg['updated_at'])}
    if full:
        body['hosts'] = agg['hosts']
        body['metadata'] = agg['metadata']
    if common.at_least(req, '2.41'):
        body['uuid'] = agg['uuid']
    return body


def _int_id(id):
    if not str(id).isdigit():
        raise exception.Invalid(reason='Invalid aggregate id %s' % id)
    return int(id)


class AggregatesController:
    def index(self, req):
        policy.authorize(req.context, policies.AGGREGATES_INDEX)
        return {'aggregates': [_view(req, a)
                               for a in aggregates_db.get_all()]}

    def create(self, req):
        policy.authorize(req.context, policies.AGGREGATES_CREATE)
        body = req.json()
        common.validate(CREATE, body)
        params = body['aggregate']
        agg = aggregates_db.create(params['name'].strip(),
                                   params.get('availability_zone'))
        return {'aggregate': _view(req, agg, full=False)}

    def show(self, req, id):
        policy.authorize(req.context, policies.AGGREGATES_SHOW)
        return {'aggregate': _view(req, aggregates_db.get(_int_id(id)))}

    def update(self, req, id):
        policy.authorize(req.context, policies.AGGREGATES_UPDATE)
        body = req.json()
        common.validate(UPDATE, body)
        agg = aggregates_db.update(_int_id(id), body['aggregate'])
        return {'aggregate': _view(req, agg)}

    def delete(self, req, id):
        policy.authorize(req.context, policies.AGGREGATES_DELETE)
        aggregates_db.delete(_int_id(id))
        return 200, None

    def action(self, req, id):
        body = req.json()
        agg_id = _int_id(id)
        if 'add_host' in body:
            policy.authorize(req.context, policies.AGGREGATES_ADD_HOST)
            common.validate(_host_action('add_host'), body)
            try:
                agg = aggregates_db.add_host(agg_id,
                                             body['add_host']['host'])
            except exception.ComputeHostNotFound as e:
                raise exception.NotFound(e.message)
        elif 'remove_host' in body:
            policy.authorize(req.context, policies.AGGREGATES_REMOVE_HOST)
            common.validate(_host_action('remove_host'), body)
            agg = aggregates_db.remove_host(agg_id,
                                            body['remove_host']['host'])
        elif 'set_metadata' in body:
            policy.authorize(req.context, policies.AGGREGATES_SET_METADATA)
            common.validate(SET_METADATA, body)
            metadata = body['set_metadata']['metadata']
            zone = metadata.get(aggregates_db.AZ_KEY)
            if zone is not None and (':' in zone or not zone.strip()):
                raise exception.ValidationError(
                    field='availability_zone',
                    reason='Invalid availability zone name.')
            agg = aggregates_db.set_metadata(agg_id, metadata)
        else:
            raise exception.Invalid(reason='Invalid request body: unknown '
                                           'aggregate action')
        return {'aggregate': _view(req, agg)}
