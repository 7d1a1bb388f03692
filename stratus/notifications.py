"""Versioned notifications in the shape Nova's carry.

Sent on the oslo.messaging notifier (topic ``versioned_notifications``);
the driver comes from ``[oslo_messaging_notifications] driver`` and is
empty (noop) by default, so nothing is sent unless an operator asks.
"""
import threading

from oslo_log import log as logging
from oslo_utils import timeutils

from stratus import conf
from stratus import rpc

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_notifiers = {}
_lock = threading.Lock()


def _notifier(publisher_id):
    with _lock:
        notifier = _notifiers.get(publisher_id)
        if notifier is None:
            notifier = rpc.get_notifier(publisher_id)
            _notifiers[publisher_id] = notifier
        return notifier


def reset():
    with _lock:
        _notifiers.clear()


def _ip_addresses(instance):
    addresses = []
    for vif in instance.get('network_info') or []:
        network = vif.get('network') or {}
        label = network.get('label') if isinstance(network, dict) else \
            network
        for ip in vif.get('ips') or []:
            addresses.append({
                'nova_object.name': 'IpPayload',
                'nova_object.data': {
                    'address': ip.get('address') or ip.get('addr'),
                    'version': ip.get('version', 4), 'label': label,
                    'mac': vif.get('address'), 'port_uuid': vif.get('id'),
                    'device_name': vif.get('devname')}})
    return addresses


def instance_payload(instance, context, fault=None):
    """The ``InstanceActionPayload`` fields Nova sends for an instance."""
    flavor = instance.get('flavor') or {}
    data = {
        'uuid': instance['uuid'],
        'display_name': instance.get('display_name'),
        'state': instance.get('vm_state'),
        'task_state': instance.get('task_state'),
        'power_state': instance.get('power_state'),
        'host': instance.get('host'),
        'node': instance.get('node'),
        'tenant_id': instance.get('project_id'),
        'user_id': instance.get('user_id'),
        'image_uuid': instance.get('image_ref'),
        'availability_zone': instance.get('availability_zone'),
        'flavor': {'nova_object.name': 'FlavorPayload',
                   'nova_object.data': {
                       'flavorid': flavor.get('flavorid'),
                       'name': flavor.get('name'),
                       'vcpus': flavor.get('vcpus'),
                       'memory_mb': flavor.get('memory_mb'),
                       'root_gb': flavor.get('root_gb'),
                       'ephemeral_gb': flavor.get('ephemeral_gb')}},
        'ip_addresses': _ip_addresses(instance),
        'request_id': context.request_id,
        'action_initiator_user': context.user_id,
        'action_initiator_project': context.project_id,
        'launched_at': instance.get('launched_at'),
        'fault': None,
    }
    if fault is not None:
        data['fault'] = {'nova_object.name': 'ExceptionPayload',
                         'nova_object.data': {
                             'exception': type(fault).__name__,
                             'exception_message': getattr(
                                 fault, 'message', None) or str(fault)}}
    return {'nova_object.name': 'InstanceActionPayload',
            'nova_object.namespace': 'nova',
            'nova_object.version': '1.8',
            'nova_object.data': data}


def enabled():
    """False when no notification driver is configured: callers skip
    building what they would send."""
    return bool(CONF.oslo_messaging_notifications.driver)


def notify_instance(context, instance, action, phase, host=None,
                    fault=None):
    """Send ``instance.<action>.<phase>``; never raises.

    :param phase: 'start', 'end' or 'error' ('error' sends at ERROR).
    """
    if not enabled():
        return
    try:
        payload = instance_payload(instance, context, fault)
        payload['nova_object.data']['timestamp'] = timeutils.utcnow()
        notifier = _notifier('stratus-compute:%s' % (host or CONF.host))
        event_type = 'instance.%s.%s' % (action, phase)
        if phase == 'error':
            notifier.error(context, event_type, payload)
        else:
            notifier.info(context, event_type, payload)
    except Exception:
        LOG.warning('Could not send instance.%s.%s for %s', action, phase,
                    instance.get('uuid'), exc_info=True)
