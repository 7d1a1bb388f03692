"""The file store: one file per image under ``[image] store_path``.

Data is written to ``<id>.part`` while it streams in and renamed once
complete, so a reader never sees half an image.
"""
import hashlib
import os

from oslo_log import log as logging

from stratus import conf
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def _path(image_id):
    # Ids are validated UUIDs, but never let one climb out of the store.
    name = os.path.basename(image_id)
    if not name or name != image_id:
        raise exception.ImageNotFound(image_id=image_id)
    return os.path.join(CONF.image.store_path, name)


def write(image_id, chunks):
    """Store the data of ``image_id`` from an iterable of byte chunks.

    :returns: dict of size, checksum (md5), os_hash_algo, os_hash_value.
    :raises: RequestTooLarge beyond ``[image] image_size_cap``; the partial
        file is removed on any failure.
    """
    os.makedirs(CONF.image.store_path, mode=0o755, exist_ok=True)
    path = _path(image_id)
    partial = path + '.part'
    md5 = hashlib.md5(usedforsecurity=False)
    sha512 = hashlib.sha512()
    size = 0
    cap = CONF.image.image_size_cap
    try:
        with open(partial, 'wb') as f:
            for chunk in chunks:
                size += len(chunk)
                if size > cap:
                    raise exception.RequestTooLarge(
                        'Image exceeds the storage quota of %d bytes.' % cap)
                md5.update(chunk)
                sha512.update(chunk)
                f.write(chunk)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        _unlink(partial)
        raise
    return {'size': size, 'checksum': md5.hexdigest(),
            'os_hash_algo': 'sha512', 'os_hash_value': sha512.hexdigest()}


def read(image_id):
    """An iterator over the stored data of ``image_id``.

    :raises: NotFound when the store has no data for it.
    """
    try:
        f = open(_path(image_id), 'rb')
    except FileNotFoundError:
        raise exception.NotFound('Image %s has no data in the store.' %
                                 image_id)
    return _chunks(f, CONF.image.chunk_size)


def _chunks(f, size):
    with f:
        while True:
            chunk = f.read(size)
            if not chunk:
                return
            yield chunk


def delete(image_id):
    """Remove the data of ``image_id``; no data is not an error."""
    _unlink(_path(image_id))


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        LOG.warning('Could not remove %s: %s', path, e)
