"""Tests of learn_parity: Gaussian elimination over GF(2) as a distiller F -> Parity
(THEORY §2, §4, §8)."""

import numpy as np
import pytest
from _learner_acceptance import ALPHA, check_family, learner_sample, run_trials
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import Result
from pacdistill.reductions.learn_parity import learn_parity, solve_gf2

C = pd.CLASSES


def test_registered_from_every_class():
    check_family(learn_parity, target="parity", kind="perfect", bound="realizable_finite",
                 efficient=True, at={"d": 30, "eps": 0.05, "delta": 0.01},
                 bound_params={"cls": "parity", "d": 30})


@given(st.integers(1, 12), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_solve_gf2_against_brute_force(d, n, seed):
    """solve_gf2 finds a solution exactly when one exists (checked against all
    2^d candidates), and otherwise a certificate: rows summing to 0 = 1."""
    rng = np.random.default_rng(seed)
    A = rng.random((n, d)) < 0.5
    b = rng.random(n) < 0.5
    solution, cert, rank = solve_gf2(A, b)
    candidates = pd.cube.enumerate(d) == -1                      # every s in GF(2)^d
    images = (candidates.astype(int) @ A.T.astype(int)) % 2      # A s for every s
    null = int((images == 0).all(axis=1).sum())                  # |kernel| = 2^(d - rank)
    assert 2 ** (d - rank) == null
    feasible = (images == b).all(axis=1).any()
    if solution is None:
        assert not feasible
        assert cert.size <= rank + 1
        assert not (A[cert].sum(axis=0) % 2).any() and b[cert].sum() % 2 == 1
    else:
        assert feasible and cert is None
        assert np.array_equal((A.astype(int) @ solution.astype(int)) % 2, b.astype(int))


def test_solve_gf2_rank_over_gf2():
    A = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool)
    assert solve_gf2(A, np.zeros(4, dtype=bool))[2] == 2   # rank 2 over GF(2), 3 over R


@given(pst.parities(min_d=1, max_d=14), st.integers(1, 200), st.integers(0, 2**32 - 1))
def test_consistent_on_thelearner_sample(target, n, seed):
    """On a planted parity the output agrees with every example; with full rank
    it is the target itself."""
    res = learn_parity(target, eps=0.1, delta=0.1, n=n, rng=seed)
    X = learner_sample(pd.distributions.Uniform(target.d), n, seed)
    assert np.array_equal(res.model.predict(X), target.predict(X))
    if res.report["rank"] == target.d:
        assert res.model == target
    assert res.report["variables"] == len(res.model.variables)


def test_recovers_target_at_catalog_n():
    f = pd.Parity(40, [3, 17, 22, 39])
    res = learn_parity(f, eps=0.05, delta=0.01, rng=0)
    assert res.report["samples_used"] == pd.bounds.samples_needed(
        "realizable_finite", eps=0.05, delta=0.01, cls="parity", d=40)
    assert res.model == f and res.report["rank"] == 40


@pytest.mark.parametrize("f", [
    pd.Conjunction(8, [(0, 1), (3, -1)]),
    pd.LookupTable(8, -pd.Parity(8, [0, 1]).predict(pd.cube.enumerate(8))),
], ids=["conjunction", "negated-parity"])
def test_non_parities_are_refused_with_a_certificate(f):
    """A conjunction of two literals is no parity; -x0 x1 is not in the class
    (no negated parities, THEORY §4); each is refused with a certificate."""
    with pytest.raises(pd.errors.PromiseViolation) as info:
        learn_parity(f, eps=0.1, delta=0.1, n=100, rng=2)
    w = info.value.witness
    X = learner_sample(pd.distributions.Uniform(8), 100, 2)
    assert np.array_equal(X[w["indices"]], w["rows"])
    assert np.array_equal(f.predict(w["rows"]), w["labels"])
    # each variable is -1 an even number of times, so every parity's product is +1
    assert not ((w["rows"] == -1).sum(axis=0) % 2).any()
    assert np.prod(w["labels"].astype(int)) == -1


def test_parity_given_as_a_table_is_learned():
    f = pd.LookupTable.from_model(pd.Parity(8, [2, 5]))
    res = learn_parity(f, eps=0.05, delta=0.01, rng=4)
    assert res.model == pd.Parity(8, [2, 5])


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 0, "delta": 0.1}, "'eps' parameter of learn_parity"),
    ({"eps": 0.1, "delta": 0.1, "n": 2.5}, "'n' parameter of learn_parity"),
    ({"eps": 0.1, "delta": 0.1, "rng": "seed"}, "'rng' parameter of learn_parity"),
    ({"eps": 0.1, "delta": 0.1, "k": 3}, "unknown options"),
], ids=["eps", "n", "rng", "option"])
def test_bad_arguments(kwargs, match):
    with pytest.raises(pd.errors.InvalidParameterError, match=match):
        learn_parity(pd.Parity(4, [0]), **kwargs)


def _parity_source(rng, d):
    g = C["parity"].random(rng, d=d, k=int(rng.integers(0, d + 1)))
    return g if rng.random() < 0.5 else pd.LookupTable.from_model(g)


def test_acceptance_binomial():
    """Issue 4 acceptance: at the catalog's n for (0.1, 0.1), the number of
    seeded trials with err_D > eps passes the exact binomial test against delta
    (rejection when P[Bin(T, delta) >= X] < 1e-6; see _learner_acceptance)."""
    out = run_trials(learn_parity, _parity_source, trials=400, seed=21)
    print(out)
    assert out.p_value >= ALPHA, str(out)


def test_acceptance_harness_rejects_a_wrong_parity():
    """Control: a learner that adds one variable to the parity is rejected."""

    def broken(model, /, *, sampler=None, eps, delta, rng=None, **options):
        res = learn_parity(model, sampler=sampler, eps=eps, delta=delta, rng=rng)
        d = model.n_inputs
        extra = {int(rng.integers(d))} ^ set(res.model.variables)
        return Result(pd.Parity(d, sorted(extra)), res.report)

    out = run_trials(broken, _parity_source, trials=100, seed=22)
    assert out.p_value < ALPHA, str(out)
