"""tree_to_junta: DecisionTree[d, r, s] -> Junta[d, min(d, s - 1)] (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.tree_to_junta import tree_as_junta, tree_to_junta

EDGE = REGISTRY["tree_to_junta"]


@given(decision_trees(max_d=10, max_depth=6))
def test_equal_on_the_variables_the_tree_reads(tree):
    """The junta equals the tree on the cube and lists exactly the tested variables."""
    junta = assert_exact(EDGE, tree).model
    assert junta.variables == tree.variables()
    assert junta.k <= min(tree.d, tree.n_leaves - 1)


def test_leaf_gives_a_zero_junta():
    junta = tree_to_junta(pd.DecisionTree.leaf(4, -1)).model
    assert (junta.variables, junta.table.tolist()) == ((), [-1])


def _caterpillar(d: int, depth: int) -> pd.DecisionTree:
    """A path of ``depth`` splits (variables 0, 1, ...) with a leaf off each split."""
    node = {"leaf": 1}
    for i in reversed(range(depth)):
        node = {"var": i, "plus": node, "minus": {"leaf": -1 if i % 2 else 1}}
    return pd.DecisionTree.from_nested(d, node)


def test_table_of_a_deep_tree():
    """A tree reading 12 variables: its 4096-entry table agrees with the tree."""
    tree = _caterpillar(14, 12)
    junta = assert_exact(EDGE, tree).model
    assert junta.k == 12 and junta.variables == tuple(range(12))


def test_too_many_variables_is_refused():
    with pytest.raises(pd.errors.TooLargeError, match="k <= 24"):
        tree_as_junta(_caterpillar(30, 25))


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_tree", "junta")
    assert g.at(d=5, r=4, s=9).size_map == {"d": 5, "k": 5}
    assert g.at(d=50, r=4, s=9).size_map == {"d": 50, "k": 8}


def test_guarantee_at_a_single_leaf():
    """Regression: Guarantee.at used to fail on Min(d, s - 1) at s = 1 (Min with a 0)."""
    assert EDGE.guarantee.at(d=3, r=1, s=1).size_map == {"d": 3, "k": 0}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionTree"):
        tree_to_junta(pd.Junta(3, [0], [1, -1]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        tree_to_junta(pd.DecisionTree.leaf(2, 1), sort=False)
