"""Validation of real-valued parameter arrays (halfspace and network weights).

Private helpers shared by :mod:`~pacdistill.classes.halfspace` and
:mod:`~pacdistill.classes.relu_network`: one checks arrays handed to a
constructor (finite, real, the right number of dimensions, the first bad entry
named by its position), the other reads the nested lists of a JSON document
strictly (numbers only: no bools, no strings, no ragged rows).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import show
from ..errors import InvalidModelError, SerializationError

__all__ = ["real_array", "real_scalar", "json_real_array"]


def _position(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def real_array(value: Any, name: str, owner: str, ndim: int) -> np.ndarray:
    """``value`` as a read-only float64 array with ``ndim`` dimensions, all finite.

    Integer and float dtypes are accepted; bool, complex, string and object
    arrays are not. The first NaN or infinite entry is named by its position.

    >>> real_array([1, 2], "weights", "Halfspace", 1)
    array([1., 2.])
    >>> real_array([1.0, float("nan")], "weights", "Halfspace", 1)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'weights' parameter of Halfspace must hold ...
    """
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as err:
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must be a {ndim}-d array of real numbers. "
            f"It could not be read as an array: {err}"
        ) from err
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must hold real numbers (an integer or "
            f"float dtype). Got dtype {arr.dtype} instead."
        )
    if arr.ndim != ndim:
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must be a {ndim}-d array. "
            f"Got an array of shape {arr.shape} instead."
        )
    out = np.array(arr, dtype=np.float64, copy=True, order="C")
    bad = ~np.isfinite(out)
    if bad.any():
        where = tuple(np.argwhere(bad)[0])
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must hold finite numbers. "
            f"Got {float(out[where])!r} at position {_position(where)} instead."
        )
    out.setflags(write=False)
    return out


def real_scalar(value: Any, name: str, owner: str) -> float:
    """A finite real number (not a bool) as a Python float.

    >>> real_scalar(-0.5, "bias", "Halfspace")
    -0.5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must be a finite real number. "
            f"Got {show(value)} instead."
        )
    try:
        out = float(value)
    except OverflowError:  # an int past float64's range
        out = float("inf")
    if not np.isfinite(out):
        raise InvalidModelError(
            f"The {name!r} parameter of {owner} must be a finite real number. "
            f"Got {show(value)} instead."
        )
    return out


def _json_number(x: Any, where: str) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise SerializationError(f"{where} must be a number. Got {show(x)} instead.")


def json_real_array(value: Any, where: str, ndim: int) -> np.ndarray:
    """Read a JSON number (``ndim=0``), list of numbers (1) or list of equal-length
    lists of numbers (2) strictly, as float64. ``where`` names the field in
    messages (``"weights[1]"``).

    >>> json_real_array([[1, 2.5], [0, -1]], "weights[0]", 2)
    array([[ 1. ,  2.5],
           [ 0. , -1. ]])
    >>> json_real_array([[1, 2], [3]], "weights[0]", 2)
    Traceback (most recent call last):
    ...
    pacdistill.errors.SerializationError: weights[0][1] must have 2 entries like ...
    """
    if ndim == 0:
        _json_number(value, where)
        return np.array(float(value))
    if not isinstance(value, (list, tuple)):
        kind = "a list of numbers" if ndim == 1 else "a list of lists of numbers"
        raise SerializationError(f"{where} must be {kind}. Got {show(value)} instead.")
    if ndim == 1:
        for pos, x in enumerate(value):
            _json_number(x, f"{where}[{pos}]")
        return np.array(value, dtype=np.float64)
    rows = [json_real_array(row, f"{where}[{i}]", ndim - 1) for i, row in enumerate(value)]
    for i, row in enumerate(rows):
        if row.shape != rows[0].shape:
            raise SerializationError(
                f"{where}[{i}] must have {len(rows[0])} entries like {where}[0]. "
                f"Got {len(row)} entries instead."
            )
    if not rows:
        return np.zeros((0,) * ndim, dtype=np.float64)
    return np.stack(rows)
