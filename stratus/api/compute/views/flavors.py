"""Flavor representations."""
from stratus.api.compute import common


def basic(req, flavor):
    body = {'id': flavor['flavorid'], 'name': flavor['name'],
            'links': common.links(req, 'flavors', flavor['flavorid'])}
    if common.at_least(req, '2.55'):
        body['description'] = flavor.get('description')
    return body


def detail(req, flavor, show_extra_specs=False):
    body = basic(req, flavor)
    swap = flavor['swap'] or 0
    body.update({
        'ram': flavor['memory_mb'],
        'disk': flavor['root_gb'] or 0,
        'vcpus': flavor['vcpus'],
        'swap': swap if (swap or common.at_least(req, '2.75')) else '',
        'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral_gb'] or 0,
        'OS-FLV-DISABLED:disabled': bool(flavor['disabled']),
        'os-flavor-access:is_public': bool(flavor['is_public']),
        'rxtx_factor': flavor['rxtx_factor'] if flavor['rxtx_factor']
        is not None else 1.0,
    })
    if common.at_least(req, '2.61') and show_extra_specs:
        body['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return body


def bookmark(req, flavorid):
    return {'id': flavorid,
            'links': [{'rel': 'bookmark',
                       'href': '%s/flavors/%s' % (common.base_url(req),
                                                  flavorid)}]}
