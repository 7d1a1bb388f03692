"""Signatures already accepted, so that a captured request cannot be sent
again while its timestamp is still valid (a replay gets AuthFailure).

The memory is per api process: with several api workers a replay that
reaches another worker is not caught. An entry lives until its
signature's validity ends (then the timestamp check rejects it anyway);
when the cache is full the entry closest to its end goes first.
"""
import heapq
import threading


class SeenSignatures:
    """A bounded set of (access key, signature) with expiry times.

    :param size: most entries kept; 0 turns replay checks off.
    """

    def __init__(self, size):
        self.size = size
        self._until = {}
        self._heap = []   # (until, key): the next entry to expire first
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._until)

    def _drop_first(self):
        _until, key = heapq.heappop(self._heap)
        del self._until[key]

    def first_use(self, key, until, now):
        """Remember ``key`` valid until ``until``.

        :returns: False when ``key`` was seen and is still valid.
        """
        if self.size <= 0:
            return True
        with self._lock:
            while self._heap and self._heap[0][0] < now:
                self._drop_first()
            if key in self._until:
                return False
            while len(self._until) >= self.size:
                self._drop_first()
            self._until[key] = until
            heapq.heappush(self._heap, (until, key))
            return True
