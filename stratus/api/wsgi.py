"""The small WSGI framework every Stratus REST API is built on.

An explicit route table maps (method, path) to a controller action; the
router authenticates, parses JSON, enforces the body size limit and turns
every ``StratusException`` into the API's fault format, and a value the
database refuses into a 400. Anything else that escapes a controller is
logged with its traceback and answered with a 500 fault that carries no
traceback.
"""
import gc
import json
import socketserver
import threading
import time
import uuid
from wsgiref import simple_server

import routes
import routes.middleware  # noqa: F401  (routes needs it imported)
import webob
import webob.exc
from oslo_log import log as logging
from sqlalchemy import exc as sa_exc

from stratus import conf
from stratus import exception
from stratus import json_codec

CONF = conf.CONF
LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
    404: 'itemNotFound', 405: 'badMethod', 409: 'conflictingRequest',
    413: 'overLimit', 415: 'badMediaType', 429: 'overLimit',
    500: 'computeFault', 501: 'notImplemented', 503: 'serviceUnavailable',
}


def nova_fault_body(code, message):
    """Compute API style: ``{"itemNotFound": {"code": 404, "message": ..}}``."""
    return {FAULT_NAMES.get(code, 'computeFault'):
            {'code': code, 'message': message}}


def keystone_fault_body(code, message):
    """Identity API style: ``{"error": {"code", "message", "title"}}``."""
    title = webob.exc.status_map.get(code, webob.exc.HTTPServerError).title
    return {'error': {'code': code, 'message': message, 'title': title}}


class Request(webob.Request):
    """A webob request plus the caller's context and JSON helpers."""

    @property
    def context(self):
        return self.environ.get('stratus.context')

    @context.setter
    def context(self, value):
        self.environ['stratus.context'] = value

    def json(self, required=True):
        """The parsed JSON body.

        :raises: ``exception.Invalid`` for a malformed or non-object body,
            ``exception.RequestTooLarge`` beyond ``[api] max_request_body_size``.
        """
        if self.content_length and \
                self.content_length > CONF.api.max_request_body_size:
            raise exception.RequestTooLarge()
        raw = self.body_file.read(CONF.api.max_request_body_size + 1)
        if len(raw) > CONF.api.max_request_body_size:
            raise exception.RequestTooLarge()
        if not raw:
            if required:
                raise exception.Invalid(reason='The request body is empty.')
            return {}
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise exception.Invalid(reason='Malformed request body.')
        if not isinstance(body, dict):
            raise exception.Invalid(reason='The request body must be a '
                                           'JSON object.')
        return body


def json_response(body, status=200, headers=None):
    resp = webob.Response(status=status, content_type='application/json',
                          charset='utf-8')
    if body is not None:
        resp.body = json_codec.dumps(body, default=_json_default)
    else:
        resp.content_type = None
        resp.body = b''
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _json_default(value):
    if hasattr(value, 'isoformat'):
        return value.isoformat()
    raise TypeError('%r is not JSON serialisable' % value)


