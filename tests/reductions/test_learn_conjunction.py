"""Tests of learn_conjunction: elimination as a distiller F -> Conjunction (THEORY §2, §4, §8)."""

import numpy as np
import pytest
from _learner_acceptance import ALPHA, check_family, disguise, learner_sample, run_trials
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import Result
from pacdistill.reductions.learn_conjunction import learn_conjunction

C = pd.CLASSES


def test_registered_from_every_class():
    check_family(learn_conjunction, target="conjunction", kind="perfect",
                 bound="realizable_finite", efficient=True,
                 at={"d": 20, "eps": 0.05, "delta": 0.01},
                 bound_params={"cls": "conjunction", "d": 20})


@given(pst.conjunctions(min_d=1, max_d=10), st.integers(1, 300), st.integers(0, 2**32 - 1))
def test_consistent_and_most_specific(target, n, seed):
    """On a planted conjunction the output agrees with every example and keeps
    every literal of the target (elimination drops only falsified literals)."""
    D = pd.distributions.Uniform(target.d)
    res = learn_conjunction(target, eps=0.1, delta=0.1, n=n, rng=seed)
    X = learner_sample(D, n, seed)
    assert np.array_equal(res.model.predict(X), target.predict(X))
    if res.report["positives"]:
        assert set(target.literals) <= set(res.model.literals)
        assert res.report["rule"] == "elimination"
    assert res.report["samples_used"] == n and res.report["n_source"] == "given"
    assert res.report["literals"] == len(res.model.literals)


def test_recovers_target_at_catalog_n():
    f = pd.Conjunction(12, [(0, 1), (5, -1), (7, 1)])
    res = learn_conjunction(f, eps=0.05, delta=0.01, rng=3)
    assert res.report["samples_used"] == pd.bounds.samples_needed(
        "realizable_finite", eps=0.05, delta=0.01, cls="conjunction", d=12)
    assert pd.checkers.equivalent(f, res.model).equal
    assert set(res.report) >= {"samples_used", "queries_used", "seconds", "samples_needed"}


def test_parity_is_refused_with_evidence():
    """x0 * x1 is no conjunction: a negative example satisfies every literal
    shared by the positives (THEORY §2: say the promise is false)."""
    f = pd.Parity(6, [0, 1])
    with pytest.raises(pd.errors.PromiseViolation) as info:
        learn_conjunction(f, eps=0.1, delta=0.1, n=200, rng=0)
    w = info.value.witness
    X = learner_sample(pd.distributions.Uniform(6), 200, 0)
    assert np.array_equal(X[w["index"]], w["row"])
    assert f.predict(w["row"][None])[0] == -1
    assert w["most_specific"].predict(w["row"][None])[0] == 1
    positives = X[f.predict(X) == 1]
    assert len(positives) == w["positives"]
    assert (w["most_specific"].predict(positives) == 1).all()


def test_no_positive_example_accepts_an_unseen_point():
    """With every example negative the output accepts one point outside the
    sample (the most specific conjunction, constant -1, is not in the type)."""
    f = pd.Conjunction(8, [(0, 1), (1, 1)])
    D = pd.distributions.Subcube(8, {0: -1})      # f is -1 on the whole support
    res = learn_conjunction(f, sampler=D, eps=0.1, delta=0.1, n=300, rng=1)
    assert res.report["rule"] == "unseen point" and res.report["positives"] == 0
    X = learner_sample(D, 300, 1)
    assert (res.model.predict(X) == -1).all()
    assert res.model.size()["k"] == 8
    assert pd.checkers.disagreement(f, res.model, D).value <= 2.0**-7


def test_constant_minus_one_on_the_whole_cube_is_refused():
    f = pd.LookupTable(2, [-1, -1, -1, -1])
    with pytest.raises(pd.errors.PromiseViolation, match="every point of the cube"):
        learn_conjunction(f, eps=0.1, delta=0.1, n=200, rng=0)


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 1.5, "delta": 0.1}, "'eps' parameter of learn_conjunction"),
    ({"eps": 0.1, "delta": 0}, "'delta' parameter of learn_conjunction"),
    ({"eps": 0.1, "delta": 0.1, "n": 0}, "'n' parameter of learn_conjunction"),
    ({"eps": 0.1, "delta": 0.1, "sampler": pd.distributions.Uniform(3)}, "d = 4"),
    ({"eps": 0.1, "delta": 0.1, "sampler": "uniform"}, "'sampler' parameter"),
    ({"eps": 0.1, "delta": 0.1, "depth": 3}, "unknown options \\['depth'\\]"),
], ids=["eps", "delta", "n", "sampler-d", "sampler-type", "option"])
def test_bad_arguments(kwargs, match):
    with pytest.raises(pd.errors.InvalidParameterError, match=match):
        learn_conjunction(pd.Conjunction(4, [(0, 1)]), **kwargs)


def _conjunction_source(rng, d):
    g = C["conjunction"].random(rng, d=d, k=int(rng.integers(0, d + 1)))
    # also as another class computing the same function
    return g if rng.random() < 0.5 else pd.LookupTable.from_model(g)


def test_acceptance_binomial():
    """Issue 4 acceptance: at the catalog's n for (0.1, 0.1), the number of
    seeded trials with err_D > eps passes the exact binomial test against delta
    (rejection when P[Bin(T, delta) >= X] < 1e-6; see _learner_acceptance)."""
    out = run_trials(learn_conjunction, _conjunction_source, trials=400, seed=11)
    print(out)
    assert out.p_value >= ALPHA, str(out)


def test_acceptance_harness_rejects_a_broken_learner():
    """Control: the same harness rejects a learner that ignores its examples."""

    def broken(model, /, *, sampler=None, eps, delta, rng=None, **options):
        res = learn_conjunction(model, sampler=sampler, eps=eps, delta=delta, rng=rng)
        wrong = C["conjunction"].random(rng, d=model.n_inputs, k=1)
        return Result(wrong, res.report)

    out = run_trials(broken, _conjunction_source, trials=200, seed=12)
    assert out.p_value < ALPHA, str(out)


def test_disguised_source_is_only_realizable_under_D():
    """The acceptance sources include f that is a conjunction only on supp(D):
    the learner still succeeds, and f differs from the planted g off the support."""
    rng = np.random.default_rng(5)
    g = pd.Conjunction(10, [(1, 1), (2, -1)])
    D = pd.distributions.Subcube(10, {0: 1, 3: -1})
    f = disguise(g, D, rng)
    assert pd.checkers.disagreement(f, g).value > 0          # differs under uniform
    assert pd.checkers.disagreement(f, g, D).value == 0      # equal D-almost surely
    res = learn_conjunction(f, sampler=D, eps=0.05, delta=0.01, rng=6)
    assert pd.checkers.disagreement(f, res.model, D).value <= 0.05


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 1e-9, "delta": 0.1}, r"catalog's sample size \(realizable_finite\) at eps = 1e-09"),
    ({"eps": 0.1, "delta": 0.1, "n": 10**9}, "the given n"),
], ids=["catalog-n", "given-n"])
def test_a_sample_too_large_is_refused_naming_n_and_eps(kwargs, match):
    """A tiny eps makes the catalog's n huge: the refusal names n, where it came from
    (the catalog at this eps, or the caller) and what to change, before any point is
    drawn (before the fix: Uniform.sample's message, which names neither eps nor n's
    origin)."""
    with pytest.raises(pd.errors.TooLargeError, match=match) as info:
        learn_conjunction(pd.Conjunction(50, [(0, 1)]), rng=0, **kwargs)
    assert "learn_conjunction would draw n = " in str(info.value)
