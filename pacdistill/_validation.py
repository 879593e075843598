"""Argument checks shared by every public entry point (private).

One message format for the whole library (after scikit-learn's parameter
validation): ``The 'eps' parameter of distill_tree must be in (0, 1). Got 1.5
instead.`` Every helper here raises a :mod:`pacdistill.errors` subclass and
returns the value in the one normalised form the caller's core expects.
"""

from __future__ import annotations

import numbers
import operator
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .errors import InvalidInputError, InvalidParameterError, SerializationError, UnknownNameError

__all__ = [
    "show",
    "param_error",
    "check_bool",
    "check_int",
    "check_real",
    "check_probability",
    "check_choice",
    "check_rng",
    "check_progress",
    "is_sequence",
    "check_points",
    "check_real_points",
    "close_matches_message",
    "record_type",
]


# bounded depth and width for containers (a value nested 10,000 deep, or shared
# sub-lists whose full repr would be astronomically long, cost nothing)
_REPR = reprlib.Repr()
_REPR.maxlevel = 6
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = 12
_REPR.maxdict = 8
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 80


def _show(value: Any) -> str:
    """A short, safe rendering of a user value for an error message.

    Containers are shown to a bounded depth and length (reprlib), so a deeply
    nested or huge value costs nothing to describe.

    >>> _show(10**5000)
    'an integer of 16610 bits'
    >>> _show(list(range(100)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...]'
    >>> v = []
    >>> for _ in range(10_000):
    ...     v = [v]
    >>> _show(v)
    '[[[[[[[...]]]]]]]'
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        if int(value).bit_length() > 14_000:  # past Python's 4300-digit str() limit
            return f"an integer of {int(value).bit_length()} bits"
    try:
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            text = _REPR.repr(value)
        else:
            text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


show = _show


def param_error(
    name: str, func: str, rule: str, value: Any, *, fix: str | None = None,
    cls: type[Exception] = InvalidParameterError,
) -> Exception:
    """Build (not raise) the library's standard parameter error.

    >>> print(param_error("eps", "distill_tree", "in (0, 1)", 1.5))
    The 'eps' parameter of distill_tree must be in (0, 1). Got 1.5 instead.
    """
    message = f"The {name!r} parameter of {func} must be {rule}. Got {_show(value)} instead."
    if fix:
        message += " " + fix
    return cls(message)


def check_bool(value: Any, name: str, func: str) -> bool:
    """Return ``value`` as a Python bool (a flag), or raise InvalidParameterError.

    Only True and False (and numpy's bools) are flags: ``1``, ``"yes"`` or an
    array, whose truth value is ambiguous, are refused.

    >>> check_bool(np.True_, "mixing", "f")
    True
    >>> check_bool(1, "mixing", "f")
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'mixing' parameter of f must be True or False. ...
    """
    if not isinstance(value, (bool, np.bool_)):
        raise param_error(name, func, "True or False", value)
    return bool(value)


def check_int(
    value: Any, name: str, func: str, *, min: int | None = None, max: int | None = None,
) -> int:
    """Return ``value`` as a Python int, or raise InvalidParameterError.

    Booleans and floats are rejected (``3.0`` is not silently a dimension).

    >>> check_int(3, "d", "f", min=1)
    3
    >>> check_int(0, "d", "f", min=1)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'd' parameter of f must be an integer >= 1. ...
    """
    if min is not None and max is not None:
        rule = f"an integer in [{min}, {max}]"
    elif min is not None:
        rule = f"an integer >= {min}"
    elif max is not None:
        rule = f"an integer <= {max}"
    else:
        rule = "an integer"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise param_error(name, func, rule, value)
    ivalue = operator.index(value)
    if (min is not None and ivalue < min) or (max is not None and ivalue > max):
        raise param_error(name, func, rule, value)
    return int(ivalue)


def check_real(
    value: Any, name: str, func: str, *,
    low: float | None = None, high: float | None = None,
    low_open: bool = False, high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float inside the given interval.

    >>> check_real(0.5, "t", "f", low=0, high=1, low_open=True)
    0.5
    """
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    if low is not None and high is not None:
        rule = f"a real number in {lo}{low}, {high}{hi}"
    elif low is not None:
        rule = f"a real number {'>' if low_open else '>='} {low}"
    elif high is not None:
        rule = f"a real number {'<' if high_open else '<='} {high}"
    else:
        rule = "a finite real number"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise param_error(name, func, rule, value)
    try:
        fvalue = float(value)
    except OverflowError:  # an int past float64's range
        raise param_error(name, func, rule, value) from None
    if not np.isfinite(fvalue):
        raise param_error(name, func, rule, value)
    if low is not None and (fvalue < low or (low_open and fvalue == low)):
        raise param_error(name, func, rule, value)
    if high is not None and (fvalue > high or (high_open and fvalue == high)):
        raise param_error(name, func, rule, value)
    return fvalue


def check_probability(value: Any, name: str, func: str) -> float:
    """A number strictly between 0 and 1 (eps, delta, a confidence level).

    >>> check_probability(1.5, "eps", "distill_tree")
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'eps' parameter of distill_tree must be ...
    """
    return check_real(value, name, func, low=0, high=1, low_open=True, high_open=True)


def close_matches_message(kind: str, value: str, choices: Sequence[str]) -> str:
    """``Unknown class 'desicion_tree'. Did you mean 'decision_tree'? Known: ...``"""
    import difflib

    shown = _show(value)  # a str quoted; anything else as itself ([], not '[]')
    if not isinstance(value, str):
        value = shown  # str() of a deeply nested value recurses for ever
    # difflib's ratio 2M/(a+b) >= 0.5 needs len(value) <= 3 * len(choice): a longer
    # value (a 10 MB name took difflib 7 s) has no close match, so none is searched
    searchable = len(value) <= 3 * max((len(str(c)) for c in choices), default=0)
    close = (difflib.get_close_matches(value, list(choices), n=3, cutoff=0.5)
             if searchable else [])
    if not close and searchable:
        lowered = {str(c).lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(str(value).lower(), list(lowered))]
    if not close and len(value) <= 1000:  # a word of a name: "tree" -> decision_tree
        word = "".join(ch for ch in str(value).lower() if ch.isalnum())
        close = [c for c in choices if word and word in str(c).lower().split("_")]
    message = f"Unknown {kind} {shown}."
    if close:
        message += " Did you mean " + " or ".join(repr(c) for c in close) + "?"
    message += " Known: " + ", ".join(sorted(map(str, choices))) + "."
    return message


def check_choice(value: Any, name: str, func: str, choices: Sequence[str]) -> str:
    """One of a fixed set of strings; the error lists the choices.

    >>> check_choice("time", "rank", "routes", ["samples", "time", "queries"])
    'time'
    """
    if not isinstance(value, str) or value not in choices:
        rule = "one of " + ", ".join(repr(c) for c in choices)
        raise param_error(name, func, rule, value)
    return value


def unknown_name(kind: str, value: str, choices: Sequence[str]) -> UnknownNameError:
    """Build an UnknownNameError listing close matches."""
    return UnknownNameError(close_matches_message(kind, value, choices))


def record_type(data: Any, types: Mapping[str, Any], *, key: str, func: str, role: str,
                noun: str) -> Any:
    """The type a JSON document names under ``key``, among ``types`` (tag -> type).

    The one check of the dispatching loaders (``model_from_dict`` on
    ``"class"``, ``distribution_from_dict`` on ``"distribution"``): ``data``
    must be a dict, hold ``key`` (``role`` says what its value is) and name one
    of ``types`` (``noun`` in the close-matches message); otherwise
    SerializationError naming ``func``.

    >>> record_type({"kind": "b"}, {"a": int, "b": str}, key="kind", func="load",
    ...             role="the kind", noun="kind")
    <class 'str'>
    >>> record_type({}, {"a": int}, key="kind", func="load", role="the kind", noun="kind")
    Traceback (most recent call last):
    ...
    pacdistill.errors.SerializationError: load: the document has no 'kind' key (the kind, ...
    """
    if not isinstance(data, Mapping):
        raise SerializationError(
            f"{func} expects a dict with a {key!r} key. Got {type(data).__name__}."
        )
    if key not in data:
        raise SerializationError(
            f"{func}: the document has no {key!r} key ({role}, one of "
            f"{', '.join(sorted(types))}). Got the keys {show(sorted(map(str, data)))}."
        )
    tag = data.get(key)
    if not isinstance(tag, str) or tag not in types:
        msg = str(unknown_name(noun, tag if isinstance(tag, str) else show(tag), list(types)))
        raise SerializationError(f"{func}: {msg}")
    return types[tag]


def check_rng(rng: Any, func: str = "this function", name: str = "rng") -> np.random.Generator:
    """Normalise a seed or Generator into a :class:`numpy.random.Generator`.

    ``None`` means a fresh, unpredictable Generator (results then differ between
    calls: pass a seed to reproduce them). An int seeds a new Generator; a
    Generator is used as is (and advanced).

    >>> bool(check_rng(0).integers(10**6) == check_rng(0).integers(10**6))
    True
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if int(rng) < 0:
            raise param_error(name, func, "None, a seed >= 0 or a numpy Generator", rng)
        return np.random.default_rng(int(rng))
    raise param_error(name, func, "None, a seed >= 0 or a numpy Generator", rng)


def is_sequence(value: Any) -> bool:
    """Whether ``value`` can be read as a sequence of items: iterable, and not a
    str, bytes or mapping (their items are characters, byte values, keys) nor a
    0-d numpy array (an Iterable by type, yet iterating it raises TypeError).

    >>> is_sequence([1, 2]), is_sequence(np.array([1, 2])), is_sequence(np.array(3))
    (True, True, False)
    >>> is_sequence("ab"), is_sequence({"a": 1}), is_sequence(3)
    (False, False, False)
    """
    return (isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))
            and getattr(value, "ndim", 1) != 0)


def check_progress(progress: Any, func: str) -> Any:
    """``progress`` if it is None or callable as ``progress(done, total)`` (the
    callback of the library's long routines), else InvalidParameterError.

    >>> check_progress(print, "f") is print
    True
    """
    if progress is not None and not callable(progress):
        raise param_error("progress", func, "None or a callable progress(done, total)",
                          progress)
    return progress


def _as_array(X: Any, name: str, func: str) -> np.ndarray:
    try:
        arr = np.asarray(X)
    except (ValueError, TypeError) as err:
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must be a 2-d array of points. "
            f"It could not be read as an array: {err}"
        ) from err
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.integer)
        or np.issubdtype(arr.dtype, np.floating)
        or arr.dtype == np.bool_
    ):
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must hold integer or float values. "
            f"Got dtype {arr.dtype} instead."
        )
    return arr


def _check_shape(arr: np.ndarray, d: int | None, name: str, func: str) -> np.ndarray:
    if arr.ndim == 1 and d is not None and arr.shape[0] == d:
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must be a 2-d array of shape (n, {d}). "
            f"Got a 1-d array of shape {arr.shape} instead; use X.reshape(1, -1) for one point."
        )
    if arr.ndim != 2:
        want = f"(n, {d})" if d is not None else "(n, d)"
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must be a 2-d array of shape {want}. "
            f"Got an array of shape {arr.shape} instead."
        )
    if d is not None and arr.shape[1] != d:
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must have {d} columns (one per input "
            f"variable). Got shape {arr.shape} instead."
        )
    return arr


def check_points(X: Any, d: int | None, name: str = "X", func: str = "predict") -> np.ndarray:
    """Validate points of the cube and return them as a C-contiguous int8 array.

    Accepts any integer, float or bool dtype whose values are exactly -1 and +1.

    >>> check_points([[1, -1]], 2)
    array([[ 1, -1]], dtype=int8)
    >>> check_points([[1, 0]], 2)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidInputError: The 'X' parameter of predict must hold only -1 and +1 ...
    """
    arr = _check_shape(_as_array(X, name, func), d, name, func)
    bad = (arr != 1) & (arr != -1)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must hold only -1 and +1 (points of the "
            f"cube {{-1,+1}}^d). Got the value {arr[row, col].item()!r} at row {row}, column {col} "
            "instead."
        )
    return np.ascontiguousarray(arr, dtype=np.int8)


def check_real_points(
    X: Any, d: int | None, name: str = "X", func: str = "predict",
) -> np.ndarray:
    """Validate real-valued inputs (halfspaces and networks accept R^d): a finite
    2-d float64 array.

    >>> check_real_points([[0.5, -2.0]], 2)
    array([[ 0.5, -2. ]])
    """
    arr = _check_shape(_as_array(X, name, func), d, name, func).astype(np.float64, copy=False)
    if not np.isfinite(arr).all():
        row, col = np.argwhere(~np.isfinite(arr))[0]
        raise InvalidInputError(
            f"The {name!r} parameter of {func} must hold finite values. Got "
            f"{arr[row, col].item()!r} at row {row}, column {col} instead."
        )
    return arr
