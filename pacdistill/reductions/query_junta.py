"""Query distillation into juntas: F -> Junta[d, k] for every evaluable F (THEORY §6).

Guarantee (kind ``perfect`` with the *exact* promise, ``Promise("junta",
"everywhere")``; derived here: THEORY §6): if f equals a k-junta on all of
{-1,+1}^d, then with probability >= 1 - delta the output junta equals f on
every point (error 0, for every distribution D), using no samples from D and at
most

    Q(d, k, delta) = (k + 1) 2^k t + k ceil(log2 d) + 2^k  queries,
    t = ceil(2^k ln(2 (k + 1) 2^k / delta)),

time O(Q (d + eval_F)). Size map: d -> d, k -> k. ``k`` is a parameter of the
promise, not of the source class (declared to the registry as an extra symbol);
``eps`` is unused: the output is exact.

The algorithm (THEORY §6): keep a set R of relevant variables, each certified
by a *sensitive pair* (x, x with that variable flipped, f different). A round
draws, for every assignment a of R, t uniform points of the subcube x_R = a,
all 2^|R| t of them as one batch of queries (split into batches of whole
restrictions, of at most 2^22 coordinates or else one restriction's t points,
only to bound memory; the round stops after the batch where a non-constant
restriction shows up). If f is not constant on some
restriction, two of its points x, y with f(x) != f(y) agree on R, and a binary
search along the path from x to y (flipping half of the remaining differing
coordinates at a time) finds adjacent points that differ in one variable i
outside R and whose values differ: i is relevant (the pair certifies it); add
it and start the next round. One search per round: searching several
non-constant restrictions of a round at once could find the same variable
twice, and the bound below counts at most k searches. When every restriction
looks constant, the junta on R whose table is the constant seen on each
restriction is the output.

Query count (checked here; THEORY's bound holds and is loose): a round with
|R| = r costs 2^r t queries, and R grows by one per round, so at most k + 1
rounds cost sum_{r=0..k} 2^r t = (2^(k+1) - 1) t <= (k + 1) 2^k t. Under the
promise every certified variable is relevant, so there are at most k binary
searches, each over at most d - |R| <= d differing coordinates: ceil(log2 d)
queries each (bisection of a path of m edges whose two ends are known takes
ceil(log2 m) evaluations). The truth table is read off the last round's points
(every restriction got t >= 1 points, all with one value), so it costs no
queries: THEORY's ``+ 2^k`` is slack. This count holds deterministically
whenever a junta is returned (then |R| <= k); the algorithm is stopped as soon
as |R| = k + 1. A run that refutes the promise has made one search more, so it
stops within (2^(k+1) - 1) t + (k + 1) ceil(log2 d) <= Q + ceil(log2 d) - 1
queries of the algorithm (the final check's, below, come on top): Q is no
bound there when k <= 1 or t is small (at k = 0, Q = t + 1, and refuting a
constant at d = 1000 takes up to t + 10 queries).

Broken promises (issue 6, item 3). Each variable in R comes with a sensitive
pair, so finding k + 1 of them *proves* f is not a k-junta: a
:class:`~pacdistill.errors.PromiseViolation` is raised whose ``witness`` holds
the k + 1 variables and their sensitive points. Otherwise the tentative junta
g is checked on ``final_check`` fresh points (uniform, or drawn from
``sampler``) counted apart from the algorithm's queries. A check point x with
f(x) != g(x) is not by itself a proof that the promise is false (the algorithm
fails with probability <= delta even on a k-junta), but together with the
point of the last round that fixed g on x's restriction it is a pair with
different values that agree on R: the binary search then certifies one more
relevant variable, and the rounds resume (so a disagreement either leads to a
PromiseViolation with its certificate or to a junta on more variables, which
is checked again on fresh points). A junta is returned only when it agrees
with f on every point of the last round and of the last check, and the report
never claims more than was shown: exactness holds *under the promise* (with
probability >= 1 - delta); without it, the report gives the one-sided
Clopper-Pearson upper bound on err_D(f, junta) from the check (0 disagreements
among N fresh points: err <= 1 - alpha^(1/N) at confidence 1 - alpha;
Clopper & Pearson 1934, doi:10.1093/biomet/26.4.404). A run makes at most
k + 1 checks (each failed one certifies one more variable, and |R| = k + 1
ends the run), and the junta returned is the first to pass one, so the
confidence ``level`` is split over them (derived here, union bound): check j
(1-based) is read at alpha_j = (1 - level) / 2^j for j <= k and the last
possible one, j = k + 1, at (1 - level) / 2^k. These sum to 1 - level, so
with probability >= ``level`` the junta returned, whichever check it passed,
has err_D at most its ``upper`` (a single check at alpha = 1 - level would
overstate the confidence when a run checks several juntas). A function that differs
from every k-junta only on a few points (a junta with a flipped entry) may
pass the check: it is then reported as exactly that, not as exact.

The check is an audit on top of THEORY §6's algorithm, and its queries are not
in the Guarantee's count: :func:`distill_junta` (the user's entry, and
``pacdistill distill junta``) runs it by default (2,000 points); the registered
edges ``query_junta[F]`` run exactly the declared algorithm (``final_check =
0``, so ``queries_used`` is within Q every time) unless a route passes
``final_check=N``, in which case ``queries_used`` exceeds the algorithm's
count by exactly ``report["queries_check"]``.

Examples
--------
>>> f = pd.Junta(30, [4, 17, 9], [1, -1, -1, 1, 1, 1, -1, -1])
>>> out = distill_junta(f, k=3, delta=0.01, rng=0)
>>> out.relevant
(4, 9, 17)
>>> pd.checkers.equivalent(f, out.junta, rng=0).equal
True
>>> out.report["queries_algorithm"] <= out.report["queries_bound"]
True
>>> distill_junta(pd.Parity(20, [0, 1, 2, 3]), k=3, delta=0.01, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: distill_junta: f is not a 3-junta: ...
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from .._validation import (
    check_int,
    check_probability,
    check_progress,
    check_rng,
    param_error,
    show,
)
from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee, Promise
from ..checkers._models import model_dim
from ..checkers.queries import QueryCounter
from ..classes.junta import MAX_JUNTA_K, Junta
from ..distributions import MAX_SAMPLE_CELLS, Distribution, Uniform
from ..errors import PromiseViolation, TooLargeError
from ._learning import EVAL_EXTRA_SYMBOLS
from ._registry import Result, register_family

__all__ = [
    "JuntaDistillation",
    "distill_junta",
    "query_junta",
    "default_t",
    "query_bound",
    "failure_bound",
    "T_FORMULA",
    "QUERIES_FORMULA",
    "DEFAULT_CHECK",
    "CHECK_LEVEL",
    "check_alpha",
    "MAX_QUERIES",
]

_SOURCE = "derived here: THEORY §6 (query junta distillation; exact promise, §2.3)"

#: Fresh points of distill_junta's final check by default (the registered edges: 0).
DEFAULT_CHECK = 2000
#: Confidence level of the check's upper bound on err_D(f, junta).
CHECK_LEVEL = 0.99
#: Largest query bound Q(d, k, delta) (at the chosen t) the algorithm agrees to run.
MAX_QUERIES = 10**9
# Cells (rows * d) of one batch of round points: bounds memory for any k.
_BLOCK_CELLS = 1 << 22

#: t = ceil(2^k ln(2 (k + 1) 2^k / delta)) (THEORY §6)
T_FORMULA = sympy.ceiling(2**S.k * sympy.log(2 * (S.k + 1) * 2**S.k / S.delta))
#: Q = (k + 1) 2^k t + k ceil(log2 d) + 2^k (THEORY §6)
QUERIES_FORMULA = ((S.k + 1) * 2**S.k * T_FORMULA
                   + S.k * sympy.ceiling(sympy.log(S.d, 2)) + 2**S.k)


def default_t(k: int, delta: float) -> int:
    """Points per restriction, t = ceil(2^k ln(2 (k + 1) 2^k / delta)) (THEORY §6).

    >>> default_t(3, 0.01)
    71
    """
    k = check_int(k, "k", "default_t", min=0, max=MAX_JUNTA_K)
    delta = check_probability(delta, "delta", "default_t")
    return math.ceil(2**k * math.log(2 * (k + 1) * 2**k / delta))


def query_bound(d: int, k: int, t: int) -> int:
    """THEORY §6's query bound (k + 1) 2^k t + k ceil(log2 d) + 2^k, at a given t.

    >>> query_bound(100, 3, default_t(3, 0.01))
    2301
    """
    d = check_int(d, "d", "query_bound", min=1)
    k = check_int(k, "k", "query_bound", min=0)
    t = check_int(t, "t", "query_bound", min=1)
    return (k + 1) * 2**k * t + k * (d - 1).bit_length() + 2**k


def failure_bound(k: int, t: int) -> float:
    """The probability bound of THEORY §6 at a given t, capped at 1:
    (k + 1) 2^k * 2 (1 - 2^-k)^t (at most delta when t >= default_t(k, delta)).

    >>> failure_bound(3, default_t(3, 0.01)) <= 0.01
    True
    >>> failure_bound(0, 1)     # a non-constant restriction of a 0-junta cannot exist
    0.0
    """
    if k == 0:
        return 0.0
    log_p = math.log(2 * (k + 1)) + k * math.log(2) + t * math.log1p(-(2.0 ** -k))
    return min(1.0, math.exp(log_p))


@dataclass(frozen=True)
class JuntaDistillation:
    """What :func:`distill_junta` returns.

    Attributes
    ----------
    junta : Junta
        The output: its variables are ``relevant`` (sorted) and its table the
        value of f seen on each restriction.
    relevant : tuple of int
        The variables found, each certified relevant by a sensitive pair
        (``report["sensitive_points"]``).
    queries : int
        Every evaluation of f made (algorithm and check).
    report : Mapping
        ``samples_used`` (0), ``queries_used`` (= ``queries``), ``seconds``;
        ``queries_algorithm`` (the §6 algorithm's queries) and
        ``queries_bound`` (THEORY §6's bound at d, ``k_effective`` = min(k, d)
        (a k-junta promise with k > d is the d-junta one) and the t used; the
        algorithm's queries never exceed it when a junta is returned),
        ``queries_check``; ``t``, ``k``, ``delta``, ``failure_bound``; ``rounds``
        (per round: ``relevant`` |R|, ``queries``, ``outcome``),
        ``search_queries``; ``found_order``; ``sensitive_points`` (an
        (|R|, d) int8 array: f changes when variable ``relevant[j]`` of row j
        is flipped); ``check`` (``points`` per check, ``checks``, ``source``
        of the points, ``disagreements`` (check points where a tentative
        junta was wrong, each resolved by one more certified variable),
        ``upper`` and ``level``: the Clopper-Pearson bound on err_D(f, junta)
        that holds without the promise, with probability >= ``level`` over
        every check of the run; ``alpha``: the share of 1 - ``level`` spent on
        the check the junta passed, see :func:`check_alpha`); ``claim``, a
        sentence saying what is
        guaranteed and what was checked.
    """

    junta: Junta
    relevant: tuple[int, ...]
    queries: int
    report: Mapping[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ the core
def _assignments(R: list[int], start: int, stop: int) -> np.ndarray:
    """Rows start..stop-1 of the enumeration of the assignments of R: x[R[b]] = -1
    iff bit b of the row index is 1 (the Junta table order)."""
    idx = np.arange(start, stop, dtype=np.int64)
    bits = (idx[:, None] >> np.arange(len(R), dtype=np.int64)[None, :]) & 1
    return (1 - 2 * bits).astype(np.int8)


def _restriction_index(X: np.ndarray, R: list[int]) -> np.ndarray:
    """The index of the assignment of R each row of X satisfies."""
    if not R:
        return np.zeros(X.shape[0], dtype=np.int64)
    weights = np.left_shift(np.int64(1), np.arange(len(R), dtype=np.int64))
    return (X[:, R] == -1) @ weights


@dataclass
class _State:
    """The algorithm's running state (private)."""

    f: QueryCounter
    d: int
    k: int
    t: int
    gen: np.random.Generator
    R: list[int] = field(default_factory=list)
    found_order: list[int] = field(default_factory=list)
    witness: dict[int, tuple[np.ndarray, int]] = field(default_factory=dict)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    search_queries: int = 0
    check_queries: int = 0
    bound: int = 0
    progress: Callable[[int, int], None] | None = None

    def report_progress(self) -> None:
        """Call ``progress(queries so far, THEORY §6's bound)`` if one was given."""
        if self.progress is not None:
            self.progress(self.f.queries - self.check_queries, self.bound)


def _round(st: _State) -> tuple[np.ndarray, np.ndarray, int, int] | tuple[np.ndarray, np.ndarray]:
    """One round: t uniform points of every restriction x_R = a, in batches.

    Returns ``(x, y, fx, fy)`` for the first restriction seen to be non-constant
    (x, y agree on R), or ``(table, reps)``: the value seen on each restriction
    and one point of each.
    """
    R, t, d = st.R, st.t, st.d
    n_assign = 1 << len(R)
    per_batch = max(1, _BLOCK_CELLS // max(1, t * d))
    table = np.empty(n_assign, dtype=np.int8)
    reps = np.empty((n_assign, d), dtype=np.int8)
    before = st.f.queries
    uniform = Uniform(d)
    for start in range(0, n_assign, per_batch):  # loop over batches of restrictions
        stop = min(n_assign, start + per_batch)
        X = uniform.sample((stop - start) * t, st.gen)
        if R:
            X[:, R] = np.repeat(_assignments(R, start, stop), t, axis=0)
        y = st.f.predict(X).reshape(stop - start, t)
        st.report_progress()
        other = y != y[:, :1]
        mixed = np.flatnonzero(other.any(axis=1))
        if mixed.size:
            j = int(mixed[0])
            i = int(np.argmax(other[j]))
            st.rounds.append({"relevant": len(R), "queries": st.f.queries - before,
                              "outcome": "non-constant restriction"})
            rows = X.reshape(stop - start, t, d)[j]
            return rows[0].copy(), rows[i].copy(), int(y[j, 0]), int(y[j, i])
        table[start:stop] = y[:, 0]
        reps[start:stop] = X[::t]
    st.rounds.append({"relevant": len(R), "queries": st.f.queries - before,
                      "outcome": "every restriction constant"})
    return table, reps


def _search(st: _State, x: np.ndarray, y: np.ndarray, fx: int) -> int:
    """Binary search on the path from x to y (f(x) = fx != f(y); x, y agree on R)
    for a variable outside R with f sensitive to it; record its pair."""
    diff = np.flatnonzero(x != y)
    lo, hi = 0, diff.size  # z_j: x with diff[:j] set to y's values; f(z_lo) = fx != f(z_hi)
    before = st.f.queries
    while hi - lo > 1:  # ceil(log2 m) sequential single queries
        mid = (lo + hi) // 2
        z = x.copy()
        z[diff[:mid]] = y[diff[:mid]]
        if int(st.f.predict(z[None, :])[0]) == fx:
            lo = mid
        else:
            hi = mid
    st.search_queries += st.f.queries - before
    st.report_progress()
    var = int(diff[lo])
    point = x.copy()
    point[diff[:lo]] = y[diff[:lo]]  # z_lo; z_hi is z_lo with var flipped
    st.witness[var] = (point, fx)  # f(point) = fx, f(point with var flipped) = -fx
    st.found_order.append(var)
    st.R = sorted(st.R + [var])
    return var


def _violation(st: _State, func: str) -> PromiseViolation:
    variables = tuple(st.found_order)
    points = np.stack([st.witness[i][0] for i in variables])
    flipped = points.copy()
    flipped[np.arange(len(variables)), list(variables)] *= -1
    at_points = np.array([st.witness[i][1] for i in variables], dtype=np.int8)
    values = np.stack([at_points, -at_points], axis=1)  # known from the searches
    shown = ", ".join(f"x{i}" for i in variables)
    return PromiseViolation(
        f"{func}: f is not a {st.k}-junta: it is sensitive to the {len(variables)} "
        f"variable{'s' if len(variables) != 1 else ''} {shown} (each found with a pair of "
        "points differing only in that "
        "variable on which f differs; witness['points'][j] and its copy with variable "
        f"witness['variables'][j] flipped). The promise of THEORY §6 is violated after "
        f"{st.f.queries} queries. A trained network is usually sensitive, if only "
        "slightly, to every input, so it is refuted even when k inputs decide most of its "
        "outputs: erm_junta(model, k=..., eps=..., delta=...) (from "
        "pacdistill.reductions.erm_junta) finds the k-junta that errs least on samples, "
        "without the promise (time C(d, k) n).",
        witness={"variables": variables, "points": points, "flipped": flipped,
                 "values": values.astype(np.int8), "queries": st.f.queries},
    )


def _check(st: _State, g: Junta, reps: np.ndarray, n: int, sampler: Distribution | None,
           ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Evaluate f and g on n fresh points; the first disagreement as a pair
    (rep of its restriction, the point) with different f-values, or None."""
    before = st.f.queries
    X = (sampler if sampler is not None else Uniform(st.d)).sample(n, st.gen)
    y = st.f.predict(X)
    st.check_queries += st.f.queries - before
    wrong = np.flatnonzero(g.predict(X) != y)
    if not wrong.size:
        return None
    x = X[wrong[0]]
    a = int(_restriction_index(x[None, :], st.R)[0])
    return reps[a].copy(), x.copy(), int(g.table[a])


def check_alpha(j: int, k: int, level: float = CHECK_LEVEL) -> float:
    """The failure probability spent on check j (1-based) of a run promised a
    k-junta: (1 - level) / 2^min(j, k). A run makes at most k + 1 checks, and
    these shares sum to 1 - level over j = 1..k+1 (see the module docstring).

    >>> [round(check_alpha(j, 2), 6) for j in (1, 2, 3)]
    [0.005, 0.0025, 0.0025]
    >>> check_alpha(1, 0)      # a 0-junta is checked once: all of 1 - level
    0.01
    """
    return (1.0 - level) / 2.0 ** min(j, k)


def _check_point_arrays(d: int, k: int, t: int, final_check: int, func: str) -> None:
    """TooLargeError (before any query) when the largest array of query points the
    algorithm holds -- t points of one restriction, one representative of each of
    up to 2^k restrictions, the final_check points -- has more than
    MAX_SAMPLE_CELLS entries at this d."""
    rows = max(t, 1 << k, final_check)
    if rows * d <= MAX_SAMPLE_CELLS:
        return
    if max(t, 1 << k) * d <= MAX_SAMPLE_CELLS:  # only the check's points are too many
        fix = (f"Use final_check <= {MAX_SAMPLE_CELLS // d} at this d (0 skips the check), "
               "or check the junta in batches with pd.checkers.disagreement.")
    else:
        fix = ("A model on this many variables cannot be queried point by point here: "
               "restrict it to the variables it may depend on (a smaller d).")
    raise TooLargeError(
        f"{func} would hold {rows} query points of d = {show(d)} coordinates in one array "
        f"({show(rows * d)} entries: t = {t} points per restriction, 2^k = {1 << k} "
        f"restrictions, final_check = {final_check}), past the limit of {MAX_SAMPLE_CELLS} "
        f"entries (MAX_SAMPLE_CELLS). {fix}"
    )


def _distill(model: Any, *, k: Any, delta: Any, rng: Any, t: Any, final_check: Any,
             sampler: Any, func: str, progress: Any = None) -> JuntaDistillation:
    start = time.perf_counter()
    d = model_dim(model, "model", func)
    f = QueryCounter(model)
    k_promised = check_int(k, "k", func, min=0, max=MAX_JUNTA_K)
    # every f on d variables is a d-junta: a promise with k > d is the one with k = d,
    # and running at k = d spends fewer queries (a smaller t) for the same guarantee
    k = min(k_promised, d)
    delta = check_probability(delta, "delta", func)
    gen = check_rng(rng, func)
    t_given = t is not None
    t = default_t(k, delta) if t is None else check_int(t, "t", func, min=1)
    final_check = check_int(final_check, "final_check", func, min=0)
    progress = check_progress(progress, func)
    if sampler is not None:
        if not isinstance(sampler, Distribution):
            raise param_error("sampler", func,
                              "a pacdistill.distributions distribution or None", sampler)
        if sampler.d != d:
            raise param_error("sampler", func, f"a distribution on the model's cube (d = {d})",
                              sampler, fix=f"(the sampler has d = {sampler.d}.)")
    bound = query_bound(d, k, t)
    if bound > MAX_QUERIES:
        whole = ""
        if k == d and d <= MAX_JUNTA_K:
            whole = (f" At k >= d the promise says nothing about f: reading its whole truth "
                     f"table takes 2^d = {1 << d} queries, e.g. "
                     "pd.LookupTable(d, model.predict(pd.cube.enumerate(d))).")
        raise TooLargeError(
            f"{func} may need up to {bound} queries at d = {d}, k = {k_promised}, t = {t} "
            f"(THEORY §6); the limit is {MAX_QUERIES}. "
            + (f"Use a smaller t (THEORY §6's t at this k and delta is "
               f"{default_t(k, delta)}) or a smaller k." if t_given else
               "Use a smaller k or a larger delta.")
            + whole
        )
    _check_point_arrays(d, k, t, final_check, func)
    st = _State(f, d, k, t, gen, bound=bound, progress=progress)
    disagreements: list[np.ndarray] = []
    checks = 0
    while True:
        out = _round(st)
        if len(out) == 4:
            x, y, fx, _ = out
            _search(st, x, y, fx)
            if len(st.R) > k:
                raise _violation(st, func)
            continue
        table, reps = out
        g = Junta(d, st.R, table)
        if final_check == 0:
            break
        checks += 1
        bad = _check(st, g, reps, final_check, sampler)
        if bad is None:
            break
        rep, x, g_x = bad
        disagreements.append(x)
        _search(st, rep, x, g_x)  # f(rep) = g(x) != f(x): a pair agreeing on R
        if len(st.R) > k:
            raise _violation(st, func)
    algorithm = f.queries - st.check_queries
    # THEORY §6's failure probability at the t used: delta at t >= default_t(k, delta);
    # a smaller t given by the caller guarantees only failure_bound(k, t)
    failure = delta if t >= default_t(k, delta) else failure_bound(k, t)
    under = (f"equals f on all of {{-1,+1}}^{d} with probability >= 1 - {failure:.3g} if f "
             f"is a {k}-junta (THEORY §6)" if failure < 1 else
             f"comes with no probability of equalling f from THEORY §6 even if f is a "
             f"{k}-junta (t = {t} points per restriction is too few: failure bound 1)")
    if final_check:
        alpha = check_alpha(checks, k)
        upper = -math.expm1(math.log(alpha) / final_check)  # 1 - alpha^(1/N)
        # the distribution by kind and dimension: its repr prints every parameter
        # (5,550 characters for a Product on d = 1000), too much for the claim
        where = "uniform" if sampler is None else f"{type(sampler).__name__} on d = {d}"
        claim = (
            f"{under}; checked on {final_check:,} fresh points ({where}) with no "
            f"disagreement, so err_D(f, junta) <= {upper:.3g} at confidence {CHECK_LEVEL} "
            "even without the promise; "
            + ("exact only under the promise" if failure < 1
               else "not shown to be exact even under the promise")
        )
    else:
        alpha = upper = None
        where = None
        claim = (
            f"{under}; not checked (final_check = 0), so nothing is claimed without the "
            "promise"
        )
    witness_points = (np.stack([st.witness[i][0] for i in st.R]) if st.R
                      else np.zeros((0, d), dtype=np.int8))
    report = {
        "samples_used": 0,
        "queries_used": f.queries,
        "seconds": time.perf_counter() - start,
        "queries_algorithm": algorithm,
        "queries_bound": bound,
        "queries_check": st.check_queries,
        "d": d, "k": k_promised, "k_effective": k, "delta": delta, "t": t,
        "failure_bound": failure_bound(k, t),
        "rounds": st.rounds,
        "search_queries": st.search_queries,
        "found_order": tuple(st.found_order),
        "sensitive_points": witness_points,
        "check": {"points": final_check, "checks": checks, "source": where,
                  "disagreements": disagreements, "upper": upper, "level": CHECK_LEVEL,
                  "alpha": alpha},
        "claim": claim,
    }
    return JuntaDistillation(g, tuple(st.R), f.queries, report)


# ------------------------------------------------------------- public entry
def distill_junta(model: Any, *, k: int, delta: float, rng: Any = None, t: int | None = None,
                  final_check: int = DEFAULT_CHECK, sampler: Distribution | None = None,
                  progress: Callable[[int, int], None] | None = None) -> JuntaDistillation:
    """Distill f into a k-junta by queries (THEORY §6).

    Parameters
    ----------
    model : model
        f: anything with ``predict`` and an input dimension (``n_inputs`` or
        ``d``), evaluated only at points of the algorithm's choosing: int8
        arrays of rows in {-1,+1}^d. A model trained on 0/1 features needs a
        wrapper whose ``predict(X)`` calls it on ``(1 - X) // 2`` (x_i = -1 is
        bit 1, the convention of ``pd.cube``).
    k : int
        The promise: f is a k-junta on all of {-1,+1}^d (0 <= k <= 24). Every
        f is a d-junta, so k > d runs as k = d (``report["k_effective"]``).
    delta : float in (0, 1)
        Failure probability.
    rng : None, int or numpy.random.Generator
    t : int, optional
        Points per restriction per round (default: ``default_t(k, delta)``,
        THEORY §6). With a smaller t the failure probability is
        ``report["failure_bound"]``, not delta.
    final_check : int, default 2000
        Fresh points on which the output is compared with f (0 to skip);
        their queries are counted in ``queries`` and
        ``report["queries_check"]``, not in ``queries_algorithm``.
    sampler : Distribution, optional
        D, where the final check draws its points (default: uniform on the
        cube), so that ``report["check"]["upper"]`` bounds err_D(f, junta) on
        the inputs you care about (``pd.distributions.FiniteSupport`` of a data
        set, a ``Product`` of its marginals). The algorithm's own queries are
        uniform on subcubes whatever D is (THEORY §6).
    progress : callable, optional
        Called as ``progress(done, total)`` after every batch of queries of the
        algorithm: ``done`` its queries so far, ``total`` THEORY §6's bound
        (``report["queries_bound"]``), which a run stays within when it returns
        a junta (it usually stops well short of it; one that refutes the
        promise may pass it by less than ceil(log2 d), see the module
        docstring). For long runs (large k, slow models); ``pacdistill distill
        junta`` shows it as a bar.

    Returns
    -------
    JuntaDistillation
        See the module docstring for what is claimed.

    Raises
    ------
    PromiseViolation
        f is sensitive to k + 1 variables (a proof that it is not a k-junta).
        ``witness`` is a dict: ``variables`` (the k + 1 found, in order),
        ``points`` ((k + 1, d) int8), ``flipped`` (each point with its
        variable flipped), ``values`` (f at both: they differ on every row),
        ``queries``.
    TooLargeError
        When THEORY §6's bound at (d, k, t) exceeds :data:`MAX_QUERIES`, or an
        array of query points (max(t, 2^k, final_check) points of d coordinates)
        would exceed :data:`~pacdistill.distributions.MAX_SAMPLE_CELLS` entries.

    Examples
    --------
    >>> net = pd.ReLUNetwork.from_arrays([np.array([[1.0, 0, 0, -1, 0, 0]]), np.array([[1.0]])],
    ...                                  [np.array([0.5]), np.array([-0.1])])
    >>> out = distill_junta(net, k=2, delta=0.05, rng=1)
    >>> out.relevant, out.report["check"]["checks"]
    ((0, 3), 1)
    >>> print(out.junta)
    Junta on (x0, x3), table +-++
    """
    return _distill(model, k=k, delta=delta, rng=rng, t=t, final_check=final_check,
                    sampler=sampler, func="distill_junta", progress=progress)


def _guarantee(src: str) -> Guarantee:
    from ..classes import CLASSES

    return Guarantee(
        "perfect", src, "junta", source=_SOURCE,
        promise=Promise("junta", "everywhere"),
        error=0, failure=S.delta, samples=0,
        queries=QUERIES_FORMULA,
        time=QUERIES_FORMULA * (S.d + CLASSES[src].eval_time),
        size_map={S.d: S.d, S.k: S.k},
    )


@register_family(name="query_junta", target="junta", guarantee=_guarantee,
                 access="queries", efficient=True,
                 extra_symbols=(S.k, *EVAL_EXTRA_SYMBOLS))
def query_junta(model: Any, /, *, sampler: Any = None, eps: Any = None, delta: Any,
                rng: Any = None, k: Any, t: Any = None, final_check: Any = 0,
                **options: Any) -> Result:
    """Query junta distillation (THEORY §6): exact under the promise f is a k-junta.

    The reduction-shaped entry of :func:`distill_junta`: ``k`` is an option
    (the promise's parameter), ``eps`` is accepted and unused (the output is
    exact). By default it runs exactly the algorithm the Guarantee counts
    (``final_check = 0``); with ``final_check = N`` it adds the audit of
    :func:`distill_junta`, whose points come from ``sampler`` (default
    uniform) and whose queries (``report["queries_check"]``) are on top of the
    declared count. The Result's report is ``JuntaDistillation.report``.
    """
    func = "query_junta"
    if options:
        raise param_error("options", func, "among sampler, eps, delta, rng, k, t, final_check",
                          sorted(options))
    if eps is not None:
        check_probability(eps, "eps", func)
    out = _distill(model, k=k, delta=delta, rng=rng, t=t, final_check=final_check,
                   sampler=sampler, func=func)
    return Result(out.junta, out.report)
