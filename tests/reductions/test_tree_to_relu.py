"""tree_to_relu: DecisionTree[d, r, s] -> ReLUNetwork[d, L=1, m=2s-1] (THEORY §5, §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.cube import literals_hold
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.tree_to_relu import tree_to_network, tree_to_relu

EDGE = REGISTRY["tree_to_relu"]


@given(decision_trees(max_d=10, max_depth=4))
def test_units_are_node_indicators(tree):
    """Equal on the whole cube and within the size map; hidden unit v is exactly
    1[AND_v] (the planted LRH) and the output is exactly the tree's value ±1."""
    net = assert_exact(EDGE, tree).model
    assert net.size() == {"d": tree.d, "L": 1, "m": 2 * tree.n_leaves - 1}
    X = pd.cube.enumerate(tree.d)
    holds = np.column_stack([literals_hold(X, a) for a in tree.ands()])
    assert (net.activations(X) == holds).all()
    assert (net.output(X) == tree.predict(X)).all()


def test_a_leaf_is_one_constant_unit():
    net = tree_to_relu(pd.DecisionTree.leaf(3, -1)).model
    X = pd.cube.enumerate(3)
    assert net.size() == {"d": 3, "L": 1, "m": 1}
    assert (net.activations(X) == 1).all() and (net.output(X) == -1).all()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_tree", "relu_network")
    assert g.at(d=8, r=3, s=8).size_map == {"d": 8, "L": 1, "m": 15}
    assert "THEORY §5" in g.source


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionTree"):
        tree_to_network(pd.Parity(2, [0]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        tree_to_relu(pd.DecisionTree.leaf(2, 1), width=3)
