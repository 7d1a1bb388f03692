"""AWS request signatures: Signature Version 4 (what botocore sends) and
the version 2 query signature of euca2ools and boto 2.

Pure functions over a ``Message`` (method, path, raw query string,
lower-cased headers, body bytes and the merged request parameters); no
database, no configuration. ``parse`` says which key signed a request and
when; ``verify`` recomputes the signature with that key's secret.
"""
import base64
import collections
import datetime
import hashlib
import hmac
import re
import urllib.parse

ALGORITHM = 'AWS4-HMAC-SHA256'
UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
EMPTY_SHA256 = hashlib.sha256(b'').hexdigest()

Message = collections.namedtuple(
    'Message', 'method path query headers body params')

# What ``parse`` found: version (2 or 4), access key, signature, timestamp
# (naive UTC datetime), expires (datetime or None) and, for v4, the
# credential scope parts and the signed header names.
Signed = collections.namedtuple(
    'Signed', 'version access signature timestamp expires scope '
              'signed_headers from_query')

_AUTH_HEADER = re.compile(
    r'^AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*'
    r'SignedHeaders=(?P<headers>[^,\s]+),\s*Signature=(?P<sig>[0-9a-f]+)$')


class SignatureError(Exception):
    """The request is not signed in a form we understand."""


def _quote(text):
    return urllib.parse.quote(text, safe='-_.~')


def _parse_amz_date(value):
    try:
        return datetime.datetime.strptime(value, '%Y%m%dT%H%M%SZ')
    except (TypeError, ValueError):
        raise SignatureError('X-Amz-Date is missing or malformed.')


def _parse_iso(value):
    text = (value or '').strip()
    if text.endswith('Z'):
        text = text[:-1]
    for fmt in ('%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S'):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise SignatureError('Timestamp or Expires is missing or malformed.')


def parse(msg):
    """Who signed ``msg`` and when.

    :returns: a ``Signed``.
    :raises: SignatureError when there is no signature or it is malformed.
    """
    auth = msg.headers.get('authorization', '')
    if auth:
        match = _AUTH_HEADER.match(auth.strip())
        if not match:
            raise SignatureError('The Authorization header is not an '
                                 'AWS4-HMAC-SHA256 signature.')
        return _v4(match.group('cred'), match.group('headers'),
                   match.group('sig'), msg.headers.get('x-amz-date') or
                   _date_header(msg), None, False)
    query = dict(urllib.parse.parse_qsl(msg.query, keep_blank_values=True))
    if query.get('X-Amz-Algorithm'):
        if query['X-Amz-Algorithm'] != ALGORITHM:
            raise SignatureError('Unsupported X-Amz-Algorithm.')
        try:
            expires = int(query.get('X-Amz-Expires', '300'))
        except ValueError:
            raise SignatureError('X-Amz-Expires is not an integer.')
        return _v4(query.get('X-Amz-Credential', ''),
                   query.get('X-Amz-SignedHeaders', ''),
                   query.get('X-Amz-Signature', ''),
                   query.get('X-Amz-Date'), expires, True)
    params = msg.params
    if params.get('SignatureVersion') == '2' and params.get('Signature'):
        if params.get('SignatureMethod') not in ('HmacSHA256', 'HmacSHA1'):
            raise SignatureError('Unsupported SignatureMethod.')
        timestamp = expires = None
        if params.get('Expires'):
            expires = _parse_iso(params['Expires'])
        else:
            timestamp = _parse_iso(params.get('Timestamp'))
        return Signed(2, params.get('AWSAccessKeyId', ''),
                      params['Signature'], timestamp, expires, None, None,
                      True)
    raise SignatureError('The request is not signed.')


def _date_header(msg):
    value = msg.headers.get('date')
    if not value:
        return None
    try:
        parsed = datetime.datetime.strptime(value,
                                            '%a, %d %b %Y %H:%M:%S GMT')
    except ValueError:
        return None
    return parsed.strftime('%Y%m%dT%H%M%SZ')


