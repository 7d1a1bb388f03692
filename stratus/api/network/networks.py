"""Networks, subnets and ports (read-only: they come from
``stratus-manage network create`` and from instance boots)."""
from stratus import exception
from stratus.api.network import common
from stratus.api.network import views
from stratus.db import networks as networks_db


def visible_networks(ctxt):
    return networks_db.network_get_all(ctxt.project_id,
                                       all_projects=common.is_admin(ctxt))


def _find(ctxt, network_id):
    for net in visible_networks(ctxt):
        if net['uuid'] == network_id:
            return net
    raise exception.NetworkNotFound(network_id=network_id)


class NetworksController:

    def index(self, req):
        nets = [views.network(n) for n in visible_networks(req.context)]
        return {'networks': common.filter_and_shape(req, nets)}

    def show(self, req, id):
        return {'network': views.network(_find(req.context, id))}

    def create(self, req):
        common.require_admin(req.context, 'create_network')
        raise exception.Invalid(reason='networks are created with '
                                       'stratus-manage network create')


class SubnetsController:

    def index(self, req):
        subnets = [views.subnet(n) for n in visible_networks(req.context)]
        return {'subnets': common.filter_and_shape(req, subnets)}

    def show(self, req, id):
        for net in visible_networks(req.context):
            if common.subnet_id(net['uuid']) == id:
                return {'subnet': views.subnet(net)}
        raise exception.NotFound('Subnet %s could not be found.' % id)


def visible_ports(ctxt, filters=None):
    filters = dict(filters or {})
    if not common.is_admin(ctxt):
        filters['project_id'] = ctxt.project_id
    return networks_db.vif_get_all(filters)


class PortsController:

    def index(self, req):
        filters = {}
        if req.GET.get('device_id'):
            filters['instance_uuid'] = req.GET['device_id']
        ports = [views.port(v) for v in visible_ports(req.context, filters)]
        return {'ports': common.filter_and_shape(req, ports)}

    def show(self, req, id):
        ports = visible_ports(req.context, {'uuid': id})
        if not ports:
            raise exception.PortNotFound(port_id=id)
        return {'port': views.port(ports[0])}
