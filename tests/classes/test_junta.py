"""Junta: predict against a naive evaluator, the table convention, JSON round
trip, sizes, the random generator and malformed input (THEORY §4, §6)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import juntas
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
)


def naive_junta(variables, table, row):
    """Look up the table at j = sum of 2^b over the listed variables b with x = -1."""
    j = 0
    for b, i in enumerate(variables):
        if row[i] == -1:
            j += 2**b
    return int(table[j])


@given(juntas())
def test_predict_matches_naive_evaluator_on_the_whole_cube(j):
    """On every point of the cube, predict equals the table entry its relevant bits index."""
    assert_predicts_like(j, lambda row: naive_junta(j.variables, j.table, row))


@given(juntas())
def test_table_is_aligned_with_the_enumeration_of_the_relevant_variables(j):
    """Setting the relevant coordinates to row t of enumerate(k) (others +1) gives table[t]."""
    rows = np.ones((1 << j.k, j.d), dtype=np.int8)
    if j.k:
        rows[:, list(j.variables)] = pd.cube.enumerate(j.k)
    assert np.array_equal(j.predict(rows), j.table)


@given(juntas())
def test_json_round_trip_preserves_model_and_predictions(j):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs."""
    assert_json_round_trip(j)


@given(juntas())
def test_size_matches_parameters(j):
    """size() is d and the number of listed variables; the table has 2^k entries."""
    assert j.size() == {"d": j.d, "k": len(j.variables)}
    assert j.table.shape == (2 ** len(j.variables),) and not j.table.flags.writeable


def test_variable_order_matters_and_constant_junta():
    a = pd.Junta(3, [0, 1], [1, 1, -1, -1])  # depends on x1 only
    b = pd.Junta(3, [1, 0], [1, 1, -1, -1])  # depends on x0 only
    assert a != b
    X = pd.cube.enumerate(3)
    assert a.predict(X).tolist() == np.where(X[:, 1] == 1, 1, -1).tolist()
    assert b.predict(X).tolist() == np.where(X[:, 0] == 1, 1, -1).tolist()
    const = pd.Junta(3, [], [-1])
    assert const.predict(X).tolist() == [-1] * 8 and const.size()["k"] == 0
    assert str(const) == "Junta on (no variables), table -"
    assert str(b) == "Junta on (x1, x0), table ++--"


def test_random_is_reproducible_and_has_the_requested_size():
    cls = pd.CLASSES["junta"]
    j = cls.random(0, d=10, k=3)
    assert j == cls.random(0, d=10, k=3)
    assert j.size() == {"d": 10, "k": 3}
    assert len({cls.random(seed, d=10, k=3) for seed in range(20)}) > 1
    with pytest.raises(InvalidParameterError, match="'k'.*11"):
        cls.random(0, d=10, k=11)
    with pytest.raises(InvalidParameterError, match="'k'.*30"):
        cls.random(0, d=40, k=30)


@pytest.mark.parametrize("args, match", [
    ((3, [0, 3], [1, 1, 1, 1]), "variable 3, out of range"),
    ((3, [0, 0], [1, 1, 1, 1]), "Variable 0 appears twice"),
    ((3, [0, 1], [1, 1, 1]), r"length 4\. Got shape \(3,\)"),
    ((3, [0], [1, 0]), "Got 0 at index 1"),
    ((3, [0], [True, False]), "dtype bool"),
    ((3, [0], [1.5, 1]), "Got 1.5 at index 0"),
    ((3, [0], [[1, -1]]), r"shape \(1, 2\)"),
    ((3, [True], [1, -1]), "Got True"),
], ids=["out-of-range", "repeated", "short-table", "zero-entry", "bool-table",
        "float-entry", "2-d-table", "bool-variable"])
def test_constructor_rejects_malformed_models(args, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.Junta(*args)


def test_constructor_refuses_too_many_variables():
    with pytest.raises(TooLargeError, match="k = 25"):
        pd.Junta(30, list(range(25)), [1])


def test_float_tables_holding_signs_are_accepted():
    assert pd.Junta(2, [1], np.array([1.0, -1.0])) == pd.Junta(2, [1], [1, -1])


@pytest.mark.parametrize("change, match", [
    ({"version": "1"}, "version '1'"),
    ({"table": [1, -1, 1]}, "length 4"),
    ({"table": [1, -1, 1.0, 1]}, "1.0"),
    ({"table": [1, -1, True, 1]}, "True"),
    ({"variables": [0, 9]}, "variable 9"),
    ({"k": 2}, "unexpected field"),
], ids=["string-version", "short-table", "float-entry", "bool-entry", "out-of-range", "extra"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**pd.Junta(3, [2, 0], [1, -1, -1, 1]).to_dict(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.model_from_dict(data)


@pytest.mark.parametrize("X, match", [
    (np.ones((2, 2)), "3 columns"),
    ([[1, -1, 3]], r"value \S*3\S* at row 0, column 2"),
], ids=["wrong-width", "three"])
def test_predict_rejects_malformed_input(X, match):
    with pytest.raises(InvalidInputError, match=match):
        pd.Junta(3, [2], [1, -1]).predict(X)
