"""halfspace_to_relu: Halfspace[d] -> ReLUNetwork[d, L = 1, m = 1], the unit
ReLU(w . x + b) (THEORY §8); ties at 0 are -1 in both classes."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import halfspaces
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.halfspace_to_relu import halfspace_as_network, halfspace_to_relu

EDGE = REGISTRY["halfspace_to_relu"]


@given(halfspaces(max_d=10))
def test_equal_with_one_unit(h):
    """Equal on the whole cube (half-integer bias: no ties); the output is ReLU of
    the halfspace's score, exactly."""
    net = assert_exact(EDGE, h).model
    assert net.size() == {"d": h.d, "L": 1, "m": 1}
    X = pd.cube.enumerate(h.d)
    assert (net.output(X) == np.maximum(h.output(X), 0.0)).all()


@given(halfspaces(max_d=10, ties=True))
def test_equal_at_ties(h):
    """Integer bias: the score is 0 on some points (ties), where both predict -1."""
    net = assert_exact(EDGE, h).model
    X = pd.cube.enumerate(h.d)
    tied = h.output(X) == 0
    assert (net.output(X)[tied] == 0).all()
    assert (net.predict(X)[tied] == -1).all()


def test_tie_on_a_known_point():
    """x0 + x1 = 0 at (+1, -1) and (-1, +1): -1 there, in both models."""
    h = pd.Halfspace([1.0, 1.0], 0.0)
    net = assert_exact(EDGE, h).model
    X = np.array([[1, -1], [-1, 1], [1, 1]])
    assert h.predict(X).tolist() == net.predict(X).tolist() == [-1, -1, 1]


def test_same_float_score_on_wide_ranging_weights():
    """Weights spanning 16 orders of magnitude (rounding depends on the summation
    order): the network's output is ReLU of the halfspace's float64 score, bit for
    bit, on the cube and on real inputs, so the predictions agree (module docstring).
    Seeded; deterministic."""
    rng = np.random.default_rng(20261128)
    for _ in range(50):
        d = int(rng.integers(1, 11))
        h = pd.Halfspace(rng.standard_normal(d) * 10.0 ** rng.integers(-8, 8, size=d),
                         float(rng.standard_normal()))
        net = halfspace_as_network(h)
        for X in (pd.cube.enumerate(d), rng.standard_normal((64, d))):
            assert (net.output(X) == np.maximum(h.output(X), 0.0)).all()
            assert (net.predict(X) == h.predict(X)).all()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "halfspace", "relu_network")
    assert g.at(d=9).size_map == {"d": 9, "L": 1, "m": 1}
    assert (EDGE.access, EDGE.efficient) == ("representation", True)


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Halfspace"):
        halfspace_to_relu(pd.Conjunction(2, [(0, 1)]))
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a Halfspace"):
        halfspace_as_network(np.ones(3))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        halfspace_to_relu(pd.Halfspace([1.0], 0.5), width=2)
