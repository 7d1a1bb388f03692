"""Host states as columns, so that the filter driver's filters and
weighers work on whole arrays instead of one Python call per host.

At 10,000 hosts a decision made of per-host Python passes (about ten:
filters, then three weighers and their normalisation) took 9-14 ms on
this project's 2-core machine; as numpy operations on the rows still
in the running it is a fraction of that (tools/bench/scheduler_decision.py).
"""
import collections.abc

import numpy as np


def _codes(values):
    """(int codes, {value: code}) of a column of a few distinct values."""
    table = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values),
                        np.intp, len(values))
    return codes, table


class HostTable(collections.abc.Sequence):
    """A sequence of HostStates plus numpy columns of what filters and
    weighers read.

    Rows are positions in the sequence. The numbers (free RAM, vCPUs and
    disk) follow the states through ``refresh``; placement facts (zone,
    architecture, hypervisor type, enabled and up) do not change during a
    decision.
    """

    def __init__(self, states):
        self.states = list(states)
        n = len(self.states)
        self.rows_of = {h.host: i for i, h in enumerate(self.states)}
        self.free_ram_mb = np.fromiter(
            (h.free_ram_mb for h in self.states), np.float64, n)
        self.free_vcpus = np.fromiter(
            (h.free_vcpus for h in self.states), np.float64, n)
        self.free_disk_gb = np.fromiter(
            (h.free_disk_gb for h in self.states), np.float64, n)
        self.usable = np.fromiter(
            (bool(h.enabled and h.up) for h in self.states), bool, n)
        self.zone, self.zone_codes = _codes(
            [h.availability_zone for h in self.states])
        self.arch, self.arch_codes = _codes(
            [str(h.arch or '').lower() for h in self.states])
        self.hv_type, self.hv_type_codes = _codes(
            [str(h.hypervisor_type or '').lower() for h in self.states])

    def __len__(self):
        return len(self.states)

    def __getitem__(self, index):
        return self.states[index]

    def all_rows(self):
        return np.arange(len(self.states), dtype=np.intp)

    @staticmethod
    def where(rows, column, codes, value):
        """``rows`` whose value in a coded column (``zone``, ``arch``,
        ``hv_type`` with its ``*_codes``) is ``value``."""
        code = codes.get(value)
        if code is None:
            return rows[:0]
        return rows[column[rows] == code]

    def keep(self, rows, hosts):
        """``rows`` that belong to one of ``hosts`` (names), in order."""
        return rows[self._marked(hosts)[rows]]

    def drop(self, rows, hosts):
        """``rows`` that belong to none of ``hosts`` (names), in order."""
        return rows[~self._marked(hosts)[rows]]

    def _marked(self, hosts):
        mask = np.zeros(len(self.states), bool)
        mask[[self.rows_of[h] for h in hosts if h in self.rows_of]] = True
        return mask

    def refresh(self, row):
        """Bring the row's numbers up to date after its HostState was
        charged with an instance."""
        state = self.states[row]
        self.free_ram_mb[row] = state.free_ram_mb
        self.free_vcpus[row] = state.free_vcpus
        self.free_disk_gb[row] = state.free_disk_gb
