"""Tests of learn_decision_list: Rivest's greedy algorithm as a distiller
F -> DecisionList (1-DL) (THEORY §2, §4, §8)."""

import numpy as np
import pytest
from _learner_acceptance import ALPHA, check_family, learner_sample, run_trials
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import Result
from pacdistill.reductions.learn_decision_list import learn_decision_list

C = pd.CLASSES


def test_registered_from_every_class():
    """The bound is the 1-DL class size at length l = d (the greedy output's
    class), and the size map sends l to d."""
    check_family(learn_decision_list, target="decision_list", kind="perfect",
                 bound="realizable_finite", efficient=True,
                 at={"d": 25, "eps": 0.05, "delta": 0.01},
                 bound_params={"cls": "decision_list", "d": 25, "l": 25})
    g = learn_decision_list.edges["junta"].guarantee
    assert g.size_map == {S.d: S.d, S.l: S.d}


@given(pst.decision_lists(min_d=1, max_d=10, max_l=8, max_w=1), st.integers(1, 300),
       st.integers(0, 2**32 - 1))
def test_consistent_on_thelearner_sample(target, n, seed):
    """On a planted 1-DL the output is a 1-DL with at most d rules, each
    variable at most once, agreeing with every example."""
    res = learn_decision_list(target, eps=0.1, delta=0.1, n=n, rng=seed)
    X = learner_sample(pd.distributions.Uniform(target.d), n, seed)
    assert np.array_equal(res.model.predict(X), target.predict(X))
    size = res.model.size()
    assert size["w"] <= 1 and size["l"] <= target.d and size["l"] == res.report["rules"]
    used = [term[0][0] for term, _ in res.model.rules]
    assert len(used) == len(set(used))


def test_recovers_target_at_catalog_n():
    f = pd.DecisionList(10, [([(2, 1)], 1), ([(7, -1)], -1), ([(0, 1)], 1)], default=-1)
    res = learn_decision_list(f, eps=0.05, delta=0.01, rng=1)
    assert res.report["samples_used"] == pd.bounds.samples_needed(
        "realizable_finite", eps=0.05, delta=0.01, cls="decision_list", d=10, l=10)
    assert pd.checkers.equivalent(f, res.model).equal


def test_conjunctions_and_disjunctions_are_1_decision_lists():
    for f in (pd.Conjunction(9, [(1, 1), (4, -1), (8, 1)]),
              pd.DNF(9, [[(0, -1)], [(3, 1)], [(5, 1)]])):
        res = learn_decision_list(f, eps=0.05, delta=0.01, rng=2)
        assert pd.checkers.equivalent(f, res.model).equal


def test_xor_is_refused_with_evidence():
    """x0 XOR x1 is no 1-DL: greedy gets stuck, and every literal covering a
    remaining example covers one of each label."""
    f = pd.Parity(6, [0, 1])
    with pytest.raises(pd.errors.PromiseViolation) as info:
        learn_decision_list(f, eps=0.1, delta=0.1, n=300, rng=3)
    w = info.value.witness
    X = learner_sample(pd.distributions.Uniform(6), 300, 3)
    y = f.predict(X)
    rem = w["remaining"]
    assert np.array_equal(X[rem], w["rows"]) and np.array_equal(y[rem], w["labels"])
    assert len(set(w["labels"].tolist())) == 2
    # every literal that covers a remaining example is impure on them
    for i in range(6):
        for s in (1, -1):
            covers = X[rem, i] == s
            if covers.any():
                p, q = w["pairs"][(i, s)]
                assert p in rem and q in rem
                assert X[p, i] == s == X[q, i] and y[p] == 1 and y[q] == -1
            else:
                assert (i, s) not in w["pairs"]


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 0.1, "delta": 1.0}, "'delta' parameter of learn_decision_list"),
    ({"eps": 0.1, "delta": 0.1, "l": 3}, "unknown options \\['l'\\]"),
    ({"eps": 0.1, "delta": 0.1, "sampler": pd.distributions.Uniform(2)}, "d = 5"),
], ids=["delta", "option", "sampler-d"])
def test_bad_arguments(kwargs, match):
    with pytest.raises(pd.errors.InvalidParameterError, match=match):
        learn_decision_list(pd.DecisionList(5, [([(0, 1)], 1)], -1), **kwargs)


def _decision_list_source(rng, d):
    u = rng.random()
    if u < 0.6:
        g = C["decision_list"].random(rng, d=d, l=int(rng.integers(0, d + 1)), w=1)
    else:  # a conjunction is a 1-DL too
        g = C["conjunction"].random(rng, d=d, k=int(rng.integers(0, d + 1)))
    return g if rng.random() < 0.7 else pd.LookupTable.from_model(g)


def test_acceptance_binomial():
    """Issue 4 acceptance: at the catalog's n for (0.1, 0.1), the number of
    seeded trials with err_D > eps passes the exact binomial test against delta
    (rejection when P[Bin(T, delta) >= X] < 1e-6; see _learner_acceptance)."""
    out = run_trials(learn_decision_list, _decision_list_source, trials=400, seed=31)
    print(out)
    assert out.p_value >= ALPHA, str(out)


def test_acceptance_harness_rejects_a_truncated_list():
    """Control: keeping only the first rule of the greedy list is rejected."""

    def broken(model, /, *, sampler=None, eps, delta, rng=None, **options):
        res = learn_decision_list(model, sampler=sampler, eps=eps, delta=delta, rng=rng)
        out = res.model
        return Result(pd.DecisionList(out.d, out.rules[:1], -out.default), res.report)

    out = run_trials(broken, _decision_list_source, trials=200, seed=32)
    assert out.p_value < ALPHA, str(out)


def test_ties_between_pure_literals_follow_the_documented_order():
    """The module docstring's tie rule: among pure literals covering equally many
    remaining examples, every x_i = +1 comes before every x_i = -1 (each sign in
    order of i). f is -1 except at (x0, x1, x2) = (+1, -1, +1): x1 = +1, x0 = -1
    and x2 = -1 each cover 4 examples, all -1, so the first rule is x1 = +1 (the
    docstring said "ties to the lowest variable", which would be x0 = -1)."""
    X = pd.cube.enumerate(3)
    y = -np.ones(8, dtype=np.int8)
    y[2] = 1                                  # row 2: x0 = +1, x1 = -1, x2 = +1
    f = pd.LookupTable(3, y)
    res = learn_decision_list(f, eps=0.1, delta=0.1, rng=0, n=200)
    sample = learner_sample(pd.distributions.Uniform(3), 200, 0)
    assert len(np.unique(sample, axis=0)) == 8       # the whole cube is in the sample
    assert res.model.rules[0] == (((1, 1),), -1)
    assert np.array_equal(res.model.predict(X), y)
