"""tree_to_cnf: DecisionTree[d, r, s] -> CNF[d, s, r], one clause per -1 leaf (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.tree_to_cnf import tree_as_cnf, tree_to_cnf

EDGE = REGISTRY["tree_to_cnf"]


@given(decision_trees(max_d=10, max_depth=6))
def test_equal_with_one_clause_per_minus_leaf(tree):
    """The CNF equals the tree on the cube; its clauses are the negated paths of
    the -1 leaves."""
    cnf = assert_exact(EDGE, tree).model
    minus_leaves = [tuple(sorted((i, -s) for i, s in lits))
                    for lits, value in tree.paths() if value == -1]
    assert sorted(cnf.clauses) == sorted(minus_leaves)
    assert cnf.size()["s"] == int(np.count_nonzero(tree.value == -1))
    assert cnf.size()["w"] <= tree.depth


def test_constant_trees():
    """All leaves +1: no clauses; the -1 leaf: one empty clause."""
    assert tree_as_cnf(pd.DecisionTree.leaf(3, 1)).clauses == ()
    assert tree_as_cnf(pd.DecisionTree.leaf(3, -1)).clauses == ((),)
    stump = pd.DecisionTree.from_nested(2, {"var": 1, "plus": {"leaf": 1},
                                            "minus": {"leaf": 1}})
    assert tree_as_cnf(stump).clauses == ()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_tree", "cnf")
    assert g.at(d=9, r=3, s=6).size_map == {"d": 9, "s": 6, "w": 3}
    assert g.at(d=9, r=3, s=6).time == 6 * (3 + 9)
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionTree"):
        tree_to_cnf(pd.CNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        tree_to_cnf(pd.DecisionTree.leaf(2, 1), minimize=True)
