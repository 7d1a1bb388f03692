"""What every daemon does before it serves: config, logging."""
import sys

from oslo_log import log as logging

from stratus import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def setup(argv, prog):
    """Parse ``--config-file`` and friends and set up oslo.log."""
    logging.register_options(CONF)
    logging.set_defaults(default_log_levels=logging.get_default_log_levels()
                         + ['oslo_messaging=INFO', 'amqp=WARN',
                            'kombu=WARN', 'routes=WARN', 'cotyledon=WARN'])
    CONF(argv[1:], project='stratus', prog=prog)
    logging.setup(CONF, 'stratus')
    LOG.info('%s starting with config files %s', prog, CONF.config_file)


def run_rpc_daemon(binary, topic, manager_factory):
    from stratus import service
    setup(sys.argv, binary)
    server = service.Service(binary, topic, manager_factory())
    sys.exit(service.serve(server))
