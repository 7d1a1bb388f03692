"""The volume host's work: create, delete and extend, and the one place
per flow where an error becomes a status.

Create errors leave the volume in ``error`` with a ``status_reason`` the
owner sees; nothing half made stays on the backend (the driver contract).
"""
import os

from oslo_log import log as logging
from oslo_utils import timeutils

from stratus import conf
from stratus import exception
from stratus.db import volumes as volumes_db
from stratus.volume import image_fetch
from stratus.volume import states

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def _reason(error):
    return getattr(error, 'message', None) or str(error) or \
        type(error).__name__


def create(driver, context, volume_id, request_spec, image_fetcher=None):
    """Make the volume on this host; never raises."""
    try:
        volume = volumes_db.get(volume_id)
    except exception.VolumeNotFound:
        LOG.info('Volume %s was deleted before it was created', volume_id)
        return
    if volume['status'] != states.CREATING:
        LOG.warning('Volume %s is %s, not creating: ignored', volume_id,
                    volume['status'])
        return
    image = (request_spec or {}).get('image')
    try:
        if image:
            fetcher = image_fetcher or image_fetch.fetched
            fmt = image_fetch.image_format(image)
            folder = os.path.join(CONF.volume.volumes_path, '.downloads')
            with fetcher(context, image, folder) as path:
                updates = driver.create_volume_from_image(volume, path, fmt)
            updates['bootable'] = True
        else:
            updates = driver.create_volume(volume)
    except Exception as e:
        LOG.warning('Creating volume %s failed: %s', volume_id, e,
                    exc_info=not isinstance(e, exception.StratusException))
        _set(volume_id, {'status': states.ERROR,
                         'status_reason': _reason(e)}, states.CREATING)
        return
    updates.update(status=states.AVAILABLE, status_reason=None,
                   launched_at=timeutils.utcnow())
    if _set(volume_id, updates, states.CREATING) is None:
        # Deleted while we made it: don't leave it on the backend.
        _quiet_delete(driver, volume)
        return
    LOG.info('Volume %s is available (%d GiB)', volume_id, volume['size'])


def _set(volume_id, values, expected):
    try:
        return volumes_db.update(volume_id, values, expected_status=expected)
    except (exception.VolumeNotFound, exception.VolumeInvalidState) as e:
        LOG.warning('Volume %s changed under us: %s', volume_id, e)
        return None


def _quiet_delete(driver, volume):
    try:
        driver.delete_volume(volume)
    except Exception:
        LOG.exception('Could not remove volume %s', volume['id'])


def delete(driver, context, volume_id):
    """Remove the volume from the backend, then its row; never raises.

    The API sends it ``deleting``; compute sends an instance's
    delete-on-termination volumes ``available`` after the detach.
    """
    try:
        volume = volumes_db.get(volume_id)
    except exception.VolumeNotFound:
        return
    if volume['status'] == states.AVAILABLE:
        # Deleted with its instance (delete_on_termination): claim it
        # first, so that a racing attach can't get a disk being removed.
        if _set(volume_id, {'status': states.DELETING},
                states.AVAILABLE) is None:
            return
    elif volume['status'] != states.DELETING:
        LOG.warning('Volume %s is %s: not deleting it', volume_id,
                    volume['status'])
        return
    try:
        driver.delete_volume(volume)
    except Exception as e:
        LOG.error('Deleting volume %s failed: %s', volume_id, e)
        _set(volume_id, {'status': states.ERROR_DELETING,
                         'status_reason': _reason(e)}, states.DELETING)
        return
    volumes_db.destroy(volume_id)
    LOG.info('Volume %s deleted', volume_id)


def extend(driver, context, volume_id, new_size):
    """Grow the volume; ``available`` at the new size or
    ``error_extending`` at the old one. Never raises."""
    try:
        volume = volumes_db.get(volume_id)
    except exception.VolumeNotFound:
        return
    try:
        driver.extend_volume(volume, new_size)
    except Exception as e:
        LOG.error('Extending volume %s failed: %s', volume_id, e)
        _set(volume_id, {'status': states.ERROR_EXTENDING,
                         'status_reason': _reason(e)}, states.EXTENDING)
        return
    _set(volume_id, {'status': states.AVAILABLE, 'size': new_size,
                     'status_reason': None}, states.EXTENDING)
    LOG.info('Volume %s extended to %d GiB', volume_id, new_size)
