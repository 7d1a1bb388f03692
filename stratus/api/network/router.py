"""Route table of the network API (Neutron v2.0 subset, port 9696)."""
from stratus.api import auth
from stratus.api import openapi
from stratus.api import wsgi
from stratus.api.network import common
from stratus.api.network import floatingips
from stratus.api.network import networks
from stratus.api.network import security_groups

PREFIX = '/v2.0'


class VersionsController:

    def index(self, req):
        return {'versions': [{
            'id': 'v2.0', 'status': 'CURRENT',
            'links': [{'rel': 'self',
                       'href': req.application_url + PREFIX + '/'}]}]}

    def show(self, req):
        return {'resources': [
            {'name': n, 'collection': c,
             'links': [{'rel': 'self', 'href': '%s%s/%s' % (
                 req.application_url, PREFIX, c)}]}
            for n, c in (('network', 'networks'), ('subnet', 'subnets'),
                         ('port', 'ports'), ('floatingip', 'floatingips'),
                         ('security_group', 'security-groups'),
                         ('security_group_rule', 'security-group-rules'))]}

    def extensions(self, req):
        return {'extensions': [
            {'alias': a, 'name': n, 'description': n, 'links': [],
             'updated': '2013-01-01T00:00:00-00:00'}
            for a, n in (('external-net', 'Neutron external network'),
                         ('router', 'Neutron L3 Router'),
                         ('security-group', 'security-group'),
                         ('provider', 'Provider Network'))]}


def create_router(network_api=None):
    """:returns: the WSGI application of the network API."""
    router = wsgi.Router('network', fault_body=common.fault_body,
                         authenticate=auth.authenticate)
    ver = VersionsController()
    nets = networks.NetworksController()
    subs = networks.SubnetsController()
    ports = networks.PortsController()
    fips = floatingips.FloatingIPsController(network_api)
    sgs = security_groups.SecurityGroupsController()
    rules = security_groups.SecurityGroupRulesController()
    table = [
        ('/', 'GET', ver, 'index', True),
        (PREFIX, 'GET', ver, 'show', True),
        (PREFIX + '/', 'GET', ver, 'show', True),
        (PREFIX + '/extensions', 'GET', ver, 'extensions'),
        (PREFIX + '/networks', 'GET', nets, 'index'),
        (PREFIX + '/networks', 'POST', nets, 'create'),
        (PREFIX + '/networks/{id}', 'GET', nets, 'show'),
        (PREFIX + '/subnets', 'GET', subs, 'index'),
        (PREFIX + '/subnets/{id}', 'GET', subs, 'show'),
        (PREFIX + '/ports', 'GET', ports, 'index'),
        (PREFIX + '/ports/{id}', 'GET', ports, 'show'),
        (PREFIX + '/floatingips', 'GET', fips, 'index'),
        (PREFIX + '/floatingips', 'POST', fips, 'create'),
        (PREFIX + '/floatingips/{id}', 'GET', fips, 'show'),
        (PREFIX + '/floatingips/{id}', 'PUT', fips, 'update'),
        (PREFIX + '/floatingips/{id}', 'DELETE', fips, 'delete'),
        (PREFIX + '/security-groups', 'GET', sgs, 'index'),
        (PREFIX + '/security-groups', 'POST', sgs, 'create'),
        (PREFIX + '/security-groups/{id}', 'GET', sgs, 'show'),
        (PREFIX + '/security-groups/{id}', 'PUT', sgs, 'update'),
        (PREFIX + '/security-groups/{id}', 'DELETE', sgs, 'delete'),
        (PREFIX + '/security-group-rules', 'GET', rules, 'index'),
        (PREFIX + '/security-group-rules', 'POST', rules, 'create'),
        (PREFIX + '/security-group-rules/{id}', 'GET', rules, 'show'),
        (PREFIX + '/security-group-rules/{id}', 'DELETE', rules, 'delete'),
    ]
    for path, method, controller, action, *public in table:
        router.add(path, method, controller, action,
                   public=bool(public and public[0]))
    openapi.add_route(router, 'network')
    return router
