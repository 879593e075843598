"""conjunction_to_dnf: Conjunction[d, k] -> DNF[d, s = 1, w = k], one term (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.conjunction_to_dnf import conjunction_as_dnf, conjunction_to_dnf

EDGE = REGISTRY["conjunction_to_dnf"]


@given(conjunctions(max_d=10))
def test_equal_as_one_term(conjunction):
    """Equal on the whole cube; the one term is the conjunction's literals."""
    dnf = assert_exact(EDGE, conjunction).model
    assert dnf.terms == (conjunction.literals,)
    assert dnf.size() == {"d": conjunction.d, "s": 1, "w": len(conjunction.literals)}


def test_empty_conjunction_is_one_empty_term():
    """The constant +1: one empty term (no terms at all would be the constant -1)."""
    dnf = conjunction_as_dnf(pd.Conjunction(3))
    assert dnf.terms == ((),)
    assert (dnf.predict(pd.cube.enumerate(3)) == 1).all()


def test_all_variables():
    """k = d: the term fixes every variable, so the DNF is +1 at exactly one point."""
    literals = [(0, 1), (1, -1), (2, -1), (3, 1)]
    dnf = assert_exact(EDGE, pd.Conjunction(4, literals)).model
    assert dnf.size() == {"d": 4, "s": 1, "w": 4}
    assert int((dnf.predict(pd.cube.enumerate(4)) == 1).sum()) == 1


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "conjunction", "dnf")
    assert g.at(d=7, k=3).size_map == {"d": 7, "s": 1, "w": 3}
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_to_dnf(pd.DNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_as_dnf([(0, 1)])
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        conjunction_to_dnf(pd.Conjunction(2), minimize=True)
