"""lrh_tree: ReLUNetwork -> DecisionTree under the LRH (THEORY §5; issue 5)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.lrh_tree import lrh_tree, samples_for

EDGE = REGISTRY["lrh_tree"]

#: The conformance harness on planted networks (the edge's conformance['sources'] hook):
#: 40 seeded trials on the cube with uniform, product, subcube, finite-support and
#: mixture distributions, error measured exactly; rejection at binomial p < 1e-6.
test_conforms = pd.checkers.conformance_test(EDGE, trials=40)


def test_guarantee_shape_and_sources():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("perfect", "relu_network", "decision_tree")
    assert (g.promise.cls, g.promise.mode) == ("decision_tree", "distributional")
    assert g.assumptions == ("LRH(tau, B)",)
    assert "arXiv:2403.09053" in g.source and "THEORY §5" in g.source
    assert g.error == S.eps and g.failure == S.delta
    # THEORY §5 correction: the DP reuses the probing samples, so the union bound runs
    # over every tree with at most s leaves on d variables (2 d^(s-1) 2^s Catalan(s-1))
    want = 2 * ((S.s - 1) * sympy.log(S.d) + (S.s + 1) * sympy.log(2)
                + sympy.log(sympy.catalan(S.s - 1)) + sympy.log(4 / S.delta)) / S.eps**2
    assert sympy.simplify(g.samples - want) == 0
    assert samples_for(d=10, r=2, s=4, eps=0.1, delta=0.05) == 3273  # test_catalog's hand value
    assert g.at(d=100, r=3, s=8, L=2, m=512, eps=0.05, delta=0.05).size_map == {
        "d": 100, "r": 3, "s": 8}
    assert EDGE.access == "representation" and EDGE.efficient


def test_samples_decrease_in_eps_and_delta():
    base = samples_for(d=50, r=3, s=8, eps=0.1, delta=0.05)
    assert samples_for(d=50, r=3, s=8, eps=0.2, delta=0.05) < base
    assert samples_for(d=50, r=3, s=8, eps=0.1, delta=0.5) < base


def test_recovers_a_planted_tree_with_the_declared_samples():
    tree = pd.CLASSES["decision_tree"].random(3, d=30, depth=3)
    net = pd.distill.planted_network(tree)
    out = lrh_tree(net, eps=0.1, delta=0.05, rng=0, r=3, s=tree.n_leaves)
    assert out.report["samples_used"] == samples_for(d=30, r=3, s=tree.n_leaves, eps=0.1,
                                                     delta=0.05)
    assert out.report["queries_used"] == 0
    X = pd.distributions.Uniform(30).sample(20_000, rng=1)
    assert (out.model.predict(X) == tree.predict(X)).all()


def test_broken_promise_raises_with_witness():
    """A network that is no depth-1 tree (the planted depth-2 tree's function needs
    depth 2): the edge refuses to return a tree it could not fit."""
    tree = pd.DecisionTree.from_nested(6, {
        "var": 0, "plus": {"var": 1, "plus": {"leaf": 1}, "minus": {"leaf": -1}},
        "minus": {"var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    net = pd.distill.planted_network(tree)
    with pytest.raises(pd.errors.PromiseViolation, match="no tree of depth <= 1") as info:
        lrh_tree(net, eps=0.2, delta=0.1, rng=0, r=1, s=2, n=2000)
    rows = info.value.witness["rows"]
    assert len(rows) and (info.value.witness["tree"].predict(rows) != net.predict(rows)).all()


def test_bad_arguments():
    net = pd.distill.planted_network(pd.DecisionTree.leaf(4, 1))
    with pytest.raises(pd.errors.InvalidParameterError, match="'model' parameter"):
        lrh_tree(pd.DecisionTree.leaf(4, 1), eps=0.1, delta=0.1, r=1, s=1)
    with pytest.raises(pd.errors.InvalidParameterError, match="'s' parameter"):
        lrh_tree(net, eps=0.1, delta=0.1, r=1, s=3)
    with pytest.raises(pd.errors.InvalidParameterError, match="'sampler' parameter"):
        lrh_tree(net, eps=0.1, delta=0.1, r=1, s=1, sampler=pd.distributions.Uniform(5))
    with pytest.raises(pd.errors.InvalidParameterError, match="'eps' parameter"):
        lrh_tree(net, eps=None, delta=0.1, r=1, s=1)
    assert np.isfinite(samples_for(d=4, r=1, s=1, eps=0.5, delta=0.5))


def test_the_leaf_budget_s_is_inclusive():
    """The edge returns the most faithful frontier tree with *at most* s leaves: a
    network computing a tree that needs exactly s = 4 leaves (no two sibling leaves
    agree) is recovered at s = 4 and refused at s = 3. (The other tests' trees
    reduce to fewer leaves than s, so a budget read as '< s' passed them.)"""
    tree = pd.DecisionTree.from_nested(6, {
        "var": 0, "plus": {"var": 1, "plus": {"leaf": 1}, "minus": {"leaf": -1}},
        "minus": {"var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    net = pd.distill.planted_network(tree)
    out = lrh_tree(net, eps=0.2, delta=0.1, rng=0, r=2, s=4, n=2000)
    assert out.model.n_leaves == 4 and pd.checkers.equivalent(out.model, tree).equal
    with pytest.raises(pd.errors.PromiseViolation, match="with <= 3 leaves"):
        lrh_tree(net, eps=0.2, delta=0.1, rng=0, r=2, s=3, n=2000)
