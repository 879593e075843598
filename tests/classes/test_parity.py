"""Parity: predict against a naive evaluator, JSON round trip, sizes, the random
generator and malformed input (THEORY §4)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import parities
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
)


def naive_parity(variables, row):
    """The product of the chosen coordinates, multiplied out one by one."""
    out = 1
    for i in variables:
        out *= row[i]
    return out


@given(parities())
def test_predict_matches_naive_evaluator_on_the_whole_cube(p):
    """On every point of the cube, predict equals the product of the chosen x_i."""
    assert_predicts_like(p, lambda row: naive_parity(p.variables, row))


@given(parities())
def test_json_round_trip_preserves_model_and_predictions(p):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs."""
    assert_json_round_trip(p)


@given(parities())
def test_size_matches_parameters(p):
    """size() is d and |S|."""
    assert p.size() == {"d": p.d, "k": len(p.variables)}


def test_variables_are_a_set_and_str():
    assert pd.Parity(5, [4, 1]) == pd.Parity(5, (1, 4))
    assert str(pd.Parity(5, [4, 1])) == "x1 * x4"
    assert str(pd.Parity(5)) == "+1"
    assert pd.Parity(2).predict([[1, -1], [-1, -1]]).tolist() == [1, 1]


def test_random_is_reproducible_and_has_the_requested_size():
    cls = pd.CLASSES["parity"]
    assert cls.random(3, d=12, k=5) == cls.random(3, d=12, k=5)
    assert cls.random(3, d=12, k=5).size() == {"d": 12, "k": 5}
    assert len({cls.random(seed, d=12, k=5) for seed in range(20)}) > 1
    with pytest.raises(InvalidParameterError, match="'k'.*13"):
        cls.random(0, d=12, k=13)


@pytest.mark.parametrize("args, match", [
    ((3, [3]), "variable 3, out of range"),
    ((3, [1, 1]), "Variable 1 appears twice"),
    ((3, [True]), "integers .* Got True"),
    ((3, [1.0]), "integers .* Got 1.0"),
    ((3, "01"), "sequence .* '01'"),
    ((-2, []), "'d'.*Got -2"),
], ids=["out-of-range", "repeated", "bool-variable", "float-variable", "string", "negative-d"])
def test_constructor_rejects_malformed_models(args, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.Parity(*args)


@pytest.mark.parametrize("change, match", [
    ({"version": 0}, "version 0"),
    ({"class": "junta"}, "'junta'"),
    ({"variables": [0, True]}, "True"),
    ({"variables": [0, 7]}, "variable 7"),
    ({"variables": {"0": 1}}, "list"),
    ({"d": "3"}, "'d'.*'3'"),
], ids=["version", "class", "bool", "out-of-range", "dict", "string-d"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**pd.Parity(3, [0, 2]).to_dict(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.Parity.from_dict(data)


@pytest.mark.parametrize("X, match", [
    (np.ones((1, 2)), r"3 columns.*\(1, 2\)"),
    ([[1, -1, 0.5]], r"0\.5"),
    ([[1, -1, np.nan]], "nan"),
], ids=["wrong-width", "half", "nan"])
def test_predict_rejects_malformed_input(X, match):
    with pytest.raises(InvalidInputError, match=match):
        pd.Parity(3, [0, 2]).predict(X)


def test_class_metadata():
    cls = pd.CLASSES["parity"]
    d = pd.bounds.symbols.d
    assert cls.model_type is pd.Parity and cls.vc_dim == d
    assert float(cls.log_size.subs(d, 5)) == pytest.approx(5 * np.log(2))
