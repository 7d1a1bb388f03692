from oslo_config import cfg

group = cfg.OptGroup('identity', title='Identity service options')

opts = [
    cfg.IntOpt('token_expiration', default=3600, min=60,
               help='Seconds a token stays valid.'),
    cfg.IntOpt('password_hash_rounds', default=100000, min=1000,
               help='PBKDF2-SHA256 iterations for stored passwords.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'identity': opts}
