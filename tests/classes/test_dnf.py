"""Tests of pd.DNF: an OR of ANDs of literals (THEORY §1, §4, §8)."""

import itertools
import math

import numpy as np
import pytest
from _model_checks import assert_json_round_trip
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers.strategies import dnfs
from pacdistill.errors import InvalidInputError, InvalidModelError, SerializationError


def naive_dnf(terms, x):
    """+1 iff some term has all its literals true at the point x (one row)."""
    for term in terms:
        if all(x[i] == s for i, s in term):
            return 1
    return -1


@given(dnfs(max_d=6))
def test_predict_equals_naive_on_the_whole_cube(f):
    """On every point of the cube, predict equals the per-row evaluator."""
    X = pd.cube.enumerate(f.d)
    expected = [naive_dnf(f.terms, x) for x in X.tolist()]
    assert f.predict(X).tolist() == expected


@given(dnfs(min_d=10, max_d=40, max_s=6, max_w=6), st.integers(0, 2**32 - 1))
def test_predict_equals_naive_on_random_points(f, seed):
    """On random points of larger cubes, predict equals the per-row evaluator."""
    X = np.random.default_rng(seed).choice(np.array([-1, 1], dtype=np.int8), size=(50, f.d))
    assert f.predict(X).tolist() == [naive_dnf(f.terms, x) for x in X.tolist()]


def test_predict_across_row_blocks():
    """predict evaluates in row blocks; rows past the first block are evaluated too."""
    f = pd.CLASSES["dnf"].random(3, d=12, s=5, w=2)
    n = pd.cube.DEFAULT_CHUNK + 5
    X = np.random.default_rng(4).choice(np.array([-1, 1]), size=(n, 12))
    assert f.predict(X).tolist() == [naive_dnf(f.terms, x) for x in X.tolist()]


def test_constants_and_input_dtypes():
    """No terms is the constant -1; an empty term is the constant +1; any dtype
    holding exactly ±1 is accepted."""
    X = pd.cube.enumerate(3)
    assert (pd.DNF(3, []).predict(X) == -1).all()
    assert (pd.DNF(3, [[], [(0, 1)]]).predict(X) == 1).all()
    f = pd.DNF(3, [[(0, -1), (2, 1)]])
    for dtype in (np.int64, np.float32, np.float64):
        assert f.predict(X.astype(dtype)).tolist() == [naive_dnf(f.terms, x) for x in X.tolist()]


@given(st.from_type(pd.DNF))
def test_json_round_trip(f):
    """to_dict -> JSON text -> model_from_dict gives an equal model with the same
    predictions on the whole cube."""
    assert_json_round_trip(f)


@given(dnfs(max_d=8, max_s=6))
def test_size_matches_the_terms(f):
    """size() is d, the number of terms and the largest term width."""
    assert f.size() == {"d": f.d, "s": len(f.terms),
                        "w": max((len(t) for t in f.terms), default=0)}
    assert pd.CLASSES["dnf"].contains(f, **f.size())


def test_random_generator():
    """random(rng, d, s, w) gives s terms of exactly w literals, reproducibly."""
    f = pd.CLASSES["dnf"].random(7, d=9, s=4, w=3)
    assert f.size() == {"d": 9, "s": 4, "w": 3}
    assert all(len(t) == 3 for t in f.terms)
    assert f == pd.CLASSES["dnf"].random(7, d=9, s=4, w=3)
    with pytest.raises(pd.errors.InvalidParameterError, match="'w'.*Got 5"):
        pd.CLASSES["dnf"].random(0, d=4, s=1, w=5)


