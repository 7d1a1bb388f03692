"""Compute API microversions: ``OpenStack-API-Version: compute 2.x`` or
the legacy ``X-OpenStack-Nova-API-Version: 2.x``; 2.1 without a header.
The parsing and headers are shared (``stratus.api.microversion``)."""
from stratus.api import microversion as base

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 79)
ENVIRON_KEY = 'stratus.compute.api_version'
SERVICE_TYPE = 'compute'

RANGE = base.VersionRange((SERVICE_TYPE,), MIN_VERSION, MAX_VERSION,
                          ENVIRON_KEY,
                          legacy_header='X-OpenStack-Nova-API-Version')
VersionNotAcceptable = base.VersionNotAcceptable
to_str = base.to_str
parse = RANGE.parse
from_headers = RANGE.from_headers
of = RANGE.of
at_least = RANGE.at_least
add_headers = RANGE.add_headers
