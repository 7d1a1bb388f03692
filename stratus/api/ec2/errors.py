"""EC2 error codes, and how Stratus exceptions become them."""
from stratus import exception


class Ec2Error(Exception):
    """An error answered as ``<Response><Errors><Error>``.

    :param code: the EC2 error code (``InvalidInstanceID.NotFound``...).
    :param status: the HTTP status (400 for client errors).
    """

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def auth_failure(message):
    return Ec2Error('AuthFailure', message, 401)


def invalid_parameter(message):
    return Ec2Error('InvalidParameterValue', message)


def missing_parameter(name):
    return Ec2Error('MissingParameter', 'The request must contain the '
                    'parameter %s' % name)


def instance_not_found(ec2_id):
    return Ec2Error('InvalidInstanceID.NotFound',
                    "The instance ID '%s' does not exist" % ec2_id)


def malformed_instance_id(ec2_id):
    return Ec2Error('InvalidInstanceID.Malformed',
                    'Invalid id: "%s" (expecting "i-...")' % ec2_id)


def image_not_found(ec2_id):
    return Ec2Error('InvalidAMIID.NotFound',
                    "The image id '[%s]' does not exist" % ec2_id)


def malformed_image_id(ec2_id):
    return Ec2Error('InvalidAMIID.Malformed',
                    'Invalid id: "%s" (expecting "ami-...")' % ec2_id)


def keypair_not_found(name):
    return Ec2Error('InvalidKeyPair.NotFound',
                    "The key pair '%s' does not exist" % name)


def volume_not_found(ec2_id):
    return Ec2Error('InvalidVolume.NotFound',
                    "The volume '%s' does not exist." % ec2_id)


def malformed_volume_id(ec2_id):
    return Ec2Error('InvalidVolumeID.Malformed',
                    'Invalid id: "%s" (expecting "vol-...")' % ec2_id)


def address_not_found(address):
    return Ec2Error('InvalidAddress.NotFound',
                    "Address '%s' not found." % address)


def group_not_found(name_or_id):
    return Ec2Error('InvalidGroup.NotFound',
                    "The security group '%s' does not exist" % name_or_id)


def malformed_group_id(ec2_id):
    return Ec2Error('InvalidGroupId.Malformed',
                    'Invalid id: "%s" (expecting "sg-...")' % ec2_id)


# (exception class, EC2 code, HTTP status), first match wins.
_MAP = (
    (exception.InstanceNotFound, 'InvalidInstanceID.NotFound', 400),
    (exception.ImageNotFound, 'InvalidAMIID.NotFound', 400),
    (exception.KeypairNotFound, 'InvalidKeyPair.NotFound', 400),
    (exception.KeypairExists, 'InvalidKeyPair.Duplicate', 400),
    (exception.VolumeNotFound, 'InvalidVolume.NotFound', 400),
    (exception.VolumeAttachmentNotFound, 'IncorrectState', 400),
    (exception.VolumeInvalidState, 'IncorrectState', 400),
    (exception.FloatingIpNotFound, 'InvalidAddress.NotFound', 400),
    (exception.NoMoreFloatingIps, 'AddressLimitExceeded', 400),
    (exception.FloatingIpAssociated, 'InvalidIPAddress.InUse', 400),
    (exception.SecurityGroupNotFound, 'InvalidGroup.NotFound', 400),
    (exception.SecurityGroupRuleNotFound, 'InvalidPermission.NotFound',
     400),
    (exception.InstanceInvalidState, 'IncorrectInstanceState', 400),
    (exception.UnexpectedTaskState, 'IncorrectInstanceState', 400),
    (exception.QuotaExceeded, 'InstanceLimitExceeded', 400),
    (exception.Forbidden, 'UnauthorizedOperation', 403),
    (exception.NotAuthenticated, 'AuthFailure', 401),
    (exception.Conflict, 'IncorrectState', 400),
    (exception.RequestTooLarge, 'InvalidParameterValue', 400),
    (exception.Invalid, 'InvalidParameterValue', 400),
    (exception.NotFound, 'InvalidParameterValue', 400),
    (exception.ServiceUnavailable, 'Unavailable', 503),
)


def from_stratus(exc):
    """The ``Ec2Error`` for a ``StratusException``; None for unmapped."""
    for cls, code, status in _MAP:
        if isinstance(exc, cls):
            return Ec2Error(code, exc.message, status)
    return None
