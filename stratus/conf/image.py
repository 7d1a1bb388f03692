from oslo_config import cfg

group = cfg.OptGroup('image', title='Image service options')

opts = [
    cfg.StrOpt('store_path', default='$state_path/images',
               help='Folder of the file store: one file per image, named '
                    'by the image id.'),
    cfg.IntOpt('image_size_cap', default=1099511627776, min=1,
               help='Largest image upload accepted, in bytes (413 beyond).'),
    cfg.IntOpt('chunk_size', default=65536, min=4096,
               help='Bytes read or written at a time while streaming image '
                    'data.'),
    cfg.IntOpt('limit_param_default', default=25, min=1,
               help='Images one list request returns when the client gives '
                    'no limit (at most [api] max_limit).'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'image': opts}
