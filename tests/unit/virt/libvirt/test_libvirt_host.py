"""virt_type auto-detection: kvm needs the device and the CPU flags."""
import pytest

from stratus.virt.libvirt import host

FLAGS = 'flags\t\t: fpu vme de pse tsc msr pae %s lm\n'


@pytest.fixture
def machine(tmp_path):
    def make(device, flag):
        kvm = tmp_path / 'kvm'
        if device:
            kvm.write_text('')
        cpuinfo = tmp_path / 'cpuinfo'
        cpuinfo.write_text('processor\t: 0\n' + FLAGS % flag +
                           'processor\t: 1\n' + FLAGS % flag)
        return {'kvm_device': str(kvm), 'cpuinfo': str(cpuinfo)}
    return make


@pytest.mark.parametrize('device,flag,expected', [
    (True, 'vmx', 'kvm'),
    (True, 'svm', 'kvm'),
    (True, 'hypervisor', 'qemu'),   # kvm_pvm: a device but no VT-x/AMD-V
    (False, 'vmx', 'qemu'),
    (False, 'sse2', 'qemu'),
])
def test_auto(machine, device, flag, expected):
    assert host.detect_virt_type('auto', **machine(device, flag)) == expected


def test_vmx_as_part_of_another_flag_does_not_count(machine):
    assert host.detect_virt_type('auto', **machine(True, 'vmxnet')) == 'qemu'


def test_unreadable_cpuinfo_means_qemu(tmp_path, machine):
    paths = machine(True, 'vmx')
    paths['cpuinfo'] = str(tmp_path / 'missing')
    assert host.detect_virt_type('auto', **paths) == 'qemu'


def test_configured_value_wins(machine):
    assert host.detect_virt_type('kvm', **machine(False, 'sse2')) == 'kvm'
    assert host.detect_virt_type('qemu', **machine(True, 'vmx')) == 'qemu'


class _FakeConn:
    def __init__(self, n):
        self.n, self.alive, self.subscriptions = n, True, 0

    def isAlive(self):
        return 1 if self.alive else 0

    def setKeepAlive(self, interval, count):
        pass

    def domainEventRegisterAny(self, dom, event_id, cb, opaque):
        self.subscriptions += 1
        return 1

    def close(self):
        self.alive = False


class _FakeLibvirt:
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0

    class libvirtError(Exception):
        pass

    def __init__(self):
        self.opened = []

    def open(self, uri):
        conn = _FakeConn(len(self.opened))
        self.opened.append(conn)
        return conn


def test_reconnects_and_resubscribes_after_libvirtd_restart(monkeypatch):
    fake = _FakeLibvirt()
    monkeypatch.setattr(host, '_libvirt', lambda: fake)
    h = host.Host('qemu:///system', lifecycle_callback=lambda *a: None,
                  pool_size=2)
    first = h.get_connection()
    second = h.get_connection()
    assert first is not second and len(fake.opened) == 2
    assert first.subscriptions == 1 and second.subscriptions == 0
    assert h.get_connection() is first   # round robin over the pool
    for conn in fake.opened:
        conn.alive = False               # libvirtd went away
    fresh = h.get_connection()
    assert fresh not in (first, second) and fresh.alive
    assert fresh.subscriptions == 1      # events follow the live connection
    h.close()
    assert not fresh.alive


def test_unreachable_libvirtd_is_service_unavailable(monkeypatch):
    from stratus import exception
    fake = _FakeLibvirt()

    def refuse(uri):
        raise fake.libvirtError('no socket')
    fake.open = refuse
    monkeypatch.setattr(host, '_libvirt', lambda: fake)
    with pytest.raises(exception.ServiceUnavailable):
        host.Host('qemu:///system').get_connection()
