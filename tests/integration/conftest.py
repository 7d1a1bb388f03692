"""Integration tier: daemons as processes over real RabbitMQ and libvirt.

Fixtures (session-scoped, started on first use):

- ``stack``: the libvirt driver (``STRATUS_TEST_VIRT_DRIVER=fake`` swaps in
  the fake driver, for machines without libvirt);
- ``fake_stack``: the fake driver, for tests of the control plane only.

Both yield a ``tests.fixtures.stack.Stack``; see that module for its
attributes (``conf_path``, ``auth_url``, ``env(user, project)``, ...).
"""
import os
import sys

import pytest

from tests.fixtures import stack as stack_fixture


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.session.stratus_failed = True
    return report


def _stack(request, driver, tag):
    stack = stack_fixture.Stack(driver=driver, tag=tag)
    if driver == 'fake':
        # Fake guests need no bridges or DHCP; the noop network manager
        # keeps this run off the host's network entirely.
        stack.overrides.setdefault('network', {})['manager'] = 'noop'
    stack.start()
    try:
        yield stack
    finally:
        if getattr(request.session, 'stratus_failed', False):
            sys.stderr.write('\n' + stack.dump_logs())
        stack.stop()


@pytest.fixture(scope='session')
def stack(request):
    driver = os.environ.get('STRATUS_TEST_VIRT_DRIVER', 'libvirt')
    yield from _stack(request, driver, str(os.getpid()))


@pytest.fixture(scope='session')
def fake_stack(request):
    yield from _stack(request, 'fake', '%sf' % os.getpid())
