"""The filter driver: filters, then weighers, as later Nova does."""
import random

import numpy as np
from oslo_log import log as logging

from stratus import conf
from stratus.scheduler import driver
from stratus.scheduler import filters
from stratus.scheduler import host_table
from stratus.scheduler import weights
from stratus.scheduler.filters import retry_filter
from stratus.scheduler.weights import cpu
from stratus.scheduler.weights import disk
from stratus.scheduler.weights import ram

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class FilterDriver(driver.Driver):
    def __init__(self):
        known = filters.all_filters()
        unknown = set(CONF.scheduler.enabled_filters) - set(known)
        if unknown:
            raise ValueError('Unknown scheduler filters: %s' %
                             ', '.join(sorted(unknown)))
        self.filters = [retry_filter.RetryFilter()] + [
            known[name]() for name in CONF.scheduler.enabled_filters
            if name != 'RetryFilter']
        self.weighers = [ram.RAMWeigher(), cpu.CPUWeigher(),
                         disk.DiskWeigher()]

    def _filter(self, table, spec):
        rows = table.all_rows()
        for flt in self.filters:
            rows = flt.filter_rows(table, rows, spec)
            if not len(rows):
                LOG.info('Filter %s returned no hosts',
                         type(flt).__name__)
                break
        return rows

    def select(self, spec, host_states, num_instances):
        """``host_states``: HostStates, or a HostTable of them (callers
        that decide many times over the same hosts build it once)."""
        table = host_states if isinstance(host_states, host_table.HostTable) \
            else host_table.HostTable(host_states)
        forced = driver.forced_hosts(spec, table)
        if forced is not None:
            forced = np.array([table.rows_of[h.host] for h in forced],
                              np.intp)
        subset = CONF.scheduler.host_subset_size
        chosen = []
        for _ in range(num_instances):
            # Forced hosts skip the filters (as in Nova), not the weighers.
            rows = forced if forced is not None else \
                self._filter(table, spec)
            if not len(rows):
                raise driver.no_valid_host(num_instances, len(chosen))
            row = int(random.choice(weights.best_rows(
                self.weighers, table, rows, spec, subset)))
            best = table[row]
            driver.record_choice(spec, best, spec['flavor'])
            table.refresh(row)
            chosen.append(best)
        return chosen
