"""How far apart two models are: their disagreement under a distribution and
whether they are the same function on the cube (THEORY §1).

:func:`disagreement` computes err_D(f, g) = P_{x~D}[f(x) != g(x)]. It is exact
when D's support can be walked (``D.enumeration_size`` is not None: a
finite-support distribution, or a cube distribution whose support has at most
2^20 points, e.g. any Uniform/Product/Subcube on d <= 20): the sum of the masses
of the disagreeing points, in chunks of 2^16 rows (of at most 2^22 entries when
d > 64). Otherwise Monte Carlo: n iid draws from D and the exact
(Clopper–Pearson) binomial interval, which covers the true disagreement with
probability at least ``level`` whatever its value (Clopper & Pearson,
Biometrika 26(4), 1934, doi:10.1093/biomet/26.4.404).

:func:`equivalent` decides f = g on the whole cube for d <= 20 by walking it
(with the first differing point as a witness), and beyond that only searches n
uniform samples for a difference: a randomized answer, labelled
``exhaustive=False``, that never proves equality.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    check_choice,
    check_int,
    check_probability,
    check_rng,
    param_error,
    show,
)
from ..classes._base import readonly
from ..cube import DEFAULT_CHUNK
from ..distributions import Distribution, Uniform, _walk_cube
from ..errors import TooLargeError
from ._models import predict_pm1, same_dim

__all__ = [
    "Estimate",
    "Equivalence",
    "disagreement",
    "equivalent",
    "clopper_pearson",
    "DEFAULT_SAMPLES",
    "DEFAULT_EQUIVALENCE_SAMPLES",
    "EXHAUSTIVE_MAX_D",
    "MAX_SAMPLED_CELLS",
    "METHODS",
]

#: Monte Carlo sample size when ``n`` is not given: the 99% Clopper–Pearson
#: interval is then at most about ±0.013 wide around the estimate.
DEFAULT_SAMPLES = 10_000
METHODS = ("auto", "exact", "monte_carlo")
#: :func:`equivalent` walks the whole cube up to this dimension.
EXHAUSTIVE_MAX_D = 20
#: Uniform samples searched by :func:`equivalent` beyond EXHAUSTIVE_MAX_D: a
#: difference on a fraction q of the cube is missed with probability (1-q)^n,
#: below 1e-6 for q >= 1.4e-4.
DEFAULT_EQUIVALENCE_SAMPLES = 100_000
# Cells (rows * d) drawn at once in Monte Carlo: bounds memory for any n.
_BLOCK_CELLS = 1 << 22
#: Most points evaluated by one Monte Carlo estimate or randomized search
#: (n * d <= 2^34 entries, a few minutes of work); past it TooLargeError.
MAX_SAMPLED_CELLS = 1 << 34


def _check_sampled(n: int, d: int, func: str) -> None:
    if n * d > MAX_SAMPLED_CELLS:
        raise TooLargeError(
            f"{func} would draw n = {show(n)} points of dimension {d}, past the limit of "
            f"{MAX_SAMPLED_CELLS} entries (n * d; MAX_SAMPLED_CELLS, a few minutes of "
            "sampling). Use a smaller n (the 99% Clopper-Pearson interval of n = 10^4 "
            "samples is at most about +-0.013 wide, of n = 10^3 about +-0.04), or raise "
            "pacdistill.checkers.agreement.MAX_SAMPLED_CELLS to wait longer."
        )


@dataclass(frozen=True)
class Estimate:
    """A probability with an interval.

    Attributes
    ----------
    value : float
        The exact value (``exact``) or the fraction of the n samples.
    low, high : float
        For Monte Carlo, the two-sided Clopper–Pearson interval at ``level``;
        for an exact value, both equal ``value``.
    exact : bool
        True when ``value`` was computed on the whole support of D.
    n : int
        Points evaluated: the samples (Monte Carlo) or the points walked (exact).
    level : float
        The confidence level of [low, high]; 1.0 for an exact value.
    """

    value: float
    low: float
    high: float
    exact: bool
    n: int
    level: float

    def __str__(self) -> str:
        if self.exact:
            return f"{self.value:.6g} (exact, {self.n} points)"
        return (f"{self.value:.6g} in [{self.low:.6g}, {self.high:.6g}] at level "
                f"{self.level:g} (Monte Carlo, {self.n} samples)")


def clopper_pearson(k: int, n: int, level: float) -> tuple[float, float]:
    """The exact two-sided binomial interval for k successes in n trials.

    ``low`` is the alpha/2 quantile of Beta(k, n-k+1) (0 when k = 0) and
    ``high`` the 1-alpha/2 quantile of Beta(k+1, n-k) (1 when k = n), alpha =
    1 - level (Clopper & Pearson 1934, doi:10.1093/biomet/26.4.404).

    >>> low, high = pd.checkers.clopper_pearson(0, 100, 0.95)
    >>> low, round(high, 4)
    (0.0, 0.0362)
    """
    from scipy.stats import beta

    func = "clopper_pearson"
    n = check_int(n, "n", func, min=1, max=2**53)  # counts exact in float64 (scipy's beta)
    k = check_int(k, "k", func, min=0, max=n)
    alpha = 1.0 - check_probability(level, "level", func)
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


def disagreement(
    f: Any, g: Any, D: Distribution | None = None, *, n: int | None = None,
    rng: Any = None, level: float = 0.99, method: str = "auto",
) -> Estimate:
    """err_D(f, g) = P_{x~D}[f(x) != g(x)] (THEORY §1), exact when possible.

    Parameters
    ----------
    f, g : models
        Anything with ``predict`` and ``n_inputs`` (or ``d``), on the same cube.
    D : Distribution, optional
        The distribution of x (of the same d); uniform on the cube by default.
    n : int, optional
        Monte Carlo sample size (default ``DEFAULT_SAMPLES``). Giving ``n``
        under ``method="auto"`` asks for Monte Carlo. n * d is at most
        ``MAX_SAMPLED_CELLS`` (the default n too), else TooLargeError.
    rng : None, int or numpy.random.Generator
        Randomness for Monte Carlo (unused by exact computations).
    level : float in (0, 1)
        Confidence level of the Monte Carlo interval, which is two-sided: each
        tail has probability at most (1 - level) / 2, so ``high`` alone is an
        upper bound at level (1 + level) / 2.
    method : {"auto", "exact", "monte_carlo"}
        ``"auto"``: exact when ``n`` is None and D's support can be walked
        (``D.enumeration_size`` is not None: finite-support distributions, and
        cube distributions with at most 2^20 support points, so every D on
        d <= 20), else Monte Carlo. ``"exact"`` raises TooLargeError when the
        support cannot be walked.

    Returns
    -------
    Estimate

    Examples
    --------
    >>> f = pd.Parity(3, (0,))
    >>> g = pd.Parity(3, (0, 1))
    >>> est = pd.checkers.disagreement(f, g)
    >>> est.value, est.exact
    (0.5, True)
    >>> mc = pd.checkers.disagreement(f, g, n=2000, rng=0)
    >>> mc.exact, mc.low <= 0.5 <= mc.high
    (False, True)
    """
    func = "disagreement"
    d = same_dim(f, g, func)
    if D is None:
        D = Uniform(d)
    elif not isinstance(D, Distribution):
        raise param_error("D", func, "a pacdistill.distributions distribution or None", D)
    if D.d != d:
        raise param_error("D", func, f"a distribution on the models' cube (d = {d})", D,
                          fix=f"(D has d = {D.d}.)")
    method = check_choice(method, "method", func, METHODS)
    level = check_probability(level, "level", func)
    gen = check_rng(rng, func)  # checked even when unused (exact), as at every d
    if n is not None:
        n = check_int(n, "n", func, min=1)
        _check_sampled(n, d, func)
        if method == "exact":
            raise param_error("n", func, "None when method='exact' (n is the Monte Carlo "
                              "sample size)", n)
    if method == "exact" or (method == "auto" and n is None
                             and D.enumeration_size is not None):
        if D.enumeration_size is None:
            raise TooLargeError(
                f"{func}: method='exact' needs a distribution whose support can be "
                f"walked; this {type(D).__name__} on d = {d} has more than 2^20 support "
                "points. Use method='monte_carlo' (or 'auto')."
            )
        return _exact(f, g, D)
    n = DEFAULT_SAMPLES if n is None else n
    _check_sampled(n, d, func)  # the default too: 10^4 points at d = 10^7 is 10^11 entries
    return _monte_carlo(f, g, D, n, gen, level)


def _exact(f: Any, g: Any, D: Distribution) -> Estimate:
    func = "disagreement"
    counts: dict[float, int] = defaultdict(int)  # shared block mass -> disagreements
    parts: list[float] = []
    walked = 0
    # blocks of at most _BLOCK_CELLS entries, like Monte Carlo's: a sub-cube of a
    # large cube (few free coordinates, d = 10^5) would otherwise come in blocks of
    # 2^16 rows x d entries (and float copies of them in real-input models)
    for X, w in D.weighted_blocks(max(1, min(DEFAULT_CHUNK, _BLOCK_CELLS // D.d))):
        differ = predict_pm1(f, X, "f", func) != predict_pm1(g, X, "g", func)
        walked += len(X)
        if isinstance(w, float):
            counts[w] += int(np.count_nonzero(differ))
        else:
            parts.append(float(w[differ].sum()))
    value = math.fsum([mass * c for mass, c in counts.items()] + parts)
    value = min(max(value, 0.0), 1.0)
    return Estimate(value=value, low=value, high=value, exact=True, n=walked, level=1.0)


def _monte_carlo(
    f: Any, g: Any, D: Distribution, n: int, rng: np.random.Generator, level: float,
) -> Estimate:
    func = "disagreement"
    step = max(1, _BLOCK_CELLS // D.d)
    k = 0
    for start in range(0, n, step):
        X = D.sample(min(step, n - start), rng)
        k += int(np.count_nonzero(predict_pm1(f, X, "f", func) != predict_pm1(g, X, "g", func)))
    low, high = clopper_pearson(k, n, level)
    return Estimate(value=k / n, low=low, high=high, exact=False, n=n, level=level)


@dataclass(frozen=True, eq=False)
class Equivalence:
    """The answer of :func:`equivalent`.

    Attributes
    ----------
    equal : bool
        False when a point where f and g differ was found. True means "equal on
        the whole cube" only when ``exhaustive``; otherwise it means "no
        difference found in n uniform samples", which is not a proof.
    witness : ndarray of int8, shape (d,), or None
        A point where f and g differ (the first in enumeration order when
        exhaustive, the first sample otherwise); None when none was found.
    exhaustive : bool
        Whether the answer is exact: the cube was walked in enumeration order
        (to its end, or up to the witness).
    n : int
        The number of points checked (up to and including the witness).
    """

    equal: bool
    witness: np.ndarray | None
    exhaustive: bool
    n: int

    def __str__(self) -> str:
        if not self.equal:
            where = "point in enumeration order" if self.exhaustive else "of the uniform samples"
            return (f"different: f != g at x = {self.witness.tolist()} (the first differing "
                    f"{where}, after {self.n} checked)")
        if self.exhaustive:
            return f"equal on all {self.n} points of the cube"
        return (f"no difference found in {self.n} uniform samples (randomized, "
                "not a proof of equality)")

    def __repr__(self) -> str:
        witness = None if self.witness is None else self.witness.tolist()
        return (f"Equivalence(equal={self.equal}, witness={witness}, "
                f"exhaustive={self.exhaustive}, n={self.n})  # {self}")


def equivalent(f: Any, g: Any, *, rng: Any = None, n: int | None = None) -> Equivalence:
    """Whether f and g compute the same function on {-1,+1}^d.

    For d <= ``EXHAUSTIVE_MAX_D`` (20) every point is checked, in chunks of
    2^16 rows, and the answer is exact. Beyond, ``n`` uniform samples (default
    ``DEFAULT_EQUIVALENCE_SAMPLES``) are searched for a difference: a witness
    then proves f != g, but ``equal=True`` only says that none was found
    (``exhaustive=False``).

    Parameters
    ----------
    f, g : models
        Anything with ``predict`` and ``n_inputs`` (or ``d``), on the same cube.
    rng : None, int or numpy.random.Generator
        Randomness of the sampled search (unused when exhaustive).
    n : int, optional
        Samples of the randomized search (default
        ``DEFAULT_EQUIVALENCE_SAMPLES``; ignored when exhaustive). n * d is at
        most ``MAX_SAMPLED_CELLS`` (the default n too), else TooLargeError.

    Examples
    --------
    >>> f = pd.Conjunction(3, ((0, 1), (1, 1)))
    >>> g = pd.Conjunction(3, ((1, 1), (0, 1)))
    >>> pd.checkers.equivalent(f, g).equal
    True
    >>> res = pd.checkers.equivalent(f, pd.Conjunction(3, ((0, 1),)))
    >>> res.equal, res.witness.tolist()
    (False, [1, -1, 1])
    """
    func = "equivalent"
    d = same_dim(f, g, func)
    if n is not None:
        n = check_int(n, "n", func, min=1)
        _check_sampled(n, d, func)
    gen = check_rng(rng, func)  # checked even when unused (exhaustive), as at every d
    if d <= EXHAUSTIVE_MAX_D:
        for start, X in _walk_cube(d):
            differ = predict_pm1(f, X, "f", func) != predict_pm1(g, X, "g", func)
            if differ.any():
                i = int(np.argmax(differ))
                return Equivalence(False, readonly(X[i]), True, start + i + 1)
        return Equivalence(True, None, True, 1 << d)
    n = DEFAULT_EQUIVALENCE_SAMPLES if n is None else n
    _check_sampled(n, d, func)  # the default 10^5 points at d = 10^6 is 10^11 entries
    D = Uniform(d)
    step = max(1, _BLOCK_CELLS // d)
    for start in range(0, n, step):
        X = D.sample(min(step, n - start), gen)
        differ = predict_pm1(f, X, "f", func) != predict_pm1(g, X, "g", func)
        if differ.any():
            i = int(np.argmax(differ))
            return Equivalence(False, readonly(X[i]), False, start + i + 1)
    return Equivalence(True, None, False, n)
