"""The per-host image cache: each image is downloaded once per host.

Files are named by the image id (checked as a UUID) under
``[compute] image_cache_path``. A download goes to a temporary file in the
same folder and is renamed into place only after its md5 matched, so a
crashed or concurrent download never leaves a half image where a guest
could boot from it. A file already in place is used as is: that also lets a
test or an operator pre-seed the cache without an image API.
"""
import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading

from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.virt.libvirt import paths

CONF = conf.CONF
LOG = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024


class ImageCache:
    """:param session_factory: ``factory(token) -> keystoneauth1 session``;
    tests pass their own."""

    def __init__(self, base_path=None, session_factory=None):
        self._base_path = base_path
        self._session_factory = session_factory or _image_session
        self._locks_lock = threading.Lock()
        self._locks = {}

    @property
    def base_path(self):
        return self._base_path or CONF.compute.image_cache_path

    def path_for(self, image_id):
        return os.path.join(self.base_path, paths.checked_uuid(image_id))

    def fetch(self, context, image_id, checksum=None):
        """The local path of ``image_id``, downloading it if needed.

        :raises: ``exception.ImageNotFound`` when the image API has no such
            image, ``exception.Invalid`` on a checksum mismatch.
        """
        path = self.path_for(image_id)
        if os.path.exists(path):
            return path
        with self._image_lock(path):
            if os.path.exists(path):
                # Another thread or process finished it while we waited.
                return path
            self._download(context, image_id, path, checksum)
        return path

    @contextlib.contextmanager
    def _image_lock(self, path):
        # Threads of this daemon serialise on a lock; other daemons sharing
        # the cache folder on the same host, on an flock.
        with self._locks_lock:
            lock = self._locks.setdefault(path, threading.Lock())
        with lock:
            os.makedirs(self.base_path, mode=0o755, exist_ok=True)
            lock_path = os.path.join(os.path.dirname(path),
                                     '.%s.lock' % os.path.basename(path))
            with open(lock_path, 'a') as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _download(self, context, image_id, path, checksum):
        token = getattr(context, 'auth_token', None) or \
            CONF.compute.image_api_admin_token
        url = '%s/v2/images/%s/file' % (
            CONF.compute.image_api_endpoint.rstrip('/'), image_id)
        LOG.info('Downloading image %s into the cache', image_id)
        session = self._session_factory(token)
        try:
            response = session.get(url, stream=True)
        except Exception as e:
            if getattr(e, 'http_status', None) == 404:
                raise exception.ImageNotFound(image_id=image_id)
            raise
        fd, tmp_path = tempfile.mkstemp(dir=os.path.dirname(path),
                                        prefix='.%s.' % image_id)
        md5 = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            with os.fdopen(fd, 'wb') as f:
                for chunk in response.iter_content(CHUNK_SIZE):
                    md5.update(chunk)
                    size += len(chunk)
                    f.write(chunk)
            if checksum and md5.hexdigest() != checksum:
                raise exception.Invalid(
                    reason='image %s: md5 %s, expected %s' %
                    (image_id, md5.hexdigest(), checksum))
            # QEMU runs as libvirt-qemu and must read the base image.
            os.chmod(tmp_path, 0o644)
            os.replace(tmp_path, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_path)
            raise
        finally:
            response.close()
        LOG.info('Image %s cached: %d bytes', image_id, size)


def _image_session(token):
    from keystoneauth1 import session
    from keystoneauth1 import token_endpoint
    if not token:
        LOG.warning('No token for the image API: trying without one')
        return session.Session()
    return session.Session(auth=token_endpoint.Token(
        CONF.compute.image_api_endpoint, token))
