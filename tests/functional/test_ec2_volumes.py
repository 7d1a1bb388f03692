"""EC2 volumes with unmodified boto3 over the in-process cloud (file
volume driver with real qemu-img, fake virt driver): create to
``available``, attach to a running instance (``in-use``), refuse to
delete while attached, detach, delete; error codes; and another
project's key gets ``InvalidVolume.NotFound`` for the same id."""
import re
import time

import pytest

from tests.functional import test_ec2_boto3 as base


@pytest.fixture
def cloud(tmp_path):
    with base.ec2_cloud(tmp_path, {('volume', 'capacity_gb'): 10}) as found:
        yield found


def _volume(ec2, volume_id):
    return ec2.describe_volumes(VolumeIds=[volume_id])['Volumes'][0]


def _wait_volume(ec2, volume_id, wanted, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        volume = _volume(ec2, volume_id)
        if volume['State'] == wanted:
            return volume
        assert time.monotonic() < deadline, \
            '%s is %s, not %s' % (volume_id, volume['State'], wanted)


def _running_instance(ec2):
    ec2.describe_images()
    res = ec2.run_instances(ImageId='ami-00000001', InstanceType='m1.tiny',
                            MinCount=1, MaxCount=1)
    instance_id = res['Instances'][0]['InstanceId']
    base._wait_states(ec2, [instance_id], 'running')
    return instance_id


def test_create_attach_detach_delete(cloud):
    client, _info, _admin = cloud
    ec2 = client()
    created = ec2.create_volume(Size=1, AvailabilityZone='nova')
    vid = created['VolumeId']
    assert re.match(r'^vol-[0-9a-f]{8}$', vid)
    assert (created['State'], created['Size'],
            created['AvailabilityZone']) == ('creating', 1, 'nova')
    assert _wait_volume(ec2, vid, 'available')['Attachments'] == []
    instance_id = _running_instance(ec2)

    att = ec2.attach_volume(VolumeId=vid, InstanceId=instance_id,
                            Device='/dev/sdf')
    assert (att['VolumeId'], att['InstanceId'], att['Device'],
            att['State']) == (vid, instance_id, '/dev/vdf', 'attached')
    volume = _volume(ec2, vid)
    assert volume['State'] == 'in-use'
    assert [(a['InstanceId'], a['Device'], a['State'])
            for a in volume['Attachments']] == \
        [(instance_id, '/dev/vdf', 'attached')]
    in_use = ec2.describe_volumes(Filters=[
        {'Name': 'status', 'Values': ['in-use']},
        {'Name': 'availability-zone', 'Values': ['nova']}])['Volumes']
    assert [v['VolumeId'] for v in in_use] == [vid]
    assert ec2.describe_volumes(Filters=[
        {'Name': 'status', 'Values': ['available']}])['Volumes'] == []
    assert base._code(ec2.delete_volume, VolumeId=vid) == \
        ('VolumeInUse', 400)
    assert base._code(ec2.attach_volume, VolumeId=vid,
                      InstanceId=instance_id, Device='/dev/sdg') == \
        ('VolumeInUse', 400)

    detached = ec2.detach_volume(VolumeId=vid)
    assert (detached['InstanceId'], detached['State']) == \
        (instance_id, 'detaching')
    assert _wait_volume(ec2, vid, 'available')['Attachments'] == []
    assert base._code(ec2.detach_volume, VolumeId=vid) == \
        ('IncorrectState', 400)
    ec2.delete_volume(VolumeId=vid)
    deadline = time.monotonic() + 20
    while vid in _listed(ec2):
        assert time.monotonic() < deadline, '%s is not deleted' % vid
    assert base._code(ec2.describe_volumes, VolumeIds=[vid]) == \
        ('InvalidVolume.NotFound', 400)


def _listed(ec2):
    return [v['VolumeId'] for v in ec2.describe_volumes()['Volumes']]


def test_volume_errors_and_other_projects(cloud):
    client, _info, _admin = cloud
    ec2, other = client(), client(project='admin')
    vid = ec2.create_volume(Size=1, AvailabilityZone='nova')['VolumeId']
    _wait_volume(ec2, vid, 'available')
    # Numbers from the mapping table, one per volume, shown alike by
    # CreateVolume and DescribeVolumes.
    second = ec2.create_volume(Size=1, AvailabilityZone='nova')['VolumeId']
    assert int(second[4:], 16) == int(vid[4:], 16) + 1
    assert {v['VolumeId'] for v in ec2.describe_volumes()['Volumes']} == \
        {vid, second}
    ec2.delete_volume(VolumeId=_wait_volume(ec2, second,
                                            'available')['VolumeId'])
    assert base._code(ec2.describe_volumes, VolumeIds=['vol-0000beef']) == \
        ('InvalidVolume.NotFound', 400)
    assert base._code(ec2.describe_volumes, VolumeIds=['volume-1']) == \
        ('InvalidVolumeID.Malformed', 400)
    assert base._code(ec2.create_volume, SnapshotId='snap-00000001',
                      AvailabilityZone='nova') == \
        ('InvalidSnapshot.NotFound', 400)
    assert base._code(ec2.create_volume, Size=0,
                      AvailabilityZone='nova') == \
        ('InvalidParameterValue', 400)
    assert base._code(ec2.create_volume, Size=1,
                      AvailabilityZone='atlantis') == \
        ('InvalidParameterValue', 400)
    assert base._code(ec2.attach_volume, VolumeId=vid,
                      InstanceId='i-0000beef', Device='/dev/sdf') == \
        ('InvalidInstanceID.NotFound', 400)
    assert base._code(ec2.describe_volumes, Filters=[
        {'Name': 'colour', 'Values': ['red']}]) == \
        ('InvalidParameterValue', 400)

    # Another project sees neither the volume nor its data.
    assert other.describe_volumes()['Volumes'] == []
    for call, kwargs in (
            (other.describe_volumes, {'VolumeIds': [vid]}),
            (other.delete_volume, {'VolumeId': vid}),
            (other.detach_volume, {'VolumeId': vid})):
        assert base._code(call, **kwargs) == \
            ('InvalidVolume.NotFound', 400)
    assert _volume(ec2, vid)['State'] == 'available'
    ec2.delete_volume(VolumeId=vid)
