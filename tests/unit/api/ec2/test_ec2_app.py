"""The EC2 WSGI application: authentication, the action table, errors,
and the XML it answers parsed by botocore's own EC2 parser."""
import datetime
import urllib.parse
from xml.etree import ElementTree

import botocore.session
import pytest
from botocore import auth as bc_auth
from botocore import awsrequest
from botocore import credentials
from botocore import parsers

from stratus.api.ec2 import app as ec2_app
from stratus.api.ec2 import auth as ec2_auth
from stratus.api.ec2 import errors
from stratus.api.ec2 import instance_views
from stratus.api.ec2 import params as ec2_params
from stratus.api.ec2 import render
from stratus.api import wsgi
from stratus.db import ec2 as ec2_db
from tests.fixtures.identity import cloud_ids  # noqa: F401

URL = 'http://localhost/services/Cloud/'
_MODEL = botocore.session.get_session().get_service_model('ec2')


def _parse(action, status, body):
    shape = _MODEL.operation_model(action).output_shape
    return parsers.create_parser('ec2').parse(
        {'body': body, 'headers': {}, 'status_code': status}, shape)


@pytest.fixture
def cred(cloud_ids):
    ec2_auth.forget_tokens()
    yield ec2_db.credential_create({
        'access': 'ak', 'secret': 'sk',
        'user_id': cloud_ids['users']['demo'],
        'project_id': cloud_ids['projects']['demo']})
    ec2_auth.forget_tokens()


class FakeCompute:
    def __init__(self):
        self.keypairs = []

    def get_keypairs(self, ctxt, user_id):
        self.caller = ctxt
        return self.keypairs


def _call(app, form, access='ak', secret='sk', sign=True):
    body = urllib.parse.urlencode(form)
    request = awsrequest.AWSRequest(
        method='POST', url=URL, data=body,
        headers={'Content-Type': 'application/x-www-form-urlencoded'})
    if sign:
        bc_auth.SigV4Auth(credentials.Credentials(access, secret), 'ec2',
                          'RegionOne').add_auth(request)
    req = wsgi.Request.blank('/services/Cloud/', method='POST',
                             body=body.encode())
    for key, value in request.headers.items():
        req.headers[key] = value
    req.headers['Host'] = 'localhost'
    return req.get_response(app)


def _error(resp):
    parsed = _parse('DescribeInstances', resp.status_int, resp.body)
    return resp.status_int, parsed['Error']['Code']


def test_signed_request_runs_as_the_credential_owner(cred):
    compute = FakeCompute()
    resp = _call(ec2_app.Ec2Application(compute),
                 {'Action': 'DescribeKeyPairs', 'Version': '2016-11-15'})
    assert resp.status_int == 200, resp.body
    assert resp.content_type == 'text/xml'
    root = ElementTree.fromstring(resp.body)
    assert root.tag == '{http://ec2.amazonaws.com/doc/2016-11-15/}' \
                       'DescribeKeyPairsResponse'
    assert compute.caller.user_id == cred['user_id']
    assert compute.caller.project_id == cred['project_id']
    assert sorted(compute.caller.roles) == ['member', 'reader']
    # Downstream daemons get a real token of that user and project.
    assert compute.caller.auth_token


@pytest.mark.parametrize('kwargs', [
    {'secret': 'wrong'}, {'access': 'unknown'}, {'sign': False}])
def test_bad_credentials_are_auth_failure(cred, kwargs):
    compute = FakeCompute()
    resp = _call(ec2_app.Ec2Application(compute),
                 {'Action': 'DescribeKeyPairs'}, **kwargs)
    assert _error(resp) == (401, 'AuthFailure')
    assert not hasattr(compute, 'caller')


def test_expired_timestamp_is_auth_failure(cred, monkeypatch):
    later = datetime.datetime.utcnow() + datetime.timedelta(hours=1)
    monkeypatch.setattr(ec2_auth.models, 'utcnow', lambda: later)
    resp = _call(ec2_app.Ec2Application(FakeCompute()),
                 {'Action': 'DescribeKeyPairs'})
    assert _error(resp) == (401, 'AuthFailure')
    assert b'expired' in resp.body


def test_unknown_and_missing_action(cred):
    app = ec2_app.Ec2Application(FakeCompute())
    assert _error(_call(app, {'Action': 'FlyToTheMoon'})) == \
        (400, 'InvalidAction')
    assert _error(_call(app, {'Version': '2016-11-15'})) == \
        (400, 'MissingParameter')


def test_volume_address_and_group_actions_are_served():
    for action in ('CreateVolume', 'DescribeVolumes', 'AttachVolume',
                   'DetachVolume', 'DeleteVolume', 'AllocateAddress',
                   'DescribeAddresses', 'AssociateAddress',
                   'DisassociateAddress', 'ReleaseAddress',
                   'CreateSecurityGroup', 'DescribeSecurityGroups',
                   'AuthorizeSecurityGroupIngress',
                   'RevokeSecurityGroupIngress', 'DeleteSecurityGroup'):
        assert callable(ec2_app.ACTIONS[action])


