"""vm_state: the stable state of an instance (Nova's values)."""

BUILDING = 'building'
"""Being scheduled, networked and spawned."""
ACTIVE = 'active'
"""Running on its host."""
STOPPED = 'stopped'
"""Powered off by the user; resources still held."""
ERROR = 'error'
"""Failed; a fault says why. Can only be deleted (or rebuilt)."""
DELETED = 'deleted'
"""Gone; the row is soft-deleted."""

# What the API may delete outright, and what counts as settled.
STABLE = (ACTIVE, STOPPED, ERROR, DELETED)
