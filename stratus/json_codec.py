"""Fast JSON for the two hot paths: API response bodies and the JSON
columns read back from SQLite.

orjson encodes a 1,000-server page and decodes a row's JSON columns
several times faster than the standard library; whatever it refuses
(integers beyond 64 bits, NaN written by an older release) goes through
``json`` as before, so nothing that used to work stops working.
"""
import json

import orjson

# datetime goes through ``default`` as it did with json (our isoformat, not
# orjson's RFC 3339 variant); non-string keys become strings as json makes
# them.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(value, default=None):
    """``value`` as JSON bytes (UTF-8, compact)."""
    try:
        return orjson.dumps(value, default=default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(value, default=default).encode()


def loads(text):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
