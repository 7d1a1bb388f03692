from oslo_config import cfg

group = cfg.OptGroup('identity', title='Identity service options')

opts = [
    cfg.IntOpt('token_expiration', default=3600, min=60,
               help='Seconds a token stays valid.'),
    cfg.IntOpt('password_hash_rounds', default=100000, min=1000,
               help='PBKDF2-SHA256 iterations for stored passwords.'),
    cfg.IntOpt('token_cache_time', default=5, min=0,
               help='Seconds a validated token is trusted from memory '
                    'before the database is asked again; revocations made '
                    'by another process take this long to apply. 0 turns '
                    'the cache off.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return {'identity': opts}
