"""Unmodified boto3 against the EC2 API on a loopback port, with every
daemon in this process (kombu+memory, fake driver): key pairs, two
instances run to ``running``, console output, terminate to
``terminated``, and the EC2 error codes of the usual mistakes."""
import contextlib
import functools
import time

import boto3
import botocore.exceptions
import pytest

from stratus.api import wsgi
from stratus.api.ec2 import app as ec2_app
from stratus.api.ec2 import auth as ec2_auth
from stratus.api.identity import router as identity_router
from stratus.api.image import router as image_router
from stratus.db import flavors
from stratus.db import models
from stratus.identity import bootstrap
from stratus.identity import tokens
from tests.fixtures import services
from tests.fixtures.http import Http
from tests.fixtures.http import password_token
from tests.functional import test_api_flow



def _token(identity, user, password, project):
    return password_token(identity, user, password, project)


def _ec2_credential(identity, token, info):
    resp = Http(identity.app, token)(
        'POST', '/v3/users/%s/credentials/OS-EC2' % info['user']['id'],
        {'tenant_id': info['project']['id']})
    assert resp.status_int == 201, resp.body
    return resp.data['credential']


def one_signature_a_second(signed_at, access, request, **kwargs):
    """botocore ``before-sign`` hook: send a request identical to an
    earlier one at least a second later.

    botocore's SigV4 timestamp has one-second steps, so the same request
    twice within a second (a poller, two AllocateAddress in a row) has
    the same signature, and the API refuses the second as a replay. A
    client repeating a request must wait; this does it for the tests.
    """
    key = (access, request.url, request.body)
    last = signed_at.get(key)
    if last is not None:
        time.sleep(max(0.0, last + 1.05 - time.monotonic()))
    signed_at[key] = time.monotonic()


@contextlib.contextmanager
def ec2_cloud(tmp_path, overrides=None, before_start=None):
    """An in-process cloud and its EC2 API on a loopback port.

    :param before_start: called once the database exists, before the
        daemons start (to add networks, floating pools...).
    :yields: (client factory, demo's token info, admin's token info);
        ``client(project='admin')`` signs with the admin project's key,
        ``client.endpoint`` and ``client.credentials`` (by project) serve
        hand-signed requests.
    """
    settings = {('identity', 'password_hash_rounds'): 1000}
    settings.update(overrides or {})
    services.configure(tmp_path, overrides=settings)
    tokens.invalidate_cache()
    ec2_auth.forget_tokens()
    bootstrap.bootstrap('admin-pw', 'demo-pw')
    flavors.ensure_defaults()
    if before_start is not None:
        before_start()
    running = services.Cloud(compute_hosts=('compute1',)).start()
    server = None
    try:
        services.wait_for(
            lambda: test_api_flow._count(models.ComputeNode) == 1)
        identity = Http(identity_router.create_router())
        admin_token, admin_info = _token(identity, 'admin', 'admin-pw',
                                         'admin')
        image = Http(image_router.create_router(), admin_token)
        resp = image('POST', '/v2/images', {
            'name': 'tiny', 'disk_format': 'qcow2',
            'container_format': 'bare', 'visibility': 'public'})
        image_id = resp.data['id']
        assert image('PUT', '/v2/images/%s/file' % image_id,
                     raw=b'x' * 4096,
                     ctype='application/octet-stream').status_int == 204
        demo_token, info = _token(identity, 'demo', 'demo-pw', 'demo')
        creds = {'demo': _ec2_credential(identity, demo_token, info),
                 'admin': _ec2_credential(identity, admin_token,
                                          admin_info)}
        server = wsgi.WSGIServer('ec2', ec2_app.create_app(), '127.0.0.1',
                                 0)
        server.start()
        endpoint = 'http://127.0.0.1:%d/services/Cloud' % server.port
        signed_at = {}

        def client(secret=None, access=None, project='demo'):
            # boto3's default configuration, as the acceptance check uses.
            ec2 = boto3.client(
                'ec2', endpoint_url=endpoint, region_name='RegionOne',
                aws_access_key_id=access or creds[project]['access'],
                aws_secret_access_key=secret or creds[project]['secret'])
            ec2.meta.events.register('before-sign.ec2', functools.partial(
                one_signature_a_second, signed_at, access or
                creds[project]['access']))
            return ec2
        client.endpoint, client.credentials = endpoint, creds
        yield client, info, admin_info
    finally:
        if server is not None:
            server.stop()
        running.stop()
        tokens.invalidate_cache()
        ec2_auth.forget_tokens()


@pytest.fixture
def cloud(tmp_path):
    with ec2_cloud(tmp_path) as (client, info, _admin):
        yield client, info


def key_material_public(private_pem):
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(private_pem.encode(), None)
    return key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)


def _states(ec2, instance_ids):
    found = {}
    for res in ec2.describe_instances(InstanceIds=instance_ids)[
            'Reservations']:
        for inst in res['Instances']:
            found[inst['InstanceId']] = inst['State']['Name']
    return found


