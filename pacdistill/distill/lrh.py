"""LRH tree distillation: beam-searched linear probing, then the DP (THEORY §5).

:func:`distill_tree` reads a model's representation phi with closed-form ridge
probes to find which ANDs of literals it linearly represents, then runs the
dynamic program of :mod:`pacdistill.distill.tree_dp` over the kept ANDs to get
the most faithful tree of every size (the frontier, THEORY §7), and returns the
smallest tree whose empirical fidelity meets a target.

Choices this implementation makes (THEORY §5 leaves them open):

- phi is computed once for all n samples and the whole n x m matrix is scaled
  to Frobenius norm sqrt(n) (the reference implementation's choice); probes have
  an unpenalised intercept (phi is centred by its fit mean).
- The samples are split at random into fit rows (``fit_fraction``) and
  validation rows; probes are fitted on the first and scored on the second.
  The DP measures fidelity on all n rows (its band, THEORY §7, is uniform over a
  class fixed in advance, so reusing the rows is sound).
- Candidates are kept by *split*, both children together, because the DP can
  use a split only if both children are kept (THEORY §5 "Measured facts"). A
  split of a kept AND a on x_i is scored from its two children's normalised
  validation errors e_lo <= e_hi (MSE divided by the validation variance of the
  child's ±1 values) as (1 - w) e_lo + w e_hi with w = ``split_weight``
  (default 0.2). w = 1 (both children must be read well) is the literal LRH
  rule; a small w also accepts a split whose better child is read well, since
  1[a & x_i=-1] = 1[a] - 1[a & x_i=+1]: with a represented, one child
  represented makes the other one too, and on trained networks the children on
  the minority label's side are read far better than their siblings
  (benchmarks/bench_lrh.py, README). w > 0 keeps the order right on planted
  networks, where a wrong split with one true child ties with a true split
  under w = 0 (measured on the planted acceptance trials, tests/distill).
- Keep rule: with ``tau`` given, every split whose two children both have
  validation MSE <= tau (THEORY §5's threshold rule, tau in THEORY's units);
  otherwise every split scoring within ``margin`` of the best, measured as a
  fraction of the gap between the best and the median split score, and every
  split scoring at most :data:`FLOOR` (when nearly every split is read almost
  perfectly, as under a distribution fixing some variables, the relative
  margin alone would cut between equally good splits), but never a split
  scoring above :data:`CEILING` (0.5: its probes leave more than half of the
  variance unexplained, so the representation does not read it). The margin
  is relative, so without the ceiling a representation that reads nothing
  (every score near 1, as for pure-noise features) still had its "best" splits
  kept, a random share of all splits, and the DP, then learning from scratch
  over them, often found the tree and reported it as met (measured: 23 of 70
  seeded random-feature trials at d = 4..50, depths 2 and 3). On the 15
  trained networks of benchmarks/bench_lrh.py (d = 100, depths 2-4) the true
  ANDs score at most 0.38 and no kept split above 0.41, so the ceiling changes
  none of their results (all 15 still recovered exactly). Either way at most
  ``beam`` splits per depth, best first (the report says when the cap bit).
- The ridge penalty is chosen per depth on a scale-free grid (see
  :func:`~pacdistill.distill.probing.lambda_grid`) by the mean validation score
  of the best splits (as many as there are parents at that depth); one
  eigendecomposition serves every penalty and every depth.

Examples
--------
>>> tree = pd.CLASSES["decision_tree"].random(0, d=12, depth=2)
>>> net = pd.distill.planted_network(tree)
>>> X = pd.distributions.Uniform(12).sample(4000, rng=1)
>>> result = pd.distill_tree(net, X, depth=2, rng=0)
>>> result.met_target, pd.checkers.equivalent(result.tree, tree).equal
(True, True)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    check_int,
    check_points,
    check_progress,
    check_real,
    check_rng,
)
from ..errors import InvalidInputError
from .adapters import activations_of, check_representation, labels_of, model_width
from .frontier import Frontier
from .probing import Candidates, ParentStats, ProbeBasis, lambda_grid, normalise
from .tree_dp import And, AndGraph, canonical

__all__ = ["distill_tree", "TreeDistillation", "DEFAULT_BEAM", "WIDE_BEAM", "DEFAULT_MARGIN",
           "DEFAULT_SPLIT_WEIGHT", "FLOOR", "CEILING"]

#: splits kept per depth at most, when ``beam`` is not given (first attempt)
DEFAULT_BEAM = 32
#: the second attempt's cap, when ``beam`` is not given and the first missed the target
WIDE_BEAM = 128
#: the margin rule's default: keep splits within half of the best-to-median gap
DEFAULT_MARGIN = 0.5
#: how a split's score combines its two children's normalised validation errors
DEFAULT_SPLIT_WEIGHT = 0.2
#: the margin rule always keeps splits scoring at most this (1% of the variance left)
FLOOR = 0.01
#: the margin rule never keeps splits scoring above this (half of the variance left)
CEILING = 0.5
#: evaluate the whole penalty grid on every candidate when there are at most this many
_FULL_GRID = 1024
#: grid index of the reference penalty (10^-2 of the Gram scale) when no depth chose one yet
_REF_LAMBDA = 2
#: floats per block of stacked parent statistics. Scoring a block holds about six
#: arrays of this many floats at once (the stacked statistics and the candidates'
#: (C, q) rows), 16 MB each here, on top of every parent's statistics (2 d q floats
#: each). 2^23 (64 MB arrays) peaked at 666 MB traced at d = 100, m = 512, 3,000
#: samples, 256 parents; 2^21 at 317 MB, and was not slower (measured)
_BLOCK = 1 << 21

_FUNC = "distill_tree"


@dataclass(frozen=True)
class TreeDistillation:
    """What :func:`distill_tree` returns.

    Attributes
    ----------
    tree : DecisionTree
        The smallest tree on the frontier whose empirical fidelity meets the
        target; when none does, the most faithful tree found (then
        ``met_target`` is False and ``message`` says so).
    frontier : Frontier
        The most faithful tree of every size, with THEORY §7 bands.
    report : dict
        ``samples_used``, ``queries_used``, ``seconds``; ``timings`` per stage;
        ``depths`` (per depth: candidates probed, chosen penalty, kept ANDs with
        their validation errors, whether the beam cap bit); ``n_ands`` (N);
        ``target``, ``met_target``, ``message``; sizes of the fit/validation
        split and of the representation.
    """

    tree: Any
    frontier: Frontier
    report: Mapping[str, Any]

    @property
    def met_target(self) -> bool:
        """Whether ``tree`` reaches the target fidelity on the samples."""
        return bool(self.report["met_target"])

    @property
    def message(self) -> str:
        """One sentence saying what was found."""
        return str(self.report["message"])

    def __str__(self) -> str:
        return f"{self.message}\n{self.tree}\n{self.frontier}"


def distill_tree(
    model: Any, X: Any, *, depth: int, beam: int | None = None, tau: float | None = None,
    rng: Any = None, target: float = 0.99, margin: float = DEFAULT_MARGIN,
    split_weight: float = DEFAULT_SPLIT_WEIGHT, fit_fraction: float = 0.5, delta: float = 0.05,
    progress: Callable[[int, int], None] | None = None, blas_threads: int | None = 1,
) -> TreeDistillation:
    """Distil a model into a decision tree by probing its representation (THEORY §5).

    Parameters
    ----------
    model : object with ``predict`` and ``activations``
        A :class:`pacdistill.ReLUNetwork`, a planted network, or any adapter
        (:mod:`pacdistill.distill.adapters`).
    X : array_like of shape (n, d)
        Samples from D, points of {-1,+1}^d (n >= 8).
    depth : int
        Largest tree depth r, 1 <= r <= d.
    beam : int, optional
        Most splits kept per depth. Default: :data:`DEFAULT_BEAM` (32) with the
        margin rule, then, if no tree met the target, a second search with at
        most :data:`WIDE_BEAM` (128) splits per depth and margin 1 (every split
        better than the median and within the ceiling, best first) on the same
        factorisation; the report's ``attempts`` lists both. Given, one search with that cap.
    tau : float, optional
        Threshold rule: keep the splits whose two children's probes have
        validation MSE <= tau (THEORY §5's tau'). Default: the margin rule
        (which never keeps a split scoring above :data:`CEILING`; pass ``tau``
        to read a representation more loosely than that).
    rng : seed or numpy Generator, optional
        Randomness of the fit/validation split.
    target : float
        Fidelity the returned tree must reach on the samples, in (0, 1].
    margin : float
        The margin rule's width, a fraction of the gap between the best and the
        median split score (> 0).
    split_weight : float
        A split's score is (1 - w) * (better child's error) + w * (worse
        child's error), errors normalised (see the module docstring); w = 1
        demands both children be represented, w = 0 either one, in [0, 1].
    fit_fraction : float
        Share of the rows used to fit the probes, in (0, 1).
    delta : float
        The frontier's bands hold with probability >= 1 - delta.
    progress : callable, optional
        Called as ``progress(done, total)`` after each probed depth; when the
        default beam is widened (``beam=None``), the second search continues
        the count (``done`` never decreases; ``total`` grows by ``depth``).
    blas_threads : int or None
        BLAS threads for the factorisation, the probes and the DP (default 1;
        None keeps the library's setting). The probes are many mid-sized matrix
        products, which on a busy 2-core machine ran 2-20 times faster on one
        thread than on two (README, benchmarks/bench_lrh.py).

    Returns
    -------
    TreeDistillation
        ``(tree, frontier, report)``; ``report["attempts"]`` lists the searches
        run (beam, margin, whether the target was met, best fidelity, seconds)
        and ``report["attempt"]`` is the index of the one reported.

    Raises
    ------
    InvalidParameterError
        A model without ``predict``/``activations``; depth outside [1, d]; beam
        < 1; another parameter out of range.
    InvalidInputError
        X not in {-1,+1}^d, of the wrong width, or too few rows; activations
        with NaN or infinite values or of the wrong shape; labels not ±1.

    Guarantee
    ---------
    Derived here (THEORY §5): if every AND of a depth-r tree T* with
    err_D(f, T*) = eta is (tau, B)-linearly represented, the probes' validation
    errors are within gamma of their population values, ``tau`` >= tau + gamma
    and the beam cap does not bind, then T* is a DP candidate and with n >=
    2((s-1) ln d + (s+1) ln 2 + ln Catalan(s-1) + ln(4/delta)) / eps^2 samples
    (the DP reuses the probing samples, so the union bound runs over every tree
    with at most s leaves, THEORY §5 correction) the tree of the frontier with s
    leaves has err_D <= eta + eps with probability >= 1 - delta.
    The algorithm is [Boix-Adsera 2024, arXiv:2403.09053]'s, with closed-form
    probes in place of gradient-trained ones.
    """
    start = time.perf_counter()
    timings: dict[str, float] = {}
    check_representation(model, _FUNC)
    width = model_width(model)
    Xc = check_points(X, width, func=_FUNC)
    n, d = Xc.shape
    depth = check_int(depth, "depth", _FUNC, min=1, max=d)
    if beam is not None:
        beam = check_int(beam, "beam", _FUNC, min=1)
    if tau is not None:
        tau = check_real(tau, "tau", _FUNC, low=0, low_open=True)
    target = check_real(target, "target", _FUNC, low=0, high=1, low_open=True)
    margin = check_real(margin, "margin", _FUNC, low=0, low_open=True)
    split_weight = check_real(split_weight, "split_weight", _FUNC, low=0, high=1)
    fit_fraction = check_real(fit_fraction, "fit_fraction", _FUNC, low=0, high=1,
                              low_open=True, high_open=True)
    delta = check_real(delta, "delta", _FUNC, low=0, high=1, low_open=True, high_open=True)
    generator = check_rng(rng, _FUNC)
    if blas_threads is not None:
        blas_threads = check_int(blas_threads, "blas_threads", _FUNC, min=1)
    progress = check_progress(progress, _FUNC)
    n_fit = int(round(n * fit_fraction))
    if n < 8 or n_fit < 4 or n - n_fit < 4:
        raise InvalidInputError(
            f"The 'X' parameter of {_FUNC} must have enough rows for >= 4 fit and >= 4 "
            f"validation samples. Got {n} rows with fit_fraction = {fit_fraction}."
        )

    tick = time.perf_counter()
    # the model gets its own copy of the points: one that writes into its input (a
    # torch.from_numpy view scaled in place) must not change the samples the
    # probes and the DP read, nor the caller's X (check_points may return X itself)
    y = labels_of(model, Xc.copy(), _FUNC)
    timings["labels"] = time.perf_counter() - tick
    tick = time.perf_counter()
    phi, factor = normalise(activations_of(model, Xc.copy(), _FUNC))
    timings["activations"] = time.perf_counter() - tick

    with _blas_threads(blas_threads):
        perm = generator.permutation(n)
        fit_rows, val_rows = perm[:n_fit], perm[n_fit:]
        X_fit, X_val = Xc[fit_rows], Xc[val_rows]

        tick = time.perf_counter()
        basis = ProbeBasis._checked(phi[fit_rows], phi[val_rows])
        m = int(phi.shape[1])
        del phi  # the basis holds its centred copies; n x m floats less from here on
        timings["factorisation"] = time.perf_counter() - tick

        attempts = ([(DEFAULT_BEAM, margin), (WIDE_BEAM, max(margin, 1.0))] if beam is None
                    else [(beam, margin)])
        history: list[dict[str, Any]] = []
        best: tuple[_BeamSearch, AndGraph, Frontier] | None = None
        chosen_attempt = 0
        timings["probing"] = timings["dp"] = 0.0
        for attempt, (width_k, margin_k) in enumerate(attempts):
            tick = time.perf_counter()
            search = _BeamSearch(basis, X_fit, X_val, depth=depth, beam=width_k, tau=tau,
                                 margin=margin_k, weight=split_weight)
            for j in range(depth):
                more = search.step()
                if progress is not None:  # a widened search continues the count
                    progress(attempt * depth + (j + 1 if more else depth),
                             (attempt + 1) * depth)
                if not more:
                    break
            probe_seconds = time.perf_counter() - tick
            tick = time.perf_counter()
            graph = AndGraph._checked(Xc, y, search.kept, depth=depth)
            trees, errors = graph.solve().frontier_trees(d)
            frontier = Frontier.from_errors(trees, errors, n=n, d=d, delta=delta,
                                            max_leaves=1 << depth)
            dp_seconds = time.perf_counter() - tick
            timings["probing"] += probe_seconds
            timings["dp"] += dp_seconds
            met_k = frontier.smallest(target) is not None
            history.append({"beam": width_k, "margin": margin_k, "met_target": met_k,
                            "best_fidelity": frontier.best.fidelity, "n_ands": len(graph),
                            "probing_seconds": probe_seconds, "dp_seconds": dp_seconds})
            if best is None or met_k or frontier.best.fidelity > best[2].best.fidelity:
                best = (search, graph, frontier)
                chosen_attempt = len(history) - 1
            if met_k:
                break
        assert best is not None
        search, graph, frontier = best

    chosen = frontier.smallest(target)
    met = chosen is not None
    point = chosen if chosen is not None else frontier.best
    if met:
        widened = (f" (after widening the beam to {search.beam} splits per depth)"
                   if len(history) > 1 else "")
        message = (f"Found a tree with {_leaves(point.leaves)} (depth {point.depth}) agreeing "
                   f"with the model on {point.fidelity:.2%} of the {n:,} samples, meeting the "
                   f"target {target:.2%}{widened}. Its fidelity under the distribution the "
                   f"samples were drawn from is in [{point.low:.2%}, {point.high:.2%}] "
                   f"({1 - delta:.0%} band, THEORY §7).")
    else:
        message = (f"No tree of depth <= {depth} built from the probed ANDs met the target "
                   f"fidelity {target:.2%}: the best has {_leaves(point.leaves)} and agrees "
                   f"with the model on {point.fidelity:.2%} of the {n:,} samples. The "
                   "representation may not satisfy the LRH for such a tree; try more "
                   "samples, a larger beam or depth, or a lower target."
                   + (f" No split of the root was read by the probes (every score above "
                      f"{CEILING}: the representation reads no literal x_i)."
                      if tau is None and search.levels and not search.levels[0]["kept_splits"]
                      else "")
                   + _capped_hint(search)
                   + (f" (Beams tried: {', '.join(str(h['beam']) for h in history)}.)"
                      if len(history) > 1 else ""))
    timings["total"] = time.perf_counter() - start
    report = {
        "samples_used": n,
        "queries_used": 0,
        "seconds": timings["total"],
        "timings": timings,
        "n_fit": n_fit,
        "n_val": n - n_fit,
        "m": m,
        "rank": basis.rank,
        "phi_scale": factor,
        "gram_scale": basis.scale,
        "depth": depth,
        "beam": search.beam,
        "tau": tau,
        "margin": search.margin,
        "attempts": history,
        "attempt": chosen_attempt,
        "split_weight": split_weight,
        "depths": search.levels,
        "n_ands": len(graph),
        "n_splits": len(graph.splits),
        "target": target,
        "met_target": met,
        "message": message,
        "leaves": point.leaves,
        "fidelity": point.fidelity,
    }
    return TreeDistillation(point.tree, frontier, report)


def _capped_hint(search: _BeamSearch) -> str:
    """Where the beam cap bound, for a search that missed its target: more splits
    qualified than the cap let through there, so a wider beam may keep the missing
    ANDs ('' when it never bound)."""
    capped = [level["depth"] for level in search.levels if level["capped"]]
    if not capped:
        return ""
    where = "depth" if len(capped) == 1 else "depths"
    splits = "split" if search.beam == 1 else "splits"
    return (f" The beam cap ({search.beam} {splits} per depth) bound at {where} "
            f"{', '.join(map(str, capped))}: more splits qualified than it kept, so a "
            f"larger beam (beam=, or --beam) may keep the missing ANDs.")


def _leaves(count: int) -> str:
    """'1 leaf', '4 leaves'."""
    return f"{count} leaf" if count == 1 else f"{count} leaves"


def _blas_threads(limit: int | None) -> Any:
    """A context limiting BLAS to ``limit`` threads (a no-op for None)."""
    if limit is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=limit, user_api="blas")


class _BeamSearch:
    """The probing stage, one depth per :meth:`step` (THEORY §5 step 2)."""

    def __init__(self, basis: ProbeBasis, X_fit: np.ndarray, X_val: np.ndarray, *,
                 depth: int, beam: int, tau: float | None, margin: float,
                 weight: float) -> None:
        self.basis = basis
        self.X_fit, self.X_val = X_fit, X_val
        self.d = X_fit.shape[1]
        self.depth, self.beam, self.tau, self.margin = depth, beam, tau, margin
        self.weight = weight
        self.grid = lambda_grid(basis.scale)
        self.lam_index: int | None = None
        # current parents: AND -> (fit rows, validation rows)
        self.parents: dict[And, tuple[np.ndarray, np.ndarray]] = {
            (): (np.arange(X_fit.shape[0]), np.arange(X_val.shape[0]))}
        self.kept: list[And] = [()]
        self.levels: list[dict[str, Any]] = []

    def step(self) -> bool:
        """Probe every child of the current parents; keep the best splits.
        Returns False when nothing was kept (the search stops)."""
        j = len(self.levels)
        parents = list(self.parents)
        stats = [ParentStats.build(self.basis, self.X_fit, self.X_val, *self.parents[a])
                 for a in parents]
        cand = self._candidates(parents)
        lam_index, known = self._choose_lambda(stats, cand, n_parents=len(parents))
        lam = float(self.grid[lam_index])
        if known is None:
            mse_rows, var_val = self._score(stats, cand, [lam])
            mse = mse_rows[0]
        else:
            mse, var_val = known
        nmse = _normalised(mse, var_val)
        # candidates come in (+, -) pairs: one split per pair
        split_score = _split_scores(mse, var_val, self.weight)
        split_mse = np.maximum(mse[0::2], mse[1::2])
        order = np.argsort(split_score, kind="stable")
        finite = np.isfinite(split_score)
        if self.tau is not None:
            qualified = finite & (split_mse <= self.tau)
            cutoff = float(self.tau)
        elif finite.any():
            best = float(split_score[finite].min())
            median = float(np.median(split_score[finite]))
            cutoff = min(max(best + self.margin * (median - best), FLOOR), CEILING)
            qualified = finite & (split_score <= cutoff)
        else:
            qualified = finite
            cutoff = float("nan")
        chosen = [int(k) for k in order if qualified[k]]
        capped = len(chosen) > self.beam
        chosen = chosen[: self.beam]
        new_parents: dict[And, tuple[np.ndarray, np.ndarray]] = {}
        kept_info: list[dict[str, Any]] = []
        for k in chosen:
            for c in (2 * k, 2 * k + 1):
                p = int(cand.parent[c])
                i, s = int(cand.var[c]), int(cand.sign[c])
                child = canonical((*parents[p], (i, s)))
                if child in new_parents:
                    continue
                rows_f, rows_v = self.parents[parents[p]]
                new_parents[child] = (rows_f[self.X_fit[rows_f, i] == s],
                                      rows_v[self.X_val[rows_v, i] == s])
                kept_info.append({"and": [list(lit) for lit in child], "mse": float(mse[c]),
                                  "nmse": float(nmse[c]), "split_score": float(split_score[k])})
        chosen_set = set(chosen)
        rejected = [k for k in order if k not in chosen_set]
        self.levels.append({
            "depth": j + 1,
            "parents": len(parents),
            "candidates": len(cand),
            "splits": len(cand) // 2,
            "lambda": lam,
            "lambda_over_scale": lam / self.basis.scale,
            "cutoff": cutoff,
            "kept_splits": len(chosen),
            "capped": capped,
            "best_score": float(split_score[order[0]]) if len(order) else float("nan"),
            "best_rejected_score": (float(split_score[rejected[0]]) if rejected
                                    else float("nan")),
            "kept": kept_info,
        })
        self.kept.extend(new_parents)
        self.parents = new_parents
        return bool(new_parents) and j + 1 < self.depth

    def _candidates(self, parents: list[And]) -> Candidates:
        """Both children of every split of every parent on an unused variable,
        (+1, -1) adjacent."""
        blocks_p, blocks_i = [], []
        for p, a in enumerate(parents):
            free = np.setdiff1d(np.arange(self.d), [i for i, _ in a])
            blocks_p.append(np.full(free.shape[0], p, dtype=np.int64))
            blocks_i.append(free)
        split_p = np.concatenate(blocks_p)
        split_i = np.concatenate(blocks_i)
        return Candidates(np.repeat(split_p, 2), np.repeat(split_i, 2),
                          np.tile(np.array([1, -1], dtype=np.int64), split_p.shape[0]))

    def _score(self, stats: list[ParentStats], cand: Candidates,
               lams: list[float]) -> tuple[np.ndarray, np.ndarray]:
        """Validation MSE (len(lams), C) and validation variance (C,), computed
        block by block over parents so the stacked statistics stay bounded."""
        q = max(self.basis.rank, 1)
        per_parent = 2 * self.d * q
        step = max(1, _BLOCK // per_parent)
        mse = np.empty((len(lams), len(cand)))
        var_val = np.empty(len(cand))
        for lo in range(0, len(stats), step):
            hi = min(lo + step, len(stats))
            sel = np.flatnonzero((cand.parent >= lo) & (cand.parent < hi))
            if sel.size == 0:
                continue
            sub = cand.take(sel)
            sub = Candidates(sub.parent - lo, sub.var, sub.sign)
            prep = self.basis.prepare(stats[lo:hi], sub)
            for k, lam in enumerate(lams):
                mse[k, sel] = self.basis.mse(prep, lam)
            var_val[sel] = prep.var_val
        return mse, var_val

    def _choose_lambda(self, stats: list[ParentStats], cand: Candidates, *, n_parents: int
                       ) -> tuple[int, tuple[np.ndarray, np.ndarray] | None]:
        """Grid index of the penalty minimising the mean score of the best
        ``n_parents`` splits, and the validation errors of every candidate at it
        when they were computed on the way (else None). With more than
        ``_FULL_GRID`` candidates the grid is evaluated only on the best splits
        under a reference penalty (the previous depth's)."""
        grid = [float(v) for v in self.grid]
        k = max(1, min(n_parents, len(cand) // 2))

        def best(mse: np.ndarray, var_val: np.ndarray) -> int:
            crit = [float(np.mean(np.sort(_split_scores(row, var_val, self.weight))[:k]))
                    for row in mse]
            return int(np.argmin(crit))

        if len(cand) <= _FULL_GRID:
            mse, var_val = self._score(stats, cand, grid)
            index = best(mse, var_val)
            self.lam_index = index
            return index, (mse[index], var_val)
        ref = self.lam_index if self.lam_index is not None else _REF_LAMBDA
        mse_ref, var_ref = self._score(stats, cand, [grid[ref]])
        score = _split_scores(mse_ref[0], var_ref, self.weight)
        top = np.argsort(score, kind="stable")[: max(4 * n_parents, 64)]
        pick = np.sort(np.concatenate([2 * top, 2 * top + 1]))
        mse, var_val = self._score(stats, cand.take(pick), grid)
        index = best(mse, var_val)
        self.lam_index = index
        return index, ((mse_ref[0], var_ref) if index == ref else None)


def _normalised(mse: np.ndarray, var_val: np.ndarray) -> np.ndarray:
    """MSE over the validation variance of the target (inf when it is constant there)."""
    return np.where(var_val > 0, mse / np.where(var_val > 0, var_val, 1.0), np.inf)


def _split_scores(mse: np.ndarray, var_val: np.ndarray, weight: float) -> np.ndarray:
    """One score per split from its two children's (adjacent) normalised errors."""
    nmse = _normalised(mse, var_val)
    low = np.minimum(nmse[0::2], nmse[1::2])
    high = np.maximum(nmse[0::2], nmse[1::2])
    if weight == 0:
        return low
    return (1.0 - weight) * low + weight * high

