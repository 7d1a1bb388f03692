"""Every volume, address and security group action answers missing or
malformed parameters with an EC2 error document and a 4xx status, never
a 500 (parameters an action does not read leave it valid: 200). Raw
signed requests (botocore's SigV4Auth), since boto3 itself refuses to
send most of them."""
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest
from botocore import auth as bc_auth
from botocore import awsrequest
from botocore import credentials

from stratus import conf
from tests.functional import test_ec2_addresses
from tests.functional import test_ec2_boto3 as base

ACTIONS = ('CreateVolume', 'DescribeVolumes', 'AttachVolume',
           'DetachVolume', 'DeleteVolume', 'AllocateAddress',
           'DescribeAddresses', 'AssociateAddress', 'DisassociateAddress',
           'ReleaseAddress', 'CreateSecurityGroup', 'DescribeSecurityGroups',
           'AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress',
           'DeleteSecurityGroup')

BAD = [
    {},
    {'VolumeId': 'vol-zz', 'InstanceId': 'i-zz', 'Device': 'floppy',
     'Size': 'big', 'PublicIp': 'nowhere', 'AllocationId': 'eipalloc-zz',
     'AssociationId': 'eipassoc-zz', 'GroupName': 'x' * 300,
     'GroupId': 'sg-zz', 'GroupDescription': '\x01', 'IpProtocol': 'tcp',
     'FromPort': 'low', 'ToPort': '99999', 'CidrIp': '300.1.1.1/8',
     'VolumeId.1': 'vol-zz', 'PublicIp.1': '1.2.3.4', 'GroupId.1': 'zz',
     'Filter.1.Name': 'nonsense', 'Filter.1.Value.1': 'x'},
    {'VolumeId': 'vol-00000001', 'InstanceId': 'i-00000001',
     'Device': '/dev/sdf', 'Size': '-1', 'PublicIp': '10.0.0.1',
     'GroupName': 'default', 'GroupDescription': 'd',
     'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '1',
     'IpPermissions.1.ToPort': '2', 'IpPermissions.1.Groups.1.UserId': 'u',
     'IpPermissions.x.IpProtocol': 'udp', 'Filter.1.Value.1': 'x'},
    {'SnapshotId': 'snap-1', 'Size': '99999999', 'AvailabilityZone': 'nova',
     'GroupName': 'default', 'IpProtocol': '-1',
     'IpPermissions.1.Ipv6Ranges.1.CidrIpv6': 'not-v6',
     'IpPermissions.1.IpProtocol': 'icmp', 'VolumeType': 'io9',
     'Address': '8.8.8.8'},
]


@pytest.fixture
def cloud(tmp_path):
    with base.ec2_cloud(tmp_path, {('network', 'host_driver'): 'noop'},
                        before_start=test_ec2_addresses._networks) as found:
        yield found
    conf.CONF.clear_override('host_driver', group='network')


def _send(endpoint, cred, form):
    body = urllib.parse.urlencode(form)
    request = awsrequest.AWSRequest(
        method='POST', url=endpoint, data=body,
        headers={'Content-Type': 'application/x-www-form-urlencoded'})
    bc_auth.SigV4Auth(credentials.Credentials(cred['access'],
                                              cred['secret']),
                      'ec2', 'RegionOne').add_auth(request)
    req = urllib.request.Request(endpoint, data=body.encode(),
                                 headers=dict(request.headers.items()),
                                 method='POST')
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_bad_parameters_are_ec2_errors(cloud):
    client, _info, _admin = cloud
    cred = client.credentials['demo']
    for action in ACTIONS:
        refused = 0
        for params in BAD:
            form = dict(params, Action=action, Version='2016-11-15')
            status, body = _send(client.endpoint, cred, form)
            where = '%s %s: %s %s' % (action, params, status, body)
            assert status in (200, 400, 401, 403, 404), where
            root = ElementTree.fromstring(body)
            if status != 200:
                refused += 1
                assert root.tag == 'Response', where
                assert root.find('Errors/Error/Code').text, where
        assert refused, action
