"""conjunction_to_tree: Conjunction[d, k] -> DecisionTree[d, r = k, s = k + 1], one
path through the literals (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.conjunction_to_tree import conjunction_as_tree, conjunction_to_tree

EDGE = REGISTRY["conjunction_to_tree"]


@given(conjunctions(max_d=10))
def test_equal_as_a_path(conjunction):
    """Equal on the whole cube; depth k, k + 1 leaves, and the only +1 leaf is the
    end of the path whose AND is the conjunction."""
    tree = assert_exact(EDGE, conjunction).model
    k = len(conjunction.literals)
    assert tree.size() == {"d": conjunction.d, "r": k, "s": k + 1}
    plus_paths = [sorted(lits) for lits, value in tree.paths() if value == 1]
    assert plus_paths == [list(conjunction.literals)]


def test_empty_conjunction_is_the_leaf_plus_one():
    assert conjunction_as_tree(pd.Conjunction(4)) == pd.DecisionTree.leaf(4, 1)


def test_all_variables():
    """k = d: depth d, d + 1 leaves, +1 at exactly one point."""
    conjunction = pd.Conjunction(4, [(0, -1), (1, 1), (2, -1), (3, -1)])
    tree = assert_exact(EDGE, conjunction).model
    assert tree.size() == {"d": 4, "r": 4, "s": 5}
    assert int((tree.predict(pd.cube.enumerate(4)) == 1).sum()) == 1


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "conjunction", "decision_tree")
    assert g.at(d=7, k=3).size_map == {"d": 7, "r": 3, "s": 4}
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_to_tree(pd.DecisionTree.leaf(2, 1))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_as_tree("x0 AND x1")
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        conjunction_to_tree(pd.Conjunction(2), order="sorted")
