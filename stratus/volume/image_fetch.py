"""Download an image from the image API into a temporary file of the
volume host (create a volume from an image)."""
import contextlib
import hashlib
import os
import tempfile

from oslo_log import log as logging

from stratus import conf
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
FORMATS = {'qcow2': 'qcow2', 'raw': 'raw', 'ami': 'raw', 'img': 'raw'}


def image_format(image_meta):
    """The qemu-img format of an image; Invalid for the others."""
    fmt = (image_meta.get('disk_format') or 'raw').lower()
    try:
        return FORMATS[fmt]
    except KeyError:
        raise exception.Invalid(reason='disk_format %s cannot make a '
                                       'volume' % fmt)


def _session(token):
    from keystoneauth1 import session
    from keystoneauth1 import token_endpoint
    if not token:
        return session.Session()
    return session.Session(auth=token_endpoint.Token(
        CONF.volume.image_api_endpoint, token))


@contextlib.contextmanager
def fetched(context, image_meta, folder, session_factory=None):
    """Yield the path of a temporary copy of the image; removed after.

    :raises: ImageNotFound, Invalid (checksum mismatch).
    """
    image_id = image_meta['id']
    url = '%s/v2/images/%s/file' % (
        CONF.volume.image_api_endpoint.rstrip('/'), image_id)
    session = (session_factory or _session)(
        getattr(context, 'auth_token', None))
    try:
        response = session.get(url, stream=True)
    except Exception as e:
        if getattr(e, 'http_status', None) == 404:
            raise exception.ImageNotFound(image_id=image_id)
        raise exception.VolumeBackendError(
            reason='image %s download failed: %s' % (image_id, e))
    os.makedirs(folder, mode=0o755, exist_ok=True)
    fd, path = tempfile.mkstemp(dir=folder, prefix='.image-')
    md5 = hashlib.md5(usedforsecurity=False)
    try:
        with os.fdopen(fd, 'wb') as f:
            for chunk in response.iter_content(CHUNK_SIZE):
                md5.update(chunk)
                f.write(chunk)
        checksum = image_meta.get('checksum')
        if checksum and md5.hexdigest() != checksum:
            raise exception.Invalid(reason='image %s: md5 %s, expected %s'
                                    % (image_id, md5.hexdigest(), checksum))
        LOG.info('Image %s downloaded for a volume', image_id)
        yield path
    finally:
        response.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
