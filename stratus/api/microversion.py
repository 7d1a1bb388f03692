"""Microversions shared by the APIs that have them (compute, volume).

A request names its version in ``OpenStack-API-Version: <service> X.Y``
(and, for compute, the legacy ``X-OpenStack-Nova-API-Version``); no header
means the minimum, ``latest`` the maximum. The answer names the version
used.
"""
import re

from stratus import exception

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class VersionNotAcceptable(exception.StratusException):
    msg_fmt = ('Version %(version)s is not supported by the API. Minimum is '
               '%(min)s and maximum is %(max)s.')
    code = 406


def to_str(version):
    return '%d.%d' % version


class VersionRange:
    """One API's supported versions and how its headers name them.

    :param service_types: names accepted in ``OpenStack-API-Version``; the
        first is the one answered with.
    :param legacy_header: an older header carrying the bare version.
    :param always_answer: name the minimum version even on answers given
        before the request's version was read (a 400/406 on the header).
    """

    def __init__(self, service_types, min_version, max_version, environ_key,
                 legacy_header=None, always_answer=False):
        self.service_types = tuple(service_types)
        self.min_version = min_version
        self.max_version = max_version
        self.environ_key = environ_key
        self.legacy_header = legacy_header
        self.always_answer = always_answer

    def parse(self, text):
        """``'2.47'`` -> ``(2, 47)``; ``latest`` -> the maximum.

        :raises: Invalid (400) for a malformed string, VersionNotAcceptable.
        """
        text = text.strip()
        if text.lower() == 'latest':
            return self.max_version
        match = _VERSION_RE.match(text)
        if not match:
            raise exception.Invalid(
                reason='API Version String %s is of invalid format. Must '
                       'be of format MajorNum.MinorNum.' % text)
        version = (int(match.group(1)), int(match.group(2)))
        if not self.min_version <= version <= self.max_version:
            raise VersionNotAcceptable(version=text,
                                       min=to_str(self.min_version),
                                       max=to_str(self.max_version))
        return version

    def from_headers(self, headers):
        """The version a request asks for (the minimum when none)."""
        value = headers.get('OpenStack-API-Version')
        if value:
            for item in value.split(','):
                parts = item.strip().split(None, 1)
                if len(parts) == 2 and \
                        parts[0].lower() in self.service_types:
                    return self.parse(parts[1])
        if self.legacy_header:
            value = headers.get(self.legacy_header)
            if value:
                return self.parse(value)
        return self.min_version

    def of(self, req):
        return req.environ.get(self.environ_key, self.min_version)

    def at_least(self, req, text):
        """True when the request's version is ``text`` ('2.47') or later."""
        major, minor = text.split('.')
        return self.of(req) >= (int(major), int(minor))

    def add_headers(self, req, resp):
        """Router hook: name the version used on every answer."""
        version = req.environ.get(self.environ_key)
        if version is None:
            if not self.always_answer:
                return
            version = self.min_version
        resp.headers['OpenStack-API-Version'] = '%s %s' % (
            self.service_types[0], to_str(version))
        vary = ['OpenStack-API-Version']
        if self.legacy_header:
            resp.headers[self.legacy_header] = to_str(version)
            vary.append(self.legacy_header)
        resp.headers['Vary'] = ', '.join(vary)
