"""Version discovery (what keystoneauth and the clients read first)."""

# Newest first; clients pick the highest they know.
_VERSIONS = ['2.%d' % n for n in range(9, -1, -1)]


def _document(req):
    href = req.application_url + '/v2/'
    return {'versions': [
        {'id': 'v' + v, 'status': 'CURRENT' if i == 0 else 'SUPPORTED',
         'links': [{'rel': 'self', 'href': href}]}
        for i, v in enumerate(_VERSIONS)]}


class VersionsController:

    def index(self, req):
        return 300, _document(req)

    def list(self, req):
        return _document(req)
