"""The image cache downloads once, atomically, and checks the md5."""
import hashlib
import os
import stat
import threading
import time
import uuid

import pytest

from stratus import conf
from stratus import context
from stratus import exception
from stratus.virt.libvirt import imagecache

CONF = conf.CONF
DATA = b'stratus image bytes ' * 1000


class FakeResponse:
    def __init__(self, data):
        self.data = data
        self.closed = False

    def iter_content(self, size):
        time.sleep(0.1)   # long enough for the other threads to pile up
        for i in range(0, len(self.data), 4096):
            yield self.data[i:i + 4096]

    def close(self):
        self.closed = True


class FakeSession:
    def __init__(self, calls, data):
        self.calls, self.data = calls, data

    def get(self, url, stream=False):
        self.calls.append(url)
        return FakeResponse(self.data)


@pytest.fixture
def cache(tmp_path):
    CONF([], project='stratus')
    CONF.set_override('image_api_endpoint', 'http://127.0.0.1:9292/',
                      group='compute')
    calls, tokens = [], []

    def make(data=DATA):
        def factory(token):
            tokens.append(token)
            return FakeSession(calls, data)
        return imagecache.ImageCache(str(tmp_path / 'base'),
                                     session_factory=factory)
    yield make, calls, tokens, tmp_path
    CONF.clear_override('image_api_endpoint', group='compute')


def _ctx():
    return context.RequestContext(auth_token='tok-1')


def test_concurrent_fetches_download_once(cache):
    make, calls, tokens, _ = cache
    image_cache = make()
    image_id = str(uuid.uuid4())
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        image_cache.fetch(_ctx(), image_id,
                          hashlib.md5(DATA).hexdigest())))
        for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ['http://127.0.0.1:9292/v2/images/%s/file' % image_id]
    assert tokens == ['tok-1']
    assert len(set(results)) == 1 and len(results) == 5
    with open(results[0], 'rb') as f:
        assert f.read() == DATA
    mode = os.stat(results[0]).st_mode
    assert mode & stat.S_IROTH   # QEMU's user reads it


def test_checksum_mismatch_leaves_no_file(cache):
    make, calls, _, tmp_path = cache
    image_cache = make(data=b'tampered')
    image_id = str(uuid.uuid4())
    with pytest.raises(exception.Invalid):
        image_cache.fetch(_ctx(), image_id, hashlib.md5(DATA).hexdigest())
    leftovers = [n for n in os.listdir(tmp_path / 'base')
                 if not n.endswith('.lock')]
    assert leftovers == []


def test_pre_seeded_file_is_used_without_download(cache):
    make, calls, _, tmp_path = cache
    image_cache = make()
    image_id = str(uuid.uuid4())
    (tmp_path / 'base').mkdir()
    (tmp_path / 'base' / image_id).write_bytes(b'seeded')
    assert image_cache.fetch(_ctx(), image_id) == str(
        tmp_path / 'base' / image_id)
    assert calls == []


def test_image_id_must_be_a_uuid(cache):
    make, calls, _, _ = cache
    with pytest.raises(exception.Invalid):
        make().fetch(_ctx(), '../../etc/passwd')
    assert calls == []


def test_admin_token_when_context_has_none(cache):
    make, calls, tokens, _ = cache
    CONF.set_override('image_api_admin_token', 'admin-tok', group='compute')
    try:
        make().fetch(context.get_admin_context(), str(uuid.uuid4()))
    finally:
        CONF.clear_override('image_api_admin_token', group='compute')
    assert tokens == ['admin-tok']
