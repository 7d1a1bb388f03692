"""Signed session cookies, the session store and the CSRF check."""
import time

from stratus.api.dashboard import sessions


def test_signed_id_round_trips_and_tampering_is_refused():
    key = b'k' * 32
    value = sessions.sign('abc123', key)
    assert value.startswith('abc123.')
    assert sessions.unsign(value, key) == 'abc123'
    assert sessions.unsign(value, b'x' * 32) is None  # another key
    assert sessions.unsign('abc124' + value[6:], key) is None  # other id
    assert sessions.unsign(value[:-2], key) is None  # truncated signature
    for junk in (None, '', 'no-dot', '.', 'é.x', 'a.b.c'):
        assert sessions.unsign(junk, key) is None


def test_configured_key_signs(flags):
    flags(group='api', dashboard_secret_key='from-config')
    assert sessions.secret_key() == b'from-config'
    assert sessions.unsign(sessions.sign('s1'), b'from-config') == 's1'
    flags(group='api', dashboard_secret_key=None)
    assert sessions.secret_key() == sessions._generated_key
    assert sessions.unsign(sessions.sign('s1'), b'from-config') is None


def test_csrf_token_is_per_session_and_checked_exactly():
    store = sessions.SessionStore(timeout=60)
    one, two = store.create(), store.create()
    assert one.csrf_token != two.csrf_token
    assert one.check_csrf(one.csrf_token)
    assert not one.check_csrf(two.csrf_token)
    assert not one.check_csrf('')
    assert not one.check_csrf(None)
    assert not one.check_csrf(one.csrf_token[:-1])
    assert not one.check_csrf('\u00e9' + one.csrf_token)


def test_store_expires_idle_sessions(monkeypatch):
    store = sessions.SessionStore(timeout=60)
    session = store.create()
    assert store.get(session.id) is session
    now = time.monotonic()
    monkeypatch.setattr(sessions.time, 'monotonic', lambda: now + 61)
    assert store.get(session.id) is None
    assert store.get(None) is None


def test_rotate_gives_a_new_id_and_keeps_messages():
    store = sessions.SessionStore(timeout=60)
    old = store.create()
    old.flash('hello')
    new = store.rotate(old)
    assert new.id != old.id and new.csrf_token != old.csrf_token
    assert store.get(old.id) is None
    assert store.get(new.id) is new
    assert new.pop_messages() == [('info', 'hello')]
    assert new.pop_messages() == []


def test_store_is_bounded_evicting_the_least_recently_used():
    store = sessions.SessionStore(timeout=60, max_sessions=3)
    first = store.create()
    rest = [store.create() for _ in range(2)]
    store.get(first.id)  # used again: the oldest is now rest[0]
    store.create()
    assert len(store) == 3
    assert store.get(first.id) is first
    assert store.get(rest[0].id) is None


def test_anonymous_session_is_not_logged_in():
    assert not sessions.SessionStore(timeout=60).create().logged_in
