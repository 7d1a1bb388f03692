"""All of Stratus's options, registered on the global ``cfg.CONF``.

oslo.messaging registers its own options (``transport_url``, tracing) on the
same object, so everything shares one namespace and one config file.
"""
from oslo_config import cfg

from stratus.conf import api
from stratus.conf import compute
from stratus.conf import database
from stratus.conf import default
from stratus.conf import identity
from stratus.conf import image
from stratus.conf import libvirt
from stratus.conf import network
from stratus.conf import scheduler
from stratus.conf import volume

CONF = cfg.CONF

_MODULES = (default, api, database, identity, image, scheduler, compute,
            libvirt, network, volume)

for _mod in _MODULES:
    _mod.register_opts(CONF)


def _register_library_opts():
    # oslo.messaging registers transport_url & co. only when a transport is
    # first made; register them now so config overrides work before that.
    from oslo_messaging import opts as messaging_opts
    for group, opts in messaging_opts.list_opts():
        CONF.register_opts(opts, group=group)


_register_library_opts()


def list_opts():
    """Entry point for oslo-config-generator (``stratus.conf``)."""
    groups = {}
    for mod in _MODULES:
        for group, opts in mod.list_opts().items():
            groups.setdefault(group, []).extend(opts)
    return sorted(groups.items(), key=lambda kv: kv[0])
