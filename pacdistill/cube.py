"""The Boolean cube {-1,+1}^d: enumeration in chunks and literal/AND helpers.

Conventions (THEORY §1): +1 is *true*; a literal ``(i, s)`` holds at x when
``x[i] == s``; an AND of literals is +1 when every literal holds. Row ``i`` of
:func:`enumerate` is the binary expansion of ``i``, least significant bit first,
where a bit 1 means ``x_j = -1``. So row 0 is all +1 and :func:`index` inverts
the enumeration.

Exhaustive routines refuse ``d > MAX_ENUMERATE_D`` (the whole cube would not fit
in memory) and suggest sampling; :func:`chunks` walks cubes up to
``MAX_WALK_D`` without materialising them.

Examples
--------
>>> pd.cube.enumerate(2)
array([[ 1,  1],
       [-1,  1],
       [ 1, -1],
       [-1, -1]], dtype=int8)
>>> int(pd.cube.index(pd.cube.enumerate(3))[5])
5
"""

from __future__ import annotations

import builtins
import numbers
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ._validation import check_bool, check_int, check_points, is_sequence, show
from .errors import InvalidModelError, TooLargeError

__all__ = [
    "MAX_ENUMERATE_D",
    "MAX_WALK_D",
    "DEFAULT_CHUNK",
    "enumerate",
    "points",
    "chunks",
    "index",
    "check_enumerable",
    "check_literals",
    "literals_hold",
    "and_of_literals",
]

#: Largest d for which :func:`enumerate` materialises the cube (2^24 rows of d bytes).
MAX_ENUMERATE_D = 24
#: Largest d for which :func:`chunks` walks the whole cube (about 10^9 points).
MAX_WALK_D = 30
#: Rows per chunk in exhaustive loops: large enough that numpy dominates, small
#: enough to stay within a few hundred MB for d <= 30.
DEFAULT_CHUNK = 1 << 16


def check_enumerable(d: int, func: str, limit: int = MAX_ENUMERATE_D) -> int:
    """Raise TooLargeError (suggesting sampling) when 2^d is past ``limit``."""
    d = check_int(d, "d", func, min=0)
    limit = check_int(limit, "limit", func, min=0)
    if d > limit:
        raise TooLargeError(
            f"{func} would enumerate all 2^{show(d)} points of the cube, past the limit of "
            f"2^{limit}. Use a sampling alternative instead (for example "
            "pd.checkers.disagreement with a distribution that samples, or "
            "pd.checkers.equivalent, which is randomized beyond d = 20)."
        )
    return d


def points(start: int, stop: int, d: int) -> np.ndarray:
    """Rows ``start .. stop-1`` of the enumeration of {-1,+1}^d, as int8.

    Raises
    ------
    InvalidParameterError
        Unless ``0 <= start <= stop <= 2^d`` and ``d <= 62`` (an int64 row index).
    TooLargeError
        For more than ``2^MAX_ENUMERATE_D`` rows at once.

    >>> pd.cube.points(1, 3, 2).tolist()
    [[-1, 1], [1, -1]]
    >>> pd.cube.points(3, 5, 2)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'stop' parameter of cube.points must be ...
    """
    func = "cube.points"
    d = check_int(d, "d", func, min=0, max=62)
    start = check_int(start, "start", func, min=0, max=1 << d)
    stop = check_int(stop, "stop", func, min=start, max=1 << d)
    if stop - start > 1 << MAX_ENUMERATE_D:
        raise TooLargeError(
            f"{func} would build {show(stop - start)} rows, past the limit of "
            f"2^{MAX_ENUMERATE_D} at once (MAX_ENUMERATE_D). Walk them with cube.chunks."
        )
    return _rows(start, stop, d)


def _rows(start: int, stop: int, d: int) -> np.ndarray:
    """:func:`points` without the checks (its callers pass valid ranges)."""
    idx = np.arange(start, stop, dtype=np.int64)
    bits = (idx[:, None] >> np.arange(d, dtype=np.int64)[None, :]) & 1
    return (1 - 2 * bits).astype(np.int8)


def enumerate(d: int) -> np.ndarray:
    """All 2^d points of the cube as a (2^d, d) int8 array.

    Row ``i`` is the binary expansion of ``i`` (bit j, least significant first,
    equal to 1 means ``x_j = -1``).

    Raises
    ------
    TooLargeError
        When d > MAX_ENUMERATE_D.

    >>> pd.cube.enumerate(1)
    array([[ 1],
           [-1]], dtype=int8)
    """
    d = check_enumerable(d, "cube.enumerate")
    return _rows(0, 1 << d, d)


