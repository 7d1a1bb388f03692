"""The EC2 query API's WSGI application and its action table.

A request is a GET or a form POST to ``/services/Cloud``; its ``Action``
parameter names the handler. Authentication (SigV4 or v2) comes first,
so an unsigned caller learns nothing else. Every failure is an EC2 XML
error; only a bug gives ``InternalError`` (500), logged with its
traceback.
"""
import urllib.parse
import uuid

import oslo_messaging as messaging
import webob
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.api.ec2 import addresses
from stratus.api.ec2 import auth
from stratus.api.ec2 import backends
from stratus.api.ec2 import errors
from stratus.api.ec2 import images
from stratus.api.ec2 import instances
from stratus.api.ec2 import keypairs
from stratus.api.ec2 import render
from stratus.api.ec2 import replay
from stratus.api.ec2 import security_groups
from stratus.api.ec2 import signature
from stratus.api.ec2 import volumes
from stratus.api.ec2 import zones
from stratus.compute import api as compute_api

CONF = conf.CONF
LOG = logging.getLogger(__name__)

PATHS = ('/services/Cloud', '/services/Cloud/')


# Action name -> handler(backends.Backends, context, params) -> body.
ACTIONS = {
    'RunInstances': instances.run_instances,
    'DescribeInstances': instances.describe_instances,
    'TerminateInstances': instances.terminate_instances,
    'StopInstances': instances.stop_instances,
    'StartInstances': instances.start_instances,
    'RebootInstances': instances.reboot_instances,
    'GetConsoleOutput': instances.get_console_output,
    'DescribeImages': images.describe_images,
    'CreateKeyPair': keypairs.create_key_pair,
    'ImportKeyPair': keypairs.import_key_pair,
    'DescribeKeyPairs': keypairs.describe_key_pairs,
    'DeleteKeyPair': keypairs.delete_key_pair,
    'DescribeAvailabilityZones': zones.describe_availability_zones,
    'CreateVolume': volumes.create_volume,
    'DescribeVolumes': volumes.describe_volumes,
    'AttachVolume': volumes.attach_volume,
    'DetachVolume': volumes.detach_volume,
    'DeleteVolume': volumes.delete_volume,
    'AllocateAddress': addresses.allocate_address,
    'DescribeAddresses': addresses.describe_addresses,
    'AssociateAddress': addresses.associate_address,
    'DisassociateAddress': addresses.disassociate_address,
    'ReleaseAddress': addresses.release_address,
    'CreateSecurityGroup': security_groups.create_security_group,
    'DescribeSecurityGroups': security_groups.describe_security_groups,
    'AuthorizeSecurityGroupIngress':
        security_groups.authorize_security_group_ingress,
    'RevokeSecurityGroupIngress':
        security_groups.revoke_security_group_ingress,
    'DeleteSecurityGroup': security_groups.delete_security_group,
}


def _read_body(req):
    limit = CONF.api.max_request_body_size
    if req.content_length and req.content_length > limit:
        raise errors.invalid_parameter('The request is too large.')
    body = req.body_file.read(limit + 1) if req.content_length else b''
    if len(body) > limit:
        raise errors.invalid_parameter('The request is too large.')
    return body


def _params(req, body):
    """Query string and form body parameters, the body winning."""
    params = dict(urllib.parse.parse_qsl(req.query_string,
                                         keep_blank_values=True))
    ctype = (req.content_type or '').lower()
    if body and ctype in ('', 'application/x-www-form-urlencoded'):
        try:
            params.update(urllib.parse.parse_qsl(
                body.decode('utf-8'), keep_blank_values=True,
                strict_parsing=False))
        except UnicodeDecodeError:
            raise errors.invalid_parameter('The request body is not '
                                           'UTF-8.')
    return params


def _read_only(action):
    return str(action or '').startswith(('Describe', 'Get'))


class Ec2Application:
    """WSGI application of the EC2 API.

    :param compute: the compute API (``stratus.compute.api.API``).
    :param actions: the action table (defaults to ``ACTIONS``).
    """

    def __init__(self, compute=None, actions=None):
        self.compute = compute or compute_api.API()
        self.backends = backends.Backends(self.compute)
        self.actions = actions if actions is not None else ACTIONS
        # Signatures this process accepted (replay protection).
        self.seen = replay.SeenSignatures(CONF.api.ec2_replay_cache_size)

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        request_id = 'req-' + str(uuid.uuid4())
        action, version = None, None
        try:
            action, version, body = self._handle(req, request_id)
            resp = self._xml(200, render.response(action, request_id, body,
                                                  version))
        except errors.Ec2Error as e:
            resp = self._error(e.status, e.code, e.message, request_id,
                               action)
        except exception.StratusException as e:
            mapped = errors.from_stratus(e) or errors.Ec2Error(
                'InternalError', e.message, 500)
            resp = self._error(mapped.status, mapped.code, mapped.message,
                               request_id, action)
        except messaging.MessagingTimeout:
            resp = self._error(503, 'Unavailable', 'A service did not '
                               'answer in time; try again.', request_id,
                               action)
        except Exception:
            LOG.exception('Unexpected error in EC2 action %s', action)
            resp = self._error(500, 'InternalError', 'An internal error '
                               'occurred; the request id is %s.' %
                               request_id, request_id, action)
        resp.headers['x-amzn-RequestId'] = request_id
        resp.headers['X-OpenStack-Request-ID'] = request_id
        return resp(environ, start_response)

    def _handle(self, req, request_id):
        path = req.script_name + req.path_info
        if path not in PATHS:
            raise errors.Ec2Error('InvalidRequest', 'Unknown path %s' %
                                  path, 404)
        if req.method not in ('GET', 'POST'):
            raise errors.Ec2Error('InvalidRequest', 'Unsupported method %s'
                                  % req.method, 405)
        body = _read_body(req)
        params = _params(req, body)
        msg = signature.Message(
            req.method, path, req.query_string,
            {k.lower(): v for k, v in req.headers.items()}, body, params)
        action = params.get('Action')
        # Only a replayed change does harm (a replayed read gives the
        # eavesdropper what it already saw), and clients legitimately
        # repeat the same read within the second a signature lasts.
        seen = None if _read_only(action) else self.seen
        ctxt = auth.authenticate(msg, request_id, seen)
        if not action:
            raise errors.missing_parameter('Action')
        handler = self.actions.get(action)
        if handler is None:
            raise errors.Ec2Error('InvalidAction', 'The action %s is not '
                                  'valid for this web service.' % action)
        LOG.debug('EC2 %s by user %s (project %s)', action, ctxt.user_id,
                  ctxt.project_id)
        return action, params.get('Version'), handler(self.backends, ctxt,
                                                      params)

    @staticmethod
    def _xml(status, payload):
        resp = webob.Response(status=status, content_type='text/xml',
                              charset='UTF-8')
        resp.body = payload
        return resp

    def _error(self, status, code, message, request_id, action):
        if status >= 500:
            LOG.warning('EC2 %s failed: %s %s', action, code, message)
        else:
            LOG.info('EC2 %s refused: %s %s', action, code, message)
        return self._xml(status, render.error(code, message, request_id))


def create_app():
    """:returns: the WSGI application served on ``[api] ec2_port``."""
    return Ec2Application()

