from oslo_config import cfg

group = cfg.OptGroup('scheduler', title='Scheduler options')

opts = [
    cfg.StrOpt('driver', default='filter', choices=['chance', 'simple', 'filter'],
               help='Host selection: chance (random up host), simple (least '
                    'loaded) or filter (filters then weighers).'),
    cfg.ListOpt('enabled_filters',
                default=['AvailabilityZoneFilter', 'ComputeFilter',
                         'RamFilter', 'CoreFilter', 'DiskFilter',
                         'ImagePropertiesFilter', 'IsolatedHostsFilter',
                         'SameHostFilter', 'DifferentHostFilter',
                         'ServerGroupAffinityFilter',
                         'ServerGroupAntiAffinityFilter'],
                help='Filters the filter driver runs, in order.'),
    cfg.FloatOpt('ram_weight_multiplier', default=1.0,
                 help='Positive spreads instances by free RAM, negative packs.'),
    cfg.FloatOpt('cpu_allocation_ratio', default=16.0, min=0.0,
                 help='Virtual CPUs per physical CPU.'),
    cfg.FloatOpt('ram_allocation_ratio', default=1.5, min=0.0,
                 help='Virtual RAM per physical RAM.'),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help='Virtual disk per physical disk.'),
    cfg.IntOpt('reserved_host_memory_mb', default=0, min=0,
               help='Memory kept back for the host itself.'),
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Hosts a build may be tried on before it fails.'),
    cfg.IntOpt('host_subset_size', default=1, min=1,
               help='Pick at random among the best N hosts.'),
    cfg.FloatOpt('cpu_weight_multiplier', default=1.0,
                 help='Weight of free vCPUs: positive spreads instances, '
                      'negative packs them, 0 ignores them.'),
    cfg.FloatOpt('disk_weight_multiplier', default=1.0,
                 help='Weight of free local disk: positive spreads '
                      'instances, negative packs them, 0 ignores them.'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Local disk kept back for the host itself.'),
    cfg.IntOpt('max_cores', default=16, min=1,
               help='simple driver: most vCPUs of instances one host may '
                    'run.'),
    cfg.ListOpt('isolated_images', default=[],
                help='Image ids that run only on isolated_hosts.'),
    cfg.ListOpt('isolated_hosts', default=[],
                help='Hosts that run only isolated_images.'),
    cfg.BoolOpt('restrict_isolated_hosts_to_isolated_images', default=True,
                help='Keep every image that is not isolated off the '
                     'isolated hosts.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'scheduler': opts}
