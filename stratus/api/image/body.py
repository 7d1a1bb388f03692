"""Reading request bodies of the image API without the JSON size limit.

Image data streams in chunks straight from ``wsgi.input``: with a
Content-Length, or with chunked transfer encoding, which the threaded
wsgiref server passes through undecoded.
"""
import json

from stratus import conf
from stratus import exception

CONF = conf.CONF


def data_chunks(req):
    """Iterate over the raw body of ``req`` in ``[image] chunk_size`` bytes.

    :raises: Invalid when the body is malformed chunked encoding or its
        length is unknown.
    """
    env = req.environ
    stream = env['wsgi.input']
    size = CONF.image.chunk_size
    chunked = 'chunked' in env.get('HTTP_TRANSFER_ENCODING', '').lower()
    if chunked and not env.get('wsgi.input_terminated'):
        return _dechunk(stream, size)
    if req.content_length is not None:
        return _exactly(stream, req.content_length, size)
    if env.get('wsgi.input_terminated'):
        return _until_eof(stream, size)
    raise exception.Invalid(reason='Send the data with a Content-Length or '
                                   'chunked transfer encoding.')


def _exactly(stream, length, size):
    left = length
    while left > 0:
        chunk = stream.read(min(size, left))
        if not chunk:
            raise exception.Invalid(reason='The body ended before its '
                                           'Content-Length.')
        left -= len(chunk)
        yield chunk


def _until_eof(stream, size):
    while True:
        chunk = stream.read(size)
        if not chunk:
            return
        yield chunk


def _dechunk(stream, size):
    while True:
        line = stream.readline(1024)
        try:
            length = int(line.split(b';', 1)[0].strip(), 16)
        except ValueError:
            raise exception.Invalid(reason='Malformed chunked body.')
        if length == 0:
            # Trailers end with an empty line.
            while stream.readline(1024) not in (b'\r\n', b'\n', b''):
                pass
            return
        while length > 0:
            chunk = stream.read(min(size, length))
            if not chunk:
                raise exception.Invalid(reason='Truncated chunked body.')
            length -= len(chunk)
            yield chunk
        stream.readline(1024)


def json_patch(req):
    """The parsed JSON body of a PATCH: a list of operations.

    :raises: RequestTooLarge, Invalid.
    """
    limit = CONF.api.max_request_body_size
    if req.content_length and req.content_length > limit:
        raise exception.RequestTooLarge()
    raw = req.body_file.read(limit + 1)
    if len(raw) > limit:
        raise exception.RequestTooLarge()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise exception.Invalid(reason='Malformed JSON in request body.')
    if not isinstance(body, list) or \
            not all(isinstance(op, dict) for op in body):
        raise exception.Invalid(reason='A JSON patch is a list of '
                                       'operation objects.')
    return body
