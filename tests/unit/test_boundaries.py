"""Each daemon's package is its room: compute and virt never reach the
database or the API layer (the compute daemon goes through the
conductor), and no daemon imports another daemon's manager."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / 'stratus'

# stratus/compute/api.py is the API side of compute (as in Nova): it runs
# in the api daemon, not in stratus-compute.
API_SIDE = {ROOT / 'compute' / 'api.py'}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield '%s.%s' % (node.module, alias.name)


def _modules(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob('*.py')):
            if path not in API_SIDE:
                yield path


@pytest.mark.parametrize('path', list(_modules('compute', 'virt')),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_compute_and_virt_never_touch_db_or_api(path):
    bad = [name for name in _imports(path)
           if name.startswith(('stratus.db', 'stratus.api'))]
    assert bad == [], '%s imports %s' % (path.name, bad)


@pytest.mark.parametrize('path', list(_modules(
    'api', 'conductor', 'scheduler', 'compute', 'network', 'volume')),
    ids=lambda p: str(p.relative_to(ROOT)))
def test_daemons_talk_through_rpcapi_only(path):
    own = path.relative_to(ROOT).parts[0]
    for name in _imports(path):
        parts = name.split('.')
        if len(parts) >= 3 and parts[0] == 'stratus' and \
                parts[1] in ('conductor', 'scheduler', 'compute', 'network',
                             'volume') and parts[1] != own:
            assert parts[2] == 'rpcapi' or (parts[1] == 'compute' and
                                            parts[2] in ('vm_states',
                                                         'task_states',
                                                         'power_state',
                                                         'api')) or (
                parts[1] == 'volume' and parts[2] == 'states'), \
                '%s imports %s' % (path.relative_to(ROOT), name)
