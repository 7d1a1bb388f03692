"""The block storage API's route table (port ``[api] volume_port``).

Every volume path is served both with the project id (as the catalog
gives it: ``/v3/{project_id}/volumes``) and without (microversion 3.67+).
"""
from stratus import conf
from stratus.api import openapi
from stratus.api import wsgi
from stratus.api.volume import api as volume_api
from stratus.api.volume import microversion
from stratus.api.volume import policies  # noqa: F401  (registers rules)
from stratus.api.volume import versions
from stratus.api.volume import volumes

CONF = conf.CONF


def fault_body(code, message):
    if code == 406:
        return {'notAcceptable': {'code': code, 'message': message}}
    return wsgi.nova_fault_body(code, message)


class VolumeRouter(wsgi.Router):
    def _route(self, req):
        req.environ[microversion.ENVIRON_KEY] = \
            microversion.from_headers(req.headers)
        return super()._route(req)


def create_router(authenticate, api=None):
    """The block storage application.

    :param api: a ``stratus.api.volume.api.VolumeAPI`` (tests pass one).
    """
    api = api or volume_api.VolumeAPI()
    router = VolumeRouter('volume', fault_body=fault_body,
                          authenticate=authenticate)
    router.volume_api = api
    router.hooks.append(microversion.add_headers)
    ver = versions.VersionsController()
    vol = volumes.VolumesController(api, CONF.api.max_limit)
    for path, method, controller, action, public in (
            ('/', 'GET', ver, 'index', True),
            ('/v3', 'GET', ver, 'show', True),
            ('/v3/', 'GET', ver, 'show', True)):
        router.add(path, method, controller, action, public=public)
    table = [
        ('/volumes', 'GET', vol, 'index'),
        ('/volumes', 'POST', vol, 'create'),
        ('/volumes/detail', 'GET', vol, 'detail'),
        ('/volumes/{id}', 'GET', vol, 'show'),
        ('/volumes/{id}', 'DELETE', vol, 'delete'),
        ('/volumes/{id}/action', 'POST', vol, 'action'),
    ]
    for prefix in ('/v3', '/v3/{project_id}'):
        for path, method, controller, action in table:
            router.add(prefix + path, method, controller, action)
    router.add('/v3/{project_id}', 'GET', ver, 'show', public=True)
    router.add('/v3/{project_id}/', 'GET', ver, 'show', public=True)
    openapi.add_route(router, 'volume')
    return router
