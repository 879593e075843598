"""What the checkers need of a model: its input dimension and validated
predictions (private; shared by disagreement and equivalence)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._validation import param_error
from ..errors import InvalidModelError

__all__ = ["model_dim", "same_dim", "predict_pm1"]


def model_dim(model: Any, name: str, func: str) -> int:
    """The input dimension of ``model``: its ``n_inputs``, else its ``d``.

    Anything with a ``predict`` method and one of those attributes is accepted
    (a pacdistill model, a test double, a wrapper around another library).
    """
    if not callable(getattr(model, "predict", None)):
        raise param_error(name, func, "a model with a predict method", model)
    d = getattr(model, "n_inputs", None)
    if d is None:
        d = getattr(model, "d", None)
    if isinstance(d, (bool, np.bool_)) or not isinstance(d, numbers.Integral) or d < 1:
        fix = f"(its dimension is {d!r}.)"
        if type(model).__module__.startswith("sklearn."):
            fix = ("(for a fitted scikit-learn MLP, pass pd.ReLUNetwork.from_sklearn(model): "
                   "its labels are ±1 and its d is known.)")
        raise param_error(name, func, "a model with an integer input dimension "
                          "(n_inputs or d) >= 1", model, fix=fix)
    return int(d)


def same_dim(f: Any, g: Any, func: str) -> int:
    """The common input dimension of f and g, or InvalidParameterError."""
    df, dg = model_dim(f, "f", func), model_dim(g, "g", func)
    if df != dg:
        raise param_error("g", func, f"a model on the same cube as f (d = {df})", g,
                          fix=f"(g has d = {dg}.)")
    return df


def predict_pm1(model: Any, X: np.ndarray, name: str, func: str) -> np.ndarray:
    """``model.predict(X)`` checked to be a length-n array of -1/+1 (a column of
    shape (n, 1), as a one-output network gives, is read as its n labels)."""
    y = np.asarray(model.predict(X))
    if y.shape == (X.shape[0], 1):
        y = y.reshape(-1)
    if y.shape != (X.shape[0],):
        raise InvalidModelError(
            f"{func}: {name}.predict returned an array of shape {y.shape} on "
            f"{X.shape[0]} points; expected shape ({X.shape[0]},)."
        )
    bad = (y != 1) & (y != -1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidModelError(
            f"{func}: {name}.predict must return -1/+1 labels. Got {y[i]!r} at row {i}."
        )
    return y
