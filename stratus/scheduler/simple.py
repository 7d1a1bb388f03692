"""The simple driver: the least-loaded host, as the Essex SimpleScheduler
chose (fewest cores in use).

``zone:host`` forcing (admins only; the API checks) takes the host as long
as its service is up; ``max_cores`` caps the vCPUs per host; isolated
images run only on isolated hosts and no other image runs there.
"""
from oslo_log import log as logging

from stratus import conf
from stratus import exception
from stratus.scheduler import driver
from stratus.scheduler.filters import availability_zone_filter
from stratus.scheduler.filters import compute_filter
from stratus.scheduler.filters import core_filter
from stratus.scheduler.filters import isolated_hosts_filter
from stratus.scheduler.filters import retry_filter

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class SimpleDriver(driver.Driver):
    def __init__(self):
        self.filters = [compute_filter.ComputeFilter(),
                        retry_filter.RetryFilter(),
                        availability_zone_filter.AvailabilityZoneFilter(),
                        isolated_hosts_filter.IsolatedHostsFilter(),
                        core_filter.CoreFilter()]

    def select(self, spec, host_states, num_instances):
        flavor = spec['flavor']
        forced = driver.forced_hosts(spec, host_states)
        max_cores = CONF.scheduler.max_cores
        chosen = []
        for _ in range(num_instances):
            if forced is not None:
                candidates = forced
            else:
                candidates = host_states
                for flt in self.filters:
                    candidates = flt.filter_all(candidates, spec)
            if not candidates:
                raise driver.no_valid_host(num_instances, len(chosen))
            best = min(candidates, key=lambda h: (h.vcpus_used, h.host))
            if forced is None and \
                    best.vcpus_used + flavor['vcpus'] > max_cores:
                LOG.info('Least loaded host %s has %d cores in use; max '
                         'is %d', best.host, best.vcpus_used, max_cores)
                raise exception.NoValidHost(
                    reason='Not enough allocatable CPU cores remaining')
            driver.record_choice(spec, best, flavor)
            chosen.append(best)
        return chosen
