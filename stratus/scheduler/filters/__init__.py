"""Host filters: each says whether one host can take the request."""
import abc

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class BaseHostFilter(abc.ABC):
    """A filter makes no database or RPC calls: it reads the HostState and
    the request spec only."""

    @abc.abstractmethod
    def host_passes(self, host_state, spec):
        """:returns: True when ``host_state`` can take ``spec``."""

    def filter_all(self, host_states, spec):
        return [h for h in host_states if self.host_passes(h, spec)]


def all_filters():
    """Filter classes by name."""
    from stratus.scheduler.filters import availability_zone_filter
    from stratus.scheduler.filters import compute_filter
    from stratus.scheduler.filters import core_filter
    from stratus.scheduler.filters import disk_filter
    from stratus.scheduler.filters import ram_filter
    from stratus.scheduler.filters import retry_filter
    return {cls.__name__: cls for cls in (
        availability_zone_filter.AvailabilityZoneFilter,
        compute_filter.ComputeFilter, core_filter.CoreFilter,
        disk_filter.DiskFilter, ram_filter.RamFilter,
        retry_filter.RetryFilter)}
