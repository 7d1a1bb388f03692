"""The compute host's part of volume attach and detach.

The API has already reserved the volume (``attaching`` plus an attachment
row with the mountpoint) or marked it ``detaching``. Attach: the volume host
gives the connection (call), the driver attaches live and persistently, the
volume host records ``in-use``. Any failure in the middle undoes what was
done and gives the reservation back (``available``), then re-raises so that
the API's call sees the error.
"""
from oslo_log import log as logging

from stratus import exception
from stratus.volume import rpcapi as volume_rpcapi

LOG = logging.getLogger(__name__)


def volume_api(mgr):
    """The manager's volume RPC client, made on first use."""
    client = getattr(mgr, '_volume_rpcapi', None)
    if client is None:
        client = mgr._volume_rpcapi = volume_rpcapi.VolumeAPI()
    return client


def _as_stratus(error):
    if isinstance(error, exception.StratusException):
        return error
    return exception.VirtDriverError(reason=str(error) or
                                     type(error).__name__)


def attach(mgr, context, instance_uuid, volume_id, volume_host, attachment):
    """:returns: the attachment as recorded.

    :raises: InstanceNotFound, VolumeBackendError, VirtDriverError...
        after rolling the volume back to ``available``.
    """
    volumes = volume_api(mgr)
    connector = {'host': mgr.host}
    mountpoint = attachment['mountpoint']
    connected = attached = False
    try:
        instance = mgr.conductor.instance_get(context, instance_uuid)
        connection_info = volumes.initialize_connection(
            context, volume_host, volume_id, connector)
        connected = True
        connection_info['serial'] = volume_id
        mgr.driver.attach_volume(context, connection_info, instance,
                                 mountpoint)
        attached = True
        recorded = volumes.attach_volume(context, attachment['uuid'],
                                         connection_info, mgr.host)
    except Exception as e:
        LOG.warning('Attaching volume %s to %s failed: %s', volume_id,
                    instance_uuid, e)
        if attached:
            _quietly(mgr.driver.detach_volume, context, connection_info,
                     instance, mountpoint)
        if connected:
            _quietly(volumes.terminate_connection, context, volume_host,
                     volume_id, connector)
        _quietly(volumes.detach_volume, context, attachment['uuid'],
                 rollback=True)
        raise _as_stratus(e)
    LOG.info('Volume %s attached to %s at %s', volume_id, instance_uuid,
             mountpoint)
    return recorded


def detach(mgr, context, instance_uuid, volume_id, volume_host, attachment):
    """Detach from the guest, close the connection, free the volume.

    :raises: VirtDriverError when the guest did not let go (the volume
        stays attached; the API puts it back ``in-use``).
    """
    volumes = volume_api(mgr)
    connection_info = attachment.get('connection_info') or {}
    try:
        instance = mgr.conductor.instance_get(context, instance_uuid)
        mgr.driver.detach_volume(context, connection_info, instance,
                                 attachment['mountpoint'])
    except exception.InstanceNotFound:
        LOG.info('Instance %s is gone: detaching %s in the books only',
                 instance_uuid, volume_id)
    except Exception as e:
        raise _as_stratus(e)
    _quietly(volumes.terminate_connection, context, volume_host, volume_id,
             {'host': mgr.host})
    volumes.detach_volume(context, attachment['uuid'])
    LOG.info('Volume %s detached from %s', volume_id, instance_uuid)


def release_all(mgr, context, instance_uuid, delete=True):
    """Free every volume of a destroyed instance (its guest is gone, so
    the disks are already detached) and, unless ``delete`` is False (a
    build to be retried elsewhere), delete those marked
    delete_on_termination, as Nova's ``_cleanup_volumes``; never raises."""
    try:
        volumes = volume_api(mgr)
        attachments = volumes.get_attachments(context, instance_uuid)
    except Exception:
        LOG.exception('Could not list the volumes of %s', instance_uuid)
        return
    for att in attachments:
        if att.get('volume_host'):
            _quietly(volumes.terminate_connection, context,
                     att['volume_host'], att['volume_id'],
                     {'host': mgr.host})
        _quietly(volumes.detach_volume, context, att['uuid'])
        LOG.info('Volume %s released from deleted instance %s',
                 att['volume_id'], instance_uuid)
        if delete and att.get('delete_on_termination') and \
                att.get('volume_host'):
            _quietly(volumes.delete_volume, context, att['volume_host'],
                     att['volume_id'])
            LOG.info('Volume %s deleted with its instance %s',
                     att['volume_id'], instance_uuid)


def _quietly(func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except Exception:
        LOG.warning('Clean-up step %s failed', getattr(func, '__name__',
                                                       func), exc_info=True)
