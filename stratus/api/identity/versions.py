"""Version discovery documents (what keystoneauth reads first)."""
from stratus.api.identity import views

_VERSION = 'v3.14'
_UPDATED = '2020-04-07T00:00:00Z'
_MEDIA_TYPE = 'application/vnd.openstack.identity-v3+json'


def _version(req):
    return {
        'id': _VERSION, 'status': 'stable', 'updated': _UPDATED,
        'links': [{'rel': 'self', 'href': views.base_url(req) + '/'}],
        'media-types': [{'base': 'application/json', 'type': _MEDIA_TYPE}],
    }


class VersionsController:

    def index(self, req):
        return 300, {'versions': {'values': [_version(req)]}}

    def show(self, req):
        return {'version': _version(req)}
