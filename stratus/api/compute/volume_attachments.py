"""``/servers/{server_id}/os-volume_attachments``: list, attach, show and
detach volumes of a server (Nova's shapes; ``id`` is the volume id)."""
import webob
from oslo_policy import policy as o_policy

from stratus import exception
from stratus import policy
from stratus.api.compute import common
from stratus.api.schemas import types
from stratus.api.volume import api as volume_api
from stratus.api.volume import schemas

LIST = 'os_compute_api:os-volumes-attachments:index'
SHOW = 'os_compute_api:os-volumes-attachments:show'
CREATE = 'os_compute_api:os-volumes-attachments:create'
DELETE = 'os_compute_api:os-volumes-attachments:delete'
_MEMBER = 'rule:admin or rule:project_member'
_READER = 'rule:admin or rule:project_reader'

policy.register_rules([
    o_policy.RuleDefault(LIST, _READER, description='List attachments.'),
    o_policy.RuleDefault(SHOW, _READER, description='Show an attachment.'),
    o_policy.RuleDefault(CREATE, _MEMBER, description='Attach a volume.'),
    o_policy.RuleDefault(DELETE, _MEMBER, description='Detach a volume.'),
])


def _view(req, att):
    body = {'id': att['volume_id'], 'serverId': att['instance_uuid'],
            'volumeId': att['volume_id'], 'device': att['mountpoint']}
    if common.at_least(req, '2.70'):
        body['tag'] = None
    if common.at_least(req, '2.79'):
        body['delete_on_termination'] = bool(
            att.get('delete_on_termination'))
    return body


class VolumeAttachmentsController:
    def __init__(self, compute_api, api=None):
        self.compute_api = compute_api
        self.api = api or volume_api.VolumeAPI()

    def _instance(self, req, server_id, rule):
        inst = self.compute_api.get(req.context, server_id)
        policy.authorize(req.context, rule,
                         {'project_id': inst['project_id'],
                          'user_id': inst['user_id']})
        return inst

    def _attached(self, inst):
        found = self.api.attachments(instance_uuid=inst['uuid'])
        return [a for atts in found.values() for a in atts
                if a['attach_status'] == 'attached']

    def index(self, req, server_id):
        inst = self._instance(req, server_id, LIST)
        limit, _marker = common.get_limit_marker(req)
        offset = common.positive_int(req.GET.get('offset', 0), 'offset', 0)
        atts = self._attached(inst)[offset:offset + limit]
        return {'volumeAttachments': [_view(req, a) for a in atts]}

    def show(self, req, server_id, id):
        inst = self._instance(req, server_id, SHOW)
        for att in self._attached(inst):
            if att['volume_id'] == id:
                return {'volumeAttachment': _view(req, att)}
        raise exception.VolumeAttachmentNotFound(volume_id=id,
                                                 instance_uuid=server_id)

    def create(self, req, server_id):
        inst = self._instance(req, server_id, CREATE)
        body = req.json()
        common.validate(schemas.attach, body)
        spec = body['volumeAttachment']
        if 'tag' in spec and not common.at_least(req, '2.49'):
            raise exception.ValidationError(field='tag',
                                            reason='Needs microversion 2.49.')
        if 'delete_on_termination' in spec and \
                not common.at_least(req, '2.79'):
            raise exception.ValidationError(
                field='delete_on_termination',
                reason='Needs microversion 2.79.')
        att = self.api.attach(
            req.context, inst, spec['volumeId'], spec.get('device'),
            types.to_bool(spec.get('delete_on_termination', False)))
        return {'volumeAttachment': _view(req, att)}

    def delete(self, req, server_id, id):
        inst = self._instance(req, server_id, DELETE)
        self.api.detach(req.context, inst, id)
        return webob.Response(status=202)
