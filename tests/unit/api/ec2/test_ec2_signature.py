"""SigV4 (and v2) verification against requests botocore itself signed."""
import base64
import datetime
import hashlib
import hmac
import urllib.parse

import pytest
from botocore import auth as bc_auth
from botocore import awsrequest
from botocore import credentials

from stratus.api.ec2 import signature

ACCESS, SECRET = 'AKIDEXAMPLE', 's3cr3t'
URL = 'http://127.0.0.1:8773/services/Cloud/'
BODY = b'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-00000001'


def _message(request, body=None):
    parts = urllib.parse.urlsplit(request.url)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers.setdefault('host', parts.netloc)
    body = request.body if body is None else body
    if isinstance(body, str):
        body = body.encode()
    params = dict(urllib.parse.parse_qsl(parts.query))
    params.update(urllib.parse.parse_qsl((body or b'').decode()))
    return signature.Message(request.method, parts.path, parts.query,
                             headers, body or b'', params)


def _header_signed(secret=SECRET, body=BODY):
    request = awsrequest.AWSRequest(
        method='POST', url=URL, data=body,
        headers={'Content-Type': 'application/x-www-form-urlencoded; '
                                 'charset=utf-8'})
    bc_auth.SigV4Auth(credentials.Credentials(ACCESS, secret), 'ec2',
                      'RegionOne').add_auth(request)
    return request


def _verifies(msg, secret=SECRET):
    return signature.verify(msg, signature.parse(msg), secret)


def test_botocore_header_signature_verifies():
    msg = _message(_header_signed())
    signed = signature.parse(msg)
    assert signed.version == 4 and signed.access == ACCESS
    assert signed.scope == ['%s' % signed.timestamp.strftime('%Y%m%d'),
                            'RegionOne', 'ec2']
    assert abs(signed.timestamp - datetime.datetime.utcnow()) < \
        datetime.timedelta(seconds=30)
    assert _verifies(msg)


def test_tampered_body_or_wrong_secret_fails():
    request = _header_signed()
    assert not _verifies(_message(request, body=BODY.replace(b'01', b'02')))
    assert not _verifies(_message(_header_signed(secret='other')))
    msg = _message(request)
    tampered = msg._replace(method='GET')
    assert not _verifies(tampered)


def test_declared_payload_hash_must_match_the_body():
    request = _header_signed()
    request.headers['X-Amz-Content-SHA256'] = hashlib.sha256(
        b'something else').hexdigest()
    with pytest.raises(signature.SignatureError):
        _verifies(_message(request))


def test_botocore_query_signature_verifies():
    request = awsrequest.AWSRequest(
        method='GET', url=URL + '?Action=DescribeImages&Version=2016-11-15')
    bc_auth.SigV4QueryAuth(credentials.Credentials(ACCESS, SECRET), 'ec2',
                           'RegionOne', expires=60).add_auth(request)
    request.prepare()
    msg = _message(request)
    signed = signature.parse(msg)
    assert signed.from_query and signed.expires - signed.timestamp == \
        datetime.timedelta(seconds=60)
    assert _verifies(msg)
    assert not _verifies(msg._replace(query=msg.query.replace(
        'DescribeImages', 'DescribeInstances')))


@pytest.mark.parametrize('headers', [
    {}, {'authorization': 'AWS4-HMAC-SHA256 garbage'},
    {'authorization': 'AWS4-HMAC-SHA256 Credential=a/20200101/r/ec2/'
                      'aws4_request, SignedHeaders=host, Signature=00',
     'x-amz-date': '20200102T000000Z'},
])
def test_unsigned_or_malformed_is_refused(headers):
    msg = signature.Message('POST', '/services/Cloud/', '', headers, b'', {})
    with pytest.raises(signature.SignatureError):
        signature.parse(msg)


def test_version_2_query_signature():
    params = {'Action': 'DescribeInstances', 'AWSAccessKeyId': ACCESS,
              'SignatureVersion': '2', 'SignatureMethod': 'HmacSHA256',
              'Timestamp': '2026-01-02T03:04:05Z', 'Version': '2010-08-31'}
    canonical = '&'.join('%s=%s' % (urllib.parse.quote(k, safe='-_.~'),
                                    urllib.parse.quote(v, safe='-_.~'))
                         for k, v in sorted(params.items()))
    text = 'GET\n127.0.0.1:8773\n/services/Cloud\n' + canonical
    params['Signature'] = base64.b64encode(hmac.new(
        SECRET.encode(), text.encode(), hashlib.sha256).digest()).decode()
    msg = signature.Message('GET', '/services/Cloud',
                            urllib.parse.urlencode(params),
                            {'host': '127.0.0.1:8773'}, b'', params)
    signed = signature.parse(msg)
    assert (signed.version, signed.access) == (2, ACCESS)
    assert signed.timestamp == datetime.datetime(2026, 1, 2, 3, 4, 5)
    assert _verifies(msg)
    assert not _verifies(msg, secret='other')
