"""conjunction_to_decision_list: Conjunction[d, k] -> DecisionList[d, l = k] (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.conjunction_to_decision_list import (
    conjunction_as_decision_list,
    conjunction_to_decision_list,
)

EDGE = REGISTRY["conjunction_to_decision_list"]


@given(conjunctions(max_d=10))
def test_equal_as_a_one_decision_list_of_k_rules(conjunction):
    """Equal on the cube; k rules of one literal each (a 1-decision list), default +1."""
    dl = assert_exact(EDGE, conjunction).model
    k = len(conjunction.literals)
    assert dl.size() == {"d": conjunction.d, "l": k, "w": min(k, 1)}
    assert dl.default == 1 and all(out == -1 for _, out in dl.rules)


def test_empty_conjunction_is_the_empty_list():
    dl = conjunction_as_decision_list(pd.Conjunction(4))
    assert dl.rules == () and dl.default == 1


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "conjunction", "decision_list")
    assert g.at(d=7, k=3).size_map == {"d": 7, "l": 3}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_to_decision_list(pd.Parity(2, [1]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        conjunction_to_decision_list(pd.Conjunction(2), order="sorted")
