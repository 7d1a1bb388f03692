"""Power states as the hypervisor reports them (Nova's numbering)."""

NOSTATE = 0x00
"""Unknown, or no domain."""
RUNNING = 0x01
"""The guest runs."""
PAUSED = 0x03
"""The guest is paused by the hypervisor."""
SHUTDOWN = 0x04
"""The guest is defined but not running."""
CRASHED = 0x06
"""The guest crashed."""
SUSPENDED = 0x07
"""The guest is suspended to memory or disk."""

NAMES = {NOSTATE: 'pending', RUNNING: 'running', PAUSED: 'paused',
         SHUTDOWN: 'shutdown', CRASHED: 'crashed', SUSPENDED: 'suspended'}
