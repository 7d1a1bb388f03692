"""The one module that wraps oslo.messaging.

Daemons get a transport, RPC clients for a topic and RPC servers for their
endpoints from here; the context travels as a dict beside every message so
that the request id reaches every daemon's logs.
"""
import datetime
import importlib

import oslo_messaging as messaging
from oslo_log import log as logging

from stratus import conf
from stratus import context as stratus_context
from stratus import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# Exceptions from these modules are re-raised as themselves on the caller.
ALLOWED_EXMODS = [exception.__name__]

_TRANSPORT = None
_NOTIFICATION_TRANSPORT = None


def init(conf_obj=None):
    """Create the transport; call once per process, after config is read."""
    global _TRANSPORT
    if _TRANSPORT is None:
        _TRANSPORT = messaging.get_rpc_transport(
            conf_obj or CONF, allowed_remote_exmods=ALLOWED_EXMODS)
    return _TRANSPORT


def cleanup():
    global _TRANSPORT, _NOTIFICATION_TRANSPORT
    for transport in (_TRANSPORT, _NOTIFICATION_TRANSPORT):
        if transport is not None:
            transport.cleanup()
    _TRANSPORT = _NOTIFICATION_TRANSPORT = None


def get_transport():
    return init()


_DT = '__datetime__'


def _to_wire(value):
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    if isinstance(value, datetime.datetime):
        return {_DT: value.isoformat()}
    return value


def _from_wire(value):
    if isinstance(value, dict):
        if len(value) == 1 and _DT in value:
            return datetime.datetime.fromisoformat(value[_DT])
        return {k: _from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_wire(v) for v in value]
    return value


class LazyClient:
    """A class attribute holding a daemon's client API (``rpcapi.py``),
    built on first use so that importing or constructing its owner needs
    no transport. Assignable: tests put fakes in.

    ``conductor_rpcapi = rpc.LazyClient('stratus.conductor.rpcapi',
    'ConductorAPI')`` keeps the client in ``_conductor_rpcapi``.
    """

    def __init__(self, module, cls):
        self.module, self.cls = module, cls
        self.attr = None

    def __set_name__(self, owner, name):
        self.attr = '_' + name
        setattr(owner, self.attr, None)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        client = getattr(obj, self.attr)
        if client is None:
            client = getattr(importlib.import_module(self.module),
                             self.cls)()
            setattr(obj, self.attr, client)
        return client

    def __set__(self, obj, value):
        setattr(obj, self.attr, value)


class RequestContextSerializer(messaging.Serializer):
    """Sends the context as a plain dict. Payloads are plain data; only
    datetimes are tagged so that they arrive as datetimes, not strings."""

    def serialize_entity(self, ctxt, entity):
        return _to_wire(entity)

    def deserialize_entity(self, ctxt, entity):
        return _from_wire(entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return stratus_context.RequestContext.from_dict(ctxt)


def get_client(topic, version='1.0', timeout=None):
    """An RPC client for ``topic``; ``prepare(server=...)`` targets a host."""
    target = messaging.Target(topic=topic, version=version)
    return messaging.get_rpc_client(get_transport(), target, timeout=timeout,
                                    serializer=RequestContextSerializer())


def get_server(topic, host, endpoints):
    """An RPC server consuming ``topic`` and ``topic.host``.

    The threading executor is oslo.messaging's default once the threading
    backend is selected (see ``stratus.cmd``); no ``executor=`` is passed.
    """
    target = messaging.Target(topic=topic, server=host)
    return messaging.get_rpc_server(
        get_transport(), target, endpoints,
        serializer=RequestContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)


def get_notifier(publisher_id):
    """A versioned notifier; the driver comes from [oslo_messaging_notifications]."""
    global _NOTIFICATION_TRANSPORT
    if _NOTIFICATION_TRANSPORT is None:
        _NOTIFICATION_TRANSPORT = messaging.get_notification_transport(
            CONF, allowed_remote_exmods=ALLOWED_EXMODS)
    return messaging.Notifier(_NOTIFICATION_TRANSPORT,
                              publisher_id=publisher_id,
                              serializer=NotificationSerializer(),
                              topics=['versioned_notifications'])


def _iso(value):
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_iso(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


class NotificationSerializer(RequestContextSerializer):
    """Notification consumers read plain ISO 8601 strings, as Nova's
    versioned notifications carry them."""

    def serialize_entity(self, ctxt, entity):
        return _iso(entity)
