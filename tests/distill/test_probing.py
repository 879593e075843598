"""Closed-form batched ridge probes (pacdistill.distill.probing, THEORY §5 step 2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.cube import literals_hold
from pacdistill.distill.probing import (
    Candidates,
    ParentStats,
    ProbeBasis,
    lambda_grid,
    normalise,
)


def _direct_mse(phi_fit, phi_val, h_fit, h_val, lam):
    """The textbook probe: ridge with an unpenalised intercept, solved directly."""
    mu, hbar = phi_fit.mean(axis=0), h_fit.mean()
    P = phi_fit - mu
    w = np.linalg.solve(P.T @ P + lam * np.eye(P.shape[1]), P.T @ (h_fit - hbar))
    pred = (phi_val - mu) @ w + hbar
    return float(np.mean((pred - h_val) ** 2))


@given(st.integers(0, 10**6), st.sampled_from([(60, 5), (12, 30)]), st.integers(1, 3))
def test_batched_probes_equal_direct_ridge(seed, shape, n_parents):
    """Every candidate's validation MSE from the factorised, batched formulas equals
    a direct ridge solve on its ±1 target, for n_fit >= m and n_fit < m alike."""
    rng = np.random.default_rng(seed)
    n_fit, m = shape
    d = 4
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_fit + 50, d))
    phi = np.c_[X, rng.standard_normal((X.shape[0], m - d))] if m > d else X * 1.0
    phi = phi + 0.1 * rng.standard_normal(phi.shape)
    X_fit, X_val = X[:n_fit], X[n_fit:]
    basis = ProbeBasis.build(phi[:n_fit], phi[n_fit:])
    parents = [(), ((0, 1),), ((1, -1), (2, 1))][:n_parents]
    stats = [ParentStats.build(basis, X_fit, X_val,
                               np.flatnonzero(literals_hold(X_fit, a)),
                               np.flatnonzero(literals_hold(X_val, a))) for a in parents]
    p, i, s = np.meshgrid(np.arange(n_parents), np.arange(d), [1, -1], indexing="ij")
    cand = Candidates(p.ravel(), i.ravel(), s.ravel())
    for lam in (1e-3, 0.7, 50.0):
        got = basis.validation_mse(stats, cand, lam)
        for c in range(len(cand)):
            lits = (*parents[cand.parent[c]], (int(cand.var[c]), int(cand.sign[c])))
            h_fit = np.where(literals_hold(X_fit, lits), 1.0, -1.0)
            h_val = np.where(literals_hold(X_val, lits), 1.0, -1.0)
            want = _direct_mse(phi[:n_fit], phi[n_fit:], h_fit, h_val, lam)
            assert got[c] == pytest.approx(want, rel=1e-7, abs=1e-9)


def test_validation_form_without_the_val_gram():
    """With fewer validation rows than the rank, the MSE goes through predictions
    (Gv is None) and still equals the direct solve."""
    rng = np.random.default_rng(3)
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(45, 3))
    phi = rng.standard_normal((45, 20))
    basis = ProbeBasis.build(phi[:40], phi[40:])
    assert basis.Gv is None and basis.rank == 20
    stats = [ParentStats.build(basis, X[:40], X[40:], np.arange(40), np.arange(5))]
    cand = Candidates(np.zeros(2, dtype=np.int64), np.array([1, 1]), np.array([1, -1]))
    got = basis.validation_mse(stats, cand, 2.0)
    h = np.where(X[:, 1] == 1, 1.0, -1.0)
    assert got[0] == pytest.approx(_direct_mse(phi[:40], phi[40:], h[:40], h[40:], 2.0))
    assert got[1] == pytest.approx(_direct_mse(phi[:40], phi[40:], -h[:40], -h[40:], 2.0))


def test_a_planted_and_is_represented_exactly():
    """On the planted network every node's AND is a hidden unit: its probe has
    (near) zero validation error, a non-node AND does not (THEORY §5)."""
    tree = pd.DecisionTree.from_nested(6, {"var": 2, "plus": {"leaf": 1}, "minus": {
        "var": 4, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    net = pd.distill.planted_network(tree)
    X = pd.distributions.Uniform(6).sample(2000, rng=0)
    phi, _ = normalise(net.activations(X))
    basis = ProbeBasis.build(phi[:1000], phi[1000:])
    minus = X[:, 2] == -1
    stats = [ParentStats.build(basis, X[:1000], X[1000:],
                               np.flatnonzero(minus[:1000]), np.flatnonzero(minus[1000:]))]
    cand = Candidates(np.zeros(2, dtype=np.int64), np.array([4, 0]), np.array([1, 1]))
    mse = basis.validation_mse(stats, cand, 1e-6 * basis.scale)
    assert mse[0] < 1e-6 < 0.1 < mse[1]


def test_normalise_and_grid():
    phi, factor = normalise(np.arange(12.0).reshape(4, 3))
    assert np.linalg.norm(phi) == pytest.approx(2.0) and factor > 0
    zero, factor = normalise(np.zeros((3, 2)))
    assert factor == 1.0 and not zero.any()
    grid = lambda_grid(2.0)
    assert grid[0] == pytest.approx(2e-3) and grid[-1] == pytest.approx(2e3) and len(grid) == 13


def test_constant_representation_gives_constant_probes():
    """Rank 0 (all features constant): every probe is its fit mean."""
    X = pd.cube.enumerate(3)
    basis = ProbeBasis.build(np.ones((8, 2)), np.ones((8, 2)))
    assert basis.rank == 0
    stats = [ParentStats.build(basis, X, X, np.arange(8), np.arange(8))]
    cand = Candidates(np.zeros(2, dtype=np.int64), np.array([0, 0]), np.array([1, -1]))
    assert np.allclose(basis.validation_mse(stats, cand, 1.0), 1.0)   # h = ±1 half the time


def test_both_routes_to_the_parent_statistics_agree():
    """X_a^T V_a computed from the centred rows and U / S (the first parents) equals
    the one gathered from the formed V (after n_fit / (d + 1) parents)."""
    rng = np.random.default_rng(8)
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(300, 6))
    phi = np.c_[X, rng.standard_normal((300, 10))]
    basis = ProbeBasis.build(phi[:200], phi[200:])
    rows_f, rows_v = np.flatnonzero(X[:200, 1] == 1), np.flatnonzero(X[200:, 1] == 1)
    direct = ParentStats.build(basis, X[:200], X[200:], rows_f, rows_v)
    basis._parents = 10**9                       # past the budget: the gather route
    gathered = ParentStats.build(basis, X[:200], X[200:], rows_f, rows_v)
    for name in ("A_f", "a_f", "cnt_f", "A_v", "a_v", "cnt_v"):
        assert np.allclose(getattr(direct, name), getattr(gathered, name), atol=1e-10)


@pytest.mark.parametrize("magnitude", [1e200, 1e-200, 1e-310])
def test_normalise_is_scale_free_at_any_finite_magnitude(magnitude):
    """Regression: ||phi||^2 overflowed (1e200: factor 0, phi all zeros) or
    underflowed (1e-200: read as a zero matrix, left unscaled), so the probes saw
    no representation and distill_tree silently missed a planted tree."""
    rng = np.random.default_rng(3)
    phi = rng.standard_normal((50, 4))
    want, _ = normalise(phi)
    got, factor = normalise(phi * magnitude)
    assert np.allclose(got, want, rtol=1e-9 if magnitude > 1e-300 else 1e-4)
    assert factor > 0


def test_distill_tree_does_not_depend_on_the_activations_scale():
    """End to end (d = 40 so the beam cannot keep every split): the planted tree is
    found whether the activations are multiplied by 1 or by 1e200."""
    tree = pd.CLASSES["decision_tree"].random(0, d=40, depth=3)
    net = pd.distill.planted_network(tree)
    X = pd.distributions.Uniform(40).sample(4000, rng=0)
    for scale in (1.0, 1e200, 1e-200):  # loop over scales
        model = pd.distill.from_callables(
            net.predict, lambda Z, s=scale: net.activations(Z) * s, d=40)
        result = pd.distill_tree(model, X, depth=3, rng=0)
        assert result.met_target, scale
        assert pd.checkers.equivalent(result.tree, tree, rng=0).equal, scale


def test_a_wide_representation_is_factorised_without_an_m_by_m_matrix():
    """Regression: the validation Gram in the eigenbasis was formed as U^T (Pv^T Pv) U,
    an m x m intermediate (72 MB at m = 3,000; 3.2 GB at m = 20,000, 5 s of the 7 s
    of a distill_tree run at m = 6,000, n = 1,000) although U has rank q <= n_fit
    columns; (Pv U)^T (Pv U) is the same matrix. numpy reports its allocations to
    tracemalloc, so the peak shows which one was formed."""
    import tracemalloc

    rng = np.random.default_rng(4)
    phi_fit, phi_val = rng.standard_normal((40, 3000)), rng.standard_normal((60, 3000))
    tracemalloc.start()
    try:
        basis = ProbeBasis.build(phi_fit, phi_val)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6, peak                      # an m x m float64 matrix is 72e6 bytes
    Pv = phi_val - phi_fit.mean(axis=0)
    want = basis.U.T @ (Pv.T @ Pv) @ basis.U
    np.testing.assert_allclose(basis.Gv, want, rtol=1e-9, atol=1e-9 * np.abs(want).max())
    np.testing.assert_allclose(basis.Qv, Pv @ basis.U, rtol=1e-12, atol=1e-12)
