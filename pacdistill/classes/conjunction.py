"""Conjunctions of literals over {-1,+1}^d (THEORY §1, §4, §8).

A conjunction is +1 exactly where every one of its literals ``(i, s)`` holds
(``x_i == s``); the empty conjunction is the constant +1. A variable appears at
most once, so the constant -1 (``x_i AND NOT x_i``) is not a member: the class
computes exactly 3^d distinct functions, within the catalog's bound
|G| <= 3^d + 1, whose +1 counts that constant (THEORY §4).

Examples
--------
>>> c = pd.Conjunction(3, [(2, -1), (0, 1)])
>>> print(c)
x0 = +1 AND x2 = -1
>>> c.predict(pd.cube.enumerate(3)).tolist()
[-1, -1, -1, -1, 1, -1, 1, -1]
>>> c.size()
{'d': 3, 'k': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int
from ..cube import _literals_hold, check_literals
from ._base import Model, ModelClass
from ._fields import model_int, payload_fields, payload_int, payload_literals

__all__ = ["Conjunction", "CONJUNCTION", "format_literals"]


def format_literals(literals: Any, joiner: str = " AND ") -> str:
    """``x0 = +1 AND x2 = -1``; the empty AND prints as ``TRUE``.

    >>> format_literals([(0, 1), (2, -1)])
    'x0 = +1 AND x2 = -1'
    """
    if len(literals) == 0:
        return "TRUE"
    return joiner.join(f"x{i} = {s:+d}" for i, s in literals)


@dataclass(frozen=True, eq=False)
class Conjunction(Model):
    """The AND of literals: +1 where ``x[i] == s`` for every literal ``(i, s)``.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    literals : sequence of (int, int)
        Pairs ``(i, s)`` with ``0 <= i < d`` and ``s`` in {-1, +1}, each variable
        at most once. Stored sorted by variable, so equal sets of literals make
        equal models. Empty: the constant +1.

    Raises
    ------
    InvalidModelError
        For a literal out of range, a sign other than ±1, a repeated variable,
        a non-integer (or bool) d or index.

    Examples
    --------
    >>> pd.Conjunction(2, [(1, -1)]).predict([[1, -1], [1, 1]])
    array([ 1, -1], dtype=int8)
    >>> pd.Conjunction(2, [(5, 1)])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: A literal of the Conjunction is on variable 5, ...
    """

    d: int
    literals: tuple[tuple[int, int], ...] = ()

    class_name: ClassVar[str] = "conjunction"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", "Conjunction", min=1)
        object.__setattr__(self, "d", d)
        lits = check_literals(self.literals, d, owner="Conjunction")
        object.__setattr__(self, "literals", tuple(sorted(lits)))

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.where(_literals_hold(X, self.literals), np.int8(1), np.int8(-1))

    def size(self) -> dict[str, int]:
        """``{"d": d, "k": number of literals}``."""
        return {"d": self.d, "k": len(self.literals)}

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "literals": [[i, s] for i, s in self.literals]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Conjunction:
        payload_fields(data, ("d", "literals"), "Conjunction")
        return cls(payload_int(data["d"], "d", "Conjunction"),
                   payload_literals(data["literals"], "literals", "Conjunction"))

    def __str__(self) -> str:
        return format_literals(self.literals)


def _random(rng: np.random.Generator, *, d: int, k: int) -> Conjunction:
    """k distinct variables uniformly at random, each with a uniform sign."""
    d = check_int(d, "d", "CLASSES['conjunction'].random", min=1)
    k = check_int(k, "k", "CLASSES['conjunction'].random", min=0, max=d)
    variables = rng.choice(d, size=k, replace=False)
    signs = rng.choice(np.array([-1, 1]), size=k)
    return Conjunction(d, [(int(i), int(s)) for i, s in zip(variables, signs, strict=True)])


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import k as k_sym

    return {
        "params": (d_sym, k_sym),
        "eval_time": k_sym,
        "log_size": sympy.log(3**d_sym + 1),
        "vc_dim": d_sym,
    }


CONJUNCTION = ModelClass(
    name="conjunction",
    title="Conjunction",
    formulas=_formulas,
    model_type=Conjunction,
    generator=_random,
    description="AND of k literals over d variables (empty AND = +1)",
    log_size_source=(
        "THEORY §4: each variable is absent, positive or negative (3^d), plus the "
        "constant -1; an upper bound here, as this type has exactly 3^d members "
        "(checked by enumeration for d <= 4)"
    ),
    vc_dim_source=(
        "THEORY §4; Natschläger and Schmitt 1996, 'Exact VC-dimension of Boolean "
        "monomials', Inform. Process. Lett. 59(1):19-20 (d >= 2; for d = 1 this type, "
        "lacking the constant -1, has VC dimension 1 = d); checked by shattering "
        "search for d <= 4"
    ),
    size_names=("d", "k"),
)
