"""Parities over {-1,+1}^d (THEORY §4, §8).

The parity of a set S of variables is f(x) = prod_{i in S} x_i (in the ±1
convention, +1 when an even number of the x_i are -1); the empty parity is the
constant +1. Negated parities are not members, so the class has exactly 2^d
functions (THEORY §4).

Examples
--------
>>> p = pd.Parity(3, [2, 0])
>>> print(p)
x0 * x2
>>> p.predict(pd.cube.enumerate(3)).tolist()
[1, -1, 1, -1, -1, 1, -1, 1]
>>> p.size()
{'d': 3, 'k': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int
from ._base import Model, ModelClass
from ._fields import model_int, model_variables, payload_fields, payload_int, payload_int_list

__all__ = ["Parity", "PARITY"]


@dataclass(frozen=True, eq=False)
class Parity(Model):
    """The product of the variables in S: ``f(x) = prod_{i in S} x_i``.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    variables : sequence of int
        Distinct indices in ``0 .. d-1``; stored sorted. Empty: the constant +1.

    Raises
    ------
    InvalidModelError
        For an index out of range or repeated, a non-integer (or bool) d or index.

    Examples
    --------
    >>> pd.Parity(2, [0, 1]).predict([[1, 1], [1, -1], [-1, -1]])
    array([ 1, -1,  1], dtype=int8)
    >>> pd.Parity(2, [0, 0])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: Variable 0 appears twice in the 'variables' of Parity.
    """

    d: int
    variables: tuple[int, ...] = ()

    class_name: ClassVar[str] = "parity"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", "Parity", min=1)
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "variables",
                           tuple(sorted(model_variables(self.variables, d, "Parity"))))

    def _predict(self, X: np.ndarray) -> np.ndarray:
        if not self.variables:
            return np.ones(X.shape[0], dtype=np.int8)
        # an odd number of -1 among the chosen columns gives -1
        odd = np.count_nonzero(X[:, list(self.variables)] == -1, axis=1) & 1
        return (1 - 2 * odd).astype(np.int8)

    def size(self) -> dict[str, int]:
        """``{"d": d, "k": |S|}``."""
        return {"d": self.d, "k": len(self.variables)}

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "variables": list(self.variables)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Parity:
        payload_fields(data, ("d", "variables"), "Parity")
        return cls(payload_int(data["d"], "d", "Parity"),
                   payload_int_list(data["variables"], "variables", "Parity"))

    def __str__(self) -> str:
        if not self.variables:
            return "+1"
        return " * ".join(f"x{i}" for i in self.variables)


def _random(rng: np.random.Generator, *, d: int, k: int) -> Parity:
    """The parity of k distinct variables chosen uniformly at random."""
    d = check_int(d, "d", "CLASSES['parity'].random", min=1)
    k = check_int(k, "k", "CLASSES['parity'].random", min=0, max=d)
    return Parity(d, [int(i) for i in rng.choice(d, size=k, replace=False)])


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import k as k_sym

    return {
        "params": (d_sym, k_sym),
        "eval_time": k_sym,
        "log_size": d_sym * sympy.log(2),
        "vc_dim": d_sym,
    }


PARITY = ModelClass(
    name="parity",
    title="Parity",
    formulas=_formulas,
    model_type=Parity,
    generator=_random,
    description="product of k of the d variables (no negated parities)",
    log_size_source=(
        "THEORY §4: one parity per subset of the d variables, all distinct (the "
        "characters of GF(2)^d); checked by enumeration for d <= 5"
    ),
    vc_dim_source=(
        "THEORY §4; derived here: the d points with a single -1 are shattered (parity S "
        "is -1 at the point e_i iff i in S), and 2^d functions cannot shatter d + 1 points"
    ),
    size_names=("d", "k"),
)
