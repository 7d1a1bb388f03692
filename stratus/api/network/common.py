"""Pieces every Neutron-style controller uses: faults, filters, times."""
import datetime
import uuid

import webob.exc

from stratus import exception
from stratus import policy

_NOT_FILTERS = {'fields', 'limit', 'marker', 'sort_key', 'sort_dir',
                'page_reverse'}


def fault_body(code, message):
    """Neutron style: ``{"NeutronError": {"type", "message", "detail"}}``."""
    title = webob.exc.status_map.get(code, webob.exc.HTTPServerError)
    return {'NeutronError': {'type': title.__name__, 'message': message,
                             'detail': ''}}


def is_admin(ctxt):
    return policy.check_is_admin(ctxt)


def require_admin(ctxt, action):
    if not is_admin(ctxt):
        raise exception.Forbidden(action=action)


def isotime(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat() + 'Z'
    return str(value)


def stamps(row):
    return {'created_at': isotime(row.get('created_at')),
            'updated_at': isotime(row.get('updated_at') or
                                  row.get('created_at')),
            'revision_number': 0, 'tags': []}


def subnet_id(network_uuid):
    """Each network has exactly one subnet; its id derives from the net's."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'subnet/' + network_uuid))


def _as_text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return '' if value is None else str(value)


def filter_and_shape(req, items):
    """Apply Neutron list semantics: ``?key=value`` filters (repeatable),
    ``fields=`` selection, ``limit``."""
    filters = {}
    for key, value in req.GET.items():
        if key not in _NOT_FILTERS:
            filters.setdefault(key, set()).add(value.lower()
                                               if value in ('True', 'False')
                                               else value)
    out = []
    for item in items:
        if all(key not in item or _as_text(item[key]) in values
               for key, values in filters.items()):
            out.append(item)
    fields = req.GET.getall('fields')
    if fields:
        keep = set(fields) | {'id'}
        out = [{k: v for k, v in item.items() if k in keep} for item in out]
    limit = req.GET.get('limit')
    if limit and limit.isdigit():
        out = out[:int(limit)]
    return out


def body_of(req, key):
    body = req.json()
    value = body.get(key)
    if not isinstance(value, dict):
        raise exception.Invalid(reason='Resource body required: %s' % key)
    return value
