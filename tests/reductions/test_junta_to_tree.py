"""junta_to_tree: Junta[d, k] -> the complete DecisionTree[d, k, 2^k] (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact, declared_sizes
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import juntas
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.junta_to_tree import (
    MAX_COMPLETE_DEPTH,
    complete_tree,
    junta_as_tree,
    junta_to_tree,
)

EDGE = REGISTRY["junta_to_tree"]


@given(juntas(max_d=10, max_k=6))
def test_equal_and_exactly_the_declared_size(junta):
    """The tree equals the junta on the cube and has exactly depth k and 2^k leaves."""
    tree = assert_exact(EDGE, junta).model
    k = junta.k
    assert tree.size() == {"d": junta.d, "r": k, "s": 1 << k}
    if k:
        assert declared_sizes(EDGE, junta) == tree.size()


@given(juntas(min_k=1, max_d=8, max_k=5))
def test_levels_split_on_the_variables_in_reverse_order(junta):
    """Level t tests variables[k - 1 - t], so the leaves are the table as it is."""
    tree = junta_as_tree(junta)
    k = junta.k
    for t in range(k):
        level = tree.feature[(1 << t) - 1:(1 << (t + 1)) - 1]
        assert (level == junta.variables[k - 1 - t]).all()
    assert tree.value[(1 << k) - 1:].tolist() == junta.table.tolist()


def test_zero_junta_is_a_leaf():
    tree = junta_to_tree(pd.Junta(5, [], [-1])).model
    assert tree.size() == {"d": 5, "r": 0, "s": 1}
    assert tree.predict(pd.cube.enumerate(5)).tolist() == [-1] * 32


def test_depth_past_the_limit_is_refused():
    with pytest.raises(pd.errors.TooLargeError, match="Junta or a LookupTable"):
        complete_tree(30, range(MAX_COMPLETE_DEPTH + 1), [1], func="junta_as_tree")


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "junta", "decision_tree")
    assert g.at(d=12, k=3).size_map == {"d": 12, "r": 3, "s": 8}
    assert EDGE.efficient and EDGE.access == "representation"


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Junta. Got Parity"):
        junta_to_tree(pd.Parity(3, [0]))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Junta"):
        junta_as_tree(pd.Parity(3, [0]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        junta_to_tree(pd.Junta(3, [0], [1, -1]), prune=True)
