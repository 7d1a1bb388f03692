"""Dashboard sessions: a signed cookie naming a session kept in memory.

The cookie holds only a random session id and its HMAC-SHA256 under
``[api] dashboard_secret_key`` (a random key made at start when unset), so
the token itself never reaches the browser. The session holds the
keystoneauth1 access info of the logged-in user (token and catalog), a CSRF
token checked on every POST, and the messages shown on the next page.
"""
import base64
import hashlib
import hmac
import secrets
import threading
import time

from stratus import conf

CONF = conf.CONF
COOKIE_NAME = 'stratus_dashboard'
COOKIE_PATH = '/dashboard'
# Sessions beyond this many are evicted, oldest use first, so a flood of
# anonymous login pages cannot exhaust the daemon's memory.
MAX_SESSIONS = 10000

_generated_key = secrets.token_bytes(32)


def secret_key():
    """The signing key: the configured one, else this process's own."""
    configured = CONF.api.dashboard_secret_key
    return configured.encode('utf-8') if configured else _generated_key


def sign(session_id, key=None):
    """``<id>.<signature>``: the cookie value of ``session_id``."""
    mac = hmac.new(key or secret_key(), session_id.encode('ascii'),
                   hashlib.sha256).digest()
    return '%s.%s' % (session_id,
                      base64.urlsafe_b64encode(mac).decode().rstrip('='))


def unsign(value, key=None):
    """The session id in a cookie value, or None if it was not signed by
    us (tampered, truncated or from another key)."""
    if not value or '.' not in value:
        return None
    session_id = value.split('.', 1)[0]
    try:
        session_id.encode('ascii')
    except UnicodeEncodeError:
        return None
    if hmac.compare_digest(sign(session_id, key), value):
        return session_id
    return None


class Session:
    """One browser's state: who is logged in and its CSRF token."""

    def __init__(self, session_id):
        self.id = session_id
        self.csrf_token = secrets.token_urlsafe(32)
        self.auth_ref = None  # keystoneauth1 AccessInfo once logged in
        self.messages = []  # (level, text) shown on the next page
        self.last_used = time.monotonic()

    @property
    def logged_in(self):
        ref = self.auth_ref
        return ref is not None and not ref.will_expire_soon(stale_duration=30)

    def check_csrf(self, submitted):
        """True when ``submitted`` is this session's CSRF token."""
        return bool(submitted) and hmac.compare_digest(
            self.csrf_token.encode(), submitted.encode('utf-8', 'replace'))

    def flash(self, text, level='info'):
        self.messages.append((level, text))

    def pop_messages(self):
        messages, self.messages = self.messages, []
        return messages


class SessionStore:
    """Sessions by id, with an idle timeout; safe across request threads."""

    def __init__(self, timeout=None, max_sessions=MAX_SESSIONS):
        self._timeout = timeout
        self._max = max_sessions
        self._sessions = {}
        self._lock = threading.Lock()

    @property
    def timeout(self):
        return self._timeout or CONF.api.dashboard_session_timeout

    def create(self):
        session = Session(secrets.token_urlsafe(24))
        with self._lock:
            self._expire_locked()
            if len(self._sessions) >= self._max:
                oldest = min(self._sessions.values(),
                             key=lambda s: s.last_used)
                del self._sessions[oldest.id]
            self._sessions[session.id] = session
        return session

    def get(self, session_id):
        """The live session of that id, or None."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_used > self.timeout:
                del self._sessions[session_id]
                return None
            session.last_used = now
            return session

    def delete(self, session_id):
        with self._lock:
            self._sessions.pop(session_id, None)

    def rotate(self, session):
        """A new id for ``session`` (after login, against fixation)."""
        fresh = self.create()
        fresh.messages = session.messages
        self.delete(session.id)
        return fresh

    def _expire_locked(self):
        now = time.monotonic()
        for sid in [s.id for s in self._sessions.values()
                    if now - s.last_used > self.timeout]:
            del self._sessions[sid]

    def __len__(self):
        return len(self._sessions)
