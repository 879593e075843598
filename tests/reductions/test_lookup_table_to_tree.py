"""lookup_table_to_tree: LookupTable[d] -> DecisionTree[d, r = d, s = 2^d], the
complete tree with constant subtrees merged (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import lookup_tables
from pacdistill.cube import literals_hold
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.lookup_table_to_tree import (
    lookup_table_as_tree,
    lookup_table_to_tree,
)

EDGE = REGISTRY["lookup_table_to_tree"]


def _parity_table(d):
    """The parity of all d variables: no subtree of the complete tree is constant."""
    ones = np.bitwise_count(np.arange(1 << d, dtype=np.uint32)) % 2
    return pd.LookupTable(d, np.where(ones == 0, 1, -1))


@given(lookup_tables(max_d=8))
def test_equal_and_no_constant_subtree(table):
    """Equal on the whole cube; below every internal node the table takes both
    values (constant subtrees are merged), and a node at depth t tests x_{d-1-t}."""
    tree = assert_exact(EDGE, table).model
    assert tree.depth <= table.d and tree.n_leaves <= 2 ** table.d
    X = pd.cube.enumerate(table.d)
    values = table.predict(X)
    ands = tree.ands()
    for v in np.flatnonzero(tree.feature >= 0):
        assert int(tree.feature[v]) == table.d - 1 - len(ands[v])
        assert set(values[literals_hold(X, ands[v])].tolist()) == {-1, 1}


def test_parity_gives_the_complete_tree():
    """A parity on all d variables: depth d, 2^d leaves, x_{d-1} at the root."""
    for d in (1, 3, 6):
        tree = assert_exact(EDGE, _parity_table(d)).model
        assert tree.size() == {"d": d, "r": d, "s": 2 ** d}
        assert int(tree.feature[0]) == d - 1


def test_constant_and_junta_tables():
    """A constant table is one leaf; the table of x_{d-1} (tested at the root) is a
    stump: both subtrees of the root are constant."""
    assert lookup_table_as_tree(pd.LookupTable(4, [1] * 16)) == pd.DecisionTree.leaf(4, 1)
    # f = x_{d-1}: the root decides, both children are constant leaves
    table = pd.LookupTable.from_model(pd.Parity(4, [3]))
    assert lookup_table_as_tree(table).size() == {"d": 4, "r": 1, "s": 2}


def test_too_large_is_refused_before_building():
    """d = 24 parity: 2^25 - 1 nodes, past MAX_MODEL_CELLS; TooLargeError, no MemoryError."""
    with pytest.raises(pd.errors.TooLargeError, match="MAX_MODEL_CELLS"):
        lookup_table_to_tree(_parity_table(24))


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "lookup_table", "decision_tree")
    assert g.at(d=5).size_map == {"d": 5, "r": 5, "s": 32}
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a LookupTable"):
        lookup_table_to_tree(pd.Parity(2, [0]))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a LookupTable"):
        lookup_table_as_tree([1, -1])
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        lookup_table_to_tree(pd.LookupTable(1, [1, -1]), order="reversed")
