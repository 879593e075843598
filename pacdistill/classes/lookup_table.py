"""Lookup tables: any function on {-1,+1}^d, as its full truth table (THEORY §8).

``table[j]`` is the value at row j of ``pd.cube.enumerate(d)``, so
``predict(X) = table[pd.cube.index(X)]``. Every class converts to this one on
small cubes by enumeration (:meth:`LookupTable.from_model`).

Examples
--------
>>> t = pd.LookupTable(2, [1, -1, -1, -1])   # AND of x0 = +1 and x1 = +1
>>> t.predict([[1, 1], [1, -1]]).tolist()
[1, -1]
>>> pd.LookupTable.from_model(pd.Parity(2, [0, 1])).table.tolist()
[1, -1, -1, 1]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int
from ..cube import MAX_ENUMERATE_D, chunks
from ..errors import InvalidModelError, TooLargeError
from ._base import Model, ModelClass
from ._fields import model_int, model_sign_array, payload_fields, payload_int, payload_int_list

__all__ = ["LookupTable", "LOOKUP_TABLE", "MAX_TABLE_D", "DEFAULT_FROM_MODEL_D"]

#: Largest d of a LookupTable (2^24 entries).
MAX_TABLE_D = MAX_ENUMERATE_D
#: Largest d :meth:`LookupTable.from_model` enumerates unless told otherwise.
DEFAULT_FROM_MODEL_D = 20

_OWNER = "LookupTable"


@dataclass(frozen=True, eq=False)
class LookupTable(Model):
    """The full truth table of a function on {-1,+1}^d.

    Parameters
    ----------
    d : int
        Input dimension, 1 <= d <= 24.
    table : array_like of int, length 2^d
        ±1 values aligned with ``pd.cube.enumerate(d)``.

    Raises
    ------
    InvalidModelError
        For a table of the wrong length or with values other than ±1 (bools
        included), a non-integer d.
    TooLargeError
        For d > 24.

    Examples
    --------
    >>> pd.LookupTable(2, [1, -1, 1])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'table' of LookupTable must be a 1-d array ...
    """

    d: int
    table: np.ndarray = field(repr=False)

    class_name: ClassVar[str] = "lookup_table"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", _OWNER, min=1)
        if d > MAX_TABLE_D:
            raise TooLargeError(
                f"A LookupTable holds 2^d entries; d = {d} is past the limit d <= {MAX_TABLE_D}."
            )
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "table", model_sign_array(self.table, "table", _OWNER, 1 << d))

    @classmethod
    def from_model(cls, model: Model, *, max_d: int = DEFAULT_FROM_MODEL_D) -> LookupTable:
        """The truth table of any model, by evaluating it on the whole cube in chunks.

        Parameters
        ----------
        model : Model
            Any pacdistill model (real-input models are evaluated on the cube).
        max_d : int
            Refuse models with more inputs (default 20; at most 24).

        Raises
        ------
        TooLargeError
            When ``model.n_inputs > max_d``.

        >>> pd.LookupTable.from_model(pd.Conjunction(2, [(0, -1)])).table.tolist()
        [-1, 1, -1, 1]
        """
        if not isinstance(model, Model):
            raise InvalidModelError(
                f"LookupTable.from_model needs a pacdistill model. Got {type(model).__name__}."
            )
        max_d = check_int(max_d, "max_d", "LookupTable.from_model", min=1, max=MAX_TABLE_D)
        d = model.n_inputs
        if d > max_d:
            raise TooLargeError(
                f"LookupTable.from_model would evaluate the model on all 2^{d} points; d = {d} "
                f"is past max_d = {max_d}. Pass a larger max_d (at most {MAX_TABLE_D}) or "
                "compare models by sampling (pd.checkers.disagreement)."
            )
        table = np.empty(1 << d, dtype=np.int8)
        for start, block in chunks(d):
            table[start:start + block.shape[0]] = model.predict(block)
        return cls(d, table)

    def _predict(self, X: np.ndarray) -> np.ndarray:
        weights = np.left_shift(np.int64(1), np.arange(self.d, dtype=np.int64))
        return self.table[(X == -1) @ weights]

    def size(self) -> dict[str, int]:
        """``{"d": d}``."""
        return {"d": self.d}

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "table": self.table.tolist()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> LookupTable:
        payload_fields(data, ("d", "table"), _OWNER)
        return cls(payload_int(data["d"], "d", _OWNER),
                   payload_int_list(data["table"], "table", _OWNER))

    def __repr__(self) -> str:
        if self.d <= 4:
            return f"LookupTable(d={self.d}, table={self.table.tolist()})"
        return f"LookupTable(d={self.d}, table=<{self.table.shape[0]} entries>)"

    def __str__(self) -> str:
        if self.d <= 6:
            return "".join("+" if v == 1 else "-" for v in self.table)
        ones = int(np.count_nonzero(self.table == 1))
        return f"LookupTable on {self.d} variables, +1 on {ones} of {self.table.shape[0]} points"


def _random(rng: np.random.Generator, *, d: int) -> LookupTable:
    """A uniformly random function on {-1,+1}^d."""
    d = check_int(d, "d", "CLASSES['lookup_table'].random", min=1, max=MAX_TABLE_D)
    return LookupTable(d, rng.choice(np.array([-1, 1], dtype=np.int8), size=1 << d))


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym

    return {
        "params": (d_sym,),
        "eval_time": d_sym,
        "log_size": 2**d_sym * sympy.log(2),
        "vc_dim": 2**d_sym,
    }


LOOKUP_TABLE = ModelClass(
    name="lookup_table",
    title="LookupTable",
    formulas=_formulas,
    model_type=LookupTable,
    generator=_random,
    description="any function on the cube, as its truth table (2^d entries)",
    log_size_source="THEORY §4: all 2^(2^d) functions on the cube (exact)",
    vc_dim_source="derived here (THEORY §4): all functions on the 2^d points shatter the cube",
    size_names=("d",),
)