def _wait_states(ec2, instance_ids, wanted, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        states = _states(ec2, instance_ids)
        if set(states.values()) == {wanted} and \
                len(states) == len(instance_ids):
            return states
        if time.monotonic() > deadline:
            raise AssertionError('%s are %s, not %s' % (instance_ids, states,
                                                        wanted))
        time.sleep(0.05)


def _code(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    return info.value.response['Error']['Code'], \
        info.value.response['ResponseMetadata']['HTTPStatusCode']


def test_run_describe_console_terminate(cloud):
    client, info = cloud
    ec2 = client()
    key = ec2.create_key_pair(KeyName='k1')
    assert key['KeyMaterial'].startswith('-----BEGIN RSA PRIVATE KEY')
    assert [k['KeyName'] for k in ec2.describe_key_pairs()['KeyPairs']] == \
        ['k1']
    images = ec2.describe_images()['Images']
    assert [i['ImageId'] for i in images] == ['ami-00000001']
    assert images[0]['State'] == 'available'
    zones = ec2.describe_availability_zones()['AvailabilityZones']
    assert [z['ZoneName'] for z in zones] == ['nova']

    res = ec2.run_instances(ImageId='ami-00000001', InstanceType='m1.tiny',
                            MinCount=2, MaxCount=2, KeyName='k1',
                            UserData='#!/bin/sh\necho hi\n')
    assert res['OwnerId'] == info['project']['id']
    ids = [i['InstanceId'] for i in res['Instances']]
    assert len(ids) == 2 and all(i.startswith('i-') for i in ids)
    assert [i['AmiLaunchIndex'] for i in res['Instances']] == [0, 1]
    _wait_states(ec2, ids, 'running')
    reservations = ec2.describe_instances(Filters=[
        {'Name': 'instance-state-name', 'Values': ['running']}])[
            'Reservations']
    assert len(reservations) == 1
    assert reservations[0]['ReservationId'] == res['ReservationId']
    first = reservations[0]['Instances'][0]
    assert first['InstanceType'] == 'm1.tiny'
    assert first['KeyName'] == 'k1'
    assert first['ImageId'] == 'ami-00000001'

    out = ec2.get_console_output(InstanceId=ids[0])
    assert out['InstanceId'] == ids[0]
    assert out['Output'].startswith('fake console of ')

    stopping = ec2.stop_instances(InstanceIds=ids[1:])['StoppingInstances']
    assert stopping[0]['PreviousState']['Name'] == 'running'
    _wait_states(ec2, ids[1:], 'stopped')
    assert _code(ec2.stop_instances, InstanceIds=ids[1:]) == \
        ('IncorrectInstanceState', 400)
    ec2.start_instances(InstanceIds=ids[1:])
    _wait_states(ec2, ids, 'running')
    ec2.reboot_instances(InstanceIds=ids[:1])
    _wait_states(ec2, ids, 'running')

    changes = ec2.terminate_instances(InstanceIds=ids)['TerminatingInstances']
    assert {c['PreviousState']['Name'] for c in changes} == {'running'}
    _wait_states(ec2, ids, 'terminated')
    # Terminated instances stay visible, and terminating again is harmless.
    again = ec2.terminate_instances(InstanceIds=ids[:1])
    assert again['TerminatingInstances'][0]['CurrentState']['Name'] == \
        'terminated'
    only = ec2.describe_instances(Filters=[
        {'Name': 'instance-id', 'Values': [ids[1]]}])['Reservations']
    assert [i['InstanceId'] for r in only for i in r['Instances']] == \
        [ids[1]]
    ec2.delete_key_pair(KeyName='k1')
    public = key_material_public(key['KeyMaterial'])
    imported = ec2.import_key_pair(KeyName='k2', PublicKeyMaterial=public)
    assert [k['KeyFingerprint'] for k in ec2.describe_key_pairs()[
        'KeyPairs']] == [imported['KeyFingerprint']]


def test_errors_have_ec2_codes(cloud):
    client, info = cloud
    ec2 = client()
    assert _code(client(secret='wrong').describe_instances) == \
        ('AuthFailure', 401)
    assert _code(client(access='nobody').describe_instances) == \
        ('AuthFailure', 401)
    assert _code(ec2.describe_instances, InstanceIds=['i-0000beef']) == \
        ('InvalidInstanceID.NotFound', 400)
    assert _code(ec2.terminate_instances, InstanceIds=['i-0000beef']) == \
        ('InvalidInstanceID.NotFound', 400)
    assert _code(ec2.run_instances, ImageId='ami-0000beef', MinCount=1,
                 MaxCount=1, InstanceType='m1.tiny') == \
        ('InvalidAMIID.NotFound', 400)
    assert _code(ec2.run_instances, ImageId='ami-00000001', MinCount=1,
                 MaxCount=1, InstanceType='m9.huge') == \
        ('InvalidParameterValue', 400)
    assert _code(ec2.run_instances, ImageId='ami-00000001', MinCount=1,
                 MaxCount=1, InstanceType='m1.tiny', KeyName='nokey') == \
        ('InvalidKeyPair.NotFound', 400)
    assert _code(ec2.describe_volumes, VolumeIds=['vol-0000beef']) == \
        ('InvalidVolume.NotFound', 400)
    ec2.describe_images()  # gives the image its ami id
    assert ec2.describe_instances()['Reservations'] == []
