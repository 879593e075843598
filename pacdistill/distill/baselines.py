"""Learning from scratch on the same samples: the baselines LRH distillation is
compared with (THEORY §2 "Learning", §5 "Why it matters").

Both see only labelled examples (x, f(x)), never the representation:

- :func:`cart_baseline`: scikit-learn's CART (``DecisionTreeClassifier``,
  Gini, depth-limited) on the samples;
- :func:`all_ands_baseline`: the DP of :mod:`pacdistill.distill.tree_dp` over
  *every* AND of at most ``depth`` literals, i.e. exact empirical risk
  minimisation over all trees of depth <= r, feasible only while
  sum_{j<=r} C(d, j) 2^j is small (it grows like d^r: the reason learning
  depth-r trees from scratch has no known poly(d, 2^r) algorithm).

Examples
--------
>>> tree = pd.CLASSES["decision_tree"].random(0, d=6, depth=2)
>>> X = pd.distributions.Uniform(6).sample(2000, rng=0)
>>> base = all_ands_baseline(X, tree.predict(X), depth=2)
>>> base.fidelity, pd.checkers.equivalent(base.tree, tree).equal
(1.0, True)
>>> cart_baseline(X, tree.predict(X), depth=2, rng=0).fidelity
1.0
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import comb
from typing import Any

import numpy as np

from .._validation import check_int, check_probability, check_real, check_rng
from .frontier import Frontier
from .tree_dp import AndGraph, all_ands
from .tree_dp import _check_samples as _check

__all__ = ["Baseline", "cart_baseline", "all_ands_baseline", "count_ands", "DEFAULT_MAX_ANDS"]

#: all_ands_baseline refuses to enumerate more ANDs than this
DEFAULT_MAX_ANDS = 200_000
#: up to this depth a refusal's note gives the exact count of ANDs (depth + 1
#: terms of at most depth * log2(d) bits); past it, the partial sum that passed the cap
_EXACT_NOTE_DEPTH = 64


@dataclass(frozen=True)
class Baseline:
    """A baseline's outcome.

    Attributes
    ----------
    name : str
    tree : DecisionTree or None
        None when the baseline was not run (``note`` says why).
    fidelity : float
        Agreement with the labels on the samples it was trained on (NaN if not run).
    seconds : float
    note : str
    frontier : Frontier or None
        For the all-ANDs DP: the exact empirical frontier over depth-r trees.
    """

    name: str
    tree: Any
    fidelity: float
    seconds: float
    note: str = ""
    frontier: Frontier | None = None


def cart_baseline(X: Any, y: Any, *, depth: int, rng: Any = None) -> Baseline:
    """CART of depth <= ``depth`` trained on (X, y), as a :class:`pacdistill.DecisionTree`.

    Parameters
    ----------
    X : (n, d) array of ±1 points
    y : (n,) labels ±1 (the model's predictions f(x))
    depth : int
    rng : seed or Generator (CART's tie-breaking among equally good splits)
    """
    from sklearn.tree import DecisionTreeClassifier

    Xc, y, depth = _check(X, y, depth, "cart_baseline")
    start = time.perf_counter()
    seed = int(check_rng(rng, "cart_baseline").integers(2**31))
    clf = DecisionTreeClassifier(max_depth=depth, random_state=seed).fit(Xc, y)
    tree = sklearn_to_tree(clf, Xc.shape[1])
    fid = float(np.mean(tree.predict(Xc) == y))
    return Baseline("CART (scikit-learn)", tree, fid, time.perf_counter() - start)


def sklearn_to_tree(clf: Any, d: int) -> Any:
    """Convert a fitted binary scikit-learn DecisionTreeClassifier on ±1 inputs
    into a :class:`pacdistill.DecisionTree` (x <= threshold, i.e. x = -1 for a
    threshold in (-1, 1), is the minus branch)."""
    from ..classes.decision_tree import DecisionTree

    t = clf.tree_
    labels = np.asarray(clf.classes_)[np.argmax(t.value[:, 0, :], axis=1)]

    def build(v: int) -> dict[str, Any]:
        if t.children_left[v] < 0:
            return {"leaf": int(labels[v])}
        return {"var": int(t.feature[v]), "plus": build(int(t.children_right[v])),
                "minus": build(int(t.children_left[v]))}

    return DecisionTree.from_nested(d, build(0))


def count_ands(d: int, depth: int, *, limit: int | None = None) -> int:
    """sum_{j <= depth} C(d, j) 2^j: the ANDs of at most ``depth`` literals.

    With ``limit``, the sum stops at the first term that takes it past
    ``limit`` and returns that partial sum: a number > ``limit`` (the terms are
    positive, so the total is larger still), after evaluating j + 1 terms for
    the smallest j whose partial sum passes the limit. A caller comparing with
    a cap pays for the terms up to the cap only (the whole sum at d = 10^6,
    depth = 10^5 runs for minutes; with ``limit=200_000`` it stops at j = 1).
    Without ``limit``, the exact sum.

    Parameters
    ----------
    d : int >= 0
        The number of variables.
    depth : int >= 0
        The largest number of literals of an AND.
    limit : int >= 0, optional

    >>> count_ands(100, 2)
    20001
    >>> count_ands(10**6, 10**5, limit=200_000)  # 1 + C(10^6, 1) 2, past the limit
    2000001
    """
    func = "count_ands"
    d = check_int(d, "d", func, min=0)
    depth = check_int(depth, "depth", func, min=0)
    if limit is not None:
        limit = check_int(limit, "limit", func, min=0)
    total = 0
    for j in range(min(depth, d) + 1):  # C(d, j) = 0 for j > d
        total += comb(d, j) << j
        if limit is not None and total > limit:
            break
    return total


def all_ands_baseline(X: Any, y: Any, *, depth: int, target: float = 0.99,
                      max_ands: int = DEFAULT_MAX_ANDS, delta: float = 0.05) -> Baseline:
    """Exact ERM over all trees of depth <= ``depth``: the DP over every AND.

    Returns the smallest tree whose empirical fidelity meets ``target`` (else the
    most faithful), with the whole frontier. Not run (``tree`` None) when there
    are more than ``max_ands`` ANDs.
    """
    func = "all_ands_baseline"
    Xc, y, depth = _check(X, y, depth, func)
    target = check_real(target, "target", func, low=0, high=1, low_open=True)
    max_ands = check_int(max_ands, "max_ands", func, min=1)
    delta = check_probability(delta, "delta", func)
    n, d = Xc.shape
    # summed only until it passes the cap: a huge d and depth are refused at once
    total = count_ands(d, depth, limit=max_ands)
    name = "DP over all ANDs"
    if total > max_ands:
        if depth <= _EXACT_NOTE_DEPTH:  # at most 65 small terms: the exact count is cheap
            count = f"{count_ands(d, depth):,} ANDs of depth <= {depth} on d = {d} exceed"
        else:
            count = f"more than {total:,} ANDs of depth <= {depth} on d = {d} exceed"
        return Baseline(name, None, float("nan"), 0.0,
                        note=f"not run: {count} the cap of {max_ands:,}")
    start = time.perf_counter()
    graph = AndGraph._checked(Xc, y, all_ands(d, depth), depth=depth)
    table = graph.solve()
    trees, errors = table.frontier_trees(d)
    frontier = Frontier.from_errors(trees, errors, n=n, d=d, delta=delta,
                                    max_leaves=1 << depth)
    point = frontier.smallest(target) or frontier.best
    return Baseline(name, point.tree, point.fidelity, time.perf_counter() - start,
                    note=f"{total:,} ANDs", frontier=frontier)
