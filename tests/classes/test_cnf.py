"""Tests of pd.CNF: an AND of ORs of literals (THEORY §1, §4, §8)."""

import itertools
import math

import numpy as np
import pytest
from _model_checks import assert_json_round_trip
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers.strategies import cnfs
from pacdistill.errors import InvalidInputError, InvalidModelError, SerializationError


def naive_cnf(clauses, x):
    """+1 iff every clause has a literal true at the point x (one row)."""
    for clause in clauses:
        if not any(x[i] == s for i, s in clause):
            return -1
    return 1


@given(cnfs(max_d=6))
def test_predict_equals_naive_on_the_whole_cube(f):
    """On every point of the cube, predict equals the per-row evaluator."""
    X = pd.cube.enumerate(f.d)
    assert f.predict(X).tolist() == [naive_cnf(f.clauses, x) for x in X.tolist()]


@given(cnfs(min_d=10, max_d=40, max_s=6, max_w=6), st.integers(0, 2**32 - 1))
def test_predict_equals_naive_on_random_points(f, seed):
    """On random points of larger cubes, predict equals the per-row evaluator."""
    X = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=(50, f.d))
    assert f.predict(X).tolist() == [naive_cnf(f.clauses, x) for x in X.tolist()]


@given(cnfs(max_d=6))
def test_de_morgan_duality_with_dnf(f):
    """NOT CNF(clauses) == DNF(clauses with every literal negated), with the same
    s and w: the bijection behind CNF's log_size (derived here, THEORY §4)."""
    g = pd.DNF(f.d, [[(i, -s) for i, s in c] for c in f.clauses])
    X = pd.cube.enumerate(f.d)
    assert np.array_equal(f.predict(X), -g.predict(X))
    assert f.size() == g.size()


def test_constants():
    """No clauses is the constant +1; an empty clause makes the constant -1."""
    X = pd.cube.enumerate(3)
    assert (pd.CNF(3, []).predict(X) == 1).all()
    assert (pd.CNF(3, [[(0, 1)], []]).predict(X) == -1).all()


@given(st.from_type(pd.CNF))
def test_json_round_trip(f):
    """to_dict -> JSON text -> model_from_dict gives an equal model with the same
    predictions on the whole cube."""
    assert_json_round_trip(f)


@given(cnfs(max_d=8, max_s=6))
def test_size_matches_the_clauses(f):
    """size() is d, the number of clauses and the largest clause width."""
    assert f.size() == {"d": f.d, "s": len(f.clauses),
                        "w": max((len(c) for c in f.clauses), default=0)}


def test_random_generator_and_str():
    """random gives s clauses of exactly w literals, reproducibly; str reads as a formula."""
    f = pd.CLASSES["cnf"].random(1, d=8, s=3, w=2)
    assert f.size() == {"d": 8, "s": 3, "w": 2}
    assert f == pd.CLASSES["cnf"].random(1, d=8, s=3, w=2)
    assert str(pd.CNF(3, [[(2, -1), (0, 1)], []])) == "(x0 = +1 OR x2 = -1) AND (FALSE)"
    assert str(pd.CNF(3, [])) == "TRUE"


def test_log_size_bounds_the_number_of_functions():
    """The number of distinct functions of CNF[d, s, w] is at most exp(log_size)."""
    cls = pd.CLASSES["cnf"]
    for d, s, w in [(2, 2, 0), (2, 1, 1), (2, 2, 2), (3, 2, 1)]:
        X = pd.cube.enumerate(d)
        lits = [(i, sg) for i in range(d) for sg in (1, -1)]
        clauses = [c for k in range(w + 1) for c in itertools.combinations(lits, k)
                   if len({i for i, _ in c}) == k]
        functions = {tuple(pd.CNF(d, list(cs)).predict(X))
                     for j in range(s + 1) for cs in itertools.combinations(clauses, j)}
        bound = float(cls.log_size.subs(dict(zip(cls.params, (d, s, w), strict=True))))
        assert math.log(len(functions)) <= bound + 1e-12, (d, s, w)


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: pd.CNF(2, [[(2, 1)]]), InvalidModelError, "variable 2"),
        (lambda: pd.CNF(2, [[(0, False)]]), InvalidModelError, "False"),
        (lambda: pd.CNF(2, [[(1, -1), (1, -1)]]), InvalidModelError, "Variable 1 appears twice"),
        (lambda: pd.CNF(2, [{"x": 1}]), InvalidModelError, "Clause 0"),
        (lambda: pd.CNF(-2, []), InvalidModelError, "Got -2"),
        (lambda: pd.CNF(2, [[(0, 1)]]).predict(np.ones((2, 3))), InvalidInputError, "2 columns"),
        (lambda: pd.CNF(2, [[(0, 1)]]).predict([[1, 2]]), InvalidInputError, "2.* column 1"),
    ],
    ids=["var-out-of-range", "bool-sign", "repeated-var", "clause-a-dict", "d-negative",
         "X-width", "X-two"],
)
def test_malformed_input_is_rejected(make, error, fragment):
    """Malformed models and points raise the right error, naming the value."""
    with pytest.raises(error, match=fragment):
        make()


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"clauses": [[[0, 1.0]]]}, "1.0"),
        ({"clauses": [[0, 1]]}, "pairs"),
        ({"clauses": [[[0, 2]]]}, "Got 2"),
        ({"d": 2.5}, "2.5"),
        ({"terms": []}, "unexpected"),
        ({"class": "dnf"}, "'dnf'"),
    ],
    ids=["float-sign", "flat-clause", "sign-two", "float-d", "extra-key", "wrong-class"],
)
def test_bad_json_is_rejected(changes, fragment):
    """Malformed JSON documents raise SerializationError naming the value."""
    doc = pd.CNF(3, [[(0, 1), (2, -1)]]).to_dict()
    doc.update(changes)
    with pytest.raises(SerializationError, match=fragment):
        pd.CNF.from_dict(doc)
