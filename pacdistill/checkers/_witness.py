"""What the conformance harness sees a reduction use (private; issue 7).

A reduction reports ``samples_used`` and ``queries_used``; the harness does not
take them on trust. It hands the reduction a :class:`CountingSampler` in place
of the distribution D (every point drawn from it is counted; reaching behind it
to D, ``sampler.inner`` or ``sampler.to_dict()``, is recorded in ``reads``, and
a copy of it is itself, so its draws are still counted) and counts the points
at which f itself is evaluated (:func:`pacdistill.checkers._watch.watching`,
which patches f's ``predict`` during the run); it then checks the *witnessed*
counts against the declared formulas and against the report (a report claiming
fewer samples or queries than were witnessed is a violation).

Examples
--------
>>> D = CountingSampler(pd.distributions.Uniform(5))
>>> D.sample(7, 0).shape, D.sample(3, 1).shape, D.rows
((7, 5), (3, 5), 10)
>>> D.to_dict() == pd.distributions.Uniform(5).to_dict(), D.reads
(True, ['to_dict'])
>>> import copy
>>> copy.deepcopy(D) is D
True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..distributions import Block, Distribution

__all__ = ["CountingSampler"]


class CountingSampler(Distribution):
    """The distribution ``inner``, counting the points drawn from it.

    It is a :class:`~pacdistill.distributions.Distribution` (a reduction that
    checks ``isinstance(sampler, Distribution)`` accepts it) with ``inner``'s
    dimension, sampling law, pmf and JSON form; ``rows`` is the number of
    points returned by :meth:`sample` so far. Mutable on purpose (it counts).

    A distiller gets samples from D, not D (THEORY §2): reading ``inner`` (D
    itself) or ``to_dict()`` (D's probabilities) appends its name to ``reads``,
    which the harness reports as an access violation. ``copy.copy`` and
    ``copy.deepcopy`` return the sampler itself, so draws from a defensive copy
    are counted as draws from D.
    """

    def __init__(self, inner: Distribution) -> None:
        self._D = inner
        self.rows = 0
        self.reads: list[str] = []

    @property
    def inner(self) -> Distribution:
        """D itself (a read of it is recorded in ``reads``)."""
        if "inner" not in self.reads:
            self.reads.append("inner")
        return self._D

    @property
    def d(self) -> int:  # type: ignore[override]
        return self._D.d

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        X = self._D._sample(n, rng)
        self.rows += int(X.shape[0])
        return X

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        return self._D._pmf(X)

    def _pmf_on_cube(self) -> np.ndarray:
        return self._D._pmf_on_cube()

    def support(self) -> tuple[np.ndarray, np.ndarray] | None:
        return self._D.support()

    @property
    def enumeration_size(self) -> int | None:
        return self._D.enumeration_size

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        return self._D._blocks(chunk_size)

    def to_dict(self) -> dict[str, Any]:
        if "to_dict" not in self.reads:
            self.reads.append("to_dict")
        return self._D.to_dict()

    def __copy__(self) -> CountingSampler:
        return self

    def __deepcopy__(self, memo: Any) -> CountingSampler:
        return self

    def __repr__(self) -> str:
        return f"CountingSampler({self._D!r}, rows={self.rows})"

    __eq__ = object.__eq__                 # mutable: identity, not the JSON form
    __hash__ = object.__hash__
