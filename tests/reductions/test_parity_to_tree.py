"""parity_to_tree: Parity[d, k] -> the complete DecisionTree[d, k, 2^k] (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact, declared_sizes
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import parities
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.parity_to_tree import parity_as_tree, parity_to_tree

EDGE = REGISTRY["parity_to_tree"]


@given(parities(max_d=10, max_k=7))
def test_equal_and_exactly_the_declared_size(parity):
    """The tree equals the parity on the cube, with depth k and 2^k leaves."""
    tree = assert_exact(EDGE, parity).model
    k = parity.size()["k"]
    assert tree.size() == {"d": parity.d, "r": k, "s": 1 << k}
    if k:
        assert declared_sizes(EDGE, parity) == tree.size()


@given(parities(min_k=1, max_d=8))
def test_leaf_is_minus_one_to_the_number_of_minus_branches(parity):
    """Each leaf's value is (-1)^(number of x_i = -1 literals on its path)."""
    for literals, value in parity_as_tree(parity).paths():
        assert value == (-1) ** sum(s == -1 for _, s in literals)


def test_empty_parity_is_a_plus_one_leaf():
    tree = parity_to_tree(pd.Parity(4)).model
    assert tree.size() == {"d": 4, "r": 0, "s": 1}
    assert (tree.predict(pd.cube.enumerate(4)) == 1).all()


def test_depth_past_the_limit_is_refused():
    with pytest.raises(pd.errors.TooLargeError, match="parity_as_tree"):
        parity_to_tree(pd.Parity(30, np.arange(21)))


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Parity. Got Junta"):
        parity_to_tree(pd.Junta(3, [0], [1, -1]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        parity_to_tree(pd.Parity(3, [0]), depth=2)
