"""Stratus: a multi-service cloud controller in the line of OpenStack Nova."""
# oslo libraries pick eventlet unless told otherwise before oslo.messaging
# or oslo.service is first imported; Stratus runs on plain threads.
from oslo_service import backend as _backend

_backend.init_backend(_backend.BackendType.THREADING)
