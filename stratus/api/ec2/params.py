"""Reading EC2 query parameters (flattened ``Name.N.Field`` lists)."""
import re

from stratus.api.ec2 import errors

_INDEXED = re.compile(r'^(\d+)(?:\.(.*))?$')


def _indexed(params, prefix):
    """{index: {rest or '': value}} of ``prefix.N[.rest]`` parameters."""
    found = {}
    start = prefix + '.'
    for key, value in params.items():
        if not key.startswith(start):
            continue
        match = _INDEXED.match(key[len(start):])
        if match is None:
            raise errors.invalid_parameter('Malformed parameter %s' % key)
        found.setdefault(int(match.group(1)), {})[match.group(2) or ''] = \
            value
    return found


def get_list(params, prefix):
    """Values of ``prefix.1``, ``prefix.2``... in index order."""
    items = _indexed(params, prefix)
    return [items[i][''] for i in sorted(items) if '' in items[i]]


def get_structs(params, prefix):
    """``prefix.N.Field...`` as a list of {``Field...``: value} dicts in
    index order (nested lists stay flattened inside each dict)."""
    items = _indexed(params, prefix)
    return [{k: v for k, v in items[i].items() if k}
            for i in sorted(items)]


def get_filters(params):
    """``Filter.N.Name`` / ``Filter.N.Value.M`` as {name: [values]}.

    :raises: Ec2Error InvalidParameterValue for a filter without a name.
    """
    filters = {}
    for index, fields in sorted(_indexed(params, 'Filter').items()):
        name = fields.get('Name')
        if not name:
            raise errors.invalid_parameter('Filter.%d has no Name' % index)
        values = [fields[k] for k in sorted(
            (k for k in fields if k.startswith('Value.')),
            key=lambda k: int(k.split('.', 1)[1])
            if k.split('.', 1)[1].isdigit() else 0)]
        filters.setdefault(name, []).extend(values)
    return filters


def get_str(params, name, required=False, default=None):
    value = params.get(name)
    if value in (None, ''):
        if required:
            raise errors.missing_parameter(name)
        return default
    return value


def get_int(params, name, required=False, default=None, minimum=None):
    """:raises: Ec2Error for a missing or non-integer value."""
    value = get_str(params, name, required)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise errors.invalid_parameter('Value (%s) for parameter %s is '
                                       'invalid. Expected an integer.' %
                                       (value, name))
    if minimum is not None and number < minimum:
        raise errors.invalid_parameter('Value (%s) for parameter %s is '
                                       'invalid. Must be at least %d.' %
                                       (value, name, minimum))
    return number


def get_bool(params, name, default=False):
    value = get_str(params, name)
    if value is None:
        return default
    if value.lower() not in ('true', 'false'):
        raise errors.invalid_parameter('Value (%s) for parameter %s is '
                                       'invalid. Expected a boolean.' %
                                       (value, name))
    return value.lower() == 'true'
