"""Timing shared by the benchmarks (run as scripts, so this sits beside them on sys.path)."""

import gc
import statistics
import time
from collections.abc import Callable


def median_seconds(work: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` runs and the result of the last one."""
    times = []
    result = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
