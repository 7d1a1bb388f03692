"""Device naming for attaches and the block storage microversion header."""
import pytest

from stratus import exception
from stratus.api.volume import api as volume_api
from stratus.api.volume import microversion


def test_next_free_device_skips_root_and_used():
    pick = volume_api._pick_device(None)
    assert pick([]) == '/dev/vdb'
    assert pick(['/dev/vdb', '/dev/vdd']) == '/dev/vdc'
    assert volume_api._pick_device('vde')(['/dev/vdb']) == '/dev/vde'


@pytest.mark.parametrize('device,used', [
    ('/dev/vda', []), ('/dev/sdb', []), ('/dev/vdb', ['/dev/vdb']),
    ('../../x', [])])
def test_bad_or_taken_devices_are_invalid(device, used):
    with pytest.raises(exception.Invalid):
        volume_api._pick_device(device)(used)


def test_microversion_header():
    assert microversion.from_headers({}) == (3, 0)
    assert microversion.from_headers(
        {'OpenStack-API-Version': 'compute 2.1, volume 3.60'}) == (3, 60)
    assert microversion.from_headers(
        {'OpenStack-API-Version': 'volume latest'}) == \
        microversion.MAX_VERSION
    with pytest.raises(microversion.VersionNotAcceptable):
        microversion.from_headers({'OpenStack-API-Version': 'volume 4.0'})
    with pytest.raises(exception.Invalid):
        microversion.from_headers({'OpenStack-API-Version': 'volume 3.x'})
