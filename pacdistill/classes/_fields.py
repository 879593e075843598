"""Field checks shared by the model types (private).

Two layers, both raising :class:`~pacdistill.errors.InvalidModelError` (or its
subclass :class:`~pacdistill.errors.SerializationError`) with a message naming
the offending value:

- constructor checks (``model_*``): used in ``__post_init__``; they normalise
  what a Python caller passes (ints, ±1 signs, variable tuples, ±1 tables);
- JSON checks (``payload_*``): used by ``_from_payload``; stricter, they accept
  exactly what ``to_dict`` writes (real ints, never bools or floats; lists; the
  exact set of keys).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .._validation import is_sequence, param_error, show
from ..errors import InvalidModelError, SerializationError

__all__ = [
    "model_int",
    "model_sign",
    "model_variables",
    "model_sign_array",
    "payload_fields",
    "payload_int",
    "payload_list",
    "payload_int_list",
    "payload_literals",
]


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def model_int(value: Any, name: str, owner: str, *, min: int | None = None) -> int:
    """``value`` as a Python int >= ``min``; bools and floats are refused.

    >>> model_int(3, "d", "Parity", min=1)
    3
    >>> model_int(True, "d", "Parity", min=1)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'd' parameter of Parity must be an integer >= 1. ...
    """
    rule = "an integer" if min is None else f"an integer >= {min}"
    if not _is_int(value) or (min is not None and int(value) < min):
        raise param_error(name, owner, rule, value, cls=InvalidModelError)
    return int(value)


def model_sign(value: Any, name: str, owner: str) -> int:
    """``value`` as the Python int +1 or -1 (bools and floats refused)."""
    if not _is_int(value) or int(value) not in (1, -1):
        raise param_error(name, owner, "+1 or -1", value, cls=InvalidModelError)
    return int(value)


def model_variables(values: Any, d: int, owner: str, name: str = "variables") -> tuple[int, ...]:
    """Distinct variable indices in ``0 .. d-1``, as a tuple of ints in the given order."""
    if not is_sequence(values):
        raise param_error(name, owner, "a sequence of variable indices", values,
                          cls=InvalidModelError)
    out: list[int] = []
    for value in values:
        if not _is_int(value):
            raise InvalidModelError(
                f"The {name!r} of {owner} must be integers (variable indices). "
                f"Got {show(value)} in {show(values)}."
            )
        i = int(value)
        if not 0 <= i < d:
            raise InvalidModelError(
                f"The {name!r} of {owner} hold variable {i}, out of range for d = {d} "
                f"(variables are 0 .. {d - 1})."
            )
        if i in out:
            raise InvalidModelError(f"Variable {i} appears twice in the {name!r} of {owner}.")
        out.append(i)
    return tuple(out)


def model_sign_array(values: Any, name: str, owner: str, length: int) -> np.ndarray:
    """A read-only int8 array of ±1 of exactly ``length`` entries.

    Integer arrays (and float arrays holding exactly -1.0/+1.0) are accepted;
    bools are refused, since True/False say nothing about the sign convention.
    """
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError) as err:
        raise InvalidModelError(f"The {name!r} of {owner} is not an array: {err}") from err
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise InvalidModelError(
            f"The {name!r} of {owner} must hold the integers -1 and +1. "
            f"Got dtype {arr.dtype} instead."
        )
    if arr.ndim != 1 or arr.shape[0] != length:
        raise InvalidModelError(
            f"The {name!r} of {owner} must be a 1-d array of length {length}. "
            f"Got shape {arr.shape} instead."
        )
    bad = (arr != 1) & (arr != -1)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise InvalidModelError(
            f"The {name!r} of {owner} must hold only -1 and +1. Got {show(arr[j].item())} at "
            f"index {j}."
        )
    out = arr.astype(np.int8)
    out.setflags(write=False)
    return out


# -- JSON layer -------------------------------------------------------------

def payload_fields(data: Mapping[str, Any], fields: Iterable[str], owner: str) -> None:
    """Require exactly the keys ``class``, ``version`` and ``fields``."""
    expected = {"class", "version", *fields}
    missing = sorted(expected - set(data))
    extra = sorted(set(data) - expected, key=str)
    if missing:
        raise SerializationError(f"{owner} JSON misses the field(s) {missing}.")
    if extra:
        raise SerializationError(
            f"{owner} JSON has unexpected field(s) {extra}; expected only {sorted(expected)}."
        )


def payload_int(value: Any, name: str, owner: str) -> int:
    """A JSON integer (not a bool, not a float)."""
    if not _is_int(value):
        raise SerializationError(
            f"The field {name!r} of {owner} JSON must be an integer. Got {show(value)} instead."
        )
    return int(value)


def payload_list(value: Any, name: str, owner: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise SerializationError(
            f"The field {name!r} of {owner} JSON must be a list. "
            f"Got {type(value).__name__} {show(value)} instead."[:300]
        )
    return value


def payload_int_list(value: Any, name: str, owner: str) -> list[int]:
    """A JSON array of integers (no bools or floats)."""
    items = payload_list(value, name, owner)
    for item in items:
        if not _is_int(item):
            raise SerializationError(
                f"The field {name!r} of {owner} JSON must hold integers. Got {show(item)}."
            )
    return items


def payload_literals(value: Any, name: str, owner: str) -> list[tuple[int, int]]:
    """A JSON array of ``[variable, sign]`` integer pairs (ranges are checked by
    the model's constructor)."""
    out = []
    for lit in payload_list(value, name, owner):
        if not (isinstance(lit, list) and len(lit) == 2 and all(_is_int(x) for x in lit)):
            raise SerializationError(
                f"The field {name!r} of {owner} JSON must hold [variable, sign] integer "
                f"pairs. Got {show(lit)}."
            )
        out.append((int(lit[0]), int(lit[1])))
    return out
