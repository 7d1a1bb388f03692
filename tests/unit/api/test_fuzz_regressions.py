"""500s the OpenAPI fuzz found (tests/functional/test_openapi_fuzz.py),
each answered with a 400-class fault now."""
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from stratus.api import wsgi
from stratus.api.compute import server_groups
from stratus.api.network import security_groups
from tests.fixtures.http import Http


class _Refusing:
    def find(self, req):
        # What psycopg raises for a NUL character in a text parameter.
        raise sa_exc.DataError('SELECT 1', {}, ValueError(
            'PostgreSQL text fields cannot contain NUL (0x00) bytes'))


def test_a_value_the_database_refuses_is_400_without_details():
    router = wsgi.Router('test')
    router.add('/things', 'GET', _Refusing(), 'find', public=True)
    resp = Http(router)('GET', '/things?name=%00')
    assert resp.status_int == 400
    assert resp.data['badRequest']['code'] == 400
    assert 'SELECT' not in resp.text and 'NUL' not in resp.text


class _Request:
    def __init__(self, body=None, query=None):
        self._body, self.GET = body, query or {}

    def json(self):
        return self._body


def test_security_group_text_fields_must_be_strings():
    ctrl = security_groups.SecurityGroupsController()
    for bad in ({'name': ['x']}, {'description': {'a': 1}},
                {'name': 'x' * 256}):
        req = _Request({'security_group': bad})
        try:
            ctrl.update(req, 'any-id')
        except Exception as e:
            assert getattr(e, 'code', None) == 400, (bad, e)
        else:
            raise AssertionError('%r accepted' % bad)


def test_server_group_offset_and_limit_fit_sql_integers(monkeypatch):
    seen = {}

    def get_all(project_id, limit=None, offset=None):
        seen.update(limit=limit, offset=offset)
        with sa.create_engine('sqlite://').connect() as conn:
            # Fails with OverflowError past SQLite's 64-bit integers.
            conn.execute(sa.text('SELECT 1 LIMIT :l OFFSET :o'),
                         {'l': limit, 'o': offset})
        return []

    monkeypatch.setattr(server_groups.groups_db, 'get_all', get_all)
    monkeypatch.setattr(server_groups.policy, 'authorize',
                        lambda *a, **k: None)

    class Ctxt:
        project_id, user_id = 'p', 'u'

    req = _Request(query={'limit': str(10 ** 40), 'offset': str(10 ** 40)})
    req.context = Ctxt()
    assert server_groups.ServerGroupsController().index(req) == {
        'server_groups': []}
    assert seen['limit'] <= 2 ** 63 - 1 and seen['offset'] <= 2 ** 63 - 1
