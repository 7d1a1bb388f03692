"""Helpers shared by the compute API controllers and views."""
import urllib.parse

from stratus import conf
from stratus import exception
from stratus.api import schemas
from stratus.api.compute import microversion
from stratus.compute import task_states
from stratus.compute import vm_states

CONF = conf.CONF

# (vm_state -> {task_state: status}) as Nova's common.status_from_state.
_STATE_MAP = {
    vm_states.ACTIVE: {
        'default': 'ACTIVE',
        task_states.REBOOTING: 'REBOOT',
        'reboot_pending': 'REBOOT',
        'reboot_started': 'REBOOT',
        'rebooting_hard': 'HARD_REBOOT',
        'reboot_pending_hard': 'HARD_REBOOT',
        'reboot_started_hard': 'HARD_REBOOT',
        'updating_password': 'PASSWORD',
        'rebuilding': 'REBUILD',
        'rebuild_block_device_mapping': 'REBUILD',
        'rebuild_spawning': 'REBUILD',
        'migrating': 'MIGRATING',
        'resize_prep': 'RESIZE',
        'resize_migrating': 'RESIZE',
        'resize_migrated': 'RESIZE',
        'resize_finish': 'RESIZE',
    },
    vm_states.BUILDING: {'default': 'BUILD'},
    vm_states.STOPPED: {
        'default': 'SHUTOFF',
        'resize_prep': 'RESIZE',
        'resize_migrating': 'RESIZE',
        'resize_migrated': 'RESIZE',
        'resize_finish': 'RESIZE',
        'rebuilding': 'REBUILD',
        'rebuild_block_device_mapping': 'REBUILD',
        'rebuild_spawning': 'REBUILD',
    },
    'resized': {'default': 'VERIFY_RESIZE',
                'resize_reverting': 'REVERT_RESIZE'},
    'paused': {'default': 'PAUSED', 'migrating': 'MIGRATING'},
    'suspended': {'default': 'SUSPENDED'},
    'rescued': {'default': 'RESCUE'},
    vm_states.ERROR: {'default': 'ERROR', 'rebuilding': 'REBUILD',
                      'rebuild_block_device_mapping': 'REBUILD',
                      'rebuild_spawning': 'REBUILD'},
    vm_states.DELETED: {'default': 'DELETED'},
    'soft-delete': {'default': 'SOFT_DELETED'},
    'shelved': {'default': 'SHELVED'},
    'shelved_offloaded': {'default': 'SHELVED_OFFLOADED'},
}

PROGRESS_STATUSES = ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE',
                     'VERIFY_RESIZE', 'MIGRATING')

def status_from_state(vm_state, task_state=None):
    """The API status of an instance (UNKNOWN for unmapped states)."""
    task_map = _STATE_MAP.get(vm_state, {'default': 'UNKNOWN'})
    return task_map.get(task_state, task_map['default'])


def vm_states_for_status(status):
    """vm_states whose instances may show ``status`` (may be empty)."""
    status = status.upper()
    return [vm for vm, tasks in _STATE_MAP.items()
            if status in tasks.values()]


def validate(schema, body):
    schemas.validate(schema, body)


def get_limit_marker(req):
    """``limit`` (capped by [api] max_limit) and ``marker`` of a list.

    :raises: Invalid for a limit that is not a non-negative integer.
    """
    limit = req.GET.get('limit')
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise exception.Invalid(reason='limit param must be an integer')
        if limit < 0:
            raise exception.Invalid(reason='limit param must be positive')
        limit = min(limit, CONF.api.max_limit)
    else:
        limit = CONF.api.max_limit
    marker = req.GET.get('marker')
    return limit, marker


def positive_int(value, field, minimum=1):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exception.ValidationError(field=field,
                                        reason='Must be an integer.')
    if number < minimum:
        raise exception.ValidationError(
            field=field, reason='Must be at least %d.' % minimum)
    return number


def base_url(req):
    """``http://host:8774`` (plus any mount prefix); computed once a
    request (webob quotes it anew on every access: 40 us)."""
    url = req.environ.get('stratus.base_url')
    if url is None:
        url = req.environ['stratus.base_url'] = req.application_url
    return url


def api_url(req):
    return base_url(req) + '/v2.1'


def links(req, collection, item_id):
    return [{'rel': 'self',
             'href': '%s/%s/%s' % (api_url(req), collection, item_id)},
            {'rel': 'bookmark',
             'href': '%s/%s/%s' % (base_url(req), collection, item_id)}]


def next_link(req, collection, items, limit, id_key='id'):
    """``[{rel: next, href}]`` when the page is full, else ``[]``."""
    if not items or limit is None or len(items) < limit:
        return []
    params = [(k, v) for k, v in req.GET.items() if k != 'marker']
    params.append(('marker', items[-1][id_key]))
    query = urllib.parse.urlencode(params)
    return [{'rel': 'next',
             'href': '%s/%s?%s' % (api_url(req), collection, query)}]


def isotime(value):
    """``2024-05-01T12:00:00Z`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def isotime_us(value):
    """``2024-05-01T12:00:00.000000`` as Nova prints action times."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f')


def at_least(req, text):
    return microversion.at_least(req, text)
