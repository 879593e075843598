"""DNF formulas: ORs of terms, each term an AND of literals (THEORY §1, §4, §8).

``DNF(d, terms)`` is +1 at x iff some term holds at x; a term is a tuple of
literals ``(i, s)`` (the literal holds when ``x[i] == s``), the empty term is
true, and a DNF with no terms is the constant -1. Size: ``s`` terms of width at
most ``w``. THEORY §4 bounds the class by s w ln(2d + 1): an s-tuple of terms,
each one of at most (2d + 1)^w conjunctions. A DNF with fewer terms repeats
one, except the empty DNF (the constant -1), which no s >= 1 terms of width
w <= 1 compute; so ``log_size`` here is ln((2d + 1)^(s w) + 1) (derived here;
the +1 matters for w <= 1 only, and the tests count the functions for small
d, s, w).

Examples
--------
>>> f = pd.DNF(3, [[(0, 1), (1, -1)], [(2, 1)]])
>>> print(f)
(x0 = +1 AND x1 = -1) OR (x2 = +1)
>>> f.predict(pd.cube.enumerate(3))
array([ 1,  1,  1,  1, -1, -1,  1, -1], dtype=int8)
>>> f.size()
{'d': 3, 's': 2, 'w': 2}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ._base import ModelClass
from ._normal_form import NormalForm, random_literal_sets

__all__ = ["DNF", "DNF_CLASS"]


@dataclass(frozen=True, eq=False)
class DNF(NormalForm):
    """An OR of ANDs of literals over {-1,+1}^d.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    terms : sequence of sequences of (int, int)
        Each term is a sequence of literals ``(i, s)`` with ``0 <= i < d``,
        ``s`` in {-1, +1}, no variable twice in a term. ``()`` (no terms) is the
        constant -1; an empty term is true everywhere.

    Raises
    ------
    InvalidModelError
        When ``d`` is not an integer >= 1, or a literal is malformed, on a
        variable out of range or repeated within its term.

    Examples
    --------
    >>> pd.DNF(2, []).predict([[1, 1]]), pd.DNF(2, [[]]).predict([[1, 1]])
    (array([-1], dtype=int8), array([1], dtype=int8))
    >>> pd.DNF(2, [[(2, 1)]])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: A literal of the DNF (term 0) is on variable 2, ...
    """

    class_name: ClassVar[str] = "dnf"
    _field: ClassVar[str] = "terms"
    _item: ClassVar[str] = "term"

    d: int
    terms: tuple[tuple[tuple[int, int], ...], ...] = ()

    def __post_init__(self) -> None:
        self._setup()

    def _predict(self, X: np.ndarray) -> np.ndarray:
        scores, widths = self._scores(X)
        holds = (scores == widths).any(axis=1)
        return np.where(holds, np.int8(1), np.int8(-1))

    def __str__(self) -> str:
        return self._format(" AND ", " OR ", "TRUE", "FALSE")


def _random(rng: np.random.Generator, *, d: int, s: int, w: int) -> DNF:
    """A DNF with ``s`` terms, each of exactly ``w`` literals on distinct variables
    drawn uniformly (signs uniform).

    >>> pd.CLASSES["dnf"].random(0, d=6, s=3, w=2).size()
    {'d': 6, 's': 3, 'w': 2}
    """
    return DNF(d, random_literal_sets(rng, d, s, w, "CLASSES['dnf'].random"))


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import s as s_sym
    from ..bounds.symbols import w as w_sym

    return {
        "params": (d_sym, s_sym, w_sym),
        # one point times the dense literal matrix: s sets x the variables that
        # occur, at most min(d, s w) of them (_normal_form.LiteralMatrix)
        "eval_time": s_sym * sympy.Min(d_sym, s_sym * w_sym),
        "log_size": sympy.log((2 * d_sym + 1) ** (s_sym * w_sym) + 1),
    }


DNF_CLASS = ModelClass(
    name="dnf",
    title="DNF",
    formulas=_formulas,
    model_type=DNF,
    generator=_random,
    description="OR of s terms, each an AND of at most w literals",
    log_size_source=(
        "THEORY §4 (s-tuples of terms, each one of at most (2d + 1)^w conjunctions: "
        "w slots, each empty or one of 2d literals), plus 1 for the empty DNF, the "
        "constant -1, which s >= 1 terms of width <= 1 cannot compute (derived here); "
        "checked by counting functions for small d, s, w"
    ),
    size_names=("d", "s", "w"),
)
