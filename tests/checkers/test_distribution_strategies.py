"""Public strategies for distributions and (eps, delta) pairs (issue 7, item 1)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import strategies as pst
from pacdistill.distributions import (
    Distribution,
    Empirical,
    FiniteSupport,
    Mixture,
    Product,
    Subcube,
    Uniform,
)

TYPES = {
    Uniform: pst.uniform_distributions,
    Product: pst.product_distributions,
    Subcube: pst.subcube_distributions,
    FiniteSupport: pst.finite_support_distributions,
    Empirical: pst.empirical_distributions,
    Mixture: pst.mixture_distributions,
}


@pytest.mark.parametrize("kind", list(TYPES), ids=lambda t: t.__name__)
@given(data=st.data())
def test_each_strategy_draws_valid_distributions_of_its_type(kind, data):
    """A drawn distribution has the type, the asked d, a pmf summing to 1, samples on
    its support, and a JSON round trip."""
    d = data.draw(st.integers(1, 5), label="d")
    D = data.draw(TYPES[kind](d=d), label="D")
    assert type(D) is kind and D.d == d
    pmf = D.pmf_on_cube()
    assert math.isclose(pmf.sum(), 1.0, abs_tol=1e-9)
    X = D.sample(20, rng=0)
    assert (D.pmf(X) > 0).all()
    assert pd.distributions.distribution_from_dict(D.to_dict()) == D


@pytest.mark.parametrize("kind", [*TYPES, Distribution], ids=lambda t: t.__name__)
@given(data=st.data())
def test_from_type_is_registered(kind, data):
    D = data.draw(st.from_type(kind))
    assert isinstance(D, kind)


@given(pst.distributions(min_d=2, max_d=4, kinds=("subcube", "finite_support")))
def test_distributions_respects_kinds_and_dimension(D):
    assert isinstance(D, (Subcube, FiniteSupport)) and 2 <= D.d <= 4


@given(pst.product_distributions(d=3, min_p=0.2, max_p=0.3))
def test_product_bounds(D):
    assert ((0.2 <= D.p) & (D.p <= 0.3)).all()


@given(pst.subcube_distributions(d=5, min_fixed=2, max_fixed=3))
def test_subcube_bounds(D):
    assert 2 <= len(D.fixed) <= 3


@given(pst.eps_deltas(min_eps=0.05, max_eps=0.1, min_delta=0.01, max_delta=0.02))
def test_eps_deltas_within_bounds(pair):
    eps, delta = pair
    assert 0.05 <= eps <= 0.1 and 0.01 <= delta <= 0.02


@pytest.mark.parametrize(("call", "match"), [
    (lambda: pst.uniform_distributions(d=0), "'d'"),
    (lambda: pst.product_distributions(min_p=0.6, max_p=0.5), "'max_p'"),
    (lambda: pst.product_distributions(max_p=1.5), "'max_p'"),
    (lambda: pst.subcube_distributions(min_fixed=-1), "'min_fixed'"),
    (lambda: pst.finite_support_distributions(min_points=0), "'min_points'"),
    (lambda: pst.mixture_distributions(max_components=0), "'max_components'"),
    (lambda: pst.distributions(kinds=("gaussian",)), "'kinds'"),
    (lambda: pst.distributions(kinds="uniform"), "'kinds'"),
    (lambda: pst.eps_deltas(min_eps=0.0), "'min_eps'"),
    (lambda: pst.eps_deltas(min_delta=0.3, max_delta=0.2), "'max_delta'"),
], ids=["d", "p_order", "p_range", "fixed", "points", "components", "kind", "kinds_str",
        "eps", "delta_order"])
def test_bad_bounds_are_refused(call, match):
    with pytest.raises(pd.errors.InvalidParameterError, match=match):
        call()
