"""The restarted compute host makes volume attachments agree with the
guest's disks (stratus/compute/sync.py); the integration test
tests/integration/test_libvirt_faults.py does the same on a real guest."""
from stratus.compute import sync


class Driver:
    def __init__(self, devices):
        self.devices = devices
        self.detached = []

    def get_volume_devices(self, instance):
        return self.devices

    def detach_volume(self, context, connection_info, instance, mountpoint):
        self.detached.append((connection_info['serial'], mountpoint))


class Volumes:
    def __init__(self, attachments):
        self.attachments = attachments
        self.released = []
        self.terminated = []

    def get_attachments(self, context, instance_uuid):
        return self.attachments

    def terminate_connection(self, context, host, volume_id, connector):
        self.terminated.append(volume_id)

    def detach_volume(self, context, attachment_id, rollback=False):
        self.released.append(attachment_id)


class Mgr:
    host = 'h1'

    def __init__(self, driver, volumes):
        self.driver = driver
        self._volume_rpcapi = volumes


def _att(uuid, volume_id, status):
    return {'uuid': uuid, 'volume_id': volume_id, 'attach_status': status,
            'volume_host': 'vh'}


def test_guest_is_the_truth_for_volume_attachments():
    driver = Driver({'v-kept': 'vdb', 'v-stray': 'vdc', 'v-reserved': 'vdd',
                     'v-root': 'vda'})
    volumes = Volumes([_att('a-kept', 'v-kept', 'attached'),
                       _att('a-lost', 'v-lost', 'attached'),
                       _att('a-reserved', 'v-reserved', 'attaching'),
                       _att('a-root', 'v-root', 'attaching')])
    sync._reconcile_volumes(Mgr(driver, volumes), None, {'uuid': 'i1'})
    # Disks the books don't have as attached leave the guest (never the
    # root disk); attachments without a disk in the guest are released.
    assert sorted(driver.detached) == [('v-reserved', 'vdd'),
                                       ('v-stray', 'vdc')]
    assert sorted(volumes.released) == ['a-lost', 'a-reserved']
    assert sorted(volumes.terminated) == ['v-lost', 'v-reserved']


def test_nothing_done_when_the_driver_cannot_tell():
    driver = Driver(None)
    volumes = Volumes([_att('a-lost', 'v-lost', 'attached')])
    sync._reconcile_volumes(Mgr(driver, volumes), None, {'uuid': 'i1'})
    assert driver.detached == [] and volumes.released == []
