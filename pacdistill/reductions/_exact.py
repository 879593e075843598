"""What the exact conversions share (THEORY §2.1): the input check and the report.

An exact conversion reads the representation of f, uses no samples, no queries
and no randomness, and returns an equal model. Its registered function has the
fixed reduction shape (``sampler``, ``eps``, ``delta`` and ``rng`` are accepted,
so a route can pass them to every step, and ignored) and delegates to
:func:`run_exact`, which checks the source type, refuses unknown options and
fills the report (``samples_used = queries_used = 0``, ``seconds``).

A conversion from a sparse model (a Conjunction costs what its literals cost,
whatever d) to a dense one (a Halfspace holds a weight per variable, a network a
first layer of m x d weights) calls :func:`check_dense` before allocating: past
:data:`~pacdistill.classes._base.MAX_MODEL_CELLS` numbers it raises
TooLargeError naming d and the limit, instead of a MemoryError.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .._validation import show
from ..classes._base import check_model_cells
from ..errors import InvalidParameterError
from ._registry import Result

__all__ = ["check_source", "check_dense", "run_exact"]

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


def check_dense(cells: int, source: Any, func: str, layout: str) -> None:
    """Refuse (TooLargeError, before allocating) a dense conversion of ``source``
    whose output would hold ``cells`` numbers past MAX_MODEL_CELLS; ``layout``
    says what they are (for the message).

    >>> check_dense(10**12 + 1, pd.Conjunction(10**12), "f", "a weight per variable")
    Traceback (most recent call last):
    ...
    pacdistill.errors.TooLargeError: f would build a model holding 1000000000001 numbers ...
    """
    name = type(source).__name__
    check_model_cells(
        cells, f"{layout}; d = {show(source.d)}", func,
        fix=f"Keep the {name}: it evaluates in time proportional to what it holds, whatever "
            "d is; a dense model on this many variables does not fit the limit.")


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
