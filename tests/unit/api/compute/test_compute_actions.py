"""Server actions, console output and os-instance-actions."""
import pytest

from stratus.db import instances as instances_db
from tests.fixtures import compute_api as fixtures
from tests.fixtures.compute_api import set_instance

env = pytest.fixture(fixtures.compute_env, name='env')


def _act(env, sid, body, client=None, **kw):
    return (client or env.member).post('/servers/%s/action' % sid, body,
                                       **kw)


@pytest.fixture
def active(env):
    sid = env.boot_ok()
    set_instance(sid, host='h1', vm_state='active', task_state=None,
                 power_state=1)
    return sid


def test_reboot_soft_and_hard(env, active):
    resp = _act(env, active, {'reboot': {'type': 'SOFT'}})
    assert resp.status_int == 202
    assert instances_db.get(active)['task_state'] == 'rebooting'
    shown = env.member.get('/servers/' + active).json_body_or_none
    assert shown['server']['status'] == 'REBOOT'
    # A second soft reboot conflicts; a hard one may take over.
    assert _act(env, active, {'reboot': {'type': 'SOFT'}}).status_int == 409
    assert _act(env, active, {'reboot': {'type': 'hard'}}).status_int == 202
    shown = env.member.get('/servers/' + active).json_body_or_none
    assert shown['server']['status'] == 'HARD_REBOOT'
    assert env.compute.casts == [
        ('reboot_instance', 'h1', active, 'SOFT'),
        ('reboot_instance', 'h1', active, 'HARD')]


def test_stop_start_state_checks(env, active):
    assert _act(env, active, {'os-start': None}).status_int == 409
    assert _act(env, active, {'os-stop': None}).status_int == 202
    assert _act(env, active, {'os-stop': None}).status_int == 409
    set_instance(active, vm_state='stopped', task_state=None,
                 power_state=4)
    shown = env.member.get('/servers/' + active).json_body_or_none
    assert shown['server']['status'] == 'SHUTOFF'
    assert _act(env, active, {'reboot': {'type': 'SOFT'}}).status_int == 409
    resp = _act(env, active, {'os-start': None})
    assert resp.status_int == 202
    fault = _act(env, active, {'os-start': None}).json_body_or_none
    assert fault['conflictingRequest']['code'] == 409
    assert [c[0] for c in env.compute.casts] == ['stop_instance',
                                                 'start_instance']


def test_building_instance_cannot_act(env):
    sid = env.boot_ok()
    for body in ({'os-stop': None}, {'reboot': {'type': 'HARD'}},
                 {'os-getConsoleOutput': {}}):
        assert _act(env, sid, body).status_int == 409
    assert env.compute.casts == []


def test_console_output(env, active):
    resp = _act(env, active, {'os-getConsoleOutput': {'length': '5'}})
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'output': 'line1\nline2\n'}
    _act(env, active, {'os-getConsoleOutput': {'length': -1}})
    _act(env, active, {'os-getConsoleOutput': {}})
    assert [c[3] for c in env.compute.casts] == [5, None, None]
    bad = _act(env, active, {'os-getConsoleOutput': {'length': 'x'}})
    assert bad.status_int == 400


@pytest.mark.parametrize('body', [
    {'reboot': {'type': 'WARM'}}, {'reboot': {}}, {'explode': {}},
    {'os-stop': None, 'os-start': None}, {}])
def test_bad_action_bodies(env, active, body):
    assert _act(env, active, body).status_int == 400
    assert env.compute.casts == []
    assert instances_db.get(active)['task_state'] is None


def test_reader_cannot_act(env, active):
    reader = type(env.member)(env.app, roles='reader')
    assert _act(env, active, {'os-stop': None}, client=reader).status_int \
        == 403


def test_instance_actions(env, active):
    _act(env, active, {'os-stop': None})
    resp = env.member.get('/servers/%s/os-instance-actions' % active)
    assert resp.status_int == 200
    actions = resp.json_body_or_none['instanceActions']
    assert [a['action'] for a in actions] == ['stop', 'create']
    assert 'updated_at' not in actions[0]
    req_id = actions[1]['request_id']
    instances_db.event_start(active, req_id, 'compute_spawn', host='h1')
    instances_db.event_finish(active, req_id, 'compute_spawn',
                              result='Error', traceback='Traceback: x')
    path = '/servers/%s/os-instance-actions/%s' % (active, req_id)
    old = env.member.get(path).json_body_or_none['instanceAction']
    assert old['action'] == 'create' and 'events' not in old
    new = env.member.get(path, version='2.62').json_body_or_none
    event = new['instanceAction']['events'][0]
    assert event['event'] == 'compute_spawn' and event['result'] == 'Error'
    assert 'traceback' not in event and 'host' not in event
    assert event['hostId']
    admin = env.admin.get(path, version='2.62').json_body_or_none
    event = admin['instanceAction']['events'][0]
    assert event['traceback'] == 'Traceback: x' and event['host'] == 'h1'
    assert env.member.get('/servers/%s/os-instance-actions/req-nope' %
                          active).status_int == 404
    paged = env.member.get('/servers/%s/os-instance-actions?limit=1' %
                           active, version='2.58').json_body_or_none
    assert len(paged['instanceActions']) == 1 and paged['links']
    assert 'updated_at' in paged['instanceActions'][0]


def test_actions_of_deleted_server_from_2_21(env):
    sid = env.boot_ok()
    assert env.member.delete('/servers/' + sid).status_int == 204
    path = '/servers/%s/os-instance-actions' % sid
    assert env.member.get(path).status_int == 404
    resp = env.member.get(path, version='2.21')
    assert resp.status_int == 200
    names = [a['action'] for a in resp.json_body_or_none['instanceActions']]
    assert sorted(names) == ['create', 'delete']
