"""The filter driver: filters, then weighers, as later Nova does."""
import random

from oslo_log import log as logging

from stratus import conf
from stratus.scheduler import driver
from stratus.scheduler import filters
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

    def _filter(self, host_states, spec):
        for flt in self.filters:
            host_states = flt.filter_all(host_states, spec)
            if not host_states:
                LOG.info('Filter %s returned no hosts',
                         type(flt).__name__)
                break
        return host_states

    def select(self, spec, host_states, num_instances):
        forced = driver.forced_hosts(spec, host_states)
        subset = CONF.scheduler.host_subset_size
        chosen = []
        for _ in range(num_instances):
            # Forced hosts skip the filters (as in Nova), not the weighers.
            candidates = forced if forced is not None else \
                self._filter(host_states, spec)
            if not candidates:
                raise driver.no_valid_host(num_instances, len(chosen))
            best = random.choice(weights.best_hosts(
                self.weighers, candidates, spec, subset))
            driver.record_choice(spec, best, spec['flavor'])
            chosen.append(best)
        return chosen
