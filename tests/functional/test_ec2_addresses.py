"""EC2 addresses (floating IPs) with unmodified boto3 over the
in-process cloud, the network daemon on its ``noop`` host driver (it
records the NAT calls instead of making them): allocate, associate with
a running instance (DescribeInstances shows it), disassociate, release;
the quota and not-found codes; another project's address is not found."""
import pytest

from stratus import conf
from stratus.db import floating_ips as floating_db
from stratus.db import networks as networks_db
from stratus.db import quotas as quotas_db
from tests.functional import test_ec2_boto3 as base


def _networks():
    networks_db.network_create({
        'label': 'private', 'cidr': '10.78.0.0/29', 'bridge': 'strbr0'})
    public = networks_db.network_create({
        'label': 'public', 'cidr': '172.31.78.0/29', 'bridge': 'strpub0',
        'external': True})
    floating_db.create_range('public', public['id'], '172.31.78.0/29',
                             exclude=(public['gateway'],))


@pytest.fixture
def cloud(tmp_path):
    with base.ec2_cloud(tmp_path, {('network', 'host_driver'): 'noop'},
                        before_start=_networks) as found:
        yield found
    conf.CONF.clear_override('host_driver', group='network')


def _instance(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])[
        'Reservations'][0]['Instances'][0]


def test_allocate_associate_disassociate_release(cloud):
    client, _info, _admin = cloud
    ec2 = client()
    ec2.describe_images()
    instance_id = ec2.run_instances(
        ImageId='ami-00000001', InstanceType='m1.tiny', MinCount=1,
        MaxCount=1)['Instances'][0]['InstanceId']
    base._wait_states(ec2, [instance_id], 'running')
    fixed = _instance(ec2, instance_id)['PrivateIpAddress']
    assert fixed.startswith('10.78.0.')

    allocated = ec2.allocate_address()
    public_ip = allocated['PublicIp']
    assert public_ip.startswith('172.31.78.')
    assert allocated['AllocationId'].startswith('eipalloc-')
    listed = ec2.describe_addresses()['Addresses']
    assert [(a['PublicIp'], a.get('InstanceId')) for a in listed] == \
        [(public_ip, None)]

    assoc = ec2.associate_address(InstanceId=instance_id,
                                  PublicIp=public_ip)
    assert assoc['AssociationId'].startswith('eipassoc-')
    shown = ec2.describe_addresses(PublicIps=[public_ip])['Addresses'][0]
    assert (shown['InstanceId'], shown['PrivateIpAddress']) == \
        (instance_id, fixed)
    assert _instance(ec2, instance_id)['PublicIpAddress'] == public_ip
    by_instance = ec2.describe_addresses(Filters=[
        {'Name': 'instance-id', 'Values': [instance_id]}])['Addresses']
    assert [a['PublicIp'] for a in by_instance] == [public_ip]

    ec2.disassociate_address(PublicIp=public_ip)
    shown = ec2.describe_addresses(PublicIps=[public_ip])['Addresses'][0]
    assert shown.get('InstanceId') is None
    assert _instance(ec2, instance_id).get('PublicIpAddress') is None

    # Releasing an associated address disassociates it (EC2-Classic).
    ec2.associate_address(InstanceId=instance_id, PublicIp=public_ip)
    ec2.release_address(PublicIp=public_ip)
    assert ec2.describe_addresses()['Addresses'] == []
    assert _instance(ec2, instance_id).get('PublicIpAddress') is None
    assert base._code(ec2.release_address, PublicIp=public_ip) == \
        ('InvalidAddress.NotFound', 400)


def test_address_quota_errors_and_other_projects(cloud):
    client, info, _admin = cloud
    ec2, other = client(), client(project='admin')
    quotas_db.update(info['project']['id'], {'floating_ips': 2})
    # Each AllocateAddress is the same request: the test client sends it
    # a second after the last, else it would be a replay.
    first = ec2.allocate_address()['PublicIp']
    ec2.allocate_address()
    assert base._code(ec2.allocate_address) == \
        ('AddressLimitExceeded', 400)
    assert base._code(ec2.describe_addresses, PublicIps=['10.9.9.9']) == \
        ('InvalidAddress.NotFound', 400)
    assert base._code(ec2.associate_address, InstanceId='i-0000beef',
                      PublicIp=first) == ('InvalidInstanceID.NotFound', 400)
    assert base._code(ec2.disassociate_address, PublicIp='10.9.9.9') == \
        ('InvalidAddress.NotFound', 400)

    # Another project neither sees nor touches the address.
    assert other.describe_addresses()['Addresses'] == []
    for call, kwargs in (
            (other.describe_addresses, {'PublicIps': [first]}),
            (other.disassociate_address, {'PublicIp': first}),
            (other.release_address, {'PublicIp': first})):
        assert base._code(call, **kwargs) == \
            ('InvalidAddress.NotFound', 400)
    assert first in [a['PublicIp']
                     for a in ec2.describe_addresses()['Addresses']]
    # The pool (five addresses) runs dry for the other project too.
    for _n in range(3):
        other.allocate_address()
    assert base._code(other.allocate_address) == \
        ('AddressLimitExceeded', 400)
