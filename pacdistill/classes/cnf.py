"""CNF formulas: ANDs of clauses, each clause an OR of literals (THEORY §1, §4, §8).

``CNF(d, clauses)`` is +1 at x iff every clause has a literal that holds at x
(the literal ``(i, s)`` holds when ``x[i] == s``); the empty clause is false,
and a CNF with no clauses is the constant +1. Size: ``s`` clauses of width at
most ``w``. Negation (De Morgan) maps CNFs bijectively onto DNFs with as many
terms, each of the same width, so ln|CNF[d, s, w]| = ln|DNF[d, s, w]|
<= ln((2d + 1)^(s w) + 1) (derived here, THEORY §4; see
:mod:`pacdistill.classes.dnf` for the +1).

Examples
--------
>>> f = pd.CNF(3, [[(0, 1), (1, -1)], [(2, 1)]])
>>> print(f)
(x0 = +1 OR x1 = -1) AND (x2 = +1)
>>> f.predict(pd.cube.enumerate(3))
array([ 1, -1,  1,  1, -1, -1, -1, -1], dtype=int8)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ._base import ModelClass
from ._normal_form import NormalForm, random_literal_sets

__all__ = ["CNF", "CNF_CLASS"]


@dataclass(frozen=True, eq=False)
class CNF(NormalForm):
    """An AND of ORs of literals over {-1,+1}^d.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    clauses : sequence of sequences of (int, int)
        Each clause is a sequence of literals ``(i, s)`` with ``0 <= i < d``,
        ``s`` in {-1, +1}, no variable twice in a clause. ``()`` (no clauses) is
        the constant +1; an empty clause is false everywhere.

    Raises
    ------
    InvalidModelError
        When ``d`` is not an integer >= 1, or a literal is malformed, on a
        variable out of range or repeated within its clause.

    Examples
    --------
    >>> pd.CNF(2, []).predict([[1, 1]]), pd.CNF(2, [[]]).predict([[1, 1]])
    (array([1], dtype=int8), array([-1], dtype=int8))
    >>> pd.CNF(2, [[(0, 0)]])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: A literal's sign in the CNF (clause 0) must be ...
    """

    class_name: ClassVar[str] = "cnf"
    _field: ClassVar[str] = "clauses"
    _item: ClassVar[str] = "clause"

    d: int
    clauses: tuple[tuple[tuple[int, int], ...], ...] = ()

    def __post_init__(self) -> None:
        self._setup()

    def _predict(self, X: np.ndarray) -> np.ndarray:
        scores, widths = self._scores(X)
        satisfied = (scores > -widths).all(axis=1)
        return np.where(satisfied, np.int8(1), np.int8(-1))

    def __str__(self) -> str:
        return self._format(" OR ", " AND ", "FALSE", "TRUE")


def _random(rng: np.random.Generator, *, d: int, s: int, w: int) -> CNF:
    """A CNF with ``s`` clauses, each of exactly ``w`` literals on distinct
    variables drawn uniformly (signs uniform).

    >>> pd.CLASSES["cnf"].random(0, d=6, s=3, w=2).size()
    {'d': 6, 's': 3, 'w': 2}
    """
    return CNF(d, random_literal_sets(rng, d, s, w, "CLASSES['cnf'].random"))


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


CNF_CLASS = ModelClass(
    name="cnf",
    title="CNF",
    formulas=_formulas,
    model_type=CNF,
    generator=_random,
    description="AND of s clauses, each an OR of at most w literals",
    log_size_source=(
        "derived here: THEORY §4 (negation maps CNF[d, s, w] bijectively onto "
        "DNF[d, s, w], whose bound is ln((2d + 1)^(s w) + 1)); checked by counting "
        "functions for small d, s, w"
    ),
    size_names=("d", "s", "w"),
)