class Router:
    """Route table plus the request pipeline of one API.

    :param fault_body: ``nova_fault_body`` or ``keystone_fault_body``.
    :param authenticate: ``callable(req)`` returning a context, raising
        ``NotAuthenticated``; routes added with ``public=True`` skip it.
    """

    def __init__(self, name, fault_body=nova_fault_body, authenticate=None):
        self.name = name
        self.mapper = routes.Mapper()
        self.fault_body = fault_body
        self.authenticate = authenticate
        self.hooks = []
        # routes turns non-callable defaults into strings ('False' is true):
        # the mapper only carries an index into this list.
        self._targets = []

    def add(self, path, method, controller, action, public=False):
        self._targets.append((controller, action, bool(public)))
        self.mapper.connect(path, target=str(len(self._targets) - 1),
                            conditions={'method': [method]})

    def __call__(self, environ, start_response):
        req = Request(environ)
        resp = self._dispatch(req)
        return resp(environ, start_response)

    def _request_id(self, req):
        rid = 'req-' + str(uuid.uuid4())
        req.environ['stratus.request_id'] = rid
        return rid

    def _dispatch(self, req):
        rid = self._request_id(req)
        try:
            resp = self._route(req)
        except exception.StratusException as e:
            if e.code >= 500:
                LOG.warning('%s %s: %s', req.method, req.path, e.message)
            resp = json_response(self.fault_body(e.code, e.message),
                                 status=e.code)
            if e.code == 401:
                resp.headers['WWW-Authenticate'] = \
                    'Keystone uri="http://%s:%s"' % (
                        CONF.api.public_host, CONF.api.identity_port)
        except webob.exc.HTTPException as e:
            resp = json_response(self.fault_body(e.code, e.explanation or
                                                 e.title), status=e.code)
        except sa_exc.DataError as e:
            # The database refused a value that came with the request (a
            # NUL character, a number out of range): bad input, no fault.
            LOG.info('%s %s: %s', req.method, req.path, e.orig)
            resp = json_response(self.fault_body(
                400, 'Invalid input: a value in the request cannot be '
                     'stored or looked up.'), status=400)
        except Exception:
            LOG.exception('Unexpected error in %s %s', req.method, req.path)
            resp = json_response(self.fault_body(
                500, 'Unexpected API Error. Please report this at your '
                     'cloud operator and attach the request id %s.' % rid),
                status=500)
        resp.headers['X-OpenStack-Request-ID'] = rid
        resp.headers['X-Compute-Request-Id'] = rid
        for hook in self.hooks:
            hook(req, resp)
        return resp

    def _route(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            if self.mapper.match(req.path_info) is not None or any(
                    self.mapper.match(req.path_info,
                                      environ={'REQUEST_METHOD': m})
                    for m in ('GET', 'POST', 'PUT', 'DELETE', 'PATCH',
                              'HEAD')):
                raise webob.exc.HTTPMethodNotAllowed()
            raise exception.NotFound('The resource could not be found.')
        match = dict(match)
        controller, action, public = self._targets[int(match.pop('target'))]
        match = {k: _utf8(v) for k, v in match.items()}
        if not public and self.authenticate is not None:
            req.context = self.authenticate(req)
        result = getattr(controller, action)(req, **match)
        if isinstance(result, webob.Response):
            return result
        if isinstance(result, tuple):
            status, body = result[0], result[1]
            headers = result[2] if len(result) > 2 else None
            return json_response(body, status=status, headers=headers)
        return json_response(result)


def _utf8(value):
    """A path variable as the client meant it: WSGI hands the path over
    as latin-1 characters of its UTF-8 bytes (PEP 3333)."""
    if not isinstance(value, str):
        return value
    try:
        return value.encode('latin-1').decode('utf-8')
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


class _ThreadingServer(socketserver.ThreadingMixIn,
                       simple_server.WSGIServer):
    # Daemon threads, so that a stalled client can't keep the process
    # alive; ThreadingMixIn doesn't track those, so we do, for stop().
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._inflight_lock = threading.Lock()
        self._inflight = set()

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address),
                                  daemon=True)
        with self._inflight_lock:
            self._inflight = {t for t in self._inflight if t.is_alive()}
            self._inflight.add(thread)
        thread.start()

    def wait_inflight(self, deadline):
        """Join the request threads until ``deadline`` (monotonic).

        :returns: how many are still running.
        """
        with self._inflight_lock:
            threads = list(self._inflight)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return sum(t.is_alive() for t in threads)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.info('%s "%s" %s', self.client_address[0],
                 self.requestline, args[1] if len(args) > 1 else '')

    def get_stderr(self):
        return _LogStream()


class _LogStream:
    def write(self, text):
        if text.strip():
            LOG.error('%s', text.rstrip())

    def flush(self):
        pass


class WSGIServer:
    """One API on one port, served by a pool of threads."""

    def __init__(self, name, app, host, port):
        self.name = name
        self._server = simple_server.make_server(
            host, port, app, server_class=_ThreadingServer,
            handler_class=_QuietHandler)
        self.port = self._server.server_port
        self._thread = None

    def start(self):
        # Everything loaded so far (modules, config, engines) lives as long
        # as the process: keep it out of the collector's full passes, which
        # otherwise cost 50-100 ms on a request that builds 1,000 servers.
        gc.freeze()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='wsgi-%s' % self.name,
                                        daemon=True)
        self._thread.start()
        LOG.info('%s API listening on port %s', self.name, self.port)

    def stop_accepting(self):
        """Take no new connection (idempotent)."""
        self._server.shutdown()

    def stop(self, deadline=None):
        """Stop accepting, then let the requests in flight finish until
        ``deadline`` (monotonic; default: now) before closing."""
        self.stop_accepting()
        left = self._server.wait_inflight(deadline or time.monotonic())
        if left:
            LOG.warning('%s API: %d requests still running at stop',
                        self.name, left)
        self._server.server_close()
