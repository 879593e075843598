"""conjunction_to_halfspace: sign(sum_i s_i x_i - (k - 1)) (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.conjunction_to_halfspace import (
    conjunction_as_halfspace,
    conjunction_to_halfspace,
)

EDGE = REGISTRY["conjunction_to_halfspace"]


@given(conjunctions(max_d=10))
def test_equal_with_score_one_or_at_most_minus_one(conjunction):
    """Equal on the cube; the score is 1 where every literal holds and <= -1
    elsewhere (the sum of the signed literals is k, else at most k - 2): no tie."""
    h = assert_exact(EDGE, conjunction).model
    X = pd.cube.enumerate(conjunction.d)
    score = h.output(X)
    holds = conjunction.predict(X) == 1
    assert (score[holds] == 1).all() and (score[~holds] <= -1).all()
    k = len(conjunction.literals)
    assert h.bias == 1 - k and np.count_nonzero(h.weights) == k
    assert all(h.weights[i] == s for i, s in conjunction.literals)


def test_empty_conjunction_is_the_constant_plus_one():
    h = conjunction_as_halfspace(pd.Conjunction(3))
    assert h.bias == 1 and (h.weights == 0).all()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "conjunction", "halfspace")
    assert g.at(d=7, k=3).size_map == {"d": 7}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_to_halfspace(pd.DNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        conjunction_to_halfspace(pd.Conjunction(2), margin=1)
