"""task_state: what is being done to an instance right now (Nova's values).

At most one task at a time: every change of task_state is a compare-and-swap
on the value the caller expects (see ``stratus.db.instances.update``).
"""

SCHEDULING = 'scheduling'
"""The conductor is asking the scheduler for a host."""
NETWORKING = 'networking'
"""The compute host is allocating addresses."""
BLOCK_DEVICE_MAPPING = 'block_device_mapping'
"""The compute host is preparing volumes."""
SPAWNING = 'spawning'
"""The virt driver is creating and starting the guest."""
REBOOTING = 'rebooting'
"""A soft reboot was requested."""
REBOOT_STARTED = 'reboot_started'
"""The compute host has started the soft reboot."""
REBOOTING_HARD = 'rebooting_hard'
"""A hard reboot is under way."""
POWERING_OFF = 'powering-off'
"""A stop is under way."""
POWERING_ON = 'powering-on'
"""A start is under way."""
DELETING = 'deleting'
"""A delete is under way."""

BUILD_STEPS = (SCHEDULING, NETWORKING, BLOCK_DEVICE_MAPPING, SPAWNING)
