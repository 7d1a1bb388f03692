"""Weighers: rank the hosts that passed the filters."""
import abc


class BaseHostWeigher(abc.ABC):
    @abc.abstractmethod
    def multiplier(self):
        """Positive spreads instances, negative packs them."""

    @abc.abstractmethod
    def weigh(self, host_state, spec):
        """The raw weight of one host (bigger is better before the
        multiplier)."""


def weigh_hosts(weighers, host_states, spec):
    """Hosts sorted best first: each weigher's values are normalised to
    0..1 across hosts, multiplied, then summed (as Nova does)."""
    totals = {id(h): 0.0 for h in host_states}
    for weigher in weighers:
        raw = [weigher.weigh(h, spec) for h in host_states]
        low, high = min(raw, default=0), max(raw, default=0)
        span = (high - low) or 1.0
        for host, value in zip(host_states, raw):
            totals[id(host)] += weigher.multiplier() * (value - low) / span
    return sorted(host_states, key=lambda h: totals[id(h)], reverse=True)
