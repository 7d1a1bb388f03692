from oslo_config import cfg

group = cfg.OptGroup('volume', title='Volume daemon options')

opts = [
    cfg.StrOpt('driver', default='file', choices=['file', 'lvm'],
               help='Volume backend: file (qcow2/raw files under '
                    'volumes_path) or lvm (logical volumes in volume_group).'),
    cfg.StrOpt('volumes_path', default='$state_path/volumes',
               help='Folder of the file volume driver. Compute hosts attach '
                    'the files from the same path, so it must be shared with '
                    'them (the same host or a shared file system) and '
                    'readable by the QEMU user.'),
    cfg.StrOpt('file_format', default='qcow2', choices=['qcow2', 'raw'],
               help='Format of the files of the file driver.'),
    cfg.IntOpt('capacity_gb', default=0, min=0,
               help='GiB the file driver offers; 0 means the size of the '
                    'file system holding volumes_path.'),
    cfg.StrOpt('volume_group', default='stratus-volumes',
               help='LVM volume group of the lvm driver.'),
    cfg.StrOpt('lv_prefix', default='volume-',
               help='Prefix of the logical volumes (and files) the volume '
                    'driver creates; only names with it are ours.'),
    cfg.StrOpt('storage_availability_zone', default='nova',
               help='Availability zone of this volume host.'),
    cfg.IntOpt('stats_interval', default=30, min=1,
               help='Seconds between two capacity reports of a volume '
                    'host.'),
    cfg.URIOpt('image_api_endpoint', default='http://127.0.0.1:9292',
               help='Image API a volume host downloads images from when it '
                    'creates a volume from an image.'),
    cfg.IntOpt('max_size_gb', default=1000, min=1,
               help='Largest volume the API accepts, in GiB.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'volume': opts}
