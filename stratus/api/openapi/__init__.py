"""OpenAPI 3.1 descriptions of the compute, image, volume and network APIs.

The descriptions are JSON files kept beside this module, built by
``python -m stratus.api.openapi.generate`` from the validation schemas;
each API serves its own at ``GET /openapi.json`` without a token.
"""
import json
import os

NAMES = ('compute', 'image', 'volume', 'network')
FOLDER = os.path.dirname(os.path.abspath(__file__))


def path_of(name):
    return os.path.join(FOLDER, '%s.json' % name)


def load(name):
    """:returns: the stored description of API ``name`` (a dict)."""
    with open(path_of(name), encoding='utf-8') as f:
        return json.load(f)


class DescriptionController:
    """Serves one API's description (read once, on first use)."""

    def __init__(self, name):
        self.name = name
        self._document = None

    def show(self, req):
        if self._document is None:
            self._document = load(self.name)
        return self._document


def add_route(router, name):
    router.add('/openapi.json', 'GET', DescriptionController(name), 'show',
               public=True)
