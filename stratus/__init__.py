"""Stratus: a multi-service cloud controller in the line of OpenStack Nova."""
# oslo libraries pick eventlet unless told otherwise before oslo.messaging
# or oslo.service is first imported; Stratus runs on plain threads.
import warnings

from oslo_service import backend as _backend

# futurist imports eventlet when it is installed (it is, as a transitive
# dependency); Stratus never uses it, so its deprecation warning is noise.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

_backend.init_backend(_backend.BackendType.THREADING)
