"""Bad values given to METHODS of the model classes (session 8, round 3 audit).

Each row is a call that used to raise a bare exception (an array or a str
compared with ``!=`` or ``>`` before it was checked to be an integer); it must now
raise the library's error naming the parameter and the value, in the one
message format of ``pacdistill._validation``.
"""

from __future__ import annotations

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.errors import InvalidModelError, InvalidParameterError

_LEAF = pd.DecisionTree.leaf

BAD = [
    # (call, error class, message fragment naming the parameter and the value)
    (lambda: pd.CLASSES["decision_tree"].random(rng=0, d=3, depth=2, r=np.array([1, 2])),
     InvalidParameterError, "The 'r' parameter of CLASSES['decision_tree'].random must be "
     "an integer in [0, 3]. Got array([1, 2]) instead."),
    (lambda: pd.CLASSES["decision_tree"].random(rng=0, d=3, depth=np.ones((2, 2)), r=1),
     InvalidParameterError, "The 'depth' parameter of CLASSES['decision_tree'].random"),
    (lambda: pd.CLASSES["decision_tree"].random(rng=0, d=3, r=1.5),
     InvalidParameterError, "The 'r' parameter of CLASSES['decision_tree'].random must be "
     "an integer in [0, 3]. Got 1.5 instead."),
    (lambda: pd.DecisionTree.split(np.array([1, 2]), 0, _LEAF(2, 1), _LEAF(2, -1)),
     InvalidModelError, "The 'd' parameter of DecisionTree.split must be an integer >= 1. "
     "Got array([1, 2]) instead."),
    (lambda: pd.DecisionTree.split(np.ones((2, 3, 4)), 0, _LEAF(2, 1), _LEAF(2, -1)),
     InvalidModelError, "The 'd' parameter of DecisionTree.split"),
    # cube's public checks: a bare TypeError ('>' not supported) or ValueError
    (lambda: list(pd.cube.chunks(3, limit="x")), InvalidParameterError,
     "The 'limit' parameter of cube.chunks must be an integer >= 0. Got 'x' instead."),
    (lambda: pd.cube.check_enumerable(3, "f", limit=np.array([1, 2])), InvalidParameterError,
     "The 'limit' parameter of f must be an integer >= 0. Got array([1, 2]) instead."),
    (lambda: pd.cube.check_literals([(0, 1)], None), InvalidParameterError,
     "The 'd' parameter of cube.check_literals must be an integer >= 0. Got None instead."),
    (lambda: pd.cube.check_literals([(0, 1)], 3, distinct=np.array([1, 2])),
     InvalidParameterError, "The 'distinct' parameter of cube.check_literals must be True or "
     "False. Got array([1, 2]) instead."),
]


@pytest.mark.parametrize(("call", "error", "fragment"), BAD)
def test_bad_value_is_refused_with_the_library_error(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_good_values_still_work():
    tree = pd.CLASSES["decision_tree"].random(rng=0, d=3, depth=2, r=2)
    assert tree.size() == {"d": 3, "r": 2, "s": 4}
    assert pd.CLASSES["decision_tree"].random(rng=0, d=3, r=np.int64(1)).depth == 1
    split = pd.DecisionTree.split(np.int64(2), 0, _LEAF(2, 1), _LEAF(2, -1))
    assert split.predict(np.array([[1, 1], [-1, 1]])).tolist() == [1, -1]
    assert pd.cube.check_literals([(0, 1), (0, -1)], np.int64(3), distinct=False) == (
        (0, 1), (0, -1))
    assert sum(len(c) for c in pd.cube.chunks(3, 2, limit=3)) == 8
