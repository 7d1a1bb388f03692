"""Weighers: rank the hosts that passed the filters."""
import abc
import heapq


class BaseHostWeigher(abc.ABC):
    @abc.abstractmethod
    def multiplier(self):
        """Positive spreads instances, negative packs them."""

    @abc.abstractmethod
    def weigh(self, host_state, spec):
        """The raw weight of one host (bigger is better before the
        multiplier)."""

    def weigh_all(self, host_states, spec):
        """Raw weights of many hosts (weighers inline it for speed)."""
        return [self.weigh(h, spec) for h in host_states]


def _totals(weighers, host_states, spec):
    """Each weigher's values normalised to 0..1 across hosts, multiplied,
    then summed (as Nova does); weighers with a 0 multiplier are skipped."""
    totals = [0.0] * len(host_states)
    for weigher in weighers:
        factor = weigher.multiplier()
        if not factor:
            continue
        raw = weigher.weigh_all(host_states, spec)
        low, high = min(raw, default=0), max(raw, default=0)
        if high == low:
            continue
        scale = factor / (high - low)
        totals = [t + (v - low) * scale for t, v in zip(totals, raw)]
    return totals


def weigh_hosts(weighers, host_states, spec):
    """Hosts sorted best first (ties keep their input order)."""
    totals = _totals(weighers, host_states, spec)
    order = sorted(range(len(host_states)), key=lambda i: -totals[i])
    return [host_states[i] for i in order]


def best_hosts(weighers, host_states, spec, count):
    """The ``count`` best hosts, best first: O(n) for a small count."""
    totals = _totals(weighers, host_states, spec)
    order = heapq.nsmallest(count, range(len(host_states)),
                            key=lambda i: (-totals[i], i))
    return [host_states[i] for i in order]
