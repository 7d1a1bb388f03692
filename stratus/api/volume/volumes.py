"""``/v3/{project_id}/volumes``: create, list, show, delete and extend."""
import webob

from stratus import exception
from stratus import policy
from stratus.api import schemas as schema_check
from stratus.api.schemas import types
from stratus.api.volume import policies
from stratus.api.volume import schemas
from stratus.api.volume import views

_FILTERS = ('name', 'status')


def _limit_marker(req, max_limit):
    limit = req.GET.get('limit')
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise exception.Invalid(reason='limit param must be an integer')
        if limit < 0:
            raise exception.Invalid(reason='limit param must be positive')
    limit = min(limit if limit is not None else max_limit, max_limit)
    return limit, req.GET.get('marker')


def _image_id(ref):
    return str(ref).rstrip('/').rsplit('/', 1)[-1] if ref else None


class VolumesController:
    def __init__(self, api, max_limit):
        self.api = api
        self.max_limit = max_limit

    def _show_host(self, req):
        return policies.allowed(req.context, policies.HOST_ATTRIBUTE)

    def _list(self, req, detailed):
        ctxt = req.context
        policy.authorize(ctxt, policies.GET_ALL)
        all_projects = types.to_bool(req.GET.get('all_tenants') or
                                     req.GET.get('all_projects') or False)
        if all_projects:
            policy.authorize(ctxt, policies.ALL_PROJECTS)
        filters = {k: req.GET[k] for k in _FILTERS if k in req.GET}
        limit, marker = _limit_marker(req, self.max_limit)
        rows = self.api.get_all(ctxt, all_projects, filters, limit, marker)
        if detailed:
            atts = self.api.attachments(volume_ids=[v['id'] for v in rows])
            show_host = self._show_host(req)
            items = [views.detail(req, v, atts.get(v['id'], ()), show_host)
                     for v in rows]
        else:
            items = [views.summary(req, v) for v in rows]
        body = {'volumes': items}
        if rows and len(rows) == limit:
            query = '&'.join('%s=%s' % (k, v) for k, v in req.GET.items()
                             if k != 'marker')
            body['volumes_links'] = [{
                'rel': 'next', 'href': '%s%s?%s%smarker=%s' % (
                    req.application_url, req.path, query,
                    '&' if query else '', rows[-1]['id'])}]
        return body

    def index(self, req, project_id=None):
        return self._list(req, detailed=False)

    def detail(self, req, project_id=None):
        return self._list(req, detailed=True)

    def _detail(self, req, volume):
        atts = self.api.attachments(volume_ids=[volume['id']])
        return {'volume': views.detail(req, volume,
                                       atts.get(volume['id'], ()),
                                       self._show_host(req))}

    def show(self, req, id, project_id=None):
        policy.authorize(req.context, policies.GET)
        return self._detail(req, self.api.get(req.context, id))

    def create(self, req, project_id=None):
        policy.authorize(req.context, policies.CREATE)
        body = req.json()
        schema_check.validate(schemas.create, body)
        vol = body['volume']
        try:
            volume = self._create(req, vol)
        except exception.QuotaExceeded as e:
            # Cinder's VolumeLimitExceeded / VolumeSizeExceedsAvailableQuota.
            raise webob.exc.HTTPRequestEntityTooLarge(explanation=e.message)
        return 202, self._detail(req, volume)

    def _create(self, req, vol):
        return self.api.create(req.context, {
            'size': int(vol['size']),
            'name': vol.get('name', vol.get('display_name')),
            'description': vol.get('description',
                                   vol.get('display_description')),
            'availability_zone': vol.get('availability_zone'),
            'image_id': _image_id(vol.get('imageRef') or vol.get('image_id')),
            'metadata': vol.get('metadata'),
        })

    def delete(self, req, id, project_id=None):
        policy.authorize(req.context, policies.DELETE)
        self.api.delete(req.context, id)
        return webob.Response(status=202)

    def action(self, req, id, project_id=None):
        body = req.json()
        if 'os-extend' not in body:
            raise exception.Invalid(reason='There is no such action: %s' %
                                    ', '.join(sorted(body)) or 'none')
        policy.authorize(req.context, policies.EXTEND)
        schema_check.validate(schemas.extend, body)
        self.api.extend(req.context, id,
                        int(body['os-extend']['new_size']))
        return webob.Response(status=202)
