"""Kernel and ramdisk images get aki-/ari- ids, as EC2 gave them."""
import pytest

from stratus.api.ec2 import errors
from stratus.api.ec2 import ids


def test_prefix_follows_the_disk_format():
    assert ids.image_ec2_id(10, 'aki') == 'aki-0000000a'
    assert ids.image_ec2_id(10, 'ari') == 'ari-0000000a'
    assert ids.image_ec2_id(10, 'qcow2') == 'ami-0000000a'
    assert ids.image_ec2_id(10) == 'ami-0000000a'


def test_every_image_prefix_parses_and_others_do_not():
    for ec2_id in ('ami-0000000a', 'aki-0000000a', 'ari-0000000a'):
        assert ids.image_number(ec2_id) == 10
    with pytest.raises(errors.Ec2Error):
        ids.image_number('i-0000000a')
