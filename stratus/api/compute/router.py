"""The compute API's route table and request pipeline."""
from stratus.api import openapi
from stratus.api import wsgi
from stratus.api.compute import admin_policies  # noqa: F401
from stratus.api.compute import aggregates
from stratus.api.compute import availability_zones
from stratus.api.compute import flavors
from stratus.api.compute import hypervisors
from stratus.api.compute import instance_actions
from stratus.api.compute import keypairs
from stratus.api.compute import microversion
from stratus.api.compute import policies  # noqa: F401  (registers rules)
from stratus.api.compute import quota_sets
from stratus.api.compute import server_actions
from stratus.api.compute import server_groups
from stratus.api.compute import servers
from stratus.api.compute import services as services_api
from stratus.api.compute import versions
from stratus.api.compute import volume_attachments
from stratus.compute import api as compute_api

PREFIX = '/v2.1'


class ComputeRouter(wsgi.Router):
    """A Router that reads the microversion before dispatching."""

    def _route(self, req):
        req.environ[microversion.ENVIRON_KEY] = \
            microversion.from_headers(req.headers)
        return super()._route(req)


def create_router(authenticate, api=None):
    """The compute API application.

    :param authenticate: ``callable(req) -> RequestContext``.
    :param api: a ``stratus.compute.api.API`` (tests pass one with fakes).
    """
    api = api or compute_api.API()
    router = ComputeRouter('compute', fault_body=wsgi.nova_fault_body,
                           authenticate=authenticate)
    router.compute_api = api
    router.hooks.append(microversion.add_headers)

    ver = versions.VersionsController()
    srv = servers.ServersController(api)
    act = server_actions.ServerActionsController(api)
    flv = flavors.FlavorsController(api)
    kps = keypairs.KeypairsController(api)
    ia = instance_actions.InstanceActionsController(api)
    qs = quota_sets.QuotaSetsController(api)
    lim = quota_sets.LimitsController(api)
    svcs = services_api.ServicesController()
    hyps = hypervisors.HypervisorsController()
    azs = availability_zones.AvailabilityZonesController()
    aggs = aggregates.AggregatesController()
    sgs = server_groups.ServerGroupsController()

    vat = volume_attachments.VolumeAttachmentsController(api)

    table = [
        ('/', 'GET', ver, 'index', True),
        (PREFIX, 'GET', ver, 'show', True),
        (PREFIX + '/', 'GET', ver, 'show', True),
        # servers
        ('/servers', 'GET', srv, 'index'),
        ('/servers', 'POST', srv, 'create'),
        ('/servers/detail', 'GET', srv, 'detail'),
        ('/servers/{id}', 'GET', srv, 'show'),
        ('/servers/{id}', 'PUT', srv, 'update'),
        ('/servers/{id}', 'DELETE', srv, 'delete'),
        ('/servers/{id}/action', 'POST', act, 'action'),
        ('/servers/{server_id}/os-instance-actions', 'GET', ia, 'index'),
        ('/servers/{server_id}/os-instance-actions/{id}', 'GET', ia, 'show'),
        ('/servers/{server_id}/os-volume_attachments', 'GET', vat, 'index'),
        ('/servers/{server_id}/os-volume_attachments', 'POST', vat,
         'create'),
        ('/servers/{server_id}/os-volume_attachments/{id}', 'GET', vat,
         'show'),
        ('/servers/{server_id}/os-volume_attachments/{id}', 'DELETE', vat,
         'delete'),
        # flavors
        ('/flavors', 'GET', flv, 'index'),
        ('/flavors', 'POST', flv, 'create'),
        ('/flavors/detail', 'GET', flv, 'detail'),
        ('/flavors/{id}', 'GET', flv, 'show'),
        ('/flavors/{id}', 'DELETE', flv, 'delete'),
        ('/flavors/{flavor_id}/os-extra_specs', 'GET', flv,
         'extra_specs_index'),
        ('/flavors/{flavor_id}/os-extra_specs', 'POST', flv,
         'extra_specs_create'),
        ('/flavors/{flavor_id}/os-extra_specs/{key}', 'GET', flv,
         'extra_specs_show'),
        ('/flavors/{flavor_id}/os-extra_specs/{key}', 'PUT', flv,
         'extra_specs_update'),
        ('/flavors/{flavor_id}/os-extra_specs/{key}', 'DELETE', flv,
         'extra_specs_delete'),
        # key pairs
        ('/os-keypairs', 'GET', kps, 'index'),
        ('/os-keypairs', 'POST', kps, 'create'),
        ('/os-keypairs/{id}', 'GET', kps, 'show'),
        ('/os-keypairs/{id}', 'DELETE', kps, 'delete'),
        # quotas and limits
        ('/limits', 'GET', lim, 'index'),
        ('/os-quota-sets/{project_id}', 'GET', qs, 'show'),
        ('/os-quota-sets/{project_id}', 'PUT', qs, 'update'),
        ('/os-quota-sets/{project_id}', 'DELETE', qs, 'delete'),
        ('/os-quota-sets/{project_id}/defaults', 'GET', qs, 'defaults'),
        ('/os-quota-sets/{project_id}/detail', 'GET', qs, 'detail'),
        # admin APIs: services, hypervisors, zones, aggregates; groups
        ('/os-services', 'GET', svcs, 'index'),
        ('/os-services/{id}', 'PUT', svcs, 'update'),
        ('/os-services/{id}', 'DELETE', svcs, 'delete'),
        ('/os-hypervisors', 'GET', hyps, 'index'),
        ('/os-hypervisors/detail', 'GET', hyps, 'detail'),
        ('/os-hypervisors/statistics', 'GET', hyps, 'statistics'),
        ('/os-hypervisors/{pattern}/search', 'GET', hyps, 'search'),
        ('/os-hypervisors/{pattern}/servers', 'GET', hyps, 'servers'),
        ('/os-hypervisors/{id}/uptime', 'GET', hyps, 'uptime'),
        ('/os-hypervisors/{id}', 'GET', hyps, 'show'),
        ('/os-availability-zone', 'GET', azs, 'index'),
        ('/os-availability-zone/detail', 'GET', azs, 'detail'),
        ('/os-aggregates', 'GET', aggs, 'index'),
        ('/os-aggregates', 'POST', aggs, 'create'),
        ('/os-aggregates/{id}', 'GET', aggs, 'show'),
        ('/os-aggregates/{id}', 'PUT', aggs, 'update'),
        ('/os-aggregates/{id}', 'DELETE', aggs, 'delete'),
        ('/os-aggregates/{id}/action', 'POST', aggs, 'action'),
        ('/os-server-groups', 'GET', sgs, 'index'),
        ('/os-server-groups', 'POST', sgs, 'create'),
        ('/os-server-groups/{id}', 'GET', sgs, 'show'),
        ('/os-server-groups/{id}', 'DELETE', sgs, 'delete'),
    ]
    for entry in table:
        path, method, controller, action = entry[:4]
        public = len(entry) > 4 and entry[4]
        if not public:
            path = PREFIX + path
        router.add(path, method, controller, action, public=public)
    openapi.add_route(router, 'compute')
    return router