def test_handler_bug_is_internal_error_without_details(cred):
    def broken(compute, ctxt, params):
        raise RuntimeError('secret detail')
    app = ec2_app.Ec2Application(FakeCompute(), {'Boom': broken})
    resp = _call(app, {'Action': 'Boom'})
    assert resp.status_int == 500
    assert b'secret detail' not in resp.body


def test_response_shapes_parse_with_botocore():
    inst = {'id': 10, 'uuid': 'u1', 'project_id': 'p', 'user_id': 'u',
            'vm_state': 'active', 'task_state': None, 'deleted': 0,
            'image_ref': 'img', 'flavor': {'name': 'm1.tiny'},
            'key_name': 'k', 'launch_index': 0, 'hostname': 'h',
            'reservation_id': 'r-abc', 'availability_zone': None,
            'launched_at': datetime.datetime(2026, 1, 2, 3, 4, 5, 678000),
            'created_at': datetime.datetime(2026, 1, 2),
            'security_groups': ['default'],
            'network_info': [{'network': {'label': 'private'},
                              'address': 'fa:16:3e:00:00:01',
                              'ips': [{'address': '10.0.0.3'}]}]}
    body = {'reservationSet': instance_views.reservations([inst],
                                                          {'img': 1})}
    parsed = _parse('DescribeInstances', 200,
                    render.response('DescribeInstances', 'req-1', body))
    res = parsed['Reservations'][0]
    assert res['ReservationId'] == 'r-abc' and res['OwnerId'] == 'p'
    got = res['Instances'][0]
    assert got['InstanceId'] == 'i-0000000a'
    assert got['ImageId'] == 'ami-00000001'
    assert got['State'] == {'Code': 16, 'Name': 'running'}
    assert got['PrivateIpAddress'] == '10.0.0.3'
    assert got['LaunchTime'].microsecond == 678000
    assert got['SecurityGroups'] == [{'GroupName': 'default'}]
    assert parsed['ResponseMetadata']['RequestId'] == 'req-1'


def test_error_document_shape():
    root = ElementTree.fromstring(render.error('AuthFailure', 'no', 'r1'))
    assert [e.tag for e in root] == ['Errors', 'RequestID']
    assert root.find('Errors/Error/Code').text == 'AuthFailure'
    assert root.find('Errors/Error/Message').text == 'no'


@pytest.mark.parametrize('vm,task,deleted,name', [
    ('building', 'scheduling', 0, 'pending'),
    ('active', None, 0, 'running'),
    ('active', 'rebooting', 0, 'running'),
    ('active', 'powering-off', 0, 'stopping'),
    ('stopped', None, 0, 'stopped'),
    ('stopped', 'powering-on', 0, 'pending'),
    ('active', 'deleting', 0, 'shutting-down'),
    ('deleted', None, 7, 'terminated'),
    ('error', None, 0, 'stopped'),
])
def test_state_mapping(vm, task, deleted, name):
    state = instance_views.state({'vm_state': vm, 'task_state': task,
                                  'deleted': deleted})
    assert state[1] == name
    assert state[1] in instance_views.STATE_NAMES


def test_flattened_parameters():
    params = {'InstanceId.2': 'i-2', 'InstanceId.1': 'i-1',
              'Filter.1.Name': 'instance-state-name',
              'Filter.1.Value.1': 'running', 'Filter.1.Value.2': 'stopped',
              'MinCount': 'x'}
    assert ec2_params.get_list(params, 'InstanceId') == ['i-1', 'i-2']
    assert ec2_params.get_filters(params) == {
        'instance-state-name': ['running', 'stopped']}
    with pytest.raises(errors.Ec2Error) as info:
        ec2_params.get_int(params, 'MinCount')
    assert info.value.code == 'InvalidParameterValue'
    with pytest.raises(errors.Ec2Error) as info:
        ec2_params.get_filters({'Filter.1.Value.1': 'x'})
    assert info.value.code == 'InvalidParameterValue'


def test_catalog_and_api_daemon_serve_ec2(flags):
    from stratus.api import service
    from stratus.identity import catalog
    flags(group='api', ec2_port=18773, public_host='127.0.0.9')
    entries = {e['type']: e for e in catalog.build_catalog()}
    assert {ep['url'] for ep in entries['ec2']['endpoints']} == {
        'http://127.0.0.9:18773/services/Cloud'}
    apps = {name: (app, port) for name, app, port in service.build_apps()}
    assert isinstance(apps['ec2'][0], ec2_app.Ec2Application)
    assert apps['ec2'][1] == 18773