def chunks(
    d: int, chunk_size: int = DEFAULT_CHUNK, *, limit: int = MAX_WALK_D,
) -> Iterator[tuple[int, np.ndarray]]:
    """Walk the cube in enumeration order: yields ``(start, block)`` with
    ``block == enumerate(d)[start:start + len(block)]``.

    >>> [(s, b.shape) for s, b in pd.cube.chunks(3, chunk_size=3)]
    [(0, (3, 3)), (3, (3, 3)), (6, (2, 3))]
    """
    d = check_enumerable(d, "cube.chunks", limit=limit)
    chunk_size = check_int(chunk_size, "chunk_size", "cube.chunks", min=1)
    total = 1 << d
    for start in builtins.range(0, total, chunk_size):
        yield start, _rows(start, min(start + chunk_size, total), d)


def index(X: np.ndarray) -> np.ndarray:
    """The enumeration index of each row of X (the inverse of :func:`enumerate`).

    >>> pd.cube.index(np.array([[1, 1], [-1, -1]]))
    array([0, 3])
    """
    X = check_points(X, None, func="cube.index")
    d = X.shape[1]
    if d > 62:
        raise TooLargeError(f"cube.index needs d <= 62 to fit an int64 index. Got d = {d}.")
    weights = np.left_shift(np.int64(1), np.arange(d, dtype=np.int64))
    return ((X == -1).astype(np.int64) @ weights).astype(np.int64)


def check_literals(
    literals: Iterable[Sequence[int]], d: int, owner: str = "model", *,
    distinct: bool = True,
) -> tuple[tuple[int, int], ...]:
    """Validate literals ``(i, s)``: 0 <= i < d, s in {-1, +1}, no variable twice
    (unless ``distinct=False``).

    Returns them as a tuple of int pairs. Raises InvalidModelError naming the
    offending literal.

    >>> check_literals([(0, 1), (2, -1)], 3)
    ((0, 1), (2, -1))
    """
    d = check_int(d, "d", "cube.check_literals", min=0)
    distinct = check_bool(distinct, "distinct", "cube.check_literals")
    if not is_sequence(literals):
        raise InvalidModelError(
            f"The literals of the {owner} must be a sequence of (variable, sign) pairs. "
            f"Got {show(literals)} instead."
        )
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for lit in literals:
        try:
            i, s = lit
        except (TypeError, ValueError) as err:
            raise InvalidModelError(
                f"A literal of the {owner} must be a pair (variable, sign). Got {show(lit)}."
            ) from err
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise InvalidModelError(
                f"A literal's variable in the {owner} must be an integer. Got {show(i)} in "
                f"{show(lit)}."
            )
        if not 0 <= int(i) < d:
            raise InvalidModelError(
                f"A literal of the {owner} is on variable {int(i)}, out of range for d = {d} "
                f"(variables are 0 .. {d - 1})."
            )
        # a sign is one number (an array's ``in`` test would raise a bare ValueError)
        if (isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Real)
                or s not in (1, -1)):
            raise InvalidModelError(
                f"A literal's sign in the {owner} must be +1 or -1. Got {show(s)} in {show(lit)}."
            )
        if distinct and int(i) in seen:
            raise InvalidModelError(
                f"Variable {int(i)} appears twice among the literals of the {owner}."
            )
        seen.add(int(i))
        out.append((int(i), int(s)))
    return tuple(out)


def literals_hold(X: np.ndarray, literals: Sequence[tuple[int, int]]) -> np.ndarray:
    """Boolean array: for each row of X, whether every literal holds. The empty AND
    holds everywhere.

    Raises
    ------
    InvalidInputError
        When X is not an (n, d) array of -1/+1 points.
    InvalidModelError
        When a literal is not a pair (i, s) with 0 <= i < d and s = ±1. A variable
        may appear twice (with opposite signs the AND holds nowhere).

    >>> pd.cube.literals_hold([[1, -1], [1, 1]], [(1, -1)]).tolist()
    [True, False]
    >>> pd.cube.literals_hold([[1, -1]], [(2, 1)])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: A literal of the cube.literals_hold is on variable 2, ...
    """
    X = check_points(X, None, func="cube.literals_hold")
    return _literals_hold(X, check_literals(literals, X.shape[1], owner="cube.literals_hold",
                                            distinct=False))


def _literals_hold(X: np.ndarray, literals: Sequence[tuple[int, int]]) -> np.ndarray:
    """:func:`literals_hold` on int8 points and literals already validated (the
    models' hot path)."""
    if len(literals) == 0:
        return np.ones(X.shape[0], dtype=bool)
    lits = np.asarray(literals, dtype=np.int64)
    return (X[:, lits[:, 0]] == lits[:, 1].astype(np.int8)).all(axis=1)


def and_of_literals(X: np.ndarray, literals: Sequence[tuple[int, int]]) -> np.ndarray:
    """The AND of the literals as a ±1 int8 array (+1 where all hold)."""
    return np.where(literals_hold(X, literals), np.int8(1), np.int8(-1))
