"""Log in (a Keystone user and project) and log out (token revoked)."""
import urllib.parse

import webob.exc
from oslo_log import log as logging

from stratus.api.dashboard import client
from stratus.api.dashboard import render

LOG = logging.getLogger(__name__)


def _safe_next(value):
    """Only a path of this dashboard: never an open redirect."""
    if value:
        parsed = urllib.parse.urlsplit(value)
        if not parsed.scheme and not parsed.netloc and \
                parsed.path.startswith(render.BASE + '/') and \
                '//' not in parsed.path and '\\' not in value:
            return value
    return render.BASE + '/instances'


def login_form(ctx, errors=None, values=None, status=200):
    if ctx.session.logged_in and errors is None:
        return webob.exc.HTTPSeeOther(location=render.BASE + '/instances')
    values = values or {'domain': 'Default',
                        'next': ctx.req.GET.get('next', '')}
    return ctx.render('login.html', status=status, errors=errors or {},
                      values=values)


def login(ctx):
    form = ctx.form
    values = {k: form.get(k, '').strip()
              for k in ('username', 'project', 'domain', 'next')}
    values['domain'] = values['domain'] or 'Default'
    errors = {}
    for field in ('username', 'project'):
        if not values[field]:
            errors[field] = 'Required.'
    password = form.get('password', '')
    if not password:
        errors['password'] = 'Required.'
    if errors:
        return login_form(ctx, errors, values, status=400)
    try:
        auth_ref = client.login(values['username'], password,
                                values['project'], values['domain'])
    except client.APIError as e:
        field = 'password' if e.status == 401 else 'form'
        return login_form(ctx, {field: e.message}, values,
                          status=e.status if e.status < 500 else 503)
    store = ctx.req.environ['dashboard.store']
    session = store.rotate(ctx.session)
    session.auth_ref = auth_ref
    ctx.req.environ['dashboard.session'] = session
    LOG.info('dashboard login of %s in project %s', auth_ref.username,
             auth_ref.project_name)
    return webob.exc.HTTPSeeOther(location=_safe_next(values['next']))


def logout(ctx):
    if ctx.session.auth_ref is not None:
        try:
            ctx.cloud.revoke_token()
        except client.APIError as e:
            # The session ends anyway; an expired token is already gone.
            LOG.info('token revocation at logout: %s', e.message)
    store = ctx.req.environ['dashboard.store']
    store.delete(ctx.session.id)
    fresh = store.create()
    fresh.flash('You have logged out.')
    ctx.req.environ['dashboard.session'] = fresh
    return webob.exc.HTTPSeeOther(location=render.BASE + '/login')
