"""Counting the queries an algorithm makes to f (THEORY §2.3, §6).

A *query* is one evaluation of f at a point of the algorithm's choosing. Query
algorithms take their model through :class:`QueryCounter`, which evaluates the
model, checks its answers are ±1 and counts every evaluated point (one per row
of X), so a report can put the queries actually made next to the query bound
of the algorithm's Guarantee.

Examples
--------
>>> f = QueryCounter(pd.Parity(4, [0, 2]))
>>> f.predict(pd.cube.enumerate(4)[:5]).tolist()
[1, -1, 1, -1, -1]
>>> f.predict([[1, 1, 1, 1]]).tolist(), f.queries, f.calls
([1], 6, 2)
>>> f.n_inputs
4
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_points
from ._models import model_dim, predict_pm1

__all__ = ["QueryCounter"]


class QueryCounter:
    """A model wrapper that counts the points it is asked to evaluate.

    Parameters
    ----------
    model : model
        Anything with ``predict`` and an input dimension (``n_inputs`` or
        ``d``): a pacdistill model, an adapter around another library's model.

    Attributes
    ----------
    model : model
        The wrapped model.
    n_inputs : int
        Its input dimension d.
    queries : int
        Points evaluated so far (the rows of every ``predict`` call).
    calls : int
        ``predict`` calls so far (batches).

    Notes
    -----
    Mutable on purpose (it counts); not a value object. ``predict`` validates
    its input (an (n, d) array of ±1, returned as int8) and the model's output
    (n values ±1, :class:`~pacdistill.errors.InvalidModelError` otherwise), so
    an algorithm reading answers from it sees one form. Rows are counted as
    given: evaluating the same point twice is two queries. The model is handed
    a copy of the points, so one that writes into its input cannot change what
    the algorithm reads afterwards.

    Examples
    --------
    >>> f = QueryCounter(pd.Junta(3, [1], [1, -1]))
    >>> f.predict(np.ones((0, 3), dtype=np.int8)).shape, f.queries
    ((0,), 0)
    >>> f.predict([[1, -1, 1], [1, 1, 1]]).tolist(), f.queries
    ([-1, 1], 2)
    >>> f.reset(); f.queries
    0
    """

    def __init__(self, model: Any) -> None:
        self.n_inputs = model_dim(model, "model", "QueryCounter")
        self.model = model
        self.queries = 0
        self.calls = 0

    def predict(self, X: Any) -> np.ndarray:
        """f at the rows of X (±1, int8), counting each row as one query."""
        X = check_points(X, self.n_inputs, "X", "QueryCounter.predict")
        self.queries += int(X.shape[0])
        self.calls += 1
        if X.shape[0] == 0:
            return np.zeros(0, dtype=np.int8)
        # the model gets a copy: the caller (an algorithm) reads X again after the
        # answers, and a model writing into its input must not change those points
        return predict_pm1(self.model, X.copy(), "model", "QueryCounter.predict").astype(
            np.int8, copy=False)

    def reset(self) -> None:
        """Set the counts back to 0."""
        self.queries = 0
        self.calls = 0

    def __repr__(self) -> str:
        return f"QueryCounter({self.model!r}, queries={self.queries})"
