"""EC2 security groups with unmodified boto3 over the in-process cloud:
create, authorize and revoke ingress in both parameter forms, describe
(``ipPermissions``), run an instance in the group, refuse to delete it
while used, delete; the error codes; another project's group ids and
names are not found."""
import re

import pytest

from tests.functional import test_ec2_boto3 as base


@pytest.fixture
def cloud(tmp_path):
    with base.ec2_cloud(tmp_path) as found:
        yield found


def _group(ec2, name):
    return ec2.describe_security_groups(GroupNames=[name])[
        'SecurityGroups'][0]


def _perms(group):
    """Ingress permissions as comparable tuples."""
    return sorted(
        (p['IpProtocol'], p.get('FromPort'), p.get('ToPort'),
         tuple(r['CidrIp'] for r in p['IpRanges']),
         tuple(g['GroupName'] for g in p['UserIdGroupPairs']))
        for p in group['IpPermissions'])


def test_group_rules_and_instances(cloud):
    client, info, _admin = cloud
    ec2 = client()
    default = _group(ec2, 'default')
    assert re.match(r'^sg-[0-9a-f]{8}$', default['GroupId'])
    assert default['OwnerId'] == info['project']['id']
    assert _perms(default) == [('-1', None, None, (), ('default',))]

    web_id = ec2.create_security_group(GroupName='web',
                                       Description='web servers')['GroupId']
    assert re.match(r'^sg-[0-9a-f]{8}$', web_id) and web_id != \
        default['GroupId']
    ec2.authorize_security_group_ingress(
        GroupName='web', IpProtocol='tcp', FromPort=80, ToPort=80,
        CidrIp='0.0.0.0/0')
    ec2.authorize_security_group_ingress(GroupId=web_id, IpPermissions=[
        {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
         'IpRanges': [{'CidrIp': '10.0.0.0/8'}, {'CidrIp': '192.168.1.7'}]},
        {'IpProtocol': 'icmp', 'FromPort': -1, 'ToPort': -1,
         'UserIdGroupPairs': [{'GroupName': 'default'}]}])
    web = ec2.describe_security_groups(GroupIds=[web_id])[
        'SecurityGroups'][0]
    assert (web['GroupName'], web['Description']) == ('web', 'web servers')
    assert _perms(web) == [
        ('icmp', -1, -1, (), ('default',)),
        ('tcp', 22, 22, ('10.0.0.0/8', '192.168.1.7/32'), ()),
        ('tcp', 80, 80, ('0.0.0.0/0',), ())]
    assert [p['IpProtocol'] for p in web['IpPermissionsEgress']] == ['-1']
    assert base._code(ec2.authorize_security_group_ingress, GroupName='web',
                      IpProtocol='tcp', FromPort=80, ToPort=80,
                      CidrIp='0.0.0.0/0') == \
        ('InvalidPermission.Duplicate', 400)

    ec2.revoke_security_group_ingress(GroupId=web_id, IpPermissions=[
        {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
         'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}])
    ec2.revoke_security_group_ingress(
        GroupName='web', IpProtocol='icmp', FromPort=-1, ToPort=-1,
        SourceSecurityGroupName='default')
    assert _perms(_group(ec2, 'web')) == [
        ('tcp', 22, 22, ('192.168.1.7/32',), ()),
        ('tcp', 80, 80, ('0.0.0.0/0',), ())]
    assert base._code(ec2.revoke_security_group_ingress, GroupName='web',
                      IpProtocol='udp', FromPort=53, ToPort=53,
                      CidrIp='0.0.0.0/0') == \
        ('InvalidPermission.NotFound', 400)

    # RunInstances takes the group by name and by id.
    ec2.describe_images()
    ec2.create_security_group(GroupName='db', Description='databases')
    db_id = _group(ec2, 'db')['GroupId']
    res = ec2.run_instances(ImageId='ami-00000001', InstanceType='m1.tiny',
                            MinCount=1, MaxCount=1, SecurityGroups=['web'],
                            SecurityGroupIds=[db_id])
    instance_id = res['Instances'][0]['InstanceId']
    assert sorted((g['GroupName'], g['GroupId']) for g in
                  res['Instances'][0]['SecurityGroups']) == \
        [('db', db_id), ('web', web_id)]
    assert base._code(ec2.run_instances, ImageId='ami-00000001',
                      InstanceType='m1.tiny', MinCount=1, MaxCount=1,
                      SecurityGroups=['nope']) == \
        ('InvalidGroup.NotFound', 400)
    base._wait_states(ec2, [instance_id], 'running')
    assert base._code(ec2.delete_security_group, GroupName='web') == \
        ('DependencyViolation', 400)
    assert base._code(ec2.delete_security_group, GroupName='default') == \
        ('CannotDelete', 400)
    ec2.terminate_instances(InstanceIds=[instance_id])
    base._wait_states(ec2, [instance_id], 'terminated')
    ec2.delete_security_group(GroupName='web')
    ec2.delete_security_group(GroupId=db_id)
    assert [g['GroupName'] for g in ec2.describe_security_groups()[
        'SecurityGroups']] == ['default']


def test_group_errors_and_other_projects(cloud):
    client, _info, _admin = cloud
    ec2, other = client(), client(project='admin')
    web_id = ec2.create_security_group(GroupName='web',
                                       Description='web')['GroupId']
    assert base._code(ec2.create_security_group, GroupName='web',
                      Description='again') == ('InvalidGroup.Duplicate', 400)
    assert base._code(ec2.create_security_group, GroupName='default',
                      Description='again') == ('InvalidGroup.Duplicate', 400)
    assert base._code(ec2.describe_security_groups,
                      GroupNames=['nope']) == ('InvalidGroup.NotFound', 400)
    assert base._code(ec2.describe_security_groups,
                      GroupIds=['sg-0000beef']) == \
        ('InvalidGroup.NotFound', 400)
    assert base._code(ec2.describe_security_groups,
                      GroupIds=['web']) == ('InvalidGroupId.Malformed', 400)
    assert base._code(ec2.delete_security_group, GroupName='nope') == \
        ('InvalidGroup.NotFound', 400)
    for bad in ({'IpProtocol': 'tcp', 'FromPort': 90, 'ToPort': 80},
                {'IpProtocol': 'tcp'},
                {'IpProtocol': 'gre-ish', 'FromPort': 1, 'ToPort': 1},
                {'IpProtocol': 'tcp', 'FromPort': 1, 'ToPort': 1,
                 'CidrIp': '10.0.0.0/33'}):
        assert base._code(ec2.authorize_security_group_ingress,
                          GroupName='web', **bad) == \
            ('InvalidParameterValue', 400), bad
    assert base._code(ec2.authorize_security_group_ingress, GroupName='web',
                      IpPermissions=[{
                          'IpProtocol': 'tcp', 'FromPort': 1, 'ToPort': 1,
                          'UserIdGroupPairs': [{'GroupName': 'nope'}]}]) == \
        ('InvalidGroup.NotFound', 400)

    # Another project: the same name and id are not found, and its own
    # groups don't show ours.
    assert [g['GroupName'] for g in other.describe_security_groups()[
        'SecurityGroups']] == ['default']
    for call, kwargs in (
            (other.describe_security_groups, {'GroupIds': [web_id]}),
            (other.describe_security_groups, {'GroupNames': ['web']}),
            (other.delete_security_group, {'GroupId': web_id}),
            (other.authorize_security_group_ingress, {
                'GroupId': web_id, 'IpProtocol': 'tcp', 'FromPort': 1,
                'ToPort': 1, 'CidrIp': '0.0.0.0/0'})):
        assert base._code(call, **kwargs) == \
            ('InvalidGroup.NotFound', 400), kwargs
    assert _perms(_group(ec2, 'web')) == []
