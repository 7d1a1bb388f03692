from oslo_config import cfg

db_group = cfg.OptGroup('database', title='Database options')

opts = [
    cfg.StrOpt('connection', secret=True,
               default='sqlite:////var/lib/stratus/stratus.sqlite',
               help='SQLAlchemy URL of the database every daemon but '
                    'compute uses. SQLite runs in WAL mode with BEGIN '
                    'IMMEDIATE writes; postgresql:// (psycopg 3, writers '
                    'serialised by an advisory lock) and mysql+pymysql:// '
                    'URLs work too.'),
    cfg.IntOpt('busy_timeout', default=30, min=1,
               help='Seconds a writer waits for the database lock (SQLite '
                    'busy timeout; PostgreSQL lock_timeout and connect '
                    'timeout) before its transaction fails and is '
                    'retried.'),
    cfg.IntOpt('max_retries', default=5, min=0,
               help='Times a transaction that met a locked or lost '
                    'database is retried before the request fails.'),
]


def register_opts(conf):
    conf.register_group(db_group)
    conf.register_opts(opts, group=db_group)


def list_opts():
    return {'database': opts}
