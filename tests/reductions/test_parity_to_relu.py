"""parity_to_relu: Parity[d, k] -> ReLUNetwork[d, (k,)], the sawtooth (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import parities
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.parity_to_relu import parity_as_network, parity_to_relu

EDGE = REGISTRY["parity_to_relu"]


@given(parities(max_d=10))
def test_output_is_exactly_the_parity(parity):
    """Equal on the cube, with the real output exactly ±1, from max(k, 1) units."""
    net = assert_exact(EDGE, parity).model
    k = parity.size()["k"]
    assert net.size() == {"d": parity.d, "L": 1, "m": max(k, 1)}
    X = pd.cube.enumerate(parity.d)
    assert (net.output(X) == parity.predict(X)).all()


@given(parities(min_k=1, max_d=8))
def test_units_are_relus_of_the_count(parity):
    """Unit j is 2 ReLU(c - j), c = the number of the k variables at -1."""
    net = parity_as_network(parity)
    X = pd.cube.enumerate(parity.d)
    c = np.count_nonzero(X[:, list(parity.variables)] == -1, axis=1)
    j = np.arange(len(parity.variables))
    assert (net.activations(X) == 2 * np.maximum(c[:, None] - j[None, :], 0)).all()


def test_empty_parity_is_the_constant_plus_one():
    net = parity_to_relu(pd.Parity(3)).model
    assert net.size()["m"] == 1
    assert (net.output(pd.cube.enumerate(3)) == 1).all()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "parity", "relu_network")
    assert g.at(d=8, k=5).size_map == {"d": 8, "L": 1, "m": 5}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Parity"):
        parity_to_relu(pd.Conjunction(2, [(0, 1)]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        parity_to_relu(pd.Parity(2, [0]), units=3)
