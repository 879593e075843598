"""Conjunction: predict against a naive evaluator, JSON round trip, sizes, the
random generator and malformed input (THEORY §1, §4)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import conjunctions
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
)


def naive_conjunction(d, literals, row):
    """+1 iff every literal (i, s) has row[i] == s, read straight from the definition."""
    assert len(row) == d
    for i, s in literals:
        if row[i] != s:
            return -1
    return 1


@given(conjunctions())
def test_predict_matches_naive_evaluator_on_the_whole_cube(c):
    """On every point of the cube, predict equals the per-row definition."""
    assert_predicts_like(c, lambda row: naive_conjunction(c.d, c.literals, row))


@given(conjunctions())
def test_json_round_trip_preserves_model_and_predictions(c):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs."""
    assert_json_round_trip(c)


@given(conjunctions())
def test_size_matches_parameters(c):
    """size() is d and the number of literals."""
    assert c.size() == {"d": c.d, "k": len(c.literals)}
    assert pd.CLASSES["conjunction"].contains(c, d=c.d, k=len(c.literals))


def test_literal_order_does_not_matter():
    a = pd.Conjunction(4, [(3, -1), (0, 1)])
    b = pd.Conjunction(4, ((0, 1), (3, -1)))
    assert a == b and a.literals == ((0, 1), (3, -1))


def test_empty_conjunction_is_constant_true_and_str():
    c = pd.Conjunction(3)
    assert c.predict(pd.cube.enumerate(3)).tolist() == [1] * 8
    assert str(c) == "TRUE"
    assert str(pd.Conjunction(3, [(1, -1)])) == "x1 = -1"


def test_predict_accepts_other_dtypes():
    c = pd.Conjunction(2, [(0, 1)])
    for X in ([[1, -1], [-1, 1]], np.array([[1.0, -1.0], [-1.0, 1.0]]),
              np.array([[1, -1], [-1, 1]], dtype=np.int64)):
        assert c.predict(X).tolist() == [1, -1]


def test_random_is_reproducible_and_has_the_requested_size():
    cls = pd.CLASSES["conjunction"]
    a = cls.random(5, d=10, k=4)
    assert a == cls.random(5, d=10, k=4)
    assert a.size() == {"d": 10, "k": 4}
    assert a == cls.random(np.random.default_rng(5), d=10, k=4)
    # 20 seeds giving one and the same conjunction of 4 of 10 variables would mean
    # the seed is ignored
    assert len({cls.random(seed, d=10, k=4) for seed in range(20)}) > 1


@pytest.mark.parametrize("params, match", [
    ({"d": 3, "k": 4}, "'k'.*4"),
    ({"d": 0, "k": 0}, "'d'.*0"),
    ({"d": 3.0, "k": 1}, "'d'.*3.0"),
    ({"d": 3, "k": True}, "'k'.*True"),
], ids=["k>d", "d=0", "float-d", "bool-k"])
def test_random_rejects_bad_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        pd.CLASSES["conjunction"].random(0, **params)


@pytest.mark.parametrize("args, match", [
    ((3, [(3, 1)]), "variable 3, out of range"),
    ((3, [(-1, 1)]), "variable -1, out of range"),
    ((3, [(0, 1), (0, -1)]), "Variable 0 appears twice"),
    ((3, [(0, 0)]), "sign .* Got 0"),
    ((3, [(True, 1)]), "integer. Got True"),
    ((3, [(0, True)]), "sign .* Got True"),
    ((3, [(0,)]), r"pair .* Got \(0,\)"),
    ((0, []), "'d'.*Got 0"),
    ((2.0, []), "'d'.*Got 2.0"),
    ((True, []), "'d'.*Got True"),
], ids=["literal-out-of-range", "negative-variable", "repeated-variable", "sign-0",
        "bool-variable", "bool-sign", "not-a-pair", "d=0", "float-d", "bool-d"])
def test_constructor_rejects_malformed_models(args, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.Conjunction(*args)


def _good():
    return {"class": "conjunction", "version": 1, "d": 3, "literals": [[0, 1], [2, -1]]}


@pytest.mark.parametrize("change, match", [
    ({"version": 2}, "version 2"),
    ({"version": True}, "version True"),
    ({"class": "parity"}, "'parity'"),
    ({"d": True}, "'d'.*True"),
    ({"d": 3.0}, "'d'.*3.0"),
    ({"literals": [[0, 1.0]]}, r"\[0, 1.0\]"),
    ({"literals": [[0, 1, 2]]}, r"\[0, 1, 2\]"),
    ({"literals": [[5, 1]]}, "variable 5"),
    ({"literals": "x0"}, "list"),
    ({"extra": 1}, "extra"),
], ids=["version", "bool-version", "class", "bool-d", "float-d", "float-sign",
        "triple", "out-of-range", "not-a-list", "extra-field"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**_good(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.Conjunction.from_dict(data)
    if "class" not in change:
        with pytest.raises(SerializationError, match=match):
            pd.model_from_dict(data)


def test_from_dict_rejects_missing_field():
    data = _good()
    del data["literals"]
    with pytest.raises(SerializationError, match="literals"):
        pd.Conjunction.from_dict(data)
    assert pd.Conjunction.from_dict(_good()) == pd.Conjunction(3, [(0, 1), (2, -1)])


@pytest.mark.parametrize("X, match", [
    (np.ones((2, 4)), r"3 columns.*\(2, 4\)"),
    ([[1, 0, 1]], r"value \S*0\S* at row 0, column 1"),
    ([[1, 1, 2]], r"value \S*2\S* at row 0, column 2"),
    (np.ones(3), "1-d array"),
    ([["a", "b", "c"]], "dtype"),
], ids=["wrong-width", "zero", "two", "1-d", "strings"])
def test_predict_rejects_malformed_input(X, match):
    with pytest.raises(InvalidInputError, match=match):
        pd.Conjunction(3, [(0, 1)]).predict(X)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_class_metadata(d):
    """The ModelClass entry names the type, parameters and catalog values."""
    cls = pd.CLASSES["conjunction"]
    assert cls.model_type is pd.Conjunction and cls.title == "Conjunction"
    assert [str(p) for p in cls.params] == ["d", "k"]
    assert float(cls.log_size.subs(pd.bounds.symbols.d, d)) == pytest.approx(np.log(3**d + 1))
    assert cls.vc_dim == pd.bounds.symbols.d
    assert "THEORY §4" in cls.log_size_source and "THEORY §4" in cls.vc_dim_source
