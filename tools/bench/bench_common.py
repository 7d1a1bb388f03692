"""What every benchmark prints alike: the machine, and percentiles."""
import os
import platform


def machine():
    """CPU model, cores, memory, OS and Python: the line each bench
    prints above its table."""
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor() or cpu
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2 ** 30
    return 'nproc=%d, %s, %.0f GiB, %s, Python %s' % (
        os.cpu_count(), cpu, mem, platform.platform(),
        platform.python_version())


def pct(values, p):
    """The ``p``-th percentile of ``values``, linearly interpolated."""
    values = sorted(values)
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)
