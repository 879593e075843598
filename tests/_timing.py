"""Functional time bounds for tests (not benchmarks; those live in benchmarks/).

``quick(seconds)`` fails a block that takes longer than ``seconds`` of wall clock,
unless its own CPU time stayed under half of that: then it was waiting for a
loaded machine (other processes on a CI box), not slow. The fuzz harness
(tests/robustness/_fuzzing.py) uses the same rule. A runaway computation burns
CPU, so it still fails.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator


@contextlib.contextmanager
def quick(seconds: float) -> Iterator[None]:
    start, start_cpu = time.perf_counter(), time.process_time()
    yield
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    assert elapsed < seconds or cpu < seconds / 2, (
        f"took {elapsed:.3f} s ({cpu:.3f} s CPU; bound {seconds} s)")
