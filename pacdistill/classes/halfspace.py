"""Halfspaces (linear threshold functions) over R^d and the cube (THEORY §1, §4, §8).

``Halfspace(weights, bias)`` is +1 at x iff ``weights . x + bias > 0`` and -1
otherwise (a tie, ``weights . x + bias == 0``, gives -1). It accepts real
inputs as well as points of the cube. The VC dimension of halfspaces over R^d
is d + 1 (THEORY §4).

Examples
--------
>>> h = pd.Halfspace([1.0, 1.0], 0.5)       # the OR of x0 and x1
>>> h.predict(pd.cube.enumerate(2))
array([ 1,  1,  1, -1], dtype=int8)
>>> h.predict([[-0.4, -0.3]])               # real inputs are accepted
array([-1], dtype=int8)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int
from ..errors import InvalidModelError
from ._arrays import json_real_array, real_array, real_scalar
from ._base import Model, ModelClass
from ._fields import payload_fields

__all__ = ["Halfspace", "HALFSPACE"]


@dataclass(frozen=True, eq=False)
class Halfspace(Model):
    """The linear threshold function ``x -> sign(weights . x + bias)``, ties -> -1.

    Parameters
    ----------
    weights : array_like of shape (d,)
        Finite real weights, d >= 1 (stored as a read-only float64 array).
    bias : float, default 0.0
        A finite real number.

    Raises
    ------
    InvalidModelError
        When the weights are not a non-empty 1-d array of finite reals or the
        bias is not a finite real (bools are refused).

    Examples
    --------
    >>> h = pd.Halfspace([2, -1, 1], 0.5)
    >>> h
    Halfspace(weights=[2.0, -1.0, 1.0], bias=0.5)
    >>> h.output([[1, 1, -1]]), h.predict([[1, 1, -1]])
    (array([0.5]), array([1], dtype=int8))
    >>> pd.Halfspace([1.0, np.inf], 0.0)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'weights' parameter of Halfspace must hold ...
    """

    class_name: ClassVar[str] = "halfspace"
    real_inputs: ClassVar[bool] = True

    weights: np.ndarray
    bias: float = 0.0

    def __post_init__(self) -> None:
        weights = real_array(self.weights, "weights", "Halfspace", ndim=1)
        if weights.shape[0] == 0:
            raise InvalidModelError(
                "The 'weights' parameter of Halfspace must have at least one entry "
                "(d >= 1). Got an empty array instead."
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "bias", real_scalar(self.bias, "bias", "Halfspace"))

    @property
    def d(self) -> int:
        """The input dimension, ``len(weights)``."""
        return int(self.weights.shape[0])

    def output(self, X: Any) -> np.ndarray:
        """The real score ``X @ weights + bias`` of each row, shape (n,) float64.

        ``predict(X)`` is +1 exactly where the score is > 0. Scores too large for
        float64 overflow to +-inf or nan (numpy warns); a nan score predicts -1.
        """
        return self._output(self._check_X(X, "output"))

    def _output(self, X: np.ndarray) -> np.ndarray:
        return X @ self.weights + self.bias

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.where(self._output(X) > 0, np.int8(1), np.int8(-1))

    def size(self) -> dict[str, int]:
        """``{"d": d}``."""
        return {"d": self.d}

    def _payload(self) -> dict[str, Any]:
        # float64 -> Python float -> JSON uses repr, which round-trips exactly.
        return {"weights": self.weights.tolist(), "bias": float(self.bias)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Halfspace:
        payload_fields(data, ("weights", "bias"), "Halfspace")
        weights = json_real_array(data["weights"], "weights", 1)
        bias = json_real_array(data["bias"], "bias", 0)
        return cls(weights, float(bias))

    def __repr__(self) -> str:
        return f"Halfspace(weights={self.weights.tolist()!r}, bias={self.bias!r})"


def _random(rng: np.random.Generator, *, d: int) -> Halfspace:
    """A halfspace with i.i.d. standard normal weights and bias.

    >>> pd.CLASSES["halfspace"].random(0, d=4).size()
    {'d': 4}
    """
    d = check_int(d, "d", "CLASSES['halfspace'].random", min=1)
    return Halfspace(rng.standard_normal(d), float(rng.standard_normal()))


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    from ..bounds.symbols import d as d_sym

    return {"params": (d_sym,), "eval_time": d_sym, "vc_dim": d_sym + 1}


HALFSPACE = ModelClass(
    name="halfspace",
    title="Halfspace",
    formulas=_formulas,
    model_type=Halfspace,
    generator=_random,
    description="linear threshold function sign(w . x + b) over R^d (ties -> -1)",
    vc_dim_source=(
        "THEORY §4; Shalev-Shwartz and Ben-David 2014, Understanding Machine Learning, "
        "Section 9.1 (DOI 10.1017/CBO9781107298019)"
    ),
    size_names=("d",),
)
