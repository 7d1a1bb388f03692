"""HTML responses: Jinja2 templates (autoescaped) and secure headers."""
import datetime
import os

import jinja2
import webob

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, 'templates')
STATIC = os.path.join(HERE, 'static')
BASE = '/dashboard'

SECURITY_HEADERS = {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    # Scripts, styles and images only from the dashboard itself: no inline
    # script, nothing fetched from elsewhere.
    'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'",
    'Cache-Control': 'no-store',
}


def age(iso_time, now=None):
    """``5s``, ``3m``, ``2h``, ``4d``: how long ago an ISO 8601 time was."""
    if not iso_time:
        return ''
    try:
        then = datetime.datetime.fromisoformat(iso_time.replace('Z', '+00:00'))
    except ValueError:
        return ''
    if then.tzinfo is None:
        then = then.replace(tzinfo=datetime.timezone.utc)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60)):
        if seconds >= size:
            return '%d%s' % (seconds // size, unit)
    return '%ds' % seconds


def percent(used, total):
    try:
        return max(0, min(100, int(round(100.0 * used / total))))
    except (TypeError, ZeroDivisionError):
        return 0


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every {{ value }} is HTML-escaped
    undefined=jinja2.ChainableUndefined,
    trim_blocks=True, lstrip_blocks=True)
_env.filters['age'] = age
_env.globals['percent'] = percent
_env.globals['base'] = BASE


def render_text(template, **values):
    return _env.get_template(template).render(**values)


def html_response(text, status=200, headers=None):
    resp = webob.Response(status=status, content_type='text/html',
                          charset='utf-8')
    resp.text = text
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def add_security_headers(resp):
    for key, value in SECURITY_HEADERS.items():
        resp.headers.setdefault(key, value)
    return resp
