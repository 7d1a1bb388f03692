"""``GET /`` and ``GET /v3``: the version documents (no token needed)."""
from stratus.api.volume import microversion

_UPDATED = '2023-08-31T00:00:00Z'


def _version(req):
    return {
        'id': 'v3.0',
        'status': 'CURRENT',
        'version': microversion.to_str(microversion.MAX_VERSION),
        'min_version': microversion.to_str(microversion.MIN_VERSION),
        'updated': _UPDATED,
        'links': [{'rel': 'describedby', 'type': 'text/html',
                   'href': 'https://docs.openstack.org/'},
                  {'rel': 'self', 'href': req.application_url + '/v3/'}],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.volume+json;version=3'}],
    }


class VersionsController:
    def index(self, req):
        """``GET /``: 300 Multiple Choices, as Cinder answers."""
        return 300, {'versions': [_version(req)]}

    def show(self, req, project_id=None):
        """``GET /v3/`` (and ``/v3/{project_id}``): this version."""
        return {'versions': [_version(req)]}
