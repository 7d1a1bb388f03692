"""Volume statuses and attach statuses (Cinder's names, which clients
show and wait for)."""

CREATING = 'creating'
"""The API recorded it; the scheduler or the volume host is making it."""
AVAILABLE = 'available'
"""It exists and nothing uses it."""
ATTACHING = 'attaching'
"""Reserved for one attach; compute is connecting it."""
IN_USE = 'in-use'
"""Attached to an instance."""
DETACHING = 'detaching'
"""Compute is disconnecting it."""
EXTENDING = 'extending'
"""The volume host is growing it."""
DELETING = 'deleting'
"""The volume host is removing it."""
ERROR = 'error'
"""Creating it failed; ``status_reason`` says why. It may be deleted."""
ERROR_DELETING = 'error_deleting'
"""Removing it failed; a delete may be retried."""
ERROR_EXTENDING = 'error_extending'
"""Growing it failed; the data is intact at the old size."""

DELETABLE = (AVAILABLE, ERROR, ERROR_DELETING, ERROR_EXTENDING)
"""Statuses a delete accepts (not in-use, not in the middle of work)."""

# attach_status values
DETACHED = 'detached'
ATTACHED = 'attached'
