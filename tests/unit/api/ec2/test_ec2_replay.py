"""Replay protection (issue 9): a signed request is accepted once while
its timestamp is valid; a replay or a tampered copy is AuthFailure."""
import datetime
import urllib.parse

import pytest
from botocore import auth as bc_auth
from botocore import awsrequest
from botocore import credentials

from stratus.api import wsgi
from stratus.api.ec2 import app as ec2_app
from stratus.api.ec2 import replay
from tests.fixtures.identity import cloud_ids  # noqa: F401
from tests.unit.api.ec2.test_ec2_app import FakeCompute
from tests.unit.api.ec2.test_ec2_app import URL
from tests.unit.api.ec2.test_ec2_app import _error
from tests.unit.api.ec2.test_ec2_app import cred  # noqa: F401

T0 = datetime.datetime(2026, 1, 1, 12, 0, 0)


def _at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def test_a_key_is_accepted_once_until_it_expires():
    seen = replay.SeenSignatures(10)
    assert seen.first_use(('ak', 'sig'), _at(60), _at(0))
    assert not seen.first_use(('ak', 'sig'), _at(60), _at(30))
    assert seen.first_use(('ak', 'other'), _at(60), _at(30))
    # Past its validity the entry is dropped (the timestamp check refuses
    # such a request before it gets here).
    assert seen.first_use(('ak', 'sig'), _at(120), _at(61))
    assert len(seen) == 1


def test_the_cache_is_bounded_dropping_the_soonest_to_expire():
    seen = replay.SeenSignatures(3)
    for n, until in enumerate((50, 10, 30)):
        assert seen.first_use(('ak', str(n)), _at(until), _at(0))
    assert seen.first_use(('ak', '3'), _at(40), _at(0))
    assert len(seen) == 3
    assert seen.first_use(('ak', '1'), _at(10), _at(0))   # was dropped
    assert not seen.first_use(('ak', '0'), _at(50), _at(0))


def test_size_zero_turns_the_check_off():
    seen = replay.SeenSignatures(0)
    assert seen.first_use(('ak', 'sig'), _at(60), _at(0))
    assert seen.first_use(('ak', 'sig'), _at(60), _at(0))


def _signed(form):
    body = urllib.parse.urlencode(form)
    request = awsrequest.AWSRequest(
        method='POST', url=URL, data=body,
        headers={'Content-Type': 'application/x-www-form-urlencoded'})
    bc_auth.SigV4Auth(credentials.Credentials('ak', 'sk'), 'ec2',
                      'RegionOne').add_auth(request)
    return body, dict(request.headers.items())


def _send(app, body, headers):
    req = wsgi.Request.blank('/services/Cloud/', method='POST',
                             body=body.encode())
    for key, value in headers.items():
        req.headers[key] = value
    req.headers['Host'] = 'localhost'
    return req.get_response(app)


@pytest.mark.usefixtures('cred')
def test_the_same_signed_change_twice_is_auth_failure():
    app = ec2_app.Ec2Application(FakeCompute())
    body, headers = _signed({'Action': 'DeleteKeyPair', 'KeyName': 'k',
                             'Version': '2016-11-15'})
    first = _send(app, body, headers)
    assert first.status_int == 200 or _error(first)[1] != 'AuthFailure'
    replayed = _send(app, body, headers)
    assert _error(replayed) == (401, 'AuthFailure')
    assert b'already received' in replayed.body


@pytest.mark.usefixtures('cred')
def test_the_same_signed_read_twice_is_served():
    """A repeated read within the signature's second is a client polling,
    and gives an eavesdropper nothing it had not already seen."""
    app = ec2_app.Ec2Application(FakeCompute())
    body, headers = _signed({'Action': 'DescribeKeyPairs',
                             'Version': '2016-11-15'})
    assert _send(app, body, headers).status_int == 200
    assert _send(app, body, headers).status_int == 200


@pytest.mark.usefixtures('cred')
def test_a_tampered_parameter_is_auth_failure():
    app = ec2_app.Ec2Application(FakeCompute())
    body, headers = _signed({'Action': 'DescribeKeyPairs',
                             'KeyName.1': 'mine'})
    tampered = body.replace('mine', 'yours')
    resp = _send(app, tampered, headers)
    assert _error(resp) == (401, 'AuthFailure')
    assert b'does not match' in resp.body
    # The refused copy did not use up the genuine request.
    assert _error(_send(app, body, headers)) == \
        (400, 'InvalidKeyPair.NotFound')
