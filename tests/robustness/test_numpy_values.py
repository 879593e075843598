"""numpy values where plain Python ones are expected (issue 9: wrong types): a
0-d array passes ``isinstance(x, Iterable)`` yet cannot be iterated, so the
constructors that checked for a sequence that way raised a bare "TypeError:
iteration over a 0-d array". Each must now be a PacDistillError naming the
argument, the distributions' (Mixture, Subcube) an InvalidParameterError.
"""

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.errors import InvalidModelError, InvalidParameterError

ZERO_D = [np.array(3), np.array("parity"), np.array(1.5)]

CONSTRUCTORS = [
    ("Conjunction", lambda v: pd.Conjunction(5, v)),
    ("Parity", lambda v: pd.Parity(5, v)),
    ("Junta-variables", lambda v: pd.Junta(5, v, [1, -1])),
    ("DNF", lambda v: pd.DNF(5, v)),
    ("CNF", lambda v: pd.CNF(5, v)),
    ("DecisionList", lambda v: pd.DecisionList(5, v, -1)),
    ("cube.check_literals", lambda v: pd.cube.check_literals(v, 5)),
]


@pytest.mark.parametrize("value", ZERO_D, ids=repr)
@pytest.mark.parametrize("build", [c for _, c in CONSTRUCTORS], ids=[n for n, _ in CONSTRUCTORS])
def test_a_zero_d_array_is_not_a_sequence(build, value):
    with pytest.raises(InvalidModelError):
        build(value)


def test_arrays_of_the_right_shape_are_still_accepted():
    assert pd.Parity(5, np.array([0, 3])) == pd.Parity(5, [0, 3])
    assert pd.Conjunction(5, np.array([[0, 1], [2, -1]])) == pd.Conjunction(5, [(0, 1), (2, -1)])
    assert pd.DNF(5, np.array([[[0, 1]], [[1, -1]]])).size()["s"] == 2


@pytest.mark.parametrize("build", [
    lambda: pd.distributions.Mixture(np.array("parity"), [1.0]),
    lambda: pd.distributions.Subcube(3, np.array("parity")),
], ids=["Mixture", "Subcube"])
def test_distributions_refuse_a_zero_d_array(build):
    with pytest.raises(InvalidParameterError):
        build()
