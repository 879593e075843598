"""Tests of pd.Halfspace: sign(w . x + b), ties -> -1 (THEORY §1, §4, §8)."""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

import pacdistill as pd
from pacdistill.checkers.strategies import halfspaces
from pacdistill.errors import InvalidInputError, InvalidModelError, SerializationError


def exact_score(weights, bias, x):
    """w . x + b for one row, exactly (fractions)."""
    pairs = zip(weights, x, strict=True)
    return Fraction(bias) + sum(Fraction(wi) * Fraction(xi) for wi, xi in pairs)


def naive_halfspace(weights, bias, x):
    """+1 iff w . x + b > 0, computed exactly (one row)."""
    return 1 if exact_score(weights, bias, x) > 0 else -1


@given(halfspaces(max_d=6))
def test_predict_equals_naive_on_the_whole_cube(h):
    """On every point of the cube, predict equals the exact per-row evaluator."""
    X = pd.cube.enumerate(h.d)
    expected = [naive_halfspace(h.weights.tolist(), h.bias, x) for x in X.tolist()]
    assert h.predict(X).tolist() == expected


@given(halfspaces(max_d=6, ties=True))
def test_ties_predict_minus_one(h):
    """With integer biases ties occur on the cube; there predict is -1, and it
    equals the exact evaluator everywhere."""
    X = pd.cube.enumerate(h.d)
    expected = [naive_halfspace(h.weights.tolist(), h.bias, x) for x in X.tolist()]
    assert h.predict(X).tolist() == expected
    assert (h.predict(X)[h.output(X) == 0] == -1).all()


def test_tie_example():
    """x0 + x1 = 0 at (1, -1): a tie, so -1."""
    assert pd.Halfspace([1, 1], 0).predict([[1, -1], [1, 1]]).tolist() == [-1, 1]


@given(halfspaces(max_d=5),
       st.lists(st.lists(st.integers(-32, 32), min_size=5, max_size=5), min_size=1,
                max_size=20))
def test_real_inputs_equal_naive(h, rows):
    """On real (dyadic, hence exactly representable) inputs, predict equals the
    exact evaluator and output equals w . x + b."""
    X = np.array([row[: h.d] for row in rows], dtype=np.float64) / 8
    expected = [naive_halfspace(h.weights.tolist(), h.bias, x) for x in X.tolist()]
    assert h.predict(X).tolist() == expected
    exact = [float(exact_score(h.weights.tolist(), h.bias, row)) for row in X.tolist()]
    assert h.output(X).tolist() == exact


FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(st.lists(FINITE, min_size=1, max_size=6), FINITE)
def test_json_round_trip_is_exact_for_any_floats(weights, bias):
    """to_dict -> JSON text -> model_from_dict preserves every float bit for bit
    and gives an equal model."""
    h = pd.Halfspace(weights, bias)
    g = pd.model_from_dict(json.loads(json.dumps(h.to_dict())))
    assert isinstance(g, pd.Halfspace) and g == h
    assert g.weights.tobytes() == h.weights.tobytes()
    assert np.float64(g.bias).tobytes() == np.float64(h.bias).tobytes()


@given(st.lists(FINITE, min_size=1, max_size=6), FINITE)
def test_equal_models_hash_alike(weights, bias):
    """Flipping the sign of zero weights and bias gives an equal model (-0.0 == 0.0),
    which must hash alike (a set keeps one); the hash read the JSON text, where
    -0.0 and 0.0 differed."""
    h = pd.Halfspace(weights, bias)
    flipped = pd.Halfspace([-w if w == 0 else w for w in weights], -bias if bias == 0 else bias)
    assert flipped == h and hash(flipped) == hash(h) and len({h, flipped}) == 1
    assert hash(pd.Halfspace([-0.0], -0.0)) == hash(pd.Halfspace([0.0], 0.0))


MODERATE = st.floats(-1e100, 1e100)  # w . x + b cannot overflow for |x| <= 10


@given(st.lists(MODERATE, min_size=1, max_size=6), MODERATE, st.integers(0, 2**32 - 1))
def test_json_round_trip_preserves_predictions(weights, bias, seed):
    """After a JSON round trip, predictions and scores on real points are identical."""
    h = pd.Halfspace(weights, bias)
    g = pd.model_from_json(h.to_json())
    X = np.random.default_rng(seed).uniform(-10, 10, size=(30, h.d))
    assert np.array_equal(g.predict(X), h.predict(X))
    assert np.array_equal(g.output(X), h.output(X))


@given(st.from_type(pd.Halfspace))
def test_size_is_the_dimension(h):
    """size() is {"d": len(weights)}."""
    assert h.size() == {"d": len(h.weights)} and h.n_inputs == h.d


