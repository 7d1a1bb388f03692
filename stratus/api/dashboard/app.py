"""The dashboard's WSGI application: route table and request pipeline.

Every request finds its session from the signed cookie; every POST must
carry the session's CSRF token (403 otherwise); pages that need a login
send the browser to the login page. API errors become messages or error
pages, never a traceback.
"""
import os
import urllib.parse

import routes
import webob
import webob.exc
from oslo_log import log as logging

from stratus.api.dashboard import admin_page
from stratus.api.dashboard import auth_pages
from stratus.api.dashboard import client
from stratus.api.dashboard import errors
from stratus.api.dashboard import instance_pages
from stratus.api.dashboard import launch_page
from stratus.api.dashboard import render
from stratus.api.dashboard import resource_pages
from stratus.api.dashboard import sessions

LOG = logging.getLogger(__name__)
B = render.BASE
STATIC_TYPES = {'.css': 'text/css', '.js': 'application/javascript',
                '.png': 'image/png', '.svg': 'image/svg+xml'}


class Context:
    """What a page handler gets: the request, the session and the cloud."""

    def __init__(self, req, session):
        self.req = req
        self.session = session
        self._cloud = None

    @property
    def cloud(self):
        if self._cloud is None:
            self._cloud = client.Cloud(self.session.auth_ref)
        return self._cloud

    @property
    def form(self):
        return self.req.POST

    def render(self, template, status=200, **values):
        ref = self.session.auth_ref
        values.setdefault('messages', self.session.pop_messages())
        text = render.render_text(
            template, csrf_token=self.session.csrf_token,
            user=ref.username if ref else None,
            project=ref.project_name if ref else None,
            is_admin=bool(ref and 'admin' in (ref.role_names or [])),
            path=self.req.path, **values)
        return render.html_response(text, status=status)

    def redirect(self, path, message=None, level='info'):
        if message:
            self.session.flash(message, level)
        return webob.exc.HTTPSeeOther(location=B + path)


# (path, method, handler, needs a login)
ROUTES = (
    ('/login', 'GET', auth_pages.login_form, False),
    ('/login', 'POST', auth_pages.login, False),
    ('/logout', 'POST', auth_pages.logout, False),
    ('/', 'GET', instance_pages.index, True),
    ('/instances', 'GET', instance_pages.index, True),
    ('/instances/rows', 'GET', instance_pages.rows, True),
    ('/instances/launch', 'GET', launch_page.form, True),
    ('/instances/launch', 'POST', launch_page.launch, True),
    ('/instances/{server_id}', 'GET', instance_pages.show, True),
    ('/instances/{server_id}/console', 'GET', instance_pages.console, True),
    ('/instances/{server_id}/{action}', 'POST', instance_pages.action,
     True),
    ('/volumes', 'GET', resource_pages.volumes, True),
    ('/volumes', 'POST', resource_pages.volume_create, True),
    ('/volumes/{volume_id}/{action}', 'POST', resource_pages.volume_action,
     True),
    ('/images', 'GET', resource_pages.images, True),
    ('/images', 'POST', resource_pages.image_create, True),
    ('/images/{image_id}/delete', 'POST', resource_pages.image_delete, True),
    ('/keypairs', 'GET', resource_pages.keypairs, True),
    ('/keypairs', 'POST', resource_pages.keypair_create, True),
    ('/keypairs/{name}/delete', 'POST', resource_pages.keypair_delete, True),
    ('/floating-ips', 'GET', resource_pages.floating_ips, True),
    ('/floating-ips', 'POST', resource_pages.floating_ip_create, True),
    ('/floating-ips/{fip_id}/{action}', 'POST',
     resource_pages.floating_ip_action, True),
    ('/admin', 'GET', admin_page.overview, True),
)