def test_log_size_bounds_the_number_of_functions():
    """The number of distinct functions of DNF[d, s, w] (at most s terms, each of
    width <= w) is at most exp(log_size) = (2d + 1)^(s w) + 1, for small d, s, w.

    THEORY §4's s w ln(2d + 1) alone fails at w <= 1, e.g. d=2, s=1, w=1: the
    4 literals, the empty term (+1) and the empty DNF (-1) make 6 > 5 functions.
    """
    cls = pd.CLASSES["dnf"]
    for d, s, w in [(1, 1, 0), (2, 2, 0), (1, 1, 1), (2, 1, 1), (2, 2, 2), (3, 2, 1), (3, 2, 2)]:
        X = pd.cube.enumerate(d)
        lits = [(i, sg) for i in range(d) for sg in (1, -1)]
        terms = [t for k in range(w + 1) for t in itertools.combinations(lits, k)
                 if len({i for i, _ in t}) == k]
        functions = {tuple(pd.DNF(d, list(ts)).predict(X))
                     for j in range(s + 1) for ts in itertools.combinations(terms, j)}
        bound = float(cls.log_size.subs(dict(zip(cls.params, (d, s, w), strict=True))))
        assert math.log(len(functions)) <= bound + 1e-12, (d, s, w)


def test_str():
    """The string form reads as a formula."""
    assert str(pd.DNF(3, [[(2, -1), (0, 1)], []])) == "(x0 = +1 AND x2 = -1) OR (TRUE)"
    assert str(pd.DNF(3, [])) == "FALSE"


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: pd.DNF(3, [[(3, 1)]]), InvalidModelError, "variable 3"),
        (lambda: pd.DNF(3, [[(-1, 1)]]), InvalidModelError, "variable -1"),
        (lambda: pd.DNF(3, [[(True, 1)]]), InvalidModelError, "True"),
        (lambda: pd.DNF(3, [[(0, 0)]]), InvalidModelError, "Got 0"),
        (lambda: pd.DNF(3, [[(0, 1), (0, -1)]]), InvalidModelError, "Variable 0 appears twice"),
        (lambda: pd.DNF(3, [[5]]), InvalidModelError, "Got 5"),
        (lambda: pd.DNF(3, "x0"), InvalidModelError, "'x0'"),
        (lambda: pd.DNF(0, []), InvalidModelError, "Got 0"),
        (lambda: pd.DNF(2.0, []), InvalidModelError, "Got 2.0"),
        (lambda: pd.DNF(3, [[(0, 1)]]).predict([[1, 1]]), InvalidInputError, r"\(1, 2\)"),
        (lambda: pd.DNF(3, [[(0, 1)]]).predict([[1, 0, 1]]), InvalidInputError, "0.* column 1"),
        (lambda: pd.DNF(3, [[(0, 1)]]).predict([[1, 0.5, 1]]), InvalidInputError, "0.5"),
    ],
    ids=["var-too-large", "var-negative", "bool-var", "sign-zero", "repeated-var",
         "not-a-pair", "terms-a-string", "d-zero", "d-float", "X-width", "X-zero", "X-real"],
)
def test_malformed_input_is_rejected(make, error, fragment):
    """Malformed models and points raise the right error, naming the value."""
    with pytest.raises(error, match=fragment):
        make()


def _doc(**changes):
    doc = pd.DNF(3, [[(0, 1), (2, -1)], [(1, 1)]]).to_dict()
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    "doc, fragment",
    [
        ({k: v for k, v in _doc().items() if k != "terms"}, "misses"),
        (_doc(extra=1), "unexpected"),
        (_doc(terms=[[[0.0, 1]]]), "0.0"),
        (_doc(terms=[[[0, True]]]), "True"),
        (_doc(terms=[[[0, 1, 1]]]), r"\[0, 1, 1\]"),
        (_doc(terms={"0": 1}), "list"),
        (_doc(terms=[[[7, 1]]]), "variable 7"),
        (_doc(d=True), "True"),
        (_doc(version=2), "version 2"),
    ],
    ids=["missing-terms", "extra-key", "float-var", "bool-sign", "triple", "terms-dict",
         "var-out-of-range", "bool-d", "version"],
)
def test_bad_json_is_rejected(doc, fragment):
    """Malformed JSON documents raise SerializationError naming the value."""
    with pytest.raises(SerializationError, match=fragment):
        pd.model_from_dict(doc)
