"""Floating IPs: the API reads the database and asks the network daemon
(``stratus.network.rpcapi``) for every change, since changes touch NAT on
the host."""
import webob.exc

from stratus import exception
from stratus.api.network import common
from stratus.api.network import networks
from stratus.api.network import views
from stratus.db import floating_ips as floating_db
from stratus.network import rpcapi as network_rpcapi

_UPDATABLE = {'port_id', 'fixed_ip_address', 'description'}


class FloatingIPsController:

    def __init__(self, network_api=None):
        self._network_api = network_api

    @property
    def network_api(self):
        if self._network_api is None:
            self._network_api = network_rpcapi.NetworkAPI()
        return self._network_api

    def _get(self, ctxt, id):
        try:
            fip = floating_db.get(id)
        except exception.FloatingIpNotFound:
            fip = None
        if fip is None or '.' in id or (
                fip['project_id'] != ctxt.project_id and
                not common.is_admin(ctxt)):
            raise exception.FloatingIpNotFound(id=id)
        return fip

    def index(self, req):
        ctxt = req.context
        project = None if common.is_admin(ctxt) else ctxt.project_id
        fips = [views.floatingip(f) for f in floating_db.get_all(project)]
        return {'floatingips': common.filter_and_shape(req, fips)}

    def show(self, req, id):
        return {'floatingip': views.floatingip(self._get(req.context, id))}

    def create(self, req):
        ctxt = req.context
        body = common.body_of(req, 'floatingip')
        net_id = body.get('floating_network_id')
        if not net_id:
            raise exception.Invalid(reason='floating_network_id is '
                                           'required')
        net = networks._find(ctxt, net_id)
        if not net['external']:
            raise exception.Invalid(reason='Network %s is not a valid '
                                           'external network' % net_id)
        project = body.get('project_id') or body.get('tenant_id') or \
            ctxt.project_id
        if project != ctxt.project_id:
            common.require_admin(ctxt, 'create_floatingip:project_id')
        try:
            fip = self.network_api.allocate_floating_ip(
                ctxt, project, net['label'],
                body.get('floating_ip_address'), body.get('description'))
        except exception.QuotaExceeded as e:
            # Neutron answers OverQuota with 409.
            raise webob.exc.HTTPConflict(explanation=e.message)
        if body.get('port_id'):
            fip = self._associate(ctxt, fip, body['port_id'],
                                  body.get('fixed_ip_address'))
        return 201, {'floatingip': views.floatingip(fip)}

    def _associate(self, ctxt, fip, port_id, fixed_address):
        ports = networks.visible_ports(ctxt, {'uuid': port_id})
        if not ports or ports[0]['project_id'] != fip['project_id']:
            raise exception.PortNotFound(port_id=port_id)
        if fixed_address and fixed_address not in ports[0]['fixed_ips']:
            raise exception.Invalid(reason='Port %s does not have fixed ip '
                                           '%s' % (port_id, fixed_address))
        return self.network_api.associate_floating_ip(
            ctxt, fip['uuid'], port_id, fixed_address)

    def update(self, req, id):
        ctxt = req.context
        fip = self._get(ctxt, id)
        body = common.body_of(req, 'floatingip')
        unknown = set(body) - _UPDATABLE
        if unknown:
            raise exception.Invalid(reason='Cannot update %s' %
                                    ', '.join(sorted(unknown)))
        if 'port_id' in body:
            if body['port_id']:
                fip = self._associate(ctxt, fip, body['port_id'],
                                      body.get('fixed_ip_address'))
            else:
                fip = self.network_api.disassociate_floating_ip(
                    ctxt, fip['uuid'])
        return {'floatingip': views.floatingip(fip)}

    def delete(self, req, id):
        ctxt = req.context
        fip = self._get(ctxt, id)
        self.network_api.release_floating_ip(ctxt, fip['uuid'])
        return 204, None
