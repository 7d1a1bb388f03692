"""Waiting for a domain to reach a state: events first, polling as backup.

A lifecycle event wakes the waiter at once; without events (subscription
lost, event loop late) the waiter still polls the state every
``poll_interval`` seconds, so it can never hang past its timeout.
"""
import contextlib
import threading
import time

from stratus import exception


class DomainWaiters:
    """Per-UUID wake-ups that the lifecycle event handler triggers."""

    def __init__(self):
        self._lock = threading.Lock()
        self._watchers = {}

    @contextlib.contextmanager
    def watch(self, uuid):
        woken = threading.Event()
        with self._lock:
            self._watchers.setdefault(uuid, set()).add(woken)
        try:
            yield woken
        finally:
            with self._lock:
                watchers = self._watchers.get(uuid, set())
                watchers.discard(woken)
                if not watchers:
                    self._watchers.pop(uuid, None)

    def notify(self, uuid):
        """Called from the event thread: never blocks on libvirt."""
        with self._lock:
            watchers = list(self._watchers.get(uuid, ()))
        for woken in watchers:
            woken.set()


def wait_for_state(waiters, uuid, get_state, wanted, timeout, poll_interval):
    """Poll ``get_state()`` until it returns a value in ``wanted``.

    :returns: the state reached, or None when ``timeout`` seconds passed.
    """
    deadline = time.monotonic() + timeout
    with waiters.watch(uuid) as woken:
        while True:
            state = get_state()
            if state in wanted:
                return state
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            woken.wait(min(poll_interval, remaining))
            # Cleared before the next poll, so an event that lands between
            # the poll and the wait still wakes the wait immediately.
            woken.clear()


def wait_for_running(waiters, uuid, get_state, running_states, timeout,
                     poll_interval):
    """Like ``wait_for_state`` but a timeout is an error.

    :raises: ``exception.InstanceBuildTimeout``.
    """
    state = wait_for_state(waiters, uuid, get_state, running_states, timeout,
                           poll_interval)
    if state is None:
        raise exception.InstanceBuildTimeout(instance_uuid=uuid,
                                             state='RUNNING', timeout=timeout)
    return state
