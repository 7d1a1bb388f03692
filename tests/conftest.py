"""Settings every test tier shares. Tier fixtures live in tests/fixtures/
and in each tier's own conftest.py."""
import os

# Selects oslo.service's threading backend before any test module imports
# oslo.messaging (which would otherwise settle on eventlet).
import stratus  # noqa: F401

# pbr computes a version from git tags unless told one; the daemons and
# stratus-manage that tests start inherit this.
os.environ.setdefault('PBR_VERSION', '0.1.0')

import pytest  # noqa: E402

from tests.fixtures import postgres  # noqa: E402


@pytest.fixture(scope='session', autouse=True)
def _postgres_cluster():
    """Stops and removes the run's PostgreSQL cluster if a test started
    one (``STRATUS_TEST_DATABASE=postgresql``, migration tests)."""
    yield
    postgres.shutdown()
