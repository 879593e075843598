"""Juntas: functions of at most k of the d variables (THEORY §4, §6, §8).

A junta is given by its variables (distinct, in a chosen order) and the truth
table of f on them: ``table[j]`` is the value at the points whose relevant
coordinates equal row j of ``pd.cube.enumerate(k)``, i.e. ``x[variables[b]] == -1``
exactly when bit b of j is 1. A junta may be degenerate (ignore a listed
variable); k = 0 gives a constant.

Examples
--------
>>> j = pd.Junta(4, [3, 1], [1, -1, -1, 1])   # x3 * x1
>>> j.predict([[1, 1, 1, 1], [1, -1, 1, 1], [1, -1, 1, -1]]).tolist()
[1, -1, 1]
>>> j.size()
{'d': 4, 'k': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int
from ..cube import MAX_ENUMERATE_D
from ..errors import TooLargeError
from ._base import Model, ModelClass
from ._fields import (
    model_int,
    model_sign_array,
    model_variables,
    payload_fields,
    payload_int,
    payload_int_list,
)

__all__ = ["Junta", "JUNTA", "MAX_JUNTA_K"]

#: Most variables a Junta may list (its table has 2^k entries).
MAX_JUNTA_K = MAX_ENUMERATE_D


@dataclass(frozen=True, eq=False)
class Junta(Model):
    """A function of the listed variables, given by its truth table on them.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    variables : sequence of int
        k distinct indices in ``0 .. d-1``, kept in the given order (the order
        fixes how ``table`` is indexed), k <= 24.
    table : array_like of int, length 2^k
        Values ±1; ``table[j]`` is f where ``x[variables[b]] == -1`` iff bit b of
        j is 1 (the order of ``pd.cube.enumerate(k)``).

    Raises
    ------
    InvalidModelError
        For a variable out of range or repeated, a table of the wrong length or
        with values other than ±1 (bools included), a non-integer d.
    TooLargeError
        For more than 24 variables (the table would have over 2^24 entries).

    Examples
    --------
    >>> pd.Junta(3, [0], [1, -1]).predict([[-1, 1, 1]])
    array([-1], dtype=int8)
    >>> pd.Junta(3, [0, 2], [1, -1])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'table' of Junta must be a 1-d array of length 4. ...
    """

    d: int
    variables: tuple[int, ...]
    table: np.ndarray = field(repr=False)

    class_name: ClassVar[str] = "junta"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", "Junta", min=1)
        object.__setattr__(self, "d", d)
        variables = model_variables(self.variables, d, "Junta")
        if len(variables) > MAX_JUNTA_K:
            raise TooLargeError(
                f"A Junta holds a table of 2^k entries; k = {len(variables)} variables is "
                f"past the limit k <= {MAX_JUNTA_K}."
            )
        object.__setattr__(self, "variables", variables)
        object.__setattr__(self, "table",
                           model_sign_array(self.table, "table", "Junta", 1 << len(variables)))

    @property
    def k(self) -> int:
        """The number of listed variables."""
        return len(self.variables)

    def _predict(self, X: np.ndarray) -> np.ndarray:
        if not self.variables:
            return np.full(X.shape[0], self.table[0], dtype=np.int8)
        bits = X[:, list(self.variables)] == -1
        weights = np.left_shift(np.int64(1), np.arange(self.k, dtype=np.int64))
        return self.table[bits @ weights]

    def size(self) -> dict[str, int]:
        """``{"d": d, "k": number of listed variables}``."""
        return {"d": self.d, "k": self.k}

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "variables": list(self.variables),
                "table": [int(v) for v in self.table]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Junta:
        payload_fields(data, ("d", "variables", "table"), "Junta")
        return cls(payload_int(data["d"], "d", "Junta"),
                   payload_int_list(data["variables"], "variables", "Junta"),
                   payload_int_list(data["table"], "table", "Junta"))

    def __repr__(self) -> str:
        return f"Junta(d={self.d}, variables={self.variables}, table={self.table.tolist()})"

    def __str__(self) -> str:
        names = ", ".join(f"x{i}" for i in self.variables) or "no variables"
        table = "".join("+" if v == 1 else "-" for v in self.table)
        return f"Junta on ({names}), table {table}"


def _random(rng: np.random.Generator, *, d: int, k: int) -> Junta:
    """k distinct variables uniformly at random and a uniformly random table."""
    d = check_int(d, "d", "CLASSES['junta'].random", min=1)
    k = check_int(k, "k", "CLASSES['junta'].random", min=0, max=d)
    k = check_int(k, "k", "CLASSES['junta'].random", max=MAX_JUNTA_K)
    variables = [int(i) for i in rng.choice(d, size=k, replace=False)]
    table = rng.choice(np.array([-1, 1], dtype=np.int8), size=1 << k)
    return Junta(d, variables, table)


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import k as k_sym

    return {
        "params": (d_sym, k_sym),
        "eval_time": k_sym,
        "log_size": sympy.log(sympy.binomial(d_sym, k_sym)) + 2**k_sym * sympy.log(2),
    }


JUNTA = ModelClass(
    name="junta",
    title="Junta",
    formulas=_formulas,
    model_type=Junta,
    generator=_random,
    description="any function of k of the d variables (a truth table on them)",
    log_size_source=(
        "THEORY §4: choose the k variables (C(d, k) ways) and a table (2^(2^k)); an "
        "upper bound (degenerate tables are counted more than once)"
    ),
    size_names=("d", "k"),
)
