"""Stratus: a multi-service cloud controller in the line of OpenStack Nova."""
# oslo libraries pick eventlet unless told otherwise before oslo.messaging
# or oslo.service is first imported; Stratus runs on plain threads.
import warnings

from oslo_service import backend as _backend

# futurist imports eventlet when it is installed (it is, as a transitive
# dependency); Stratus never uses it, so its deprecation warning is noise.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

try:
    _backend.init_backend(_backend.BackendType.THREADING)
except _backend.exceptions.BackendAlreadySelected:
    # Only tools that import oslo.messaging before stratus get here (e.g.
    # oslo-config-generator listing options); the daemons import stratus
    # first, and a test checks they run on threads.
    pass
