"""The api daemon's manager: one WSGI server per API, on its own port."""
import time

from oslo_log import log as logging

from stratus import conf
from stratus import servicegroup
from stratus.api import wsgi

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def build_apps():
    """(name, WSGI app, port) of every API the daemon serves."""
    from stratus.api import auth
    from stratus.api.compute import router as compute_router
    from stratus.api.dashboard import app as dashboard_app
    from stratus.api.ec2 import app as ec2_app
    from stratus.api.identity import router as identity_router
    from stratus.api.image import router as image_router
    from stratus.api.network import router as network_router
    from stratus.api.volume import router as volume_router
    return [
        ('identity', identity_router.create_router(), CONF.api.identity_port),
        ('image', image_router.create_router(), CONF.api.image_port),
        ('network', network_router.create_router(), CONF.api.network_port),
        ('compute', compute_router.create_router(auth.authenticate),
         CONF.api.compute_port),
        ('ec2', ec2_app.create_app(), CONF.api.ec2_port),
        ('volume', volume_router.create_router(auth.authenticate),
         CONF.api.volume_port),
        ('dashboard', dashboard_app.create_app(), CONF.api.dashboard_port),
    ]


class APIManager:
    """Plays the part of an RPC manager for ``stratus.service.Service``."""

    def __init__(self):
        self.reporter = servicegroup.DbReporter()
        self.servers = []

    def init_host(self):
        for name, app, port in build_apps():
            server = wsgi.WSGIServer(name, app, CONF.api.bind_host, port)
            server.start()
            self.servers.append(server)

    def cleanup_host(self):
        """On SIGTERM: requests in flight get ``graceful_stop_timeout``
        (all servers together) to finish."""
        for server in self.servers:
            server.stop_accepting()
        deadline = time.monotonic() + CONF.graceful_stop_timeout
        for server in self.servers:
            server.stop(deadline)
        self.servers = []
