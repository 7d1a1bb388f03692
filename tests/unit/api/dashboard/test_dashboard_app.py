"""The dashboard's pipeline without a cloud behind it: redirects to the
login, CSRF on every POST, error pages, static files, secure headers."""
import re

import pytest
import webob

from stratus.api.dashboard import app as dashboard_app
from stratus.api.dashboard import auth_pages
from stratus.api.dashboard import sessions


@pytest.fixture
def dash():
    return dashboard_app.DashboardApp(sessions.SessionStore(timeout=600))


class Browser:
    """Keeps the dashboard cookie between requests, as a browser does."""

    def __init__(self, app):
        self.app = app
        self.cookie = None

    def request(self, path, method='GET', data=None):
        req = webob.Request.blank(path, method=method, POST=data)
        if self.cookie:
            req.headers['Cookie'] = self.cookie
        resp = req.get_response(self.app)
        for value in resp.headers.getall('Set-Cookie'):
            self.cookie = value.split(';', 1)[0]
        return resp

    def csrf(self, resp):
        return re.search(r'name="csrf_token" value="([^"]+)"',
                         resp.text).group(1)


def test_pages_send_the_browser_to_the_login(dash):
    browser = Browser(dash)
    resp = browser.request('/dashboard/volumes')
    assert resp.status_int == 303
    assert resp.location.endswith('/dashboard/login?next=%2Fdashboard'
                                  '%2Fvolumes')
    cookie = resp.headers['Set-Cookie']
    assert 'HttpOnly' in cookie and 'SameSite=strict' in cookie.replace(
        'samesite', 'SameSite')
    assert 'Path=/dashboard' in cookie
    assert browser.request('/dashboard/instances/rows').status_int == 401
    assert browser.request('/').location.endswith('/dashboard/')


def test_every_post_needs_the_sessions_csrf_token(dash):
    browser = Browser(dash)
    page = browser.request('/dashboard/login')
    assert page.status_int == 200
    for data in ({}, {'csrf_token': 'forged'}):
        resp = browser.request('/dashboard/login', 'POST', dict(
            data, username='demo', password='x', project='demo'))
        assert resp.status_int == 403
        assert 'CSRF' in resp.text
    # Another browser's token is no good here either.
    other = Browser(dash)
    token = other.csrf(other.request('/dashboard/login'))
    resp = browser.request('/dashboard/logout', 'POST', {'csrf_token': token})
    assert resp.status_int == 403


def test_login_form_checks_its_fields_before_any_api_call(dash):
    browser = Browser(dash)
    token = browser.csrf(browser.request('/dashboard/login'))
    resp = browser.request('/dashboard/login', 'POST', {
        'csrf_token': token, 'username': '<b>x</b>', 'password': '',
        'project': ''})
    assert resp.status_int == 400
    assert 'id="error-password"' in resp.text
    assert 'id="error-project"' in resp.text
    assert '<b>x</b>' not in resp.text and '&lt;b&gt;x&lt;/b&gt;' in \
        resp.text


def test_unknown_pages_and_static_files(dash):
    browser = Browser(dash)
    assert browser.request('/dashboard/no/such').status_int == 404
    resp = browser.request('/favicon.ico')
    assert resp.status_int == 404 and 'Set-Cookie' not in resp.headers
    css = browser.request('/dashboard/static/dashboard.css')
    assert css.status_int == 200 and css.content_type == 'text/css'
    js = browser.request('/dashboard/static/dashboard.js')
    assert 'X-Dashboard-Polling' in js.text
    for path in ('/dashboard/static/../app.py', '/dashboard/static/.x.js',
                 '/dashboard/static/templates/base.html',
                 '/dashboard/static/nope.css'):
        assert browser.request(path).status_int == 404


def test_secure_headers_on_every_answer(dash):
    browser = Browser(dash)
    for path in ('/dashboard/login', '/dashboard/nope', '/nope',
                 '/dashboard/static/dashboard.css'):
        resp = browser.request(path)
        assert resp.headers['X-Frame-Options'] == 'DENY'
        assert "default-src 'self'" in resp.headers['Content-Security-Policy']
        assert resp.headers['X-Content-Type-Options'] == 'nosniff'


@pytest.mark.parametrize('value,safe', [
    ('/dashboard/volumes', True), ('/dashboard/instances?x=1', True),
    ('http://evil.example/dashboard/', False), ('//evil/dashboard/x', False),
    ('/dashboard//evil', False), ('/elsewhere', False), ('', False),
    ('/dashboard/\\evil', False)])
def test_login_only_returns_to_dashboard_pages(value, safe):
    assert (auth_pages._safe_next(value) == value) is safe
