"""Tests of QueryCounter: every evaluated row is one query (THEORY §2.3, §6)."""

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.checkers import QueryCounter


def test_counts_rows_and_calls_and_answers_like_the_model():
    f = pd.Parity(5, [1, 3])
    counter = QueryCounter(f)
    X = pd.cube.enumerate(5)
    total = 0
    for n in (0, 1, 7, 32):  # loop over a few batch sizes
        y = counter.predict(X[:n])
        total += n
        assert y.dtype == np.int8 and y.tolist() == f.predict(X[:n]).tolist()
        assert counter.queries == total
    assert counter.calls == 4
    counter.predict(np.vstack([X[:3], X[:3]]))  # the same point twice is two queries
    assert counter.queries == total + 6
    counter.reset()
    assert (counter.queries, counter.calls) == (0, 0)
    assert counter.n_inputs == 5 and counter.model is f


def test_accepts_anything_with_predict_and_a_dimension():
    class Double:
        d = 3

        def predict(self, X):
            return np.where(np.asarray(X)[:, 0] > 0, 1, -1)

    counter = QueryCounter(Double())
    assert counter.predict([[1, -1, 1], [-1, 1, 1]]).tolist() == [1, -1]
    assert counter.queries == 2 and "queries=2" in repr(counter)


def test_bad_points_are_refused_and_not_counted():
    counter = QueryCounter(pd.Parity(3, [0]))
    with pytest.raises(pd.errors.InvalidInputError, match="-1 and \\+1"):
        counter.predict([[1, 0, 1]])
    with pytest.raises(pd.errors.InvalidInputError):
        counter.predict([[1, 1]])
    assert counter.queries == 0


def test_bad_models_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="predict"):
        QueryCounter(object())

    class Broken:
        n_inputs = 2

        def predict(self, X):
            return np.zeros(len(X))

    with pytest.raises(pd.errors.InvalidModelError, match="-1/\\+1"):
        QueryCounter(Broken()).predict([[1, 1]])
