from oslo_config import cfg

group = cfg.OptGroup('compute', title='Compute daemon options')

opts = [
    cfg.StrOpt('driver', default='libvirt', choices=['libvirt', 'fake'],
               help='Virt driver: libvirt (real guests) or fake (in memory, '
                    'for tests and scale benchmarks).'),
    cfg.StrOpt('instances_path', default='$state_path/instances',
               help='Folder holding one sub-folder per instance.'),
    cfg.StrOpt('image_cache_path', default='$state_path/instances/_base',
               help='Folder of the per-host image cache.'),
    cfg.URIOpt('image_api_endpoint', default='http://127.0.0.1:9292',
               help='Image API the compute host downloads images from.'),
    cfg.StrOpt('image_api_admin_token', secret=True,
               help='Token sent to the image API when a request context '
                    'carries none (periodic or start-up work).'),
    cfg.IntOpt('fake_vcpus', default=8, min=1,
               help='vCPUs the fake driver reports.'),
    cfg.IntOpt('fake_memory_mb', default=16384, min=128,
               help='Memory the fake driver reports.'),
    cfg.IntOpt('fake_disk_gb', default=200, min=1,
               help='Disk the fake driver reports.'),
    cfg.FloatOpt('fake_spawn_delay', default=0.0, min=0.0,
                 help='Seconds the fake driver takes to spawn a guest, so '
                      'that tests can act while boots are in flight.'),
    cfg.IntOpt('resource_update_interval', default=30, min=1,
               help='Seconds between two reports of host resources.'),
    cfg.IntOpt('sync_power_state_interval', default=10, min=1,
               help='Seconds between two power state syncs with the driver.'),
    cfg.StrOpt('firewall_driver', default='iptables',
               choices=['iptables', 'noop'],
               help='How security groups are enforced for libvirt guests: '
                    'iptables (a chain per instance in FORWARD, with the '
                    'bridge netfilter hook on) or noop (not enforced). '
                    'The fake driver never enforces them.'),
    cfg.IntOpt('block_device_allocate_timeout', default=300, min=1,
               help='Seconds a boot waits for a volume it asked to be '
                    'made from an image before the build fails.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'compute': opts}
