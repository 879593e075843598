"""Distributions over the Boolean cube {-1,+1}^d (THEORY §1: the D of err_D).

Six frozen value objects, each with the input dimension ``d``:

- :class:`Uniform` ``(d)``: every point has mass 2^-d;
- :class:`Product` ``(p)``: independent coordinates, ``p[i] = P[x_i = +1]``;
- :class:`Subcube` ``(d, fixed={i: s})``: uniform on the points with ``x_i = s``;
- :class:`Mixture` ``(components, weights)``: a weighted mixture of the above;
- :class:`FiniteSupport` ``(points, weights)``: an explicit finite list;
- :class:`Empirical` ``(X)``: uniform over the rows of a sample (with multiplicity).

Each has ``sample(n, rng)`` (an (n, d) int8 array of iid draws, vectorized),
``pmf(X)`` (the probability of each given point), ``pmf_on_cube()`` for
``d <= PMF_MAX_D`` (aligned with :func:`pacdistill.cube.enumerate`), ``support()``
for the finite-support ones, ``weighted_blocks()`` (the support walked in chunks
with its probabilities: what exact expectations such as
:func:`pacdistill.checkers.disagreement` use), and a versioned JSON form through
``to_dict`` and :func:`distribution_from_dict`.

Examples
--------
>>> D = pd.distributions.Product([0.9, 0.5])
>>> D.pmf_on_cube()          # rows of pd.cube.enumerate(2): ++, -+, +-, --
array([0.45, 0.05, 0.45, 0.05])
>>> D.sample(3, rng=0).shape
(3, 2)
>>> pd.distributions.distribution_from_dict(D.to_dict()) == D
True
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from . import cube
from ._record import FORMAT_VERSION, VersionedRecord
from ._validation import (
    check_int,
    check_points,
    check_rng,
    is_sequence,
    param_error,
    record_type,
    show,
)
from .classes._base import readonly
from .errors import InvalidInputError, InvalidParameterError, SerializationError, TooLargeError

__all__ = [
    "PMF_MAX_D",
    "WALK_MAX_POINTS",
    "MAX_SAMPLE_CELLS",
    "FORMAT_VERSION",
    "DISTRIBUTION_TYPES",
    "Distribution",
    "Uniform",
    "Product",
    "Subcube",
    "Mixture",
    "FiniteSupport",
    "Empirical",
    "distribution_from_dict",
]

#: Largest d for which ``pmf_on_cube`` builds the whole probability vector.
PMF_MAX_D = 20
#: Largest number of points ``weighted_blocks`` walks for a sub-cube support
#: (2^PMF_MAX_D); explicit finite supports are walked whatever their size.
WALK_MAX_POINTS = 1 << PMF_MAX_D
#: Most entries (n * d) of one array returned by ``sample`` (1 GiB of int8).
MAX_SAMPLE_CELLS = 1 << 30
#: JSON name -> distribution type; filled by ``Distribution.__init_subclass__``.
DISTRIBUTION_TYPES: dict[str, type[Distribution]] = {}

# Cells (rows * d) drawn at once by ``sample``: bounds the float64 scratch memory.
_SAMPLE_CELLS = 1 << 22

#: A block of points with its probabilities: an array (one per row) or one
#: float shared by every row of the block.
Block = tuple[np.ndarray, "np.ndarray | float"]


class Distribution(VersionedRecord):
    """Base of the distributions over {-1,+1}^d.

    Subclasses are frozen dataclasses declared with ``eq=False`` (equality is
    by the JSON form) implementing ``_sample``, ``_pmf``, ``_pmf_on_cube``,
    ``_payload``, ``_from_payload`` and, when the support can be walked,
    ``_blocks`` and ``enumeration_size``.
    """

    kind: ClassVar[str] = ""
    TAG_KEY: ClassVar[str] = "distribution"
    TAG_ATTR: ClassVar[str] = "kind"
    INVALID_CONTENT: ClassVar[tuple[type[Exception], ...]] = (InvalidParameterError,
                                                                InvalidInputError)
    #: the dimension: a field of Uniform and Subcube, a property of the others.
    d: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            DISTRIBUTION_TYPES[cls.kind] = cls

    # -- sampling -----------------------------------------------------------
    def sample(self, n: int, rng: Any = None) -> np.ndarray:
        """``n`` independent draws from the distribution.

        Parameters
        ----------
        n : int
            Number of points (0 allowed).
        rng : None, int or numpy.random.Generator
            The randomness (see :func:`pacdistill._validation.check_rng`).

        Returns
        -------
        ndarray of shape (n, d), dtype int8, values -1 and +1.

        Raises
        ------
        TooLargeError
            When n * d > MAX_SAMPLE_CELLS (2^30 entries, 1 GiB).
        """
        func = f"{type(self).__name__}.sample"
        n = check_int(n, "n", func, min=0)
        if n * self.d > MAX_SAMPLE_CELLS:
            raise TooLargeError(
                f"{func}({show(n)}) would return an array of {show(n)} x {show(self.d)} "
                f"points, past the limit of {MAX_SAMPLE_CELLS} entries (MAX_SAMPLE_CELLS). "
                "Draw the sample in smaller batches."
            )
        return self._sample(n, check_rng(rng, func))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    # -- probabilities ------------------------------------------------------
    def pmf(self, X: Any) -> np.ndarray:
        """The probability of each row of ``X`` (an (n, d) array of ±1 points).

        Returns a float64 array of shape (n,). For product-like distributions in
        very high dimension the masses underflow to 0 (they are below 2^-1074).
        """
        return self._pmf(check_points(X, self.d, func=f"{type(self).__name__}.pmf"))

    def _pmf(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def pmf_on_cube(self) -> np.ndarray:
        """The probability of every point of the cube, aligned with
        ``pd.cube.enumerate(d)``: a float64 array of length 2^d summing to 1.

        Raises
        ------
        TooLargeError
            When ``d > PMF_MAX_D`` (use ``sample`` or ``weighted_blocks``).
        """
        cube.check_enumerable(self.d, f"{type(self).__name__}.pmf_on_cube", limit=PMF_MAX_D)
        return self._pmf_on_cube()

    def _pmf_on_cube(self) -> np.ndarray:
        # Generic path: evaluate pmf on the enumeration chunk by chunk.
        out = np.empty(1 << self.d, dtype=np.float64)
        for start, block in _walk_cube(self.d):
            out[start:start + len(block)] = self._pmf(block)
        return out

    def support(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(points, weights)`` for a distribution given by a finite list
        (FiniteSupport, Empirical, and mixtures of them): the distinct points
        with positive mass, in lexicographic row order, and their probabilities.
        None for the cube distributions (Uniform, Product, Subcube), whose
        support is walked by :meth:`weighted_blocks` instead.
        """
        return None

    @property
    def enumeration_size(self) -> int | None:
        """How many points :meth:`weighted_blocks` walks, or None when the
        support is too large to walk (a sub-cube of more than
        ``WALK_MAX_POINTS`` points)."""
        return None

    def weighted_blocks(self, chunk_size: int = cube.DEFAULT_CHUNK) -> Iterator[Block]:
        """Walk the support in blocks of at most ``chunk_size`` rows.

        Yields ``(X, w)`` with ``X`` an int8 block of points and ``w`` their
        probabilities (an array, or one float shared by every row), such that
        ``E_D[h] = sum over blocks of sum(w * h(X))`` for every h. A point may
        appear in several blocks (the components of a mixture); its masses add.

        Raises
        ------
        TooLargeError
            When ``enumeration_size`` is None.

        >>> [(X.tolist(), w) for X, w in pd.distributions.Subcube(2, {0: -1}).weighted_blocks()]
        [([[-1, 1], [-1, -1]], 0.5)]
        """
        func = f"{type(self).__name__}.weighted_blocks"
        chunk_size = check_int(chunk_size, "chunk_size", func, min=1)
        if self.enumeration_size is None:
            raise TooLargeError(
                f"{func}: the support of this {type(self).__name__} on d = {self.d} "
                f"has more than {WALK_MAX_POINTS} points to walk. Sample from it instead."
            )
        return self._blocks(chunk_size)

    def _blocks(self, chunk_size: int) -> Iterator[Block]:  # pragma: no cover
        raise NotImplementedError

    # -- serialization and value semantics: pacdistill._record.VersionedRecord


