"""The chance driver: a random host whose compute service is up."""
import random

from stratus.scheduler import driver
from stratus.scheduler.filters import availability_zone_filter
from stratus.scheduler.filters import compute_filter
from stratus.scheduler.filters import retry_filter


class ChanceDriver(driver.Driver):
    def __init__(self):
        self.filters = [compute_filter.ComputeFilter(),
                        retry_filter.RetryFilter(),
                        availability_zone_filter.AvailabilityZoneFilter()]

    def select(self, spec, host_states, num_instances):
        forced = driver.forced_hosts(spec, host_states)
        if forced is not None:
            host_states = forced
        else:
            for flt in self.filters:
                host_states = flt.filter_all(host_states, spec)
        if not host_states:
            raise driver.no_valid_host(num_instances, 0)
        chosen = []
        for _ in range(num_instances):
            host = random.choice(host_states)
            driver.record_choice(spec, host, spec['flavor'])
            chosen.append(host)
        return chosen
