"""Weighers: rank the hosts that passed the filters."""
import abc

import numpy as np

from stratus.scheduler import host_table


class BaseHostWeigher(abc.ABC):
    @abc.abstractmethod
    def multiplier(self):
        """Positive spreads instances, negative packs them."""

    @abc.abstractmethod
    def weigh(self, host_state, spec):
        """The raw weight of one host (bigger is better before the
        multiplier)."""

    # The HostTable column that holds the raw weight, if one does.
    column = None

    def weigh_rows(self, table, rows, spec):
        """Raw weights of the HostTable's ``rows``, as a numpy array."""
        if self.column is not None:
            return getattr(table, self.column)[rows]
        states = table.states
        return np.fromiter((self.weigh(states[i], spec) for i in rows),
                           np.float64, len(rows))


def weigh_hosts(weighers, host_states, spec):
    """Hosts sorted best first (ties keep their input order)."""
    table = host_table.HostTable(host_states)
    return [table[i] for i in best_rows(weighers, table, table.all_rows(),
                                        spec, len(table))]


def best_rows(weighers, table, rows, spec, count):
    """The ``count`` best of the HostTable's ``rows``, best first (ties
    keep their order in ``rows``): each weigher's values normalised to
    0..1 across the rows, multiplied, then summed (as Nova does);
    weighers with a 0 multiplier are skipped."""
    totals = np.zeros(len(rows))
    for weigher in weighers:
        factor = weigher.multiplier()
        if not factor or not len(rows):
            continue
        raw = weigher.weigh_rows(table, rows, spec)
        low, high = raw.min(), raw.max()
        if high == low:
            continue
        totals += (raw - low) * (factor / (high - low))
    n = len(rows)
    if count < n:
        # The count-th largest total; ties with it go by position.
        cut = np.partition(totals, n - count)[n - count]
        above = np.flatnonzero(totals > cut)
        tied = np.flatnonzero(totals == cut)[:count - len(above)]
        picked = np.concatenate([above, tied])
    else:
        picked = np.arange(n)
    order = picked[np.argsort(-totals[picked], kind='stable')]
    return rows[order]
