"""What the exact conversions share (THEORY §2.1): the input check and the report.

An exact conversion reads the representation of f, uses no samples, no queries
and no randomness, and returns an equal model. Its registered function has the
fixed reduction shape (``sampler``, ``eps``, ``delta`` and ``rng`` are accepted,
so a route can pass them to every step, and ignored) and delegates to
:func:`run_exact`, which checks the source type, refuses unknown options and
fills the report (``samples_used = queries_used = 0``, ``seconds``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..errors import InvalidParameterError
from ._registry import Result

__all__ = ["check_source", "run_exact"]

M = TypeVar("M")


def check_source(model: Any, expected: type[M], func: str) -> M:
    """``model`` itself when it is an ``expected`` instance, else a clear error.

    >>> try:
    ...     check_source(pd.Parity(3, [0]), pd.Junta, "junta_to_tree")
    ... except pd.errors.InvalidParameterError as err:
    ...     print(err)
    The 'model' parameter of junta_to_tree must be a Junta. Got Parity instead.
    """
    if not isinstance(model, expected):
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must be a {expected.__name__}. "
            f"Got {type(model).__name__} instead."
        )
    return model


def run_exact(func: str, model: Any, expected: type[M], build: Callable[[M], Any],
              options: Mapping[str, Any]) -> Result:
    """Check ``model`` and ``options`` (an exact conversion takes none), time
    ``build(model)`` and wrap it in a :class:`Result`."""
    check_source(model, expected, func)
    if options:
        raise InvalidParameterError(
            f"{func} is an exact conversion and takes no options. "
            f"Got {sorted(options)} instead."
        )
    start = time.perf_counter()
    out = build(model)
    return Result(out, {"samples_used": 0, "queries_used": 0,
                        "seconds": time.perf_counter() - start})
