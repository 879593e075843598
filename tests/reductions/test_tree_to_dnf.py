"""tree_to_dnf: DecisionTree[d, r, s] -> DNF[d, s, r], one term per +1 leaf (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.tree_to_dnf import tree_as_dnf, tree_to_dnf

EDGE = REGISTRY["tree_to_dnf"]


@given(decision_trees(max_d=10, max_depth=6))
def test_equal_with_one_term_per_plus_leaf(tree):
    """The DNF equals the tree on the cube; its terms are the paths of the +1 leaves."""
    dnf = assert_exact(EDGE, tree).model
    plus_leaves = [tuple(sorted(lits)) for lits, value in tree.paths() if value == 1]
    assert sorted(dnf.terms) == sorted(plus_leaves)
    assert dnf.size()["s"] == int(np.count_nonzero(tree.value == 1))
    assert dnf.size()["w"] <= tree.depth


def test_constant_trees():
    """All leaves -1: the DNF with no terms; the +1 leaf: one empty term."""
    assert tree_as_dnf(pd.DecisionTree.leaf(3, -1)).terms == ()
    assert tree_as_dnf(pd.DecisionTree.leaf(3, 1)).terms == ((),)
    stump = pd.DecisionTree.from_nested(2, {"var": 1, "plus": {"leaf": -1},
                                            "minus": {"leaf": -1}})
    assert tree_as_dnf(stump).terms == ()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_tree", "dnf")
    assert g.at(d=9, r=3, s=6).size_map == {"d": 9, "s": 6, "w": 3}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionTree"):
        tree_to_dnf(pd.DNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        tree_to_dnf(pd.DecisionTree.leaf(2, 1), minimize=True)