class DashboardApp:
    """WSGI application serving the dashboard under ``/dashboard``."""

    def __init__(self, store=None):
        self.store = store or sessions.SessionStore()
        self.mapper = routes.Mapper()
        self._targets = []
        for path, method, handler, needs_login in ROUTES:
            self._targets.append((handler, needs_login))
            self.mapper.connect(B + path, target=str(len(self._targets) - 1),
                                conditions={'method': [method]})

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        resp = self.handle(req)
        return resp(environ, start_response)

    def handle(self, req):
        if req.path in ('', '/', B):
            return render.add_security_headers(
                webob.exc.HTTPFound(location=B + '/'))
        if req.path.startswith(B + '/static/'):
            return render.add_security_headers(self._static(req))
        if not req.path.startswith(B + '/'):
            # Outside the cookie's path (e.g. /favicon.ico): the browser
            # sent no cookie, and a new one would replace its session.
            return render.add_security_headers(_not_found())
        session, new_cookie = self._session(req)
        try:
            resp = self._dispatch(req, session)
        except Exception:
            LOG.exception('dashboard error in %s %s', req.method, req.path)
            resp = _error_page(session, req, 500, 'Something went wrong. '
                               'The error is in the api daemon\'s log.')
        # Login and logout replace the session (a new id against fixation).
        session = req.environ.get('dashboard.session', session)
        if new_cookie or session.id != req.environ.get('dashboard.sid'):
            resp.set_cookie(sessions.COOKIE_NAME, sessions.sign(session.id),
                            path=sessions.COOKIE_PATH, httponly=True,
                            samesite='strict')
        return render.add_security_headers(resp)

    def _session(self, req):
        sid = sessions.unsign(req.cookies.get(sessions.COOKIE_NAME))
        session = self.store.get(sid)
        if session is None:
            return self.store.create(), True
        req.environ['dashboard.sid'] = session.id
        return session, False

    def _dispatch(self, req, session):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            return _error_page(session, req, 404, 'There is no such page.')
        handler, needs_login = self._targets[int(match.pop('target'))]
        # PATH_INFO arrives as latin-1 (PEP 3333): ids and names are UTF-8.
        match = {k: v.encode('latin-1').decode('utf-8', 'replace')
                 for k, v in match.items()}
        req.environ['dashboard.store'] = self.store
        if req.method == 'POST':
            token = req.POST.get('csrf_token') or \
                req.headers.get('X-CSRF-Token')
            if not session.check_csrf(token):
                return _error_page(session, req, 403, 'The form has expired '
                                   'or did not come from this dashboard '
                                   '(CSRF check failed). Reload the page '
                                   'and try again.')
        if needs_login and not session.logged_in:
            if req.path.endswith('/rows'):
                return webob.Response(status=401)
            query = urllib.parse.urlencode({'next': req.path_qs})
            return webob.exc.HTTPSeeOther(location=B + '/login?' + query)
        ctx = Context(req, session)
        try:
            return handler(ctx, **match)
        except errors.PageNotFound as e:
            return _error_page(session, req, 404, str(e) or
                               'There is no such page.')
        except client.APIError as e:
            if e.status == 401:
                session.auth_ref = None
                session.flash('Your session has ended: log in again.',
                              'error')
                return webob.exc.HTTPSeeOther(location=B + '/login')
            return _error_page(session, req, e.status if e.status in (
                403, 404, 409) else 502, e.message)

    def _static(self, req):
        name = req.path[len(B + '/static/'):]
        ext = os.path.splitext(name)[1]
        path = os.path.join(render.STATIC, name)
        if '/' in name or name.startswith('.') or ext not in STATIC_TYPES \
                or not os.path.isfile(path):
            return _not_found()
        with open(path, 'rb') as f:
            body = f.read()
        resp = webob.Response(body=body, content_type=STATIC_TYPES[ext])
        resp.headers['Cache-Control'] = 'max-age=300'
        return resp


def _not_found():
    return webob.Response(status=404, content_type='text/plain',
                          charset='utf-8', text='Not found\n')


def _error_page(session, req, status, message):
    ctx = Context(req, session)
    return ctx.render('error.html', status=status, status_code=status,
                      message=message)


def create_app():
    """:returns: the dashboard's WSGI application."""
    return DashboardApp()
