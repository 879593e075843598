"""LookupTable: predict against a naive index computation, from_model, JSON
round trip, sizes, the random generator and malformed input (THEORY §8)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees, juntas, lookup_tables
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
)


def naive_lookup(table, row):
    """The entry at j = sum of 2^i over the coordinates i with x_i = -1."""
    return int(table[sum(2**i for i, x in enumerate(row) if x == -1)])


@given(lookup_tables())
def test_predict_matches_naive_evaluator_on_the_whole_cube(t):
    """On every point of the cube, predict equals the table at the point's index."""
    got = assert_predicts_like(t, lambda row: naive_lookup(t.table, row))
    assert np.array_equal(got, t.table)  # the table is aligned with enumerate(d)


@given(lookup_tables())
def test_json_round_trip_preserves_model_and_predictions(t):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs."""
    assert_json_round_trip(t)


@given(lookup_tables())
def test_size_matches_parameters(t):
    assert t.size() == {"d": t.d} and t.table.shape == (2**t.d,)


@given(juntas(max_d=7))
def test_from_model_agrees_with_the_model_everywhere(j):
    """from_model tabulates any model: the table predicts like the model on every point."""
    t = pd.LookupTable.from_model(j)
    X = pd.cube.enumerate(j.d)
    assert np.array_equal(t.predict(X), j.predict(X))


@given(decision_trees(max_d=7))
def test_from_model_on_trees(tree):
    X = pd.cube.enumerate(tree.d)
    assert np.array_equal(pd.LookupTable.from_model(tree).predict(X), tree.predict(X))


def test_from_model_walks_chunks_of_a_larger_cube():
    """d = 17 crosses the 2^16-row chunk boundary of cube.chunks."""
    tree = pd.CLASSES["decision_tree"].random(3, d=17, depth=5)
    t = pd.LookupTable.from_model(tree)
    X = pd.cube.enumerate(17)
    assert np.array_equal(t.table, tree.predict(X))


def test_from_model_limits():
    tree = pd.CLASSES["decision_tree"].random(0, d=21, depth=2)
    with pytest.raises(TooLargeError, match="max_d = 20"):
        pd.LookupTable.from_model(tree)
    with pytest.raises(InvalidParameterError, match="'max_d'.*25"):
        pd.LookupTable.from_model(tree, max_d=25)
    with pytest.raises(InvalidModelError, match="list"):
        pd.LookupTable.from_model([1, -1])


def test_str_and_repr():
    t = pd.LookupTable(2, [1, -1, -1, 1])
    assert str(t) == "+--+" and repr(t) == "LookupTable(d=2, table=[1, -1, -1, 1])"
    big = pd.CLASSES["lookup_table"].random(0, d=8)
    assert repr(big) == "LookupTable(d=8, table=<256 entries>)"


def test_random_is_reproducible():
    cls = pd.CLASSES["lookup_table"]
    assert cls.random(9, d=6) == cls.random(9, d=6)
    assert len({cls.random(seed, d=6) for seed in range(5)}) > 1
    with pytest.raises(InvalidParameterError, match="'d'.*25"):
        cls.random(0, d=25)


@pytest.mark.parametrize("args, error, match", [
    ((2, [1, -1, 1]), InvalidModelError, r"length 4\. Got shape \(3,\)"),
    ((2, [1, -1, 1, 0]), InvalidModelError, "Got 0 at index 3"),
    ((2, [True, False, True, True]), InvalidModelError, "dtype bool"),
    ((2, ["+", "-", "+", "+"]), InvalidModelError, "dtype <U1"),
    ((0, [1]), InvalidModelError, "'d'.*Got 0"),
    ((25, [1]), TooLargeError, "d = 25"),
], ids=["short", "zero", "bool", "strings", "d=0", "d=25"])
def test_constructor_rejects_malformed_models(args, error, match):
    with pytest.raises(error, match=match):
        pd.LookupTable(*args)


@pytest.mark.parametrize("change, match", [
    ({"version": None}, "version None"),
    ({"table": [1, -1]}, "length 4"),
    ({"table": [1, -1, 1, 1.0]}, "1.0"),
    ({"d": 3}, "length 8"),
    ({"class": "lookuptable"}, "lookuptable"),
], ids=["no-version", "short", "float", "d-disagrees", "class-typo"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**pd.LookupTable(2, [1, -1, -1, 1]).to_dict(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.model_from_dict(data)


@pytest.mark.parametrize("X, match", [
    (np.ones((2, 3)), "2 columns"),
    ([[1, -2]], r"value \S*-2\S* at row 0, column 1"),
], ids=["wrong-width", "minus-two"])
def test_predict_rejects_malformed_input(X, match):
    with pytest.raises(InvalidInputError, match=match):
        pd.LookupTable(2, [1, -1, -1, 1]).predict(X)
