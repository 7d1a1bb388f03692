"""Write the OpenAPI descriptions: ``python -m stratus.api.openapi.generate``.

tests/unit/api/test_openapi.py fails while a stored file differs from
what this writes.
"""
import importlib
import json

from stratus.api import openapi


def build(name):
    return importlib.import_module('stratus.api.openapi.%s' % name).build()


def render(name):
    """The stored text of API ``name``'s description."""
    return json.dumps(build(name), indent=1, sort_keys=True) + '\n'


def main():
    for name in openapi.NAMES:
        with open(openapi.path_of(name), 'w', encoding='utf-8') as f:
            f.write(render(name))
        print(openapi.path_of(name))


if __name__ == '__main__':
    main()
