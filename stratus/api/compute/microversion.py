"""Compute API microversions: parsing the request headers, comparing.

A request names its version in ``OpenStack-API-Version: compute 2.x`` or
the legacy ``X-OpenStack-Nova-API-Version: 2.x``; no header means 2.1,
``latest`` means the highest. The answer carries the version used.
"""
import re

from stratus import exception

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 79)
ENVIRON_KEY = 'stratus.compute.api_version'
SERVICE_TYPE = 'compute'

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class VersionNotAcceptable(exception.StratusException):
    msg_fmt = ('Version %(version)s is not supported by the API. Minimum is '
               '%(min)s and maximum is %(max)s.')
    code = 406


def to_str(version):
    return '%d.%d' % version


def parse(text):
    """``'2.47'`` -> ``(2, 47)``; ``latest`` -> the maximum.

    :raises: Invalid (400) for a malformed string, VersionNotAcceptable.
    """
    text = text.strip()
    if text.lower() == 'latest':
        return MAX_VERSION
    match = _VERSION_RE.match(text)
    if not match:
        raise exception.Invalid(
            reason='API Version String %s is of invalid format. Must be of '
                   'format MajorNum.MinorNum.' % text)
    version = (int(match.group(1)), int(match.group(2)))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise VersionNotAcceptable(version=text, min=to_str(MIN_VERSION),
                                   max=to_str(MAX_VERSION))
    return version


def from_headers(headers):
    """The version a request asks for (2.1 when it names none)."""
    value = headers.get('OpenStack-API-Version')
    if value:
        for item in value.split(','):
            parts = item.strip().split(None, 1)
            if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
                return parse(parts[1])
    value = headers.get('X-OpenStack-Nova-API-Version')
    if value:
        return parse(value)
    return MIN_VERSION


def of(req):
    return req.environ.get(ENVIRON_KEY, MIN_VERSION)


def at_least(req, text):
    """True when the request's version is ``text`` ('2.47') or later."""
    major, minor = text.split('.')
    return of(req) >= (int(major), int(minor))


def add_headers(req, resp):
    """Router hook: echo the version used on every compute answer."""
    version = req.environ.get(ENVIRON_KEY)
    if version is None:
        return
    resp.headers['OpenStack-API-Version'] = '%s %s' % (SERVICE_TYPE,
                                                       to_str(version))
    resp.headers['X-OpenStack-Nova-API-Version'] = to_str(version)
    resp.headers['Vary'] = ('OpenStack-API-Version, '
                            'X-OpenStack-Nova-API-Version')
