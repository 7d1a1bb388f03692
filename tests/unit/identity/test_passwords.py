from stratus import conf
from stratus.identity import passwords

CONF = conf.CONF


def test_hash_verifies_and_salts():
    CONF.set_override('password_hash_rounds', 1000, 'identity')
    try:
        first = passwords.hash_password('s3cret')
        second = passwords.hash_password('s3cret')
        assert first != second  # salted
        assert 's3cret' not in first
        assert first.startswith('pbkdf2_sha256$1000$')
        assert passwords.verify_password('s3cret', first)
        assert not passwords.verify_password('s3cret!', first)
    finally:
        CONF.clear_override('password_hash_rounds', 'identity')


def test_old_rounds_still_verify_after_a_change():
    CONF.set_override('password_hash_rounds', 1000, 'identity')
    stored = passwords.hash_password('pw')
    CONF.set_override('password_hash_rounds', 2000, 'identity')
    try:
        assert passwords.verify_password('pw', stored)
        assert passwords.hash_password('pw').startswith('pbkdf2_sha256$2000$')
    finally:
        CONF.clear_override('password_hash_rounds', 'identity')


def test_missing_or_garbage_hash_refuses():
    CONF.set_override('password_hash_rounds', 1000, 'identity')
    try:
        assert not passwords.verify_password('pw', None)
        assert not passwords.verify_password('pw', 'nonsense')
        assert not passwords.verify_password('pw', 'md5$1$a$b')
    finally:
        CONF.clear_override('password_hash_rounds', 'identity')
