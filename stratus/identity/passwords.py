"""Password hashing: PBKDF2-SHA256 from hashlib, compared in constant time.

A stored hash reads ``pbkdf2_sha256$<rounds>$<salt>$<digest>`` (base64
salt and digest), so changing ``[identity] password_hash_rounds`` only
affects passwords set afterwards; old hashes keep verifying.
"""
import base64
import hashlib
import hmac
import secrets

from stratus import conf

CONF = conf.CONF

_SCHEME = 'pbkdf2_sha256'
_SALT_BYTES = 16


def _b64(raw):
    return base64.b64encode(raw).decode('ascii')


def _derive(password, salt, rounds):
    return hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'), salt,
                               rounds)


def hash_password(password):
    """:returns: the string to store for ``password``."""
    rounds = CONF.identity.password_hash_rounds
    salt = secrets.token_bytes(_SALT_BYTES)
    return '%s$%d$%s$%s' % (_SCHEME, rounds, _b64(salt),
                            _b64(_derive(password, salt, rounds)))


def verify_password(password, stored):
    """True when ``password`` matches ``stored``; False for no/bad hash."""
    if not stored or password is None:
        # Still spend the time, so a missing user isn't told apart by timing.
        _derive('x', b'0' * _SALT_BYTES, CONF.identity.password_hash_rounds)
        return False
    try:
        scheme, rounds, salt, digest = stored.split('$')
        rounds = int(rounds)
        salt = base64.b64decode(salt)
        digest = base64.b64decode(digest)
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    return hmac.compare_digest(_derive(password, salt, rounds), digest)