def _v4(credential, signed_headers, signature, amz_date, expires,
        from_query):
    parts = credential.split('/')
    if len(parts) != 5 or parts[4] != 'aws4_request' or not parts[0]:
        raise SignatureError('The credential scope is malformed.')
    if not signature or not signed_headers:
        raise SignatureError('The signature is incomplete.')
    timestamp = _parse_amz_date(amz_date)
    if timestamp.strftime('%Y%m%d') != parts[1]:
        raise SignatureError('The credential scope date does not match '
                             'X-Amz-Date.')
    until = None
    if expires is not None:
        until = timestamp + datetime.timedelta(seconds=expires)
    return Signed(4, parts[0], signature, timestamp, until, parts[1:4],
                  signed_headers.lower().split(';'), from_query)


# -- version 4 --------------------------------------------------------------

def canonical_query(query, drop=('X-Amz-Signature',)):
    """Query string pairs re-encoded and sorted, as SigV4 wants them."""
    pairs = []
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        if key in drop:
            continue
        pairs.append((_quote(key), _quote(value)))
    return '&'.join('%s=%s' % kv for kv in sorted(pairs))


def canonical_path(path):
    return urllib.parse.quote(path or '/', safe='/~')


def payload_hash(msg):
    """The body's hash as signed; a declared hash must be the real one.

    :raises: SignatureError when X-Amz-Content-SHA256 lies about the body.
    """
    actual = hashlib.sha256(msg.body or b'').hexdigest()
    declared = msg.headers.get('x-amz-content-sha256')
    if declared is None:
        return actual
    if declared == UNSIGNED_PAYLOAD and not msg.body:
        return declared
    if declared != actual:
        raise SignatureError('X-Amz-Content-SHA256 does not match the '
                             'body.')
    return declared


def canonical_request(msg, signed):
    headers = []
    for name in signed.signed_headers:
        value = msg.headers.get(name)
        if value is None:
            raise SignatureError('Signed header %s is missing.' % name)
        headers.append('%s:%s\n' % (name, ' '.join(value.split())))
    return '\n'.join([
        msg.method.upper(), canonical_path(msg.path),
        canonical_query(msg.query), ''.join(headers),
        ';'.join(signed.signed_headers), payload_hash(msg)])


def string_to_sign(signed, canonical):
    return '\n'.join([
        ALGORITHM, signed.timestamp.strftime('%Y%m%dT%H%M%SZ'),
        '/'.join(list(signed.scope) + ['aws4_request']),
        hashlib.sha256(canonical.encode('utf-8')).hexdigest()])


def _hmac(key, text):
    return hmac.new(key, text.encode('utf-8'), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    key = _hmac(('AWS4' + secret).encode('utf-8'), date)
    for part in (region, service, 'aws4_request'):
        key = _hmac(key, part)
    return key


def v4_signature(msg, signed, secret):
    date, region, service = signed.scope
    sts = string_to_sign(signed, canonical_request(msg, signed))
    return hmac.new(signing_key(secret, date, region, service),
                    sts.encode('utf-8'), hashlib.sha256).hexdigest()


# -- version 2 --------------------------------------------------------------

def v2_signature(msg, secret, method):
    pairs = sorted((_quote(k), _quote(v)) for k, v in msg.params.items()
                   if k != 'Signature')
    text = '\n'.join([msg.method.upper(),
                      msg.headers.get('host', '').lower(),
                      msg.path or '/',
                      '&'.join('%s=%s' % kv for kv in pairs)])
    digest = hashlib.sha256 if method == 'HmacSHA256' else hashlib.sha1
    mac = hmac.new(secret.encode('utf-8'), text.encode('utf-8'), digest)
    return base64.b64encode(mac.digest()).decode()


def verify(msg, signed, secret):
    """True when ``signed`` is the signature of ``msg`` under ``secret``.

    :raises: SignatureError for a malformed request (a missing signed
        header, a body that does not match its declared hash).
    """
    if signed.version == 4:
        expected = v4_signature(msg, signed, secret)
    else:
        expected = v2_signature(msg, secret,
                                msg.params.get('SignatureMethod'))
    return hmac.compare_digest(expected.encode(),
                               signed.signature.encode())
