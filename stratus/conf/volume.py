from oslo_config import cfg

group = cfg.OptGroup('volume', title='Volume daemon options')

opts = [
    cfg.StrOpt('volumes_path', default='$state_path/volumes',
               help='Folder of the file volume driver.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'volume': opts}
