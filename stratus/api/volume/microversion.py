"""Block storage microversions: ``OpenStack-API-Version: volume 3.x``.

No header means 3.0 and ``latest`` the highest; the answer names the
version used. Every version gets the same bodies: the subset served here
changed no field the stock clients read across 3.0-3.71. The parsing and
headers are shared (``stratus.api.microversion``).
"""
from stratus.api import microversion as base

MIN_VERSION = (3, 0)
MAX_VERSION = (3, 71)
ENVIRON_KEY = 'stratus.volume.api_version'
SERVICE_TYPE = 'volume'

RANGE = base.VersionRange((SERVICE_TYPE, 'block-storage', 'volumev3'),
                          MIN_VERSION, MAX_VERSION, ENVIRON_KEY,
                          always_answer=True)
VersionNotAcceptable = base.VersionNotAcceptable
to_str = base.to_str
parse = RANGE.parse
from_headers = RANGE.from_headers
add_headers = RANGE.add_headers
