"""Server side of the volume daemon (topic ``volume``, server = host).

Methods are entry points: they take the volume's lock and hand the work to
``flows`` or to the driver. Casts (create, delete, extend) report their
outcome as a status; calls (connections, attachment bookkeeping) return.
"""
import collections
import threading

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus import rpc
from stratus import service
from stratus import servicegroup
from stratus.db import quotas as quotas_db
from stratus.db import volumes as volumes_db
from stratus.volume import drivers
from stratus.volume import flows
from stratus.volume import states

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class VolumeManager:
    target = messaging.Target(version='1.2')
    scheduler_rpcapi = rpc.LazyClient('stratus.scheduler.rpcapi',
                                      'SchedulerAPI')

    def __init__(self, host=None, driver=None):
        self.host = host or CONF.host
        self.reporter = servicegroup.DbReporter()
        self._driver = driver
        self._locks = collections.defaultdict(threading.Lock)
        self._locks_lock = threading.Lock()

    @property
    def driver(self):
        if self._driver is None:
            self._driver = drivers.load(CONF.volume.driver)
        return self._driver

    def _lock(self, volume_id):
        with self._locks_lock:
            return self._locks[volume_id]

    # -- life cycle of the daemon -------------------------------------------
    def init_host(self):
        self.driver.do_setup()
        self.report_stats()

    def periodic_tasks(self):
        return [service.PeriodicTask('report_volume_stats',
                                     CONF.volume.stats_interval,
                                     self.report_stats)]

    def report_stats(self):
        """Write this host's capacity where the scheduler reads it."""
        stats = self.driver.get_stats()
        volumes_db.pool_report(self.host, self.driver.name,
                               CONF.volume.storage_availability_zone,
                               stats['total_gb'], stats['free_gb'])

    # -- RPC entry points ----------------------------------------------------
    def ping(self, context):
        return 'pong'

    def create_volume(self, context, volume_id, request_spec=None):
        """Make ``volume_id`` here (cast from the scheduler)."""
        with self._lock(volume_id):
            flows.create(self.driver, context, volume_id, request_spec)
        self._report_quietly()

    def delete_volume(self, context, volume_id):
        """Remove ``volume_id`` (cast from the API, status deleting, or from
        compute for a delete-on-termination volume, available)."""
        with self._lock(volume_id):
            flows.delete(self.driver, context, volume_id)
        self._report_quietly()

    def extend_volume(self, context, volume_id, new_size):
        """Grow ``volume_id`` (cast from the API, status extending)."""
        with self._lock(volume_id):
            flows.extend(self.driver, context, volume_id, new_size)
        self._report_quietly()

    @messaging.expected_exceptions(exception.VolumeNotFound,
                                   exception.VolumeBackendError)
    def initialize_connection(self, context, volume_id, connector):
        """:returns: connection_info for the compute host in ``connector``.

        :raises: VolumeNotFound, VolumeBackendError.
        """
        with self._lock(volume_id):
            volume = volumes_db.get(volume_id)
            return self.driver.initialize_connection(volume, connector)

    @messaging.expected_exceptions(exception.VolumeNotFound)
    def terminate_connection(self, context, volume_id, connector):
        with self._lock(volume_id):
            volume = volumes_db.get(volume_id)
            self.driver.terminate_connection(volume, connector)

    @messaging.expected_exceptions(exception.VolumeNotFound,
                                   exception.VolumeInvalidState,
                                   exception.VolumeAttachmentNotFound)
    def attach_volume(self, context, attachment_id, connection_info, host):
        """Record a finished attach: the volume becomes ``in-use``.

        :raises: VolumeAttachmentNotFound when the reservation was rolled
            back meanwhile; the caller then undoes its attach.
        """
        return volumes_db.attachment_finish(attachment_id, connection_info,
                                            host)

    @messaging.expected_exceptions(exception.VolumeNotFound,
                                   exception.VolumeInvalidState)
    def detach_volume(self, context, attachment_id, rollback=False):
        """Drop an attachment: the volume is ``available`` again.

        :param rollback: undo a reservation whose attach failed (the
            volume is ``attaching``), rather than end an attach
            (``detaching``, or ``in-use`` when its instance is deleted).
        """
        expected = (states.ATTACHING,) if rollback else \
            (states.DETACHING, states.IN_USE, states.ATTACHING)
        return volumes_db.attachment_remove(attachment_id, expected)

    # -- block devices of a boot (calls from compute, any volume host) -----
    @messaging.expected_exceptions(exception.QuotaExceeded)
    def create_volume_for_instance(self, context, size, availability_zone,
                                   name=None, image=None):
        """Record a volume for a boot and cast its placement to the
        scheduler, as a user's create would. :returns: the volume
        (``creating``); the caller waits for ``available``."""
        volume = volumes_db.create_request(
            context.project_id, context.user_id, size,
            availability_zone or CONF.volume.storage_availability_zone,
            name=name, image=image, check=quotas_db.check_volume)
        spec = {'size': size, 'image': image,
                'availability_zone': availability_zone}
        self.scheduler_rpcapi.create_volume(context, volume['id'], spec)
        return volume

    @messaging.expected_exceptions(exception.VolumeNotFound)
    def get_volume(self, context, volume_id):
        return volumes_db.get(volume_id)

    @messaging.expected_exceptions(exception.VolumeNotFound,
                                   exception.VolumeInvalidState,
                                   exception.Invalid)
    def reserve_volume(self, context, volume_id, instance_uuid, mountpoint,
                       delete_on_termination=False):
        """Reserve an ``available`` volume of the caller's project for a
        boot at ``mountpoint``. :returns: the attachment."""
        def pick(used):
            if mountpoint in used:
                raise exception.Invalid(reason='device %s is taken' %
                                        mountpoint)
            return mountpoint
        _volume, attachment = volumes_db.reserve(
            volume_id, context.project_id, instance_uuid, pick,
            delete_on_termination)
        return attachment

    def get_attachments(self, context, instance_uuid):
        """:returns: the live attachments of ``instance_uuid`` with their
        volume's ``host`` and ``delete_on_termination``."""
        attachments = volumes_db.attachments_get(instance_uuid=instance_uuid)
        for att in attachments:
            try:
                att['volume_host'] = volumes_db.get(att['volume_id'])['host']
            except exception.VolumeNotFound:
                att['volume_host'] = None
        return attachments

    def _report_quietly(self):
        try:
            self.report_stats()
        except Exception:
            LOG.warning('Could not report volume stats', exc_info=True)