def test_random_generator_and_repr():
    """random(rng, d) is reproducible; repr shows how to rebuild the model."""
    h = pd.CLASSES["halfspace"].random(5, d=4)
    assert h.size() == {"d": 4} and h == pd.CLASSES["halfspace"].random(5, d=4)
    assert repr(pd.Halfspace([2, -1], 0.5)) == "Halfspace(weights=[2.0, -1.0], bias=0.5)"


@pytest.mark.parametrize("d", [1, 2, 3])
def test_shatters_d_plus_one_cube_points(d):
    """Halfspaces shatter the d + 1 points 1 and 1 with one coordinate flipped, so
    the VC dimension is at least d + 1 = vc_dim (THEORY §4); each labelling is
    realised by a halfspace found by linear programming and checked by predict."""
    P = np.ones((d + 1, d))
    P[np.arange(1, d + 1), np.arange(d)] = -1
    assert pd.CLASSES["halfspace"].vc_dim.subs(pd.bounds.symbols.d, d) == d + 1
    for labels in itertools.product((-1, 1), repeat=d + 1):
        y = np.array(labels, dtype=float)
        # find (w, b) with y_i (w . p_i + b) >= 1 for every point
        A = -y[:, None] * np.hstack([P, np.ones((d + 1, 1))])
        res = linprog(np.zeros(d + 1), A_ub=A, b_ub=-np.ones(d + 1), bounds=(None, None))
        assert res.status == 0, labels
        h = pd.Halfspace(res.x[:d], res.x[d])
        assert h.predict(P).tolist() == list(labels)


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: pd.Halfspace([1.0, np.nan], 0.0), InvalidModelError, r"nan at position \[1\]"),
        (lambda: pd.Halfspace([1.0, -np.inf], 0.0), InvalidModelError, "-inf"),
        (lambda: pd.Halfspace([1.0], np.inf), InvalidModelError, "inf"),
        (lambda: pd.Halfspace([1.0], True), InvalidModelError, "True"),
        (lambda: pd.Halfspace([True, False], 0.0), InvalidModelError, "bool"),
        (lambda: pd.Halfspace(["a"], 0.0), InvalidModelError, "<U1"),
        (lambda: pd.Halfspace([], 0.0), InvalidModelError, "empty"),
        (lambda: pd.Halfspace([[1.0, 2.0]], 0.0), InvalidModelError, r"\(1, 2\)"),
        (lambda: pd.Halfspace([1.0, 2.0]).predict([[1.0]]), InvalidInputError, "2 columns"),
        (lambda: pd.Halfspace([1.0]).predict([[np.nan]]), InvalidInputError, "nan"),
        (lambda: pd.Halfspace([1.0]).predict([["x"]]), InvalidInputError, "dtype"),
    ],
    ids=["nan-weight", "inf-weight", "inf-bias", "bool-bias", "bool-weights", "str-weights",
         "empty", "2d-weights", "X-width", "X-nan", "X-str"],
)
def test_malformed_input_is_rejected(make, error, fragment):
    """Malformed models and points raise the right error, naming the value."""
    with pytest.raises(error, match=fragment):
        make()


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"weights": [1.0, True]}, r"weights\[1\] must be a number. Got True"),
        ({"weights": [1.0, "2"]}, "'2'"),
        ({"weights": 1.0}, "list"),
        ({"weights": []}, "empty"),
        ({"bias": None}, "None"),
        ({"bias": 10**400}, "OverflowError"),
        # the loader passes float(bias) on, so one reading the bias unchecked
        # accepted both (mutation 'bias = data["bias"]' survived the other rows)
        ({"bias": "0.5"}, "bias must be a number. Got '0.5'"),
        ({"bias": True}, "bias must be a number. Got True"),
        ({"extra": 0}, "unexpected"),
    ],
    ids=["bool-weight", "str-weight", "scalar-weights", "no-weights", "null-bias", "huge-bias",
         "str-bias", "bool-bias", "extra-key"],
)
def test_bad_json_is_rejected(changes, fragment):
    """Malformed JSON documents raise SerializationError naming the value."""
    doc = pd.Halfspace([1.0, -2.0], 0.5).to_dict()
    doc.update(changes)
    with pytest.raises(SerializationError, match=fragment):
        pd.model_from_dict(doc)


def test_json_text_with_nan_is_rejected():
    """NaN is not valid in a model file, even though Python's json would parse it."""
    text = pd.Halfspace([1.0, -2.0], 0.5).to_json().replace("0.5", "NaN")
    with pytest.raises(SerializationError, match="NaN"):
        pd.model_from_json(text)
