"""Block storage microversions: ``OpenStack-API-Version: volume 3.x``.

No header means 3.0 and ``latest`` the highest; the answer names the
version used. Every version gets the same bodies: the subset served here
changed no field the stock clients read across 3.0-3.71.
"""
import re

from stratus import exception

MIN_VERSION = (3, 0)
MAX_VERSION = (3, 71)
ENVIRON_KEY = 'stratus.volume.api_version'
SERVICE_TYPE = 'volume'
_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class VersionNotAcceptable(exception.StratusException):
    msg_fmt = ('Version %(version)s is not supported by the API. Minimum is '
               '%(min)s and maximum is %(max)s.')
    code = 406


def to_str(version):
    return '%d.%d' % version


def parse(text):
    text = text.strip()
    if text.lower() == 'latest':
        return MAX_VERSION
    match = _VERSION_RE.match(text)
    if not match:
        raise exception.Invalid(reason='API Version String %s is of invalid '
                                       'format. Must be of format '
                                       'MajorNum.MinorNum.' % text)
    version = (int(match.group(1)), int(match.group(2)))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise VersionNotAcceptable(version=text, min=to_str(MIN_VERSION),
                                   max=to_str(MAX_VERSION))
    return version


def from_headers(headers):
    """The requested version; the header may name several services."""
    value = headers.get('OpenStack-API-Version')
    if value:
        for item in value.split(','):
            parts = item.strip().split(None, 1)
            if len(parts) == 2 and parts[0].lower() in (
                    SERVICE_TYPE, 'block-storage', 'volumev3'):
                return parse(parts[1])
    return MIN_VERSION


def add_headers(req, resp):
    version = req.environ.get(ENVIRON_KEY) or MIN_VERSION
    resp.headers['OpenStack-API-Version'] = '%s %s' % (SERVICE_TYPE,
                                                       to_str(version))
    resp.headers['Vary'] = 'OpenStack-API-Version'
