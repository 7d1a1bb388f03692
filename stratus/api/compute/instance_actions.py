"""``/servers/{id}/os-instance-actions``: what was done to a server."""
from stratus import exception
from stratus import policy
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.compute.servers import allowed
from stratus.api.compute.views import servers as server_views
from stratus.compute import api as compute_api

_ACTION_FIELDS = ('action', 'instance_uuid', 'request_id', 'user_id',
                  'project_id', 'message')


def _action_view(req, action):
    body = {k: action.get(k) for k in _ACTION_FIELDS}
    body['start_time'] = common.isotime_us(action['start_time'])
    if common.at_least(req, '2.58'):
        body['updated_at'] = common.isotime_us(action.get('updated_at'))
    return body


def _event_view(req, inst, event, show_traceback, show_host):
    body = {'event': event['event'],
            'start_time': common.isotime_us(event['start_time']),
            'finish_time': common.isotime_us(event['finish_time']),
            'result': event['result']}
    if show_traceback:
        body['traceback'] = event['traceback']
    if common.at_least(req, '2.62'):
        body['hostId'] = server_views.host_id(
            {'project_id': inst['project_id'], 'host': event['host']})
        if show_host:
            body['host'] = event['host'] or ''
    if common.at_least(req, '2.84'):
        body['details'] = event['details']
    return body


class InstanceActionsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    def _instance(self, req, server_id, rule):
        ctxt = req.context
        inst = self.compute_api.get(
            ctxt, server_id, read_deleted=common.at_least(req, '2.21'))
        policy.authorize(ctxt, rule, {'project_id': inst['project_id'],
                                      'user_id': inst['user_id']})
        return inst

    def index(self, req, server_id):
        inst = self._instance(req, server_id, policies.ACTIONS_LIST)
        actions = self.compute_api.get_actions(
            req.context, server_id,
            read_deleted=common.at_least(req, '2.21'))
        body = {}
        if common.at_least(req, '2.58'):
            limit, marker = common.get_limit_marker(req)
            if marker is not None:
                ids = [a['request_id'] for a in actions]
                if marker not in ids:
                    raise exception.Invalid(reason='Marker %s could not be '
                                                   'found.' % marker)
                actions = actions[ids.index(marker) + 1:]
            actions = actions[:limit]
            links = common.next_link(
                req, 'servers/%s/os-instance-actions' % inst['uuid'],
                [{'id': a['request_id']} for a in actions], limit)
            if links:
                body['links'] = links
        body['instanceActions'] = [_action_view(req, a) for a in actions]
        return body

    def show(self, req, server_id, id):
        inst = self._instance(req, server_id, policies.ACTIONS_SHOW)
        action = self.compute_api.get_action(
            req.context, server_id, id,
            read_deleted=common.at_least(req, '2.21'))
        body = _action_view(req, action)
        admin_events = allowed(req.context, policies.ACTIONS_EVENTS)
        if common.at_least(req, '2.51') or admin_events:
            details = allowed(req.context, policies.ACTIONS_EVENTS_DETAILS)
            body['events'] = [
                _event_view(req, inst, e, show_traceback=details,
                            show_host=admin_events)
                for e in action['events']]
        return {'instanceAction': body}
