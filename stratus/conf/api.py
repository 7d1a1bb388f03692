from oslo_config import cfg

api_group = cfg.OptGroup('api', title='API daemon options')

opts = [
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help='Address the API daemon listens on.'),
    cfg.StrOpt('public_host', default='127.0.0.1',
               help='Host name or address written into the service catalog.'),
    cfg.PortOpt('compute_port', default=8774, help='Compute API port.'),
    cfg.PortOpt('identity_port', default=5000, help='Identity API port.'),
    cfg.PortOpt('image_port', default=9292, help='Image API port.'),
    cfg.PortOpt('network_port', default=9696,
                help='Network API (Neutron v2.0 subset) port.'),
    cfg.PortOpt('ec2_port', default=8773,
                help='EC2 query API port (served at /services/Cloud).'),
    cfg.IntOpt('ec2_signature_ttl', default=900, min=1,
               help='Seconds an EC2 request signature stays valid '
                    'around its timestamp (clock skew allowed).'),
    cfg.IntOpt('ec2_replay_cache_size', default=100000, min=0,
               help='Signatures of accepted EC2 requests each api process '
                    'remembers while they are valid, to refuse the same '
                    'signed change twice (AuthFailure; reads are not '
                    'checked). Per process: '
                    'with several api workers a replay to another worker '
                    'is not caught. 0 turns the check off.'),
    cfg.IntOpt('ec2_terminated_visible', default=3600, min=0,
               help='Seconds a terminated instance stays listed by '
                    'EC2 DescribeInstances.'),
    cfg.PortOpt('volume_port', default=8776,
                help='Block storage (Cinder v3 subset) API port.'),
    cfg.IntOpt('max_request_body_size', default=114688, min=1024,
               help='Largest JSON request body accepted, in bytes (413 '
                    'beyond). Image uploads are not limited by it.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Most items one list request returns.'),
    cfg.IntOpt('workers_threads', default=64, min=4,
               help='Most requests served at once per API port.'),
    cfg.StrOpt('region_name', default='RegionOne',
               help='Region name in the service catalog.'),
    cfg.PortOpt('dashboard_port', default=8000,
                help='Web dashboard port (served at /dashboard). The '
                     'dashboard calls the other APIs through the catalog '
                     'as any client does.'),
    cfg.StrOpt('dashboard_secret_key', secret=True,
               help='Key that signs the dashboard\'s session cookies '
                    '(HMAC-SHA256). When unset a random key is made at '
                    'start, so every restart logs everyone out; sessions '
                    'live in the api daemon\'s memory either way.'),
    cfg.IntOpt('dashboard_session_timeout', default=3600, min=60,
               help='Seconds a dashboard session may stay idle before it '
                    'ends (it also ends when its token expires).'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(opts, group=api_group)


def list_opts():
    return {'api': opts}
