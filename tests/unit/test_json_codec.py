"""stratus.json_codec: orjson where it can, json where it refuses."""
import datetime
import json

import pytest

from stratus import json_codec
from stratus.api import wsgi


def test_dumps_matches_json_for_what_responses_hold():
    body = {'server': {'name': 'caf\u00e9', 'id': 7, 'ok': True, 'x': None,
                       'ratio': 1.5, 'list': [1, 'a', {'b': []}],
                       'when': datetime.datetime(2025, 1, 2, 3, 4, 5)},
            3: 'int key'}
    got = json_codec.dumps(body, default=wsgi._json_default)
    assert isinstance(got, bytes)
    assert json.loads(got) == json.loads(json.dumps(
        body, default=wsgi._json_default))
    # Our isoformat for datetimes, not orjson's own format.
    assert json.loads(got)['server']['when'] == '2025-01-02T03:04:05'


def test_dumps_falls_back_for_what_orjson_refuses():
    assert json.loads(json_codec.dumps({'n': 2 ** 70})) == {'n': 2 ** 70}
    with pytest.raises(TypeError):
        json_codec.dumps({'x': object()})


def test_loads_falls_back_for_what_orjson_refuses():
    assert json_codec.loads('{"a": [1, "b"]}') == {'a': [1, 'b']}
    assert json_codec.loads(b'[true, null]') == [True, None]
    assert json_codec.loads('{"n": %d}' % 2 ** 70) == {'n': 2 ** 70}
    nan = json_codec.loads('[NaN]')[0]
    assert nan != nan
    with pytest.raises(ValueError):
        json_codec.loads('{not json')
