"""conjunction_to_cnf: Conjunction[d, k] -> CNF[d, s = k, w = 1], unit clauses (THEORY §8)."""

from __future__ import annotations

import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.conjunction_to_cnf import conjunction_as_cnf, conjunction_to_cnf

EDGE = REGISTRY["conjunction_to_cnf"]


@given(conjunctions(max_d=10))
def test_equal_with_one_unit_clause_per_literal(conjunction):
    """Equal on the whole cube; the clauses are the literals, one each."""
    cnf = assert_exact(EDGE, conjunction).model
    assert cnf.clauses == tuple((literal,) for literal in conjunction.literals)
    k = len(conjunction.literals)
    assert cnf.size() == {"d": conjunction.d, "s": k, "w": min(k, 1)}


def test_empty_conjunction_is_no_clauses():
    """The constant +1: no clauses (an empty clause would be the constant -1)."""
    cnf = conjunction_as_cnf(pd.Conjunction(3))
    assert cnf.clauses == ()
    assert (cnf.predict(pd.cube.enumerate(3)) == 1).all()


def test_all_variables():
    """k = d: d unit clauses, +1 at exactly one point."""
    literals = [(0, -1), (1, -1), (2, 1)]
    cnf = assert_exact(EDGE, pd.Conjunction(3, literals)).model
    assert cnf.size() == {"d": 3, "s": 3, "w": 1}
    assert int((cnf.predict(pd.cube.enumerate(3)) == 1).sum()) == 1


def test_past_the_literal_matrix_limit_is_refused():
    """k unit clauses are a k x k literal matrix (the declared time k^2): past
    MAX_LITERAL_CELLS (k > 8192) TooLargeError, not a MemoryError."""
    k = 8193
    with pytest.raises(pd.errors.TooLargeError, match="MAX_LITERAL_CELLS"):
        conjunction_to_cnf(pd.Conjunction(k, [(i, 1) for i in range(k)]))


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "conjunction", "cnf")
    assert g.at(d=7, k=3).size_map == {"d": 7, "s": 3, "w": 1}
    assert g.at(d=7, k=3).time == 9
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_to_cnf(pd.CNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Conjunction"):
        conjunction_as_cnf(None)
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        conjunction_to_cnf(pd.Conjunction(2), minimize=True)
