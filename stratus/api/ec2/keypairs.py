"""Key pair actions: Create, Import, Describe and Delete."""
import base64
import binascii

from stratus import exception
from stratus.api.ec2 import errors
from stratus.api.ec2 import ids
from stratus.api.ec2 import params as p

_MAX_NAME = 255

_FILTERS = {
    'key-name': lambda k: [k['name']],
    'fingerprint': lambda k: [k['fingerprint']],
    'key-pair-id': lambda k: [ids.keypair_ec2_id(k)],
}


def _name(params):
    name = p.get_str(params, 'KeyName', required=True)
    if len(name) > _MAX_NAME or not name.isprintable():
        raise errors.invalid_parameter('Value (%s) for parameter KeyName '
                                       'is invalid.' % name)
    return name


def _created(compute, ctxt, name, public_key=None):
    try:
        return compute.create_keypair(ctxt, ctxt.user_id, name,
                                      public_key=public_key)
    except exception.KeypairExists:
        raise errors.Ec2Error('InvalidKeyPair.Duplicate',
                              "The keypair '%s' already exists." % name)
    except exception.QuotaExceeded:
        raise errors.Ec2Error('ResourceLimitExceeded',
                              'Maximum number of key pairs reached.')
    except exception.Invalid as e:
        raise errors.Ec2Error('InvalidKey.Format', e.message)


def create_key_pair(api, ctxt, params):
    name = _name(params)
    if p.get_str(params, 'KeyType', default='rsa') != 'rsa':
        raise errors.invalid_parameter('Only rsa key pairs can be '
                                       'generated.')
    keypair, private_key = _created(api.compute, ctxt, name)
    return {'keyName': keypair['name'],
            'keyFingerprint': keypair['fingerprint'],
            'keyMaterial': private_key,
            'keyPairId': ids.keypair_ec2_id(keypair)}


def _public_key(params):
    material = p.get_str(params, 'PublicKeyMaterial', required=True)
    try:
        decoded = base64.b64decode(material, validate=True).decode('utf-8')
    except (binascii.Error, ValueError, UnicodeDecodeError):
        decoded = material  # euca2ools sends the key as is
    if not decoded.startswith(('ssh-', 'ecdsa-')):
        decoded = material
    return decoded


def import_key_pair(api, ctxt, params):
    name = _name(params)
    keypair, _unused = _created(api.compute, ctxt, name,
                                _public_key(params))
    return {'keyName': keypair['name'],
            'keyFingerprint': keypair['fingerprint'],
            'keyPairId': ids.keypair_ec2_id(keypair)}


def describe_key_pairs(api, ctxt, params):
    filters = p.get_filters(params)
    for name in filters:
        if name not in _FILTERS:
            raise errors.invalid_parameter("The filter '%s' is invalid" %
                                           name)
    keypairs = api.compute.get_keypairs(ctxt, ctxt.user_id)
    names = p.get_list(params, 'KeyName')
    key_ids = p.get_list(params, 'KeyPairId')
    known = {k['name'] for k in keypairs}
    for name in names:
        if name not in known:
            raise errors.keypair_not_found(name)
    known_ids = {ids.keypair_ec2_id(k) for k in keypairs}
    for key_id in key_ids:
        if key_id not in known_ids:
            raise errors.Ec2Error('InvalidKeyPair.NotFound', "The key pair "
                                  "'%s' does not exist" % key_id)
    if names:
        keypairs = [k for k in keypairs if k['name'] in names]
    if key_ids:
        keypairs = [k for k in keypairs if ids.keypair_ec2_id(k) in key_ids]
    keypairs = [k for k in keypairs if all(
        any(v in values for v in _FILTERS[f](k))
        for f, values in filters.items())]
    with_public = p.get_bool(params, 'IncludePublicKey')
    return {'keySet': [{
        'keyPairId': ids.keypair_ec2_id(k), 'keyName': k['name'],
        'keyFingerprint': k['fingerprint'], 'keyType': 'rsa',
        'createTime': k['created_at'],
        'publicKey': k['public_key'] if with_public else None,
        'tagSet': []} for k in keypairs]}


def delete_key_pair(api, ctxt, params):
    """Deleting a key pair that does not exist succeeds, as in EC2."""
    name = p.get_str(params, 'KeyName')
    key_id = p.get_str(params, 'KeyPairId')
    if name is None and key_id is None:
        raise errors.missing_parameter('KeyName')
    if name is None:
        found = [k for k in api.compute.get_keypairs(ctxt, ctxt.user_id)
                 if ids.keypair_ec2_id(k) == key_id]
        if not found:
            return {'return': True}
        name = found[0]['name']
    try:
        keypair = api.compute.get_keypair(ctxt, ctxt.user_id, name)
        api.compute.delete_keypair(ctxt, ctxt.user_id, name)
    except exception.KeypairNotFound:
        return {'return': True}
    return {'return': True, 'keyPairId': ids.keypair_ec2_id(keypair)}
