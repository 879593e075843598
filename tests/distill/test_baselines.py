"""Learning-from-scratch baselines (pacdistill.distill.baselines)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.distill.baselines import (
    all_ands_baseline,
    cart_baseline,
    count_ands,
    sklearn_to_tree,
)


@given(decision_trees(max_d=6, max_depth=3))
def test_cart_conversion_predicts_like_sklearn(tree):
    """The converted CART tree predicts exactly what scikit-learn's tree predicts on
    the whole cube."""
    from sklearn.tree import DecisionTreeClassifier

    X = pd.cube.enumerate(tree.d)
    y = tree.predict(X)
    if len(np.unique(y)) < 2:      # scikit-learn needs two classes to be binary
        y = y.copy()
        y[0] = -y[0]
    clf = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    converted = sklearn_to_tree(clf, tree.d)
    assert (converted.predict(X) == clf.predict(X)).all()


def test_all_ands_dp_is_exact_erm():
    """On the whole cube the DP over every AND recovers any depth-2 tree exactly, and
    its frontier's fidelity at each size is at least CART's."""
    tree = pd.CLASSES["decision_tree"].random(3, d=5, depth=2)
    X = pd.cube.enumerate(5)
    base = all_ands_baseline(X, tree.predict(X), depth=2, target=1.0)
    assert base.fidelity == 1.0 and pd.checkers.equivalent(base.tree, tree).equal
    cart = cart_baseline(X, tree.predict(X), depth=2, rng=0)
    dp_best = max(p.fidelity for p in base.frontier if p.leaves <= cart.tree.n_leaves)
    assert dp_best >= cart.fidelity


def test_all_ands_refuses_past_the_cap():
    X = pd.distributions.Uniform(100).sample(100, rng=0)
    base = all_ands_baseline(X, np.ones(100, dtype=np.int8), depth=3)
    assert base.tree is None and np.isnan(base.fidelity)
    assert "1,313,601 ANDs" in base.note and "cap of 200,000" in base.note


def test_count_ands():
    assert count_ands(3, 2) == 1 + 6 + 12
    assert count_ands(100, 3) == 1 + 200 + 19800 + 161700 * 8


def test_bad_labels_are_refused():
    X = pd.cube.enumerate(3)
    with pytest.raises(pd.errors.InvalidInputError, match="one label -1 or \\+1 per row"):
        cart_baseline(X, np.zeros(8), depth=1)
    with pytest.raises(pd.errors.InvalidParameterError, match="'depth' parameter"):
        all_ands_baseline(X, np.ones(8), depth=4)


@pytest.mark.parametrize("delta", [0, 2, -1, "a"])
def test_all_ands_delta_is_checked(delta):
    """Regression: delta went unchecked into the bands' logarithm (a bare
    ValueError 'math domain error' at 0 or -1, a TypeError for a string, and a
    band from a 'probability' 2)."""
    X = pd.cube.enumerate(4)
    with pytest.raises(pd.errors.InvalidParameterError, match="'delta' parameter"):
        all_ands_baseline(X, X[:, 0], depth=1, delta=delta)


@pytest.mark.parametrize("baseline", [cart_baseline, all_ands_baseline])
def test_ragged_labels_are_refused(baseline):
    """Regression: ragged labels raised numpy's bare ValueError ('inhomogeneous
    shape') instead of the baselines' label message."""
    X = pd.cube.enumerate(3)
    with pytest.raises(pd.errors.InvalidInputError, match="one label -1 or \\+1 per row"):
        baseline(X, [[1], [1, -1]] + [1] * 6, depth=1)


def test_baselines_respect_the_depth_and_band_their_frontier():
    """CART is limited to the depth asked for (the baseline is 'trees of depth <= r
    on the same samples'; a CART one level deeper passed every test), and the
    all-ANDs frontier carries THEORY §7 bands over S = 2^depth sizes, as
    distill_tree's does (mutation: S = depth passed)."""
    import math

    from pacdistill.distill.frontier import band_halfwidth

    tree = pd.CLASSES["decision_tree"].random(2, d=6, depth=3)
    X = pd.cube.enumerate(6)
    y = tree.predict(X)
    for depth in (1, 2):
        assert cart_baseline(X, y, depth=depth, rng=0).tree.depth == depth
    base = all_ands_baseline(X, y, depth=2, delta=0.1)
    for p in base.frontier:
        t = band_halfwidth(leaves=p.leaves, d=6, n=64, max_leaves=4, delta=0.1)
        assert math.isclose(p.high - p.low, min(1.0, p.fidelity + t) - max(0.0, p.fidelity - t))
        assert math.isclose(p.low, max(0.0, p.fidelity - t))
