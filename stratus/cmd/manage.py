"""stratus-manage: operator commands (schema, bootstrap, services)."""
import sys

from oslo_config import cfg

from stratus import conf

CONF = conf.CONF


def _db_sync():
    from stratus.db import migration
    migration.db_sync(CONF.command.revision)
    print('Database at revision %s' % migration.db_version())


def _db_version():
    from stratus.db import migration
    print(migration.db_version())


def _bootstrap():
    from stratus.db import flavors
    from stratus.identity import bootstrap
    bootstrap.bootstrap(CONF.command.admin_password,
                        CONF.command.demo_password)
    flavors.ensure_defaults()
    print('Identity bootstrapped; default flavors present')


def _service_list():
    import sqlalchemy as sa

    from stratus import servicegroup
    from stratus.db import api as db_api
    from stratus.db import models
    with db_api.reader() as session:
        rows = session.scalars(sa.select(models.Service).where(
            models.Service.deleted == 0).order_by(models.Service.id)).all()
        print('%-20s %-24s %-8s %-8s %s' % ('Binary', 'Host', 'Status',
                                            'State', 'Last seen'))
        for row in rows:
            print('%-20s %-24s %-8s %-8s %s' % (
                row.binary, row.host,
                'disabled' if row.disabled else 'enabled',
                'up' if servicegroup.is_up(row) else 'down',
                row.last_seen_up))


def _trace():
    from stratus import trace
    print(trace.format_timeline(trace.timeline(CONF.command.request_id)))


def _add_commands(subparsers):
    db = subparsers.add_parser('db', help='Database schema')
    db_sub = db.add_subparsers(dest='db_action')
    sync = db_sub.add_parser('sync', help='Create or upgrade the schema')
    sync.add_argument('revision', nargs='?', default='head')
    sync.set_defaults(func=_db_sync)
    version = db_sub.add_parser('version', help='Show the schema revision')
    version.set_defaults(func=_db_version)

    boot = subparsers.add_parser('bootstrap', help='Create the admin and '
                                 'demo identities and default flavors')
    boot.add_argument('--admin-password', required=True)
    boot.add_argument('--demo-password')
    boot.set_defaults(func=_bootstrap)

    trace = subparsers.add_parser('trace', help='Timeline of one request: '
                                  'each hop, its host and duration')
    trace.add_argument('request_id')
    trace.set_defaults(func=_trace)

    from stratus.network import manage_commands as network_commands
    network_commands.add_commands(subparsers)

    svc = subparsers.add_parser('service', help='Services')
    svc_sub = svc.add_subparsers(dest='service_action')
    svc_list = svc_sub.add_parser('list', help='List services and state')
    svc_list.set_defaults(func=_service_list)
    from stratus.cmd import service_commands
    service_commands.add_commands(svc_sub)


def main(argv=None):
    from oslo_log import log as logging
    argv = sys.argv if argv is None else argv
    CONF.register_cli_opt(cfg.SubCommandOpt('command', title='Commands',
                                            handler=_add_commands))
    logging.register_options(CONF)
    logging.set_defaults(default_log_levels=logging.get_default_log_levels()
                         + ['alembic=WARN'])
    CONF(argv[1:], project='stratus', prog='stratus-manage')
    logging.setup(CONF, 'stratus')
    func = getattr(CONF.command, 'func', None)
    if func is None:
        print('Missing command; see stratus-manage --help', file=sys.stderr)
        return 2
    func()
    return 0


if __name__ == '__main__':
    sys.exit(main())
