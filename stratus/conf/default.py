import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt('host', default=socket.gethostname(), sample_default='<hostname>',
               help='Name of this node: the server name of its RPC queues '
                    '(compute.<host>) and its row in the services table.'),
    cfg.StrOpt('state_path', default='/var/lib/stratus',
               help='Top folder for the state Stratus keeps on disk.'),
    cfg.StrOpt('my_ip', default='127.0.0.1',
               help='Address of this host that other hosts and clients use.'),
    cfg.IntOpt('report_interval', default=5, min=1,
               help='Seconds between two heartbeats of a service.'),
    cfg.IntOpt('service_down_time', default=30, min=1,
               help='A service whose last heartbeat is older than this many '
                    'seconds is considered down.'),
    cfg.StrOpt('default_availability_zone', default='nova',
               help='Availability zone of hosts that no aggregate places.'),
    cfg.IntOpt('instance_build_timeout', default=600, min=0,
               help='Seconds an instance may stay in BUILD before it is put '
                    'in ERROR; 0 disables the check.'),
    cfg.StrOpt('instance_name_template', default='instance-%08x',
               help='Hypervisor-side name of an instance, from its integer '
                    'id. Test runs use their own prefix so that they never '
                    'collide with a running stack.'),
    cfg.IntOpt('graceful_stop_timeout', default=30, min=0,
               help='Seconds a daemon waits for in-flight work on SIGTERM.'),
]


def register_opts(conf):
    conf.register_opts(opts)


def list_opts():
    return {'DEFAULT': opts}
