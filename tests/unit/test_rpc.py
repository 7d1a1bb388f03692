import datetime

from stratus import context
from stratus import rpc


def test_serializer_round_trips_datetimes_and_context():
    ser = rpc.RequestContextSerializer()
    now = datetime.datetime(2026, 11, 22, 4, 5, 6, 7)
    entity = {'a': [now, {'b': now}], 'c': 1, 'd': None}
    wire = ser.serialize_entity(None, entity)
    assert wire['a'][0] == {'__datetime__': now.isoformat()}
    assert ser.deserialize_entity(None, wire) == entity
    ctxt = context.RequestContext(user_id='u', project_id='p',
                                  roles=['member'], user_name='demo')
    back = ser.deserialize_context(ser.serialize_context(ctxt))
    assert (back.user_id, back.project_id, back.roles, back.request_id,
            back.user_name) == ('u', 'p', ['member'], ctxt.request_id,
                                'demo')