def distribution_from_dict(data: Mapping[str, Any]) -> Distribution:
    """Rebuild any distribution from its ``to_dict()`` form.

    >>> D = pd.distributions.Subcube(4, {1: -1})
    >>> pd.distributions.distribution_from_dict(D.to_dict()) == D
    True
    """
    kind = record_type(data, DISTRIBUTION_TYPES, key="distribution",
                       func="distribution_from_dict", role="the kind", noun="distribution")
    return kind.from_dict(data)


# -- shared helpers ---------------------------------------------------------


def _expect_fields(data: Mapping[str, Any], fields: Sequence[str], owner: str) -> None:
    want = {"distribution", "version", *fields}
    missing = sorted(want - set(data))
    extra = sorted(set(data) - want)
    if missing or extra:
        raise SerializationError(
            f"{owner} JSON must have exactly the fields {sorted(want)}. "
            f"Missing {missing}, unexpected {extra}."
        )


def _json_int(value: Any, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SerializationError(
            f"{owner} JSON field {name!r} must be an integer. Got {show(value)}."
        )
    return value


def _json_reals(value: Any, name: str, owner: str) -> list[float]:
    if not isinstance(value, list) or any(
        isinstance(v, bool) or not isinstance(v, (int, float)) for v in value
    ):
        raise SerializationError(
            f"{owner} JSON field {name!r} must be a list of numbers. Got {show(value)}."
        )
    return value


def _json_points(value: Any, name: str, owner: str) -> list[list[int]]:
    if not isinstance(value, list) or any(
        not isinstance(row, list)
        or any(isinstance(v, bool) or not isinstance(v, int) for v in row)
        for row in value
    ):
        raise SerializationError(
            f"{owner} JSON field {name!r} must be a list of rows of integers. "
            f"Got {show(value)}."
        )
    return value


def _real_vector(values: Any, name: str, owner: str) -> np.ndarray:
    """A 1-d finite-or-NaN float64 copy of ``values`` (range checks by the caller)."""
    if isinstance(values, (str, bytes)):
        raise param_error(name, owner, "a 1-d sequence of real numbers", values)
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as err:
        raise param_error(name, owner, "a 1-d sequence of real numbers", values) from err
    if arr.ndim != 1 or arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise param_error(name, owner, "a 1-d sequence of real numbers", values)
    return arr.astype(np.float64)


def _normalised_weights(weights: Any, m: int, owner: str) -> np.ndarray:
    """Non-negative finite weights, one per item, with a positive sum, scaled to
    sum to 1 (kept as they are when they already do, up to rounding, so that a
    JSON round trip is exact)."""
    if weights is None:
        w = np.full(m, 1.0 / m)
    else:
        w = _real_vector(weights, "weights", owner)
        if len(w) != m:
            raise param_error("weights", owner, f"a sequence of {m} weights (one per item)",
                              weights)
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise param_error("weights", owner, "finite and >= 0", float(w[i]),
                              fix=f"(weight at index {i}.)")
    with np.errstate(over="ignore"):
        total = float(w.sum())
    if not np.isfinite(total):  # finite weights whose sum overflows: scale them first
        w = w / w.max()
        total = float(w.sum())
    if not total > 0:
        raise param_error("weights", owner, "of positive sum", weights)
    if abs(total - 1.0) > 1e-12:
        w = w / total
    return readonly(w)


def _check_point_set(points: Any, name: str, owner: str) -> np.ndarray:
    """A non-empty (m, d) array of ±1 points with d >= 1, as read-only int8."""
    arr = check_points(points, None, name=name, func=owner)
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InvalidInputError(
            f"The {name!r} parameter of {owner} must hold at least one point of "
            f"dimension >= 1. Got shape {arr.shape} instead."
        )
    return readonly(arr)


def _blockwise(n: int, d: int) -> Iterator[tuple[int, int]]:
    """Row ranges for sampling ``n`` points of width ``d`` in bounded memory."""
    step = max(1, _SAMPLE_CELLS // max(d, 1))
    for start in range(0, n, step):
        yield start, min(n, start + step)


def _uniform_bits(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    bits = rng.integers(0, 2, size=(n, d), dtype=np.int8)
    return (1 - 2 * bits).astype(np.int8)


def _product_pmf_on_cube(p: np.ndarray) -> np.ndarray:
    """pmf of independent coordinates on the enumeration, by doubling.

    Row i of the enumeration has bit j = 1 exactly when x_j = -1, so the vector
    for coordinates 0..j is [v * p_j, v * (1 - p_j)] where v is the vector for
    coordinates 0..j-1 (bit j is the most significant so far). One concatenation
    per coordinate, 2^(d+1) multiplications in all, no logarithms: p_j in {0, 1}
    gives exact zeros.
    """
    out = np.ones(1, dtype=np.float64)
    for pj in p:  # loop over coordinates (structure), not over points
        out = np.concatenate([out * pj, out * (1.0 - pj)])
    return out


def _walk_cube(k: int, chunk_size: int = cube.DEFAULT_CHUNK) -> Iterator[tuple[int, np.ndarray]]:
    """Like :func:`pacdistill.cube.chunks` (same rows, same order, at most
    ``chunk_size`` rows a block) for k <= PMF_MAX_D, but faster: blocks have a
    power-of-two size B, so the low log2(B) coordinates of every block repeat
    the first block and the others are constant within a block. A block costs
    one copy instead of recomputing k bits per row.

    >>> all(np.array_equal(a[1], b[1]) for a, b in
    ...     zip(_walk_cube(5, 6), pd.cube.chunks(5, 4), strict=True))
    True
    """
    k = cube.check_enumerable(k, "distributions._walk_cube", limit=PMF_MAX_D)
    total = 1 << k
    low_bits = min(k, chunk_size.bit_length() - 1)
    size = 1 << low_bits
    low = cube.points(0, size, low_bits)
    high_cols = np.arange(low_bits, k, dtype=np.int64)
    for start in range(0, total, size):
        block = np.empty((size, k), dtype=np.int8)
        block[:, :low_bits] = low
        block[:, low_bits:] = (1 - 2 * ((start >> high_cols) & 1)).astype(np.int8)
        yield start, block


def _walk_subcube(
    d: int, fixed_idx: np.ndarray, fixed_val: np.ndarray, free_idx: np.ndarray,
    chunk_size: int,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Enumerate the points of the sub-cube {x : x[fixed_idx] = fixed_val} in
    chunks; yields (points, block of the free coordinates' enumeration)."""
    k = len(free_idx)
    for _, free_block in _walk_cube(k, chunk_size):
        X = np.empty((len(free_block), d), dtype=np.int8)
        X[:, fixed_idx] = fixed_val
        X[:, free_idx] = free_block
        yield X, free_block


# -- the cube distributions -------------------------------------------------


@dataclass(frozen=True, eq=False)
class Uniform(Distribution):
    """The uniform distribution on {-1,+1}^d.

    Parameters
    ----------
    d : int
        The dimension (>= 1).

    Examples
    --------
    >>> D = pd.distributions.Uniform(3)
    >>> D.pmf_on_cube().tolist() == [1 / 8] * 8
    True
    >>> D.sample(2, rng=0).dtype
    dtype('int8')
    """

    kind: ClassVar[str] = "uniform"
    d: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", check_int(self.d, "d", "Uniform", min=1))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        out = np.empty((n, self.d), dtype=np.int8)
        for a, b in _blockwise(n, self.d):
            out[a:b] = _uniform_bits(b - a, self.d, rng)
        return out

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        return np.full(X.shape[0], np.ldexp(1.0, -self.d))

    def _pmf_on_cube(self) -> np.ndarray:
        return np.full(1 << self.d, np.ldexp(1.0, -self.d))

    @property
    def enumeration_size(self) -> int | None:
        return (1 << self.d) if self.d <= PMF_MAX_D else None

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        mass = float(np.ldexp(1.0, -self.d))
        for _, X in _walk_cube(self.d, chunk_size):
            yield X, mass

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Uniform:
        _expect_fields(data, ["d"], "Uniform")
        return cls(_json_int(data["d"], "d", "Uniform"))


@dataclass(frozen=True, eq=False)
class Product(Distribution):
    """Independent coordinates with ``P[x_i = +1] = p[i]``.

    Parameters
    ----------
    p : sequence of float
        One probability in [0, 1] per coordinate (``d = len(p) >= 1``). 0 and 1
        are allowed: that coordinate is then constant.

    Examples
    --------
    >>> D = pd.distributions.Product([1.0, 0.25])
    >>> D.pmf_on_cube()          # x_0 = -1 has probability 0
    array([0.25, 0.  , 0.75, 0.  ])
    """

    kind: ClassVar[str] = "product"
    p: np.ndarray

    def __post_init__(self) -> None:
        p = _real_vector(self.p, "p", "Product")
        if len(p) == 0:
            raise param_error("p", "Product", "a non-empty sequence (one entry per "
                              "coordinate)", self.p)
        bad = np.isnan(p) | (p < 0) | (p > 1)
        if bad.any():
            i = int(np.argmax(bad))
            raise param_error("p", "Product", "a sequence of probabilities in [0, 1]", float(p[i]),
                              fix=f"(entry at index {i}.)")
        object.__setattr__(self, "p", readonly(p))

    @property
    def d(self) -> int:
        return len(self.p)

    def _free(self) -> np.ndarray:
        return np.flatnonzero((self.p > 0) & (self.p < 1))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        out = np.empty((n, self.d), dtype=np.int8)
        for a, b in _blockwise(n, self.d):
            # rng.random is in [0, 1): p = 1 always gives +1, p = 0 never does.
            out[a:b] = np.where(rng.random((b - a, self.d)) < self.p, 1, -1)
        return out

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        return np.prod(np.where(X == 1, self.p, 1.0 - self.p), axis=1)

    def _pmf_on_cube(self) -> np.ndarray:
        return _product_pmf_on_cube(self.p)

    @property
    def enumeration_size(self) -> int | None:
        k = len(self._free())
        return (1 << k) if k <= PMF_MAX_D else None

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        free = self._free()
        fixed = np.flatnonzero((self.p == 0) | (self.p == 1))
        values = np.where(self.p[fixed] == 1, 1, -1).astype(np.int8)
        pf = self.p[free]
        for X, F in _walk_subcube(self.d, fixed, values, free, chunk_size):
            yield X, np.prod(np.where(F == 1, pf, 1.0 - pf), axis=1)

    def _payload(self) -> dict[str, Any]:
        return {"p": [float(v) for v in self.p]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Product:
        _expect_fields(data, ["p"], "Product")
        return cls(_json_reals(data["p"], "p", "Product"))


def _check_fixed(fixed: Any, d: int) -> tuple[tuple[int, int], ...]:
    """Normalise ``{i: s}`` (or pairs) into a sorted tuple of (i, s)."""
    owner = "Subcube"
    if isinstance(fixed, Mapping):
        pairs: Iterable[Any] = fixed.items()
    elif not is_sequence(fixed):
        raise param_error("fixed", owner, "a dict {variable: sign} or a sequence of "
                          "(variable, sign) pairs", fixed)
    else:
        pairs = fixed
    out: dict[int, int] = {}
    for pair in pairs:
        try:
            i, s = pair
        except (TypeError, ValueError) as err:
            raise param_error("fixed", owner, "made of (variable, sign) pairs", pair) from err
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, numbers.Integral) \
                or not 0 <= int(i) < d:
            raise param_error("fixed", owner, f"on variables 0 .. {d - 1} (d = {d})", i,
                              fix=f"(in the pair {show((i, s))}.)")
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Real) \
                or s not in (1, -1):
            raise param_error("fixed", owner, "made of signs +1 or -1", s,
                              fix=f"(for variable {int(i)}.)")
        if int(i) in out and out[int(i)] != int(s):
            raise param_error("fixed", owner, "consistent (each variable fixed once)",
                              int(i), fix="(fixed to both +1 and -1.)")
        out[int(i)] = int(s)
    return tuple(sorted(out.items()))


@dataclass(frozen=True, eq=False)
class Subcube(Distribution):
    """Uniform on the sub-cube ``{x : x_i = s for every (i, s) in fixed}``.

    Parameters
    ----------
    d : int
        The dimension (>= 1).
    fixed : dict {int: ±1} or sequence of (int, ±1) pairs
        The fixed coordinates; stored as a sorted tuple of pairs.

    Examples
    --------
    >>> D = pd.distributions.Subcube(2, fixed={1: 1})
    >>> D.pmf_on_cube()
    array([0.5, 0.5, 0. , 0. ])
    >>> D.fixed
    ((1, 1),)
    """

    kind: ClassVar[str] = "subcube"
    d: int
    fixed: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        d = check_int(self.d, "d", "Subcube", min=1)
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "fixed", _check_fixed(self.fixed, d))

    def _split(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.array([i for i, _ in self.fixed], dtype=np.int64)
        val = np.array([s for _, s in self.fixed], dtype=np.int8)
        return idx, val, np.setdiff1d(np.arange(self.d), idx)

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        idx, val, _ = self._split()
        out = np.empty((n, self.d), dtype=np.int8)
        for a, b in _blockwise(n, self.d):
            out[a:b] = _uniform_bits(b - a, self.d, rng)
        out[:, idx] = val
        return out

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        mass = np.ldexp(1.0, -(self.d - len(self.fixed)))
        return np.where(cube._literals_hold(X, self.fixed), mass, 0.0)

    def _pmf_on_cube(self) -> np.ndarray:
        p = np.full(self.d, 0.5)
        for i, s in self.fixed:
            p[i] = 1.0 if s == 1 else 0.0
        return _product_pmf_on_cube(p)

    @property
    def enumeration_size(self) -> int | None:
        k = self.d - len(self.fixed)
        return (1 << k) if k <= PMF_MAX_D else None

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        idx, val, free = self._split()
        mass = float(np.ldexp(1.0, -len(free)))
        for X, _ in _walk_subcube(self.d, idx, val, free, chunk_size):
            yield X, mass

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "fixed": [[i, s] for i, s in self.fixed]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Subcube:
        _expect_fields(data, ["d", "fixed"], "Subcube")
        fixed = data["fixed"]
        if not isinstance(fixed, list) or any(
            not isinstance(p, list) or len(p) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in p)
            for p in fixed
        ):
            raise SerializationError(
                f"Subcube JSON field 'fixed' must be a list of [variable, sign] integer "
                f"pairs. Got {show(fixed)}."
            )
        return cls(_json_int(data["d"], "d", "Subcube"), [tuple(p) for p in fixed])


# -- mixtures and finite supports -------------------------------------------


def _merge(points: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows with positive total weight (rows sorted lexicographically)."""
    uniq, inverse = np.unique(points, axis=0, return_inverse=True)
    total = np.bincount(inverse.reshape(-1), weights=weights, minlength=len(uniq))
    keep = total > 0
    return readonly(uniq[keep]), readonly(total[keep])


def _lookup(points: np.ndarray, weights: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Mass of each row of X under the finite distribution (points, weights)."""
    both = np.concatenate([points, X])
    _, inverse = np.unique(both, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    table = np.zeros(inverse.max() + 1)
    np.add.at(table, inverse[:len(points)], weights)
    return table[inverse[len(points):]]


@dataclass(frozen=True, eq=False)
class Mixture(Distribution):
    """A mixture: draw component k with probability ``weights[k]``, then a point
    from it.

    Parameters
    ----------
    components : sequence of Distribution
        At least one, all of the same dimension ``d``.
    weights : sequence of float, optional
        Non-negative with a positive sum (normalised); equal by default.

    Examples
    --------
    >>> U, S = pd.distributions.Uniform(1), pd.distributions.Subcube(1, {0: 1})
    >>> pd.distributions.Mixture([U, S], [0.5, 0.5]).pmf_on_cube()
    array([0.75, 0.25])
    """

    kind: ClassVar[str] = "mixture"
    components: tuple[Distribution, ...]
    weights: np.ndarray | None = None

    def __post_init__(self) -> None:
        comps = self.components
        if isinstance(comps, Distribution) or not is_sequence(comps):
            raise param_error("components", "Mixture", "a sequence of distributions", comps)
        comps = tuple(comps)
        if not comps:
            raise param_error("components", "Mixture", "a non-empty sequence of "
                              "distributions", self.components)
        for k, c in enumerate(comps):
            if not isinstance(c, Distribution):
                raise param_error("components", "Mixture", "made of pacdistill "
                                  "distributions", c, fix=f"(component {k}.)")
            if c.d != comps[0].d:
                raise param_error("components", "Mixture", "of one dimension d", c,
                                  fix=f"(component {k} has d = {c.d}, component 0 has "
                                      f"d = {comps[0].d}.)")
        object.__setattr__(self, "components", comps)
        object.__setattr__(self, "weights",
                           _normalised_weights(self.weights, len(comps), "Mixture"))

    @property
    def d(self) -> int:
        return self.components[0].d

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        # Multinomial counts, each component's draws, then a uniform shuffle: the
        # rows are then iid draws from the mixture.
        counts = rng.multinomial(n, self.weights)
        parts = [c._sample(int(k), rng) for c, k in zip(self.components, counts, strict=True)]
        out = np.concatenate(parts) if parts else np.empty((0, self.d), np.int8)
        return out[rng.permutation(n)]

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        out = np.zeros(X.shape[0])
        for w, c in zip(self.weights, self.components, strict=True):
            out += w * c._pmf(X)
        return out

    def _pmf_on_cube(self) -> np.ndarray:
        out = np.zeros(1 << self.d)
        for w, c in zip(self.weights, self.components, strict=True):
            out += w * c._pmf_on_cube()
        return out

    def _present(self) -> list[tuple[float, Distribution]]:
        """The components of positive weight, with their weights (a component of
        weight 0 has no mass: it neither adds support nor needs walking)."""
        return [(float(w), c) for w, c in zip(self.weights, self.components, strict=True)
                if w > 0]

    def support(self) -> tuple[np.ndarray, np.ndarray] | None:
        present = self._present()
        parts = [c.support() for _, c in present]
        if any(p is None for p in parts):
            return None
        points = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([w * p[1] for (w, _), p in zip(present, parts, strict=True)])
        return _merge(points, weights)

    @property
    def enumeration_size(self) -> int | None:
        sizes = [c.enumeration_size for _, c in self._present()]
        return None if any(s is None for s in sizes) else sum(sizes)

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        for w, c in self._present():
            for X, mass in c._blocks(chunk_size):
                yield X, w * mass

    def _payload(self) -> dict[str, Any]:
        return {"components": [c.to_dict() for c in self.components],
                "weights": [float(w) for w in self.weights]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Mixture:
        _expect_fields(data, ["components", "weights"], "Mixture")
        comps = data["components"]
        if not isinstance(comps, list):
            raise SerializationError(f"Mixture JSON field 'components' must be a list. "
                                     f"Got {show(comps)}.")
        return cls([distribution_from_dict(c) for c in comps],
                   _json_reals(data["weights"], "weights", "Mixture"))


@dataclass(frozen=True, eq=False)
class FiniteSupport(Distribution):
    """A distribution given by a finite list of points and their weights.

    Parameters
    ----------
    points : array_like of shape (m, d)
        ±1 points (m >= 1, d >= 1); repeated points are allowed (their weights add).
    weights : sequence of float, optional
        Non-negative with a positive sum, one per point (normalised); equal by
        default.

    Examples
    --------
    >>> D = pd.distributions.FiniteSupport([[1, 1], [-1, 1], [1, 1]], [1, 2, 1])
    >>> points, weights = D.support()
    >>> points.tolist(), weights.tolist()
    ([[-1, 1], [1, 1]], [0.5, 0.5])
    """

    kind: ClassVar[str] = "finite_support"
    points: np.ndarray
    weights: np.ndarray | None = None

    def __post_init__(self) -> None:
        points = _check_point_set(self.points, "points", "FiniteSupport")
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "weights",
                           _normalised_weights(self.weights, len(points), "FiniteSupport"))

    @property
    def d(self) -> int:
        return self.points.shape[1]

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        cdf = np.cumsum(self.weights)
        # u * total < total, so a zero-weight point is never drawn; clip guards rounding.
        rows = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
        return self.points[np.minimum(rows, len(cdf) - 1)]

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        return _lookup(self.points, self.weights, X)

    def _pmf_on_cube(self) -> np.ndarray:
        return np.bincount(cube.index(self.points), weights=self.weights,
                           minlength=1 << self.d)

    def support(self) -> tuple[np.ndarray, np.ndarray]:
        return _merge(self.points, self.weights)

    @property
    def enumeration_size(self) -> int:
        return len(self.points)

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        for a in range(0, len(self.points), chunk_size):
            yield self.points[a:a + chunk_size], self.weights[a:a + chunk_size]

    def _payload(self) -> dict[str, Any]:
        return {"points": self.points.tolist(), "weights": [float(w) for w in self.weights]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> FiniteSupport:
        _expect_fields(data, ["points", "weights"], "FiniteSupport")
        return cls(_json_points(data["points"], "points", "FiniteSupport"),
                   _json_reals(data["weights"], "weights", "FiniteSupport"))


@dataclass(frozen=True, eq=False)
class Empirical(Distribution):
    """The empirical distribution of a sample: uniform over the rows of ``X``,
    counted with multiplicity.

    Parameters
    ----------
    X : array_like of shape (m, d)
        ±1 points (m >= 1, d >= 1).

    Examples
    --------
    >>> D = pd.distributions.Empirical([[1, -1], [1, -1], [-1, -1]])
    >>> D.pmf([[1, -1], [1, 1]]).tolist() == [2 / 3, 0.0]
    True
    """

    kind: ClassVar[str] = "empirical"
    X: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "X", _check_point_set(self.X, "X", "Empirical"))

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.X[rng.integers(0, len(self.X), size=n)]

    def _pmf(self, X: np.ndarray) -> np.ndarray:
        return _lookup(self.X, np.full(len(self.X), 1.0 / len(self.X)), X)

    def _pmf_on_cube(self) -> np.ndarray:
        counts = np.bincount(cube.index(self.X), minlength=1 << self.d)
        return counts / len(self.X)

    def support(self) -> tuple[np.ndarray, np.ndarray]:
        uniq, counts = np.unique(self.X, axis=0, return_counts=True)
        return readonly(uniq), readonly(counts / len(self.X))

    @property
    def enumeration_size(self) -> int:
        return len(self.X)

    def _blocks(self, chunk_size: int) -> Iterator[Block]:
        mass = 1.0 / len(self.X)
        for a in range(0, len(self.X), chunk_size):
            yield self.X[a:a + chunk_size], mass

    def _payload(self) -> dict[str, Any]:
        return {"X": self.X.tolist()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Empirical:
        _expect_fields(data, ["X"], "Empirical")
        return cls(_json_points(data["X"], "X", "Empirical"))
