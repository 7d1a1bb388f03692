"""The network API (Neutron v2.0 subset) as OpenAPI.

Its controllers check bodies by hand (Neutron's attribute maps), so the
request schemas here describe what they accept.
"""
from stratus.api.openapi import common

Op = common.Operation
P = '/v2.0'
_text = {'type': ['string', 'null'], 'maxLength': 255}
_port = {'type': ['integer', 'null'], 'minimum': 0, 'maximum': 65535}


def _body(key, properties, required=()):
    inner = {'type': 'object', 'properties': properties}
    if required:
        inner['required'] = list(required)
    return {'type': 'object', 'required': [key],
            'properties': {key: inner}}


_FLOATINGIP_CREATE = _body('floatingip', {
    'floating_network_id': {'type': 'string'},
    'floating_ip_address': {'type': ['string', 'null'], 'format': 'ipv4'},
    'port_id': {'type': ['string', 'null']},
    'fixed_ip_address': {'type': ['string', 'null'], 'format': 'ipv4'},
    'project_id': {'type': 'string'}, 'tenant_id': {'type': 'string'},
    'description': _text}, ['floating_network_id'])
_FLOATINGIP_UPDATE = _body('floatingip', {
    'port_id': {'type': ['string', 'null']},
    'fixed_ip_address': {'type': ['string', 'null'], 'format': 'ipv4'},
    'description': _text})
_GROUP = _body('security_group', {
    'name': {'type': 'string', 'maxLength': 255}, 'description': _text},
    ['name'])
_GROUP_UPDATE = _body('security_group', {
    'name': {'type': 'string', 'maxLength': 255}, 'description': _text})
_RULE = _body('security_group_rule', {
    'security_group_id': {'type': 'string'},
    'direction': {'type': 'string', 'enum': ['ingress', 'egress']},
    'ethertype': {'type': 'string', 'enum': ['IPv4', 'IPv6']},
    'protocol': {'type': ['string', 'integer', 'null']},
    'port_range_min': _port, 'port_range_max': _port,
    'remote_ip_prefix': {'type': ['string', 'null']},
    'remote_group_id': {'type': ['string', 'null']},
    'description': _text}, ['security_group_id', 'direction'])

# Any attribute filters a list (?name=x&status=ACTIVE); these select.
_LIST = [common.query('fields'), common.query('limit', {'type': 'integer',
                                                        'minimum': 0})]


def _resource(collection, key, summary, create=None, update=None,
              delete=False, filters=()):
    obj, lst = common.wrapped(key), common.wrapped(collection, 'array')
    ops = [Op('GET', '%s/%s' % (P, collection), 'List %s.' % summary,
              result=lst, params=_LIST + [common.query(f) for f in filters]),
           Op('GET', '%s/%s/{id}' % (P, collection), 'Show one of the %s.'
              % summary, result=obj)]
    if create is not None:
        ops.append(Op('POST', '%s/%s' % (P, collection), 'Create one of '
                      'the %s.' % summary, ok=201, result=obj, body=create))
    if update is not None:
        ops.append(Op('PUT', '%s/%s/{id}' % (P, collection), 'Update one '
                      'of the %s.' % summary, result=obj, body=update))
    if delete:
        ops.append(Op('DELETE', '%s/%s/{id}' % (P, collection), 'Delete '
                      'one of the %s.' % summary, ok=204))
    return ops


def operations():
    resources = common.wrapped('resources', 'array')
    return [
        common.DESCRIPTION,
        Op('GET', '/', 'The API versions.',
           result=common.wrapped('versions', 'array'), public=True),
        Op('GET', P, 'The resources of v2.0.', result=resources,
           public=True),
        Op('GET', P + '/', 'The resources of v2.0.', result=resources,
           public=True),
        Op('GET', P + '/extensions', 'The extensions served.',
           result=common.wrapped('extensions', 'array')),
        # Networks come from stratus-manage: POST only answers 403/400.
        Op('POST', P + '/networks', 'Refused: networks are created with '
           'stratus-manage network create.', ok=201,
           body=_body('network', {})),
    ] + _resource('networks', 'network', 'networks') + \
        _resource('subnets', 'subnet', 'subnets') + \
        _resource('ports', 'port', 'ports', filters=['device_id']) + \
        _resource('floatingips', 'floatingip', 'floating IPs',
                  _FLOATINGIP_CREATE, _FLOATINGIP_UPDATE, delete=True) + \
        _resource('security-groups', 'security_group', 'security groups',
                  _GROUP, _GROUP_UPDATE, delete=True) + \
        _resource('security-group-rules', 'security_group_rule',
                  'security group rules', _RULE, delete=True)


def build():
    return common.document(
        'Stratus network API',
        'The Neutron v2.0 subset Stratus serves (port [api] network_port).',
        operations(), common.NEUTRON_FAULT)
