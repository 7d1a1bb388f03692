from oslo_config import cfg

group = cfg.OptGroup('libvirt', title='libvirt driver options')

opts = [
    cfg.StrOpt('connection_uri', default='qemu:///system',
               help='libvirt connection URI.'),
    cfg.StrOpt('virt_type', default='auto', choices=['auto', 'kvm', 'qemu'],
               help='auto: kvm where /dev/kvm exists and the CPU shows vmx '
                    'or svm, qemu (TCG) otherwise.'),
    cfg.FloatOpt('wait_poll_interval', default=0.05, min=0.01,
                 help='Seconds between two state polls while waiting for a '
                      'domain (lifecycle events usually answer first).'),
    cfg.IntOpt('wait_timeout', default=60, min=1,
               help='Seconds to wait for a domain to reach RUNNING.'),
    cfg.IntOpt('soft_reboot_timeout', default=30, min=1,
               help='Seconds a soft reboot waits before forcing a hard one.'),
    cfg.IntOpt('shutdown_timeout', default=20, min=0,
               help='Seconds a stop waits for ACPI shutdown before destroy.'),
    cfg.IntOpt('connection_pool_size', default=2, min=1,
               help='libvirt connections the driver spreads concurrent calls '
                    'over: libvirtd serves at most max_client_requests (5) '
                    'calls at once per connection and queues the rest.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'libvirt': opts}
