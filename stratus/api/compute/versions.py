"""``GET /`` and ``GET /v2.1``: the version documents (no token needed)."""
from stratus.api.compute import common
from stratus.api.compute import microversion

_UPDATED = '2013-07-23T11:33:21Z'


def _version(req):
    return {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': microversion.to_str(microversion.MAX_VERSION),
        'min_version': microversion.to_str(microversion.MIN_VERSION),
        'updated': _UPDATED,
        'links': [{'rel': 'self', 'href': common.api_url(req) + '/'}],
    }


class VersionsController:
    def index(self, req):
        """``GET /``: every version this endpoint serves."""
        return {'versions': [_version(req)]}

    def show(self, req):
        """``GET /v2.1``: this version in detail."""
        version = _version(req)
        version['links'].append({
            'rel': 'describedby', 'type': 'text/html',
            'href': 'https://docs.openstack.org/'})
        version['media-types'] = [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.compute+json;version=2.1'}]
        return {'version': version}
