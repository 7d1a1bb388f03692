"""The one domain: virtual, not stored, id ``default``, name ``Default``."""
from stratus import exception

DEFAULT_ID = 'default'
DEFAULT = {'id': DEFAULT_ID, 'name': 'Default',
           'description': 'The default domain', 'enabled': True}


def resolve(ref):
    """The domain id a ``{"id": ..}`` or ``{"name": ..}`` reference names.

    :raises: NotFound for any other domain.
    """
    if not isinstance(ref, dict):
        raise exception.Invalid(reason='A domain must be an object.')
    if ref.get('id') == DEFAULT_ID or (
            'id' not in ref and ref.get('name') == DEFAULT['name']):
        return DEFAULT_ID
    raise exception.NotFound('Could not find domain: %s.' %
                             (ref.get('id') or ref.get('name')))
