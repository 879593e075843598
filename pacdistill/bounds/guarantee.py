"""Guarantee: the symbolic contract of a reduction (THEORY §2, §3).

A guarantee is the tuple (kind, promise, error, failure, samples, queries, time,
size map, assumptions) of sympy expressions in the class parameters, ``eps``,
``delta`` and the ``OPT_*`` symbols, plus the classes it maps between and its
source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from ..errors import InvalidParameterError

__all__ = ["KINDS", "PROMISE_MODES", "Promise", "Guarantee"]

#: the four kinds of edge (THEORY §2) plus hardness records (THEORY §8)
KINDS = ("exact", "perfect", "agnostic", "barrier")
#: exact promise (f equals a member of P on all of X) or distributional (D-a.s.)
PROMISE_MODES = ("everywhere", "distributional")


@dataclass(frozen=True)
class Promise:
    """What a perfect distiller assumes of its input f (THEORY §2.2-2.3).

    Attributes
    ----------
    cls : str
        Name of the promise class P, its key in ``pd.CLASSES`` (``"junta"``).
    mode : str
        ``"everywhere"`` (f equals some g* in P on all of X) or
        ``"distributional"`` (D-almost surely). Everywhere is the stronger one.
    """

    cls: str
    mode: str = "distributional"

    def __post_init__(self) -> None:
        if self.mode not in PROMISE_MODES:
            raise InvalidParameterError(
                f"The 'mode' parameter of Promise must be one of {PROMISE_MODES}. "
                f"Got {self.mode!r} instead."
            )

    def __str__(self) -> str:
        return f"{self.cls} ({self.mode})"


def _expr(value: Any) -> sympy.Expr:
    # Guarantees are built from code, never from user text: ints, floats,
    # Rationals and sympy expressions only.
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(
            f"A Guarantee field must be a sympy expression or a number. Got {value!r}."
        )
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)


@dataclass(frozen=True)
class Guarantee:
    """The declared guarantee of an edge F -> G.

    Attributes
    ----------
    kind : str
        One of ``KINDS``.
    promise : Promise or None
        For ``perfect`` edges (required there); None otherwise.
    error : sympy.Expr
        Bound on err_D(f, output) that holds with probability >= 1 - failure
        (0 for exact conversions; ``eps`` for perfect; ``OPT_G + eps`` for agnostic).
    failure : sympy.Expr
        Failure probability (0 for exact; ``delta`` otherwise).
    samples, queries, time : sympy.Expr
        Unlabeled samples from D, evaluations of f at points of the algorithm's
        choosing, and running time, in the source class parameters, eps, delta.
    size_map : Mapping[sympy.Symbol, sympy.Expr]
        Target class parameters as expressions of the source's (sigma, THEORY §2.1).
    assumptions : tuple of str
        Named assumptions the guarantee rests on, e.g. ``("LRH(tau, B)",)``.
    source : str
        Citation: a paper (with arXiv id or DOI) or ``"derived here: THEORY §x"``.
    from_class, to_class : str
        Names of the source and target classes, their keys in ``pd.CLASSES``
        (``"junta"``, ``"decision_tree"``).
    order : bool
        True when samples/queries/time hold only up to the constant ``C``.
    """

    kind: str
    from_class: str
    to_class: str
    source: str
    promise: Promise | None = None
    error: sympy.Expr = sympy.Integer(0)
    failure: sympy.Expr = sympy.Integer(0)
    samples: sympy.Expr = sympy.Integer(0)
    queries: sympy.Expr = sympy.Integer(0)
    time: sympy.Expr = sympy.Integer(0)
    size_map: Mapping[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    order: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidParameterError(
                f"The 'kind' parameter of Guarantee must be one of {KINDS}. Got {self.kind!r}."
            )
        if self.kind == "perfect" and self.promise is None:
            raise InvalidParameterError(
                "A Guarantee of kind 'perfect' needs a promise (THEORY §2.2)."
            )
        for name in ("error", "failure", "samples", "queries", "time"):
            object.__setattr__(self, name, _expr(getattr(self, name)))
        object.__setattr__(
            self, "size_map",
            {key: _expr(value) for key, value in dict(self.size_map).items()},
        )
        object.__setattr__(self, "assumptions", tuple(sorted(set(self.assumptions))))

    def __hash__(self) -> int:
        return hash((self.kind, self.from_class, self.to_class, self.error, self.samples,
                     tuple(sorted(self.size_map.items(), key=lambda kv: kv[0].name))))
