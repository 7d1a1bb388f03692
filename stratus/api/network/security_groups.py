"""Security groups and rules (a ``default`` group per project)."""
import ipaddress

from oslo_log import log as logging

from stratus import exception
from stratus import rpc
from stratus.api.network import common
from stratus.api.network import views
from stratus.db import security_groups as groups_db

LOG = logging.getLogger(__name__)
_PROTOCOLS = {'tcp', 'udp', 'icmp', 'icmpv6', 'ipv6-icmp'}


def _scope(ctxt):
    return None if common.is_admin(ctxt) else ctxt.project_id


def _check_text(body, required=()):
    """name and description, when given, are strings of 255 at most
    (description may be null)."""
    for key in ('name', 'description'):
        if key not in body and key not in required:
            continue
        value = body.get(key)
        if value is None and key == 'description':
            continue
        if not isinstance(value, str) or len(value) > 255:
            raise exception.Invalid(reason='%s must be a string of at '
                                           'most 255 characters' % key)


class SecurityGroupsController:

    def index(self, req):
        ctxt = req.context
        groups_db.ensure_default(ctxt.project_id)
        groups = [views.security_group(g)
                  for g in groups_db.get_all(_scope(ctxt))]
        return {'security_groups': common.filter_and_shape(req, groups)}

    def show(self, req, id):
        groups_db.ensure_default(req.context.project_id)
        return {'security_group': views.security_group(
            groups_db.get(id, _scope(req.context)))}

    def create(self, req):
        body = common.body_of(req, 'security_group')
        _check_text(body, required=('name',))
        name = body['name']
        if name == 'default':
            raise exception.Conflict(reason='Default security group '
                                            'already exists.')
        groups_db.ensure_default(req.context.project_id)
        group = groups_db.create(req.context.project_id, name,
                                 body.get('description'))
        return 201, {'security_group': views.security_group(group)}

    def update(self, req, id):
        body = common.body_of(req, 'security_group')
        _check_text(body)
        group = groups_db.update(id, _scope(req.context), body)
        return {'security_group': views.security_group(group)}

    def delete(self, req, id):
        groups_db.delete(id, _scope(req.context))
        return 204, None


def _port(value, name):
    if value is None:
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise exception.Invalid(reason='%s must be an integer' % name)
    if not 0 <= value <= 65535:
        raise exception.Invalid(reason='%s out of range' % name)
    return value


def _rule_values(body):
    direction = body.get('direction')
    if direction not in ('ingress', 'egress'):
        raise exception.Invalid(reason="direction must be 'ingress' or "
                                       "'egress'")
    ethertype = body.get('ethertype') or 'IPv4'
    if ethertype not in ('IPv4', 'IPv6'):
        raise exception.Invalid(reason='ethertype must be IPv4 or IPv6')
    protocol = body.get('protocol')
    if protocol is not None:
        protocol = str(protocol).lower()
        if protocol not in _PROTOCOLS and not (
                protocol.isdigit() and int(protocol) <= 255):
            raise exception.Invalid(reason='Security group rule protocol '
                                           '%s not supported' % protocol)
    low = _port(body.get('port_range_min'), 'port_range_min')
    high = _port(body.get('port_range_max'), 'port_range_max')
    if low is not None and high is not None and low > high and \
            protocol in ('tcp', 'udp'):
        raise exception.Invalid(reason='port_range_min must be <= '
                                       'port_range_max')
    prefix = body.get('remote_ip_prefix')
    if prefix is not None:
        try:
            prefix = str(ipaddress.ip_network(prefix, strict=False))
        except ValueError:
            raise exception.Invalid(reason='bad remote_ip_prefix %r' %
                                    prefix)
    return {'direction': direction, 'ethertype': ethertype,
            'protocol': protocol, 'port_range_min': low,
            'port_range_max': high, 'remote_ip_prefix': prefix,
            'remote_group_id': body.get('remote_group_id'),
            'description': body.get('description')}


class SecurityGroupRulesController:

    def index(self, req):
        ctxt = req.context
        groups_db.ensure_default(ctxt.project_id)
        rules = [views.rule(r) for g in groups_db.get_all(_scope(ctxt))
                 for r in g['rules']]
        return {'security_group_rules': common.filter_and_shape(req, rules)}

    def show(self, req, id):
        return {'security_group_rule': views.rule(
            groups_db.rule_get(id, _scope(req.context)))}

    compute_rpcapi = rpc.LazyClient('stratus.compute.rpcapi', 'ComputeAPI')

    def _refresh_firewalls(self, ctxt):
        """Compute hosts re-apply their guests' rules (fanout cast); a
        change that can't be announced now holds from the next refresh."""
        try:
            self.compute_rpcapi.refresh_firewall(ctxt)
        except Exception:
            LOG.warning('Could not ask compute hosts to refresh their '
                        'firewalls', exc_info=True)

    def create(self, req):
        body = common.body_of(req, 'security_group_rule')
        group_id = body.get('security_group_id')
        if not group_id:
            raise exception.Invalid(reason='security_group_id is required')
        values = _rule_values(body)
        if values['remote_group_id']:
            groups_db.get(values['remote_group_id'], _scope(req.context))
        rule = groups_db.rule_create(group_id, _scope(req.context), values)
        self._refresh_firewalls(req.context)
        return 201, {'security_group_rule': views.rule(rule)}

    def delete(self, req, id):
        groups_db.rule_delete(id, _scope(req.context))
        self._refresh_firewalls(req.context)
        return 204, None
