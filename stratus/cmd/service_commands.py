"""``stratus-manage service enable|disable HOST``: take a compute host out
of scheduling (or put it back) without touching what already runs there.

The scheduler reads the services table on every decision, so the change
applies to the next boot; the ComputeFilter drops disabled hosts.
"""
import sys

import sqlalchemy as sa

from stratus import conf

CONF = conf.CONF
COMPUTE_BINARY = 'stratus-compute'


def set_disabled(host, disabled, reason=None, binary=COMPUTE_BINARY):
    """Enable or disable the (host, binary) service.

    :returns: the number of rows changed (0: no such service).
    """
    from stratus.db import api as db_api
    from stratus.db import models
    svc = models.Service
    with db_api.writer() as session:
        rows = session.scalars(sa.select(svc).where(
            svc.host == host, svc.binary == binary,
            svc.deleted == 0)).all()
        for row in rows:
            row.disabled = disabled
            row.disabled_reason = reason if disabled else None
        return len(rows)


def _toggle(disabled):
    cmd = CONF.command
    reason = getattr(cmd, 'reason', None) if disabled else None
    if not set_disabled(cmd.service_host, disabled, reason, cmd.binary):
        print('No %s service on host %s' % (cmd.binary, cmd.service_host),
              file=sys.stderr)
        sys.exit(1)
    print('%s on %s %s%s' % (cmd.binary, cmd.service_host,
                             'disabled' if disabled else 'enabled',
                             ' (%s)' % reason if reason else ''))


def _disable():
    _toggle(True)


def _enable():
    _toggle(False)


def add_commands(service_subparsers):
    """Add ``enable`` and ``disable`` under ``stratus-manage service``."""
    disable = service_subparsers.add_parser(
        'disable', help='Stop scheduling new instances to a host')
    disable.add_argument('service_host', metavar='HOST')
    disable.add_argument('--reason', help='Why (shown by os-services)')
    disable.add_argument('--binary', default=COMPUTE_BINARY)
    disable.set_defaults(func=_disable)
    enable = service_subparsers.add_parser(
        'enable', help='Schedule new instances to a host again')
    enable.add_argument('service_host', metavar='HOST')
    enable.add_argument('--binary', default=COMPUTE_BINARY)
    enable.set_defaults(func=_enable)
