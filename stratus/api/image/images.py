"""``/v2/images``: image records (create, list, show, patch, delete)."""
import urllib.parse
import uuid

import webob
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.api.image import body as req_body
from stratus.api.image import policies
from stratus.api.image import schemas
from stratus.api.image import store
from stratus.api.image import views
from stratus.db import images as db

CONF = conf.CONF
LOG = logging.getLogger(__name__)

PATCH_TYPES = ('application/openstack-images-v2.1-json-patch',)
_SORT_KEYS = ('created_at', 'name', 'status', 'id')
_FILTERS = ('name', 'status', 'owner', 'disk_format', 'container_format')
# Writable core attributes kept in their own column (the rest are
# properties; os_hidden rides in properties too).
_COLUMNS = ('name', 'visibility', 'protected', 'owner', 'disk_format',
            'container_format', 'min_ram', 'min_disk', 'tags')


def _read_only(key):
    return exception.Forbidden("Attribute '%s' is read-only." % key)


def _check_visibility(context, visibility, image=None):
    if visibility == 'public':
        policies.authorize(context, 'image:publicize', image)


def _split(values):
    """Client attributes -> (column values, properties)."""
    columns = {k: v for k, v in values.items() if k in _COLUMNS}
    props = {k: v for k, v in values.items()
             if k not in _COLUMNS and k != 'id'}
    return columns, props


class ImagesController:

    def index(self, req):
        params = req.params
        try:
            limit = int(params.get('limit', CONF.image.limit_param_default))
        except ValueError:
            raise exception.Invalid(reason='limit must be an integer.')
        if limit < 0:
            raise exception.Invalid(reason='limit must be positive.')
        limit = min(limit, CONF.api.max_limit)
        sort_key = params.get('sort_key', 'created_at')
        sort_dir = params.get('sort_dir', 'desc')
        if sort_key not in _SORT_KEYS or sort_dir not in ('asc', 'desc'):
            raise exception.Invalid(reason='Unsupported sort_key or '
                                           'sort_dir.')
        filters = {k: params[k] for k in _FILTERS if k in params}
        visibility = params.get('visibility')
        if visibility is not None:
            if visibility not in schemas.VISIBILITIES + ('all',):
                raise exception.Invalid(reason='Invalid visibility value: '
                                               '%s' % visibility)
            filters['visibility'] = visibility
        for flag in ('protected', 'os_hidden'):
            if flag in params:
                filters[flag] = params[flag].lower() == 'true'
        rows = db.get_all(req.context, filters, limit=limit,
                          marker=params.get('marker'), sort_key=sort_key,
                          sort_dir=sort_dir)
        result = {'images': [views.image(r) for r in rows],
                  'first': '/v2/images', 'schema': '/v2/schemas/images'}
        if rows and len(rows) == limit:
            query = [(k, v) for k, v in params.items() if k != 'marker']
            query.append(('marker', rows[-1]['id']))
            result['next'] = '/v2/images?' + urllib.parse.urlencode(query)
        return result

    def create(self, req):
        context = req.context
        values = req.json()
        for key in values:
            if key in views.READ_ONLY:
                raise _read_only(key)
        schemas.validate(values)
        if len(values) > len(schemas.WRITABLE) + schemas.MAX_PROPERTIES:
            raise exception.RequestTooLarge('Too many image properties.')
        owner = values.get('owner') or context.project_id
        if owner != context.project_id:
            policies.authorize(context, 'image:set_owner')
        visibility = values.get('visibility', 'shared')
        _check_visibility(context, visibility)
        columns, props = _split(values)
        columns.update({'id': values.get('id') or str(uuid.uuid4()),
                        'owner': owner, 'visibility': visibility,
                        'status': 'queued', 'properties': props,
                        'tags': list(dict.fromkeys(values.get('tags', [])))})
        row = db.create(columns)
        LOG.info('Image %s created by project %s', row['id'], owner)
        return 201, views.image(row), {
            'Location': '%s/v2/images/%s' % (req.application_url,
                                             row['id'])}

    def show(self, req, image_id):
        return views.image(db.get_image(req.context, image_id))

    def update(self, req, image_id):
        context = req.context
        ctype = (req.content_type or '').lower()
        if ctype not in PATCH_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(
                'Unsupported Content-Type: use %s' % PATCH_TYPES[0])
        ops = req_body.json_patch(req)
        image = db.get_image(context, image_id)
        policies.authorize(context, 'image:modify', image)
        view = views.image(image)
        props = dict(image.get('properties') or {})
        changed = {}
        for op in ops:
            key, value = _apply(op, view, props)
            changed[key] = value
        if 'visibility' in changed:
            _check_visibility(context, changed['visibility'], image)
        if 'owner' in changed and changed['owner'] != image['owner']:
            policies.authorize(context, 'image:set_owner')
        schemas.validate(view)
        if len(props) > schemas.MAX_PROPERTIES:
            raise exception.RequestTooLarge('Too many image properties.')
        columns = {k: view[k] for k in changed if k in _COLUMNS}
        if 'os_hidden' in changed:
            props['os_hidden'] = view['os_hidden']
        columns['properties'] = props
        row = db.update(context, image_id, columns)
        return views.image(row)

    def delete(self, req, image_id):
        context = req.context
        image = db.get_image(context, image_id)
        policies.authorize(context, 'image:delete', image)
        if image['protected']:
            raise exception.Forbidden('Image %s is protected and cannot be '
                                      'deleted.' % image_id)
        db.destroy(context, image_id)
        store.delete(image_id)
        LOG.info('Image %s deleted', image_id)
        return webob.Response(status=204)


def _apply(op, view, props):
    """Apply one JSON-patch operation to an image view and its properties.

    :returns: (attribute, new value or None when removed).
    """
    kind = op.get('op')
    path = op.get('path')
    if kind not in ('add', 'replace', 'remove') or \
            not isinstance(path, str) or not path.startswith('/') or \
            '/' in path[1:]:
        raise exception.Invalid(reason='Unsupported patch operation %s on '
                                       '%s.' % (kind, path))
    key = path[1:].replace('~1', '/').replace('~0', '~')
    if key in views.READ_ONLY or key == 'id':
        raise _read_only(key)
    if kind != 'remove' and 'value' not in op:
        raise exception.Invalid(reason='Operation %s needs a value.' % kind)
    core = key in schemas.WRITABLE
    if kind == 'remove':
        if core:
            raise exception.Forbidden("Attribute '%s' cannot be removed." %
                                      key)
        if key not in props:
            raise exception.Conflict(reason='Property %s does not exist.' %
                                     key)
        del props[key]
        view.pop(key, None)
        return key, None
    if kind == 'replace' and not core and key not in props:
        raise exception.Conflict(reason='Property %s does not exist.' % key)
    if not core:
        props[key] = op['value']
    view[key] = op['value']
    return key, op['value']
