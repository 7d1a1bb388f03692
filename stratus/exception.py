"""Exceptions that may cross RPC or reach an API client.

Each carries the HTTP status the API answers with (``code``) and a message
template (``msg_fmt``). The API's fault wrapper turns them into OpenStack
fault bodies; oslo.messaging re-raises them on the calling side because this
module is on the transport's list of allowed remote exception modules.
"""


class StratusException(Exception):
    msg_fmt = 'An unknown error occurred.'
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = str(message)
        super().__init__(self.message)


class Invalid(StratusException):
    msg_fmt = 'Invalid input: %(reason)s'
    code = 400


class ValidationError(Invalid):
    msg_fmt = 'Invalid input for field/attribute %(field)s. %(reason)s'


class NotAuthenticated(StratusException):
    msg_fmt = 'Authentication required.'
    code = 401


class Forbidden(StratusException):
    msg_fmt = 'Policy does not allow %(action)s to be performed.'
    code = 403


class NotFound(StratusException):
    msg_fmt = 'Resource could not be found.'
    code = 404


class InstanceNotFound(NotFound):
    msg_fmt = 'Instance %(instance_id)s could not be found.'


class FlavorNotFound(NotFound):
    msg_fmt = 'Flavor %(flavor_id)s could not be found.'


class ImageNotFound(NotFound):
    msg_fmt = 'Image %(image_id)s could not be found.'


class KeypairNotFound(NotFound):
    msg_fmt = 'Keypair %(name)s not found for user %(user_id)s.'


class ServiceNotFound(NotFound):
    msg_fmt = 'Service %(service_id)s could not be found.'


class ComputeHostNotFound(NotFound):
    msg_fmt = 'Compute host %(host)s could not be found.'


class Conflict(StratusException):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' instance %(instance_uuid)s while it is "
               "in %(attr)s %(state)s")


class UnexpectedTaskState(Conflict):
    msg_fmt = ('Unexpected task state: expecting %(expected)s but the '
               'actual state is %(actual)s')


class KeypairExists(Conflict):
    msg_fmt = 'Key pair %(name)s already exists.'


class FlavorExists(Conflict):
    msg_fmt = 'Flavor with %(field)s %(value)s already exists.'


class Duplicate(Conflict):
    msg_fmt = '%(reason)s'


class RequestTooLarge(StratusException):
    msg_fmt = 'Request is too large.'
    code = 413


class QuotaExceeded(StratusException):
    msg_fmt = 'Quota exceeded for %(resource)s: requested %(requested)s, ' \
              'but already used %(used)s of %(allowed)s %(resource)s'
    code = 403


class ServiceUnavailable(StratusException):
    msg_fmt = 'Service unavailable: %(reason)s'
    code = 503


class NoValidHost(StratusException):
    msg_fmt = 'No valid host was found. %(reason)s'
    code = 500


class RescheduledException(StratusException):
    """This host cannot build the instance; another host may."""
    msg_fmt = 'Build of instance %(instance_uuid)s was re-scheduled: ' \
              '%(reason)s'


class BuildAbortException(StratusException):
    """The build can never succeed: ERROR without a retry."""
    msg_fmt = 'Build of instance %(instance_uuid)s aborted: %(reason)s'


class InstanceBuildTimeout(StratusException):
    msg_fmt = 'Instance %(instance_uuid)s did not reach %(state)s within ' \
              '%(timeout)s seconds.'


class VirtDriverError(StratusException):
    msg_fmt = 'Virt driver error: %(reason)s'


class NetworkNotFound(NotFound):
    msg_fmt = 'Network %(network_id)s could not be found.'


class FixedIpNotFound(NotFound):
    msg_fmt = 'No fixed IP for %(instance_uuid)s.'


class FloatingIpNotFound(NotFound):
    msg_fmt = 'Floating IP %(id)s could not be found.'


class PortNotFound(NotFound):
    msg_fmt = 'Port %(port_id)s could not be found.'


class SecurityGroupNotFound(NotFound):
    msg_fmt = 'Security group %(id)s does not exist.'


class SecurityGroupRuleNotFound(NotFound):
    msg_fmt = 'Security group rule %(id)s does not exist.'


class NoMoreFixedIps(StratusException):
    """A network is full: the build aborts (ERROR with this fault)."""
    msg_fmt = 'No fixed IP addresses available for network %(net)s.'
    code = 409


class NoMoreFloatingIps(NotFound):
    msg_fmt = 'No more floating IPs in pool %(pool)s.'


class FloatingIpAssociated(Conflict):
    msg_fmt = 'Floating IP %(address)s is associated; disassociate it first.'


class NetworkSetupError(StratusException):
    msg_fmt = 'Host networking failed: %(reason)s'


class AggregateNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s could not be found.'


class AggregateNameExists(Conflict):
    msg_fmt = 'Aggregate %(aggregate_name)s already exists.'


class AggregateHostExists(Conflict):
    msg_fmt = 'Aggregate %(aggregate_id)s already has host %(host)s.'


class AggregateHostNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s has no host %(host)s.'


class InvalidAggregateAction(Invalid):
    msg_fmt = 'Unacceptable parameters: %(reason)s'


class AggregateActionConflict(Conflict):
    msg_fmt = 'Cannot %(action)s aggregate %(aggregate_id)s. Reason: ' \
              '%(reason)s.'


class InstanceGroupNotFound(NotFound):
    msg_fmt = 'Instance group %(group_uuid)s could not be found.'


class HypervisorNotFound(NotFound):
    msg_fmt = 'Hypervisor %(hypervisor)s could not be found.'


class VolumeNotFound(NotFound):
    msg_fmt = 'Volume %(volume_id)s could not be found.'


class VolumeAttachmentNotFound(NotFound):
    msg_fmt = 'Volume %(volume_id)s is not attached to %(instance_uuid)s.'


class VolumeInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' volume %(volume_id)s while its status "
               "is %(status)s")


class VolumeNotCreated(StratusException):
    msg_fmt = ('Volume %(volume_id)s did not finish being created: its '
               'status is %(status)s (%(reason)s).')


class VolumeBackendError(StratusException):
    msg_fmt = 'Volume backend error: %(reason)s'
