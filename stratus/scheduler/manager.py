"""Server side of the scheduler: decisions only, no writes."""
import threading

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import servicegroup
from stratus.scheduler import driver
from stratus.scheduler import host_manager
from stratus.scheduler import volume_placement

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class SchedulerManager:
    target = messaging.Target(version='1.1')

    def __init__(self):
        self.reporter = servicegroup.DbReporter()
        self.driver = driver.load(CONF.scheduler.driver)
        self.host_manager = host_manager.HostManager()
        # One decision at a time per scheduler: each sees the last one's
        # in-flight claims.
        self._lock = threading.Lock()
        self._volume_rpcapi = None

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, context, request_spec, filter_properties,
                            instance_uuids):
        """:returns: ``[{'host', 'nodename', 'limits'}]``, one per uuid.

        :raises: NoValidHost.
        """
        spec = dict(request_spec)
        spec['retry'] = (filter_properties or {}).get('retry')
        with self._lock:
            self.host_manager.prepare_spec(spec)
            states = self.host_manager.get_host_states()
            chosen = self.driver.select(spec, states, len(instance_uuids))
            for instance_uuid, state in zip(instance_uuids, chosen):
                self.host_manager.claim(instance_uuid, state.host,
                                        spec['flavor'])
        LOG.info('Selected %s for %s', [s.host for s in chosen],
                 instance_uuids)
        return [{'host': s.host, 'nodename': s.nodename, 'limits': {}}
                for s in chosen]

    def create_volume(self, context, volume_id, request_spec):
        """Place a new volume and cast its create to the host (cast from
        the API); a volume no host can take goes to ``error``."""
        if self._volume_rpcapi is None:
            from stratus.volume import rpcapi as volume_rpcapi
            self._volume_rpcapi = volume_rpcapi.VolumeAPI()
        with self._lock:
            volume_placement.schedule_create_volume(
                context, self._volume_rpcapi, volume_id, request_spec)
