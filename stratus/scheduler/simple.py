"""The simple driver: the least-loaded host, as the Essex SimpleScheduler
chose (fewest cores in use)."""
from stratus.scheduler import driver
from stratus.scheduler.filters import availability_zone_filter
from stratus.scheduler.filters import compute_filter
from stratus.scheduler.filters import core_filter
from stratus.scheduler.filters import retry_filter


class SimpleDriver(driver.Driver):
    def __init__(self):
        self.filters = [compute_filter.ComputeFilter(),
                        retry_filter.RetryFilter(),
                        availability_zone_filter.AvailabilityZoneFilter(),
                        core_filter.CoreFilter()]

    def select(self, spec, host_states, num_instances):
        chosen = []
        for _ in range(num_instances):
            candidates = host_states
            for flt in self.filters:
                candidates = flt.filter_all(candidates, spec)
            if not candidates:
                raise driver.no_valid_host(num_instances, len(chosen))
            best = min(candidates, key=lambda h: (h.vcpus_used, h.host))
            best.consume(spec['flavor'])
            chosen.append(best)
        return chosen
