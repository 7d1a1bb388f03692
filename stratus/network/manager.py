"""Server side of the network daemon (topic ``network``).

Addresses, bridges and DHCP come with the network service's own work
(issue 4); until then an instance gets no network interfaces.
"""
import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import servicegroup

LOG = logging.getLogger(__name__)


class NetworkManager:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.reporter = servicegroup.DbReporter()

    def ping(self, context):
        return 'pong'

    def allocate_for_instance(self, context, instance_uuid, project_id,
                              host, requested_networks=None):
        """:returns: network info (a list of VIF dicts); none yet."""
        LOG.info('No networks configured; %s gets no interfaces',
                 instance_uuid)
        return []

    def deallocate_for_instance(self, context, instance_uuid):
        return None
