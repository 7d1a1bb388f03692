"""Host filters: each says whether one host can take the request."""
import abc

import logging as std_logging

import numpy as np
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class BaseHostFilter(abc.ABC):
    """A filter makes no database or RPC calls: it reads the HostState and
    the request spec only (the host manager loads what hints need)."""

    @abc.abstractmethod
    def host_passes(self, host_state, spec):
        """:returns: True when ``host_state`` can take ``spec``."""

    def applies(self, spec):
        """False when the request asks nothing of this filter: then every
        host passes without a per-host call (most hint filters)."""
        return True

    def filter_all(self, host_states, spec):
        if not self.applies(spec):
            return host_states
        passes = self.host_passes
        return [h for h in host_states if passes(h, spec)]

    # Filters that can answer for many hosts at once with array operations
    # define passing_rows(table, rows, spec) -> the rows that pass.
    passing_rows = None

    def filter_rows(self, table, rows, spec):
        """The ``rows`` (a numpy index array into the HostTable ``table``)
        that pass, in order. Per-host ``host_passes`` calls when the filter
        has no array form, or when DEBUG logging wants each host's reason.
        """
        if not self.applies(spec):
            return rows
        if self.passing_rows is not None and not debugging(
                std_logging.getLogger(type(self).__module__)):
            return self.passing_rows(table, rows, spec)
        states, passes = table.states, self.host_passes
        return np.fromiter((i for i in rows if passes(states[i], spec)),
                           np.intp)


def debugging(log):
    """True when per-host rejection reasons would be logged: filters with
    an inlined fast path then take the per-host ``host_passes`` path."""
    return log.isEnabledFor(std_logging.DEBUG)


def all_filters():
    """Filter classes by name."""
    from stratus.scheduler.filters import availability_zone_filter
    from stratus.scheduler.filters import compute_filter
    from stratus.scheduler.filters import core_filter
    from stratus.scheduler.filters import different_host_filter
    from stratus.scheduler.filters import disk_filter
    from stratus.scheduler.filters import image_properties_filter
    from stratus.scheduler.filters import isolated_hosts_filter
    from stratus.scheduler.filters import ram_filter
    from stratus.scheduler.filters import retry_filter
    from stratus.scheduler.filters import same_host_filter
    from stratus.scheduler.filters import server_group_affinity_filter
    from stratus.scheduler.filters import server_group_anti_affinity_filter
    return {cls.__name__: cls for cls in (
        availability_zone_filter.AvailabilityZoneFilter,
        compute_filter.ComputeFilter, core_filter.CoreFilter,
        disk_filter.DiskFilter, ram_filter.RamFilter,
        retry_filter.RetryFilter,
        image_properties_filter.ImagePropertiesFilter,
        isolated_hosts_filter.IsolatedHostsFilter,
        same_host_filter.SameHostFilter,
        different_host_filter.DifferentHostFilter,
        server_group_affinity_filter.ServerGroupAffinityFilter,
        server_group_anti_affinity_filter.ServerGroupAntiAffinityFilter)}
