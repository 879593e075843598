"""The machine a benchmark ran on, as recorded in its JSON (shared by the
benchmark scripts that record it in this form: bench_foundation, bench_edges)."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any

import numpy as np

import pacdistill as pd

__all__ = ["environment", "load_average"]


def load_average() -> float | None:
    """The 1-minute load average, or None where the system has none."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def environment(load_at_start: float | None) -> dict[str, Any]:
    """Python, numpy and pacdistill versions, platform, processor, CPU count and
    the load average the run started at."""
    return {
        "python": sys.version.split()[0], "numpy": np.__version__,
        "pacdistill": pd.__version__, "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_start": load_at_start,
    }
