"""EC2 over real processes: credentials from the stock CLI, the endpoint
from the catalog, then unmodified boto3 runs, describes, reads the console
of and terminates two instances; and the usual mistakes give their codes."""
import os
import time

import boto3
import botocore.exceptions
import pytest


@pytest.fixture(scope='module')
def ec2(fake_stack, tmp_path_factory):
    path = tmp_path_factory.mktemp('ec2image') / 'tiny.img'
    path.write_bytes(os.urandom(4096))
    image = fake_stack.openstack_json(
        'image', 'create', '--disk-format', 'raw', '--container-format',
        'bare', '--public', '--file', str(path), 'ec2-tiny', user='admin')
    cred = fake_stack.openstack_json('ec2', 'credentials', 'create')
    catalog = fake_stack.openstack_json('catalog', 'show', 'ec2')
    urls = {e['url'] for e in catalog['endpoints']}
    assert len(urls) == 1, catalog
    endpoint = urls.pop()
    assert endpoint.endswith(':%d/services/Cloud' % fake_stack.ports['ec2'])

    def client(secret=None):
        return boto3.client('ec2', endpoint_url=endpoint,
                            region_name='RegionOne',
                            aws_access_key_id=cred['access'],
                            aws_secret_access_key=secret or cred['secret'])
    yield client
    fake_stack.openstack('ec2', 'credentials', 'delete', cred['access'],
                         check=False)
    fake_stack.openstack('image', 'delete', image['id'], user='admin',
                         check=False)


def _wait(client, ids, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        found = {i['InstanceId']: i['State']['Name']
                 for r in client.describe_instances(InstanceIds=ids)[
                     'Reservations'] for i in r['Instances']}
        if len(found) == len(ids) and set(found.values()) == {wanted}:
            return
        assert time.monotonic() < deadline, '%s, not %s' % (found, wanted)
        # The same request within a second has the same signature (botocore
        # signs with one-second timestamps): the API refuses it as a replay.
        time.sleep(1.1)


def _code(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response['Error']['Code']


def test_boto3_runs_and_terminates_two_instances(ec2):
    client = ec2()
    client.create_key_pair(KeyName='ec2-int')
    ami = [i['ImageId'] for i in client.describe_images()['Images']
           if i['Name'] == 'ec2-tiny'][0]
    res = client.run_instances(ImageId=ami, InstanceType='m1.tiny',
                               MinCount=2, MaxCount=2, KeyName='ec2-int')
    ids = [i['InstanceId'] for i in res['Instances']]
    assert len(ids) == 2
    _wait(client, ids, 'running')
    out = client.get_console_output(InstanceId=ids[0])
    assert out['InstanceId'] == ids[0] and 'Output' in out
    client.terminate_instances(InstanceIds=ids)
    _wait(client, ids, 'terminated')
    client.delete_key_pair(KeyName='ec2-int')


def test_boto3_errors(ec2):
    client = ec2()
    assert _code(ec2(secret='wrong').describe_instances) == 'AuthFailure'
    assert _code(client.describe_instances,
                 InstanceIds=['i-7fffffff']) == 'InvalidInstanceID.NotFound'
    assert _code(client.run_instances, ImageId='ami-7fffffff', MinCount=1,
                 MaxCount=1, InstanceType='m1.tiny') == \
        'InvalidAMIID.NotFound'
    ami = client.describe_images()['Images'][0]['ImageId']
    assert _code(client.run_instances, ImageId=ami, MinCount=1, MaxCount=1,
                 InstanceType='no.such.type') == 'InvalidParameterValue'
