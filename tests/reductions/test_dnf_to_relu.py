"""dnf_to_relu: DNF[d, s, w] -> ReLUNetwork[d, (s,)] (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import dnfs
from pacdistill.cube import literals_hold
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.dnf_to_relu import dnf_as_network, dnf_to_relu

EDGE = REGISTRY["dnf_to_relu"]


@given(dnfs(max_d=10, max_s=6, max_w=5))
def test_units_are_term_indicators(dnf):
    """Equal on the cube; unit j is exactly 1[term j holds] and the output is the
    number of satisfied terms minus 1/2 (never 0)."""
    net = assert_exact(EDGE, dnf).model
    s = len(dnf.terms)
    assert net.size() == {"d": dnf.d, "L": 1, "m": max(s, 1)}
    X = pd.cube.enumerate(dnf.d)
    holds = np.column_stack([literals_hold(X, term) for term in dnf.terms] or
                            [np.zeros(len(X), dtype=bool)])
    assert (net.activations(X) == holds).all()
    assert (net.output(X) == holds[:, :s].sum(axis=1) - 0.5).all()


def test_empty_dnf_and_empty_term():
    """No terms: the constant -1 with one idle unit; an empty term: the constant +1."""
    X = pd.cube.enumerate(3)
    empty = dnf_to_relu(pd.DNF(3, [])).model
    assert empty.size()["m"] == 1 and (empty.output(X) == -0.5).all()
    true = dnf_as_network(pd.DNF(3, [[], [(0, 1)]]))
    assert (true.predict(X) == 1).all()


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "dnf", "relu_network")
    assert g.at(d=8, s=4, w=2).size_map == {"d": 8, "L": 1, "m": 4}


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DNF. Got CNF"):
        dnf_to_relu(pd.CNF(2, [[(0, 1)]]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        dnf_to_relu(pd.DNF(2, []), width=3)
