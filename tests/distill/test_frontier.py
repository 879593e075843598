"""The size/fidelity frontier and its THEORY §7 confidence bands."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

import pacdistill as pd
from pacdistill.distill.frontier import Frontier, band_halfwidth, log_trees_at_most

matplotlib.use("Agg")


def _count_tree_functions(d, max_leaves):
    """Distinct functions on {-1,+1}^d computed by trees with <= max_leaves leaves
    (brute force over nested trees), as truth tables."""
    X = pd.cube.enumerate(d)

    def trees(leaves, used):
        if leaves == 1:
            for v in (-1, 1):
                yield {"leaf": v}
            return
        for i in range(d):
            if i in used:
                continue
            for k in range(1, leaves):
                for plus in trees(k, used | {i}):
                    for minus in trees(leaves - k, used | {i}):
                        yield {"var": i, "plus": plus, "minus": minus}

    tables = set()
    for s in range(1, max_leaves + 1):
        for nested in trees(s, frozenset()):
            tables.add(tuple(pd.DecisionTree.from_nested(d, nested).predict(X)))
    return len(tables)


@pytest.mark.parametrize(("d", "s"), [(1, 2), (2, 3), (3, 3), (3, 4)])
def test_class_size_bound_holds(d, s):
    """ln|G_s| used by the band bounds the number of tree functions with <= s leaves."""
    assert math.log(_count_tree_functions(d, s)) <= log_trees_at_most(s, d) + 1e-12


def test_band_halfwidth_formula_and_monotonicity():
    """t_s = sqrt((ln|G_s| + ln(2S/delta)) / (2n)) (THEORY §7): shrinks with n,
    grows with s and with the confidence."""
    t = band_halfwidth(leaves=4, d=10, n=10_000, max_leaves=8, delta=0.05)
    want = math.sqrt((log_trees_at_most(4, 10) + math.log(2 * 8 / 0.05)) / 20_000)
    assert t == pytest.approx(want)
    quadrupled = band_halfwidth(leaves=4, d=10, n=40_000, max_leaves=8, delta=0.05)
    assert quadrupled == pytest.approx(t / 2)
    assert band_halfwidth(leaves=5, d=10, n=10_000, max_leaves=8, delta=0.05) > t
    assert band_halfwidth(leaves=4, d=10, n=10_000, max_leaves=8, delta=0.01) > t


def _stumps(d):
    leaf = pd.DecisionTree.leaf
    return [leaf(d, 1), pd.DecisionTree.split(d, 0, leaf(d, 1), leaf(d, -1)),
            pd.DecisionTree.from_nested(d, {"var": 0, "plus": {"leaf": 1}, "minus": {
                "var": 1, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})]


def test_from_errors_keeps_the_pareto_points():
    """Points grow strictly in size and fidelity; a tree no better than a smaller one
    is dropped; smallest(target) is the first point reaching the target."""
    trees = _stumps(3)
    frontier = Frontier.from_errors(trees, [30, 30, 10], n=100, d=3, delta=0.05, max_leaves=4)
    assert [p.leaves for p in frontier] == [1, 3]
    assert frontier.fidelity.tolist() == [0.7, 0.9]
    assert frontier.smallest(0.8).leaves == 3 and frontier.smallest(0.95) is None
    assert frontier.best.leaves == 3
    for p in frontier:
        assert 0 <= p.low <= p.fidelity <= p.high <= 1
    text = str(frontier)
    assert "leaves" in text and "0.9000" in text and "95% band" in text
    assert frontier.to_dict()["points"][1]["tree"]["class"] == "decision_tree"


def test_plot_draws_the_frontier_and_band():
    trees = _stumps(3)
    frontier = Frontier.from_errors(trees, [40, 20, 5], n=200, d=3, delta=0.05, max_leaves=4)
    ax = frontier.plot()
    line = ax.get_lines()[0]
    assert np.allclose(line.get_ydata(), frontier.fidelity)
    assert ax.get_xlabel() == "leaves"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plot_shows_every_points_band_including_the_last():
    """Regression: the band was only a step fill (step="post"), which has no width
    at the last size, so the band of the most faithful tree -- the one a user
    reads -- was not drawn at all. Every point's [low, high] now appears as an
    error bar at its size."""
    from matplotlib.container import ErrorbarContainer

    trees = _stumps(3)
    frontier = Frontier.from_errors(trees, [40, 20, 5], n=200, d=3, delta=0.05, max_leaves=4)
    ax = frontier.plot()
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == 1
    segments = bars[0].lines[2][0].get_segments()
    drawn = sorted((float(s[0][0]), float(s[0][1]), float(s[1][1])) for s in segments)
    want = sorted((float(p.leaves), p.low, p.high) for p in frontier)
    np.testing.assert_allclose(drawn, want, rtol=1e-12)
    assert frontier.best.leaves in [x for x, _, _ in drawn]
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("n", [200, 2000])
def test_band_miss_probability_is_what_hoeffding_promises(n):
    """For one fixed tree of G_s with true error p, the exact binomial probability that
    its empirical error on n samples leaves p -+ t_s is at most delta / (S |G_s|), the
    per-tree share of the union bound behind the THEORY §7 band (computed exactly with
    scipy, no sampling)."""
    from scipy.stats import binom

    d, s, S, delta = 8, 3, 4, 0.05
    tree = pd.DecisionTree.from_nested(d, {"var": 0, "plus": {"leaf": 1}, "minus": {
        "var": 5, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    target = pd.Parity(d, [0, 5])
    X = pd.cube.enumerate(d)
    p = float(np.mean(tree.predict(X) != target.predict(X)))
    t = band_halfwidth(leaves=s, d=d, n=n, max_leaves=S, delta=delta)
    low_count = math.ceil(n * (p - t)) - 1          # counts strictly below p - t
    high_count = math.floor(n * (p + t))            # counts strictly above p + t
    miss = binom.cdf(low_count, n, p) + binom.sf(high_count, n, p)
    assert miss <= delta / (S * math.exp(log_trees_at_most(s, d)))


def test_counting_helper_sanity():
    """The brute-force counter itself, against counts known by hand: d = 1 trees give
    all 4 functions of one bit; on 2 bits, 3 leaves give every function but the
    parity x0 x1 and its negation (14 of 16), and 4 leaves give all 16. (The second
    assertion was len(itertools.product([0, 1], repeat=2)) == 4, which tested
    nothing of the counter.)"""
    assert _count_tree_functions(1, 2) == 4
    assert _count_tree_functions(2, 3) == 14
    assert _count_tree_functions(2, 4) == 2 ** 2 ** 2


def test_a_fidelity_equal_to_the_target_meets_it():
    """Regression: 93 of 100 samples is 1 - 7/100 = 0.9299999999999999 in floating
    point, so a tree at exactly the target 0.93 was said to miss it (and
    distill_tree reported 'no tree met the target 93.00%: the best agrees on
    93.00%')."""
    trees = _stumps(3)
    frontier = Frontier.from_errors(trees, [30, 30, 7], n=100, d=3, delta=0.05, max_leaves=4)
    assert frontier.smallest(0.93).leaves == 3
    assert frontier.smallest(0.9300001) is None
    y = np.where(np.arange(100) < 7, -1, 1)             # the constant +1 agrees on 93
    model = pd.distill.from_callables(lambda X: y[: len(X)], lambda X: X * 1.0, d=3)
    X = pd.cube.enumerate(3)[np.arange(100) % 8]
    result = pd.distill_tree(model, X, depth=1, target=0.93, rng=0)
    assert result.met_target and result.report["fidelity"] >= 0.93 - 1e-12


def test_bands_at_a_depth_past_1023():
    """Regression: the bands' union over S = 2^depth sizes computed 2 S / delta as a
    float, an OverflowError from depth 1024 on (d >= depth is allowed; the search
    stops once the ANDs run out of rows)."""
    d = 1030
    model = pd.distill.from_callables(lambda X: X[:, 5], lambda X: X[:, 5:6] * 1.0, d=d)
    X = pd.distributions.Uniform(d).sample(32, rng=0)
    result = pd.distill_tree(model, X, depth=d, beam=2, rng=0)
    assert result.met_target and result.tree.n_leaves == 2
    for p in result.frontier:
        assert 0 <= p.low <= p.fidelity <= p.high <= 1
