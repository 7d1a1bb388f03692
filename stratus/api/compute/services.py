"""``/os-services``: list, enable/disable (with a reason), force down,
delete.

Before 2.53 a service is named by ``host`` and ``binary`` in the body of
``PUT /os-services/{enable,disable,disable-log-reason,force-down}``; from
2.53 on by its uuid in ``PUT /os-services/{service_id}``.
"""
from stratus import exception
from stratus import policy
from stratus import servicegroup
from stratus.api.compute import admin_policies as policies
from stratus.api.compute import availability_zones
from stratus.api.compute import common
from stratus.db import aggregates as aggregates_db
from stratus.db import services as services_db

_LEGACY = ('enable', 'disable', 'disable-log-reason', 'force-down')

_reason = {'type': 'string', 'minLength': 1, 'maxLength': 255,
           'pattern': r'^[^\x00-\x1f\x7f]*$'}
_bool = {'type': ['boolean', 'string'],
         'enum': [True, False, 'True', 'False', 'true', 'false']}

UPDATE_253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': _reason,
        'forced_down': {'type': 'boolean'},
    },
    'additionalProperties': False,
}

LEGACY = {
    'type': 'object',
    'properties': {
        'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'disabled_reason': _reason,
        'forced_down': _bool,
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}


def _to_bool(value):
    return value in (True, 'True', 'true')


def view(req, svc, host_info):
    body = {
        'id': svc['uuid'] if common.at_least(req, '2.53') else svc['id'],
        'binary': svc['binary'], 'host': svc['host'],
        'zone': availability_zones.zone_of(svc, host_info),
        'status': 'disabled' if svc['disabled'] else 'enabled',
        'state': 'up' if servicegroup.is_up(svc) else 'down',
        'updated_at': common.isotime_us(svc['last_seen_up'] or
                                        svc['updated_at']),
        'disabled_reason': svc['disabled_reason'],
    }
    if common.at_least(req, '2.11'):
        body['forced_down'] = bool(svc['forced_down'])
    return body


class ServicesController:
    def index(self, req):
        policy.authorize(req.context, policies.SERVICES_LIST)
        services = services_db.get_all(binary=req.GET.get('binary'),
                                       host=req.GET.get('host'))
        info = aggregates_db.host_info()
        return {'services': [view(req, s, info) for s in services]}

    def update(self, req, id):
        policy.authorize(req.context, policies.SERVICES_UPDATE)
        body = req.json()
        if common.at_least(req, '2.53'):
            if id in _LEGACY:
                raise exception.NotFound('Service %s could not be found.' %
                                         id)
            return self._update_253(req, id, body)
        if id not in _LEGACY:
            raise exception.NotFound('Unknown action')
        return self._update_legacy(req, id, body)

    def _update_253(self, req, service_id, body):
        common.validate(UPDATE_253, body)
        svc = services_db.get(service_id=service_id)
        if svc['binary'] != availability_zones.COMPUTE_BINARY:
            raise exception.Invalid(
                reason='Updating a %s service is not supported. Only %s '
                       'services can be updated.' % (
                           svc['binary'], availability_zones.COMPUTE_BINARY))
        values = {}
        if 'status' in body:
            values['disabled'] = body['status'] == 'disabled'
            values['disabled_reason'] = body.get('disabled_reason') \
                if values['disabled'] else None
        if 'disabled_reason' in body and body.get('status') != 'disabled':
            raise exception.Invalid(
                reason='Specifying \'disabled_reason\' with status '
                       '\'%s\' is invalid.' % body.get('status'))
        if 'forced_down' in body:
            values['forced_down'] = body['forced_down']
        if not values:
            raise exception.Invalid(
                reason='No updates were requested. Fields \'status\' or '
                       '\'forced_down\' should be specified.')
        svc = services_db.update(values, service_id=service_id)
        return {'service': view(req, svc, aggregates_db.host_info())}

    def _update_legacy(self, req, action, body):
        common.validate(LEGACY, body)
        host, binary = body['host'], body['binary']
        if action == 'enable':
            values = {'disabled': False, 'disabled_reason': None}
        elif action == 'disable':
            values = {'disabled': True}
        elif action == 'disable-log-reason':
            if not body.get('disabled_reason'):
                raise exception.ValidationError(
                    field='disabled_reason', reason='Missing disabled '
                                                    'reason field')
            values = {'disabled': True,
                      'disabled_reason': body['disabled_reason']}
        else:
            if not common.at_least(req, '2.11'):
                raise exception.NotFound('Unknown action')
            if 'forced_down' not in body:
                raise exception.ValidationError(
                    field='forced_down', reason='Missing forced_down field')
            values = {'forced_down': _to_bool(body['forced_down'])}
        try:
            services_db.update(values, host=host, binary=binary)
        except exception.ServiceNotFound:
            raise exception.NotFound('Unknown service')
        result = {'host': host, 'binary': binary}
        if action == 'force-down':
            result['forced_down'] = values['forced_down']
        else:
            result['status'] = 'disabled' if values['disabled'] else \
                'enabled'
            if action == 'disable-log-reason':
                result['disabled_reason'] = values['disabled_reason']
        return {'service': result}

    def delete(self, req, id):
        policy.authorize(req.context, policies.SERVICES_DELETE)
        if common.at_least(req, '2.53') != (not str(id).isdigit()):
            raise exception.Invalid(reason='Invalid uuid %s' % id) \
                if common.at_least(req, '2.53') else \
                exception.Invalid(reason='Invalid ID %s' % id)
        services_db.delete(id)
        return 204, None
