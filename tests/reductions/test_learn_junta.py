"""Tests of learn_junta: brute force over variable subsets as a distiller
F -> Junta (THEORY §2, §4, §8)."""

import itertools
import math

import numpy as np
import pytest
from _learner_acceptance import (
    ALPHA,
    check_family,
    learner_sample,
    negating_junta_table,
    run_trials,
)
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import _subsets
from pacdistill.reductions.learn_junta import learn_junta

C = pd.CLASSES


def _consistent_subsets(X, y, k):
    """Naive reference: the k-subsets (lexicographic) on which no two rows with
    the same pattern carry different labels."""
    out = []
    for subset in itertools.combinations(range(X.shape[1]), k):
        seen = {}
        ok = True
        for row, label in zip(map(tuple, X[:, list(subset)]), y, strict=True):
            if seen.setdefault(row, label) != label:
                ok = False
                break
        if ok:
            out.append(subset)
    return out


def test_registered_from_every_class():
    """k is the promise class's parameter, declared as an extra symbol."""
    check_family(learn_junta, target="junta", kind="perfect", bound="realizable_finite",
                 efficient=False, at={"d": 30, "k": 3, "eps": 0.05, "delta": 0.01},
                 bound_params={"cls": "junta", "d": 30, "k": 3})
    g = learn_junta.edges["decision_tree"].guarantee
    assert S.k in g.samples.free_symbols and S.k not in C["decision_tree"].params
    assert g.size_map == {S.d: S.d, S.k: S.k}


@given(pst.juntas(min_d=1, max_d=8, min_k=1, max_k=3), st.integers(1, 120),
       st.integers(0, 2**32 - 1))
def test_first_consistent_subset(target, n, seed):
    """The output lives on the first consistent k-subset in lexicographic order
    (the naive search agrees), agrees with every example, and the report counts
    the subsets tried."""
    k = target.k
    res = learn_junta(target, k=k, eps=0.1, delta=0.1, n=n, rng=seed)
    X = learner_sample(pd.distributions.Uniform(target.d), n, seed)
    y = target.predict(X)
    assert np.array_equal(res.model.predict(X), y)
    subsets = _consistent_subsets(X, y, k)
    assert res.model.variables == subsets[0]
    order = list(itertools.combinations(range(target.d), k))
    assert res.report["subsets_tried"] == order.index(subsets[0]) + 1
    assert res.report["subsets_tried"] <= res.report["subsets_checked"]
    assert res.report["subsets_total"] == math.comb(target.d, k)


def test_recovers_target_at_catalog_n():
    f = pd.Junta(14, [9, 3, 12], [1, -1, -1, 1, -1, 1, 1, 1])
    res = learn_junta(f, k=3, eps=0.05, delta=0.01, rng=0)
    assert res.report["samples_used"] == pd.bounds.samples_needed(
        "realizable_finite", eps=0.05, delta=0.01, cls="junta", d=14, k=3)
    assert pd.checkers.equivalent(f, res.model).equal
    assert res.model.variables == (3, 9, 12)


@pytest.mark.parametrize("batch_cells", [None, 600], ids=["one-batch", "batches-of-2"])
def test_exhaustive_failure_reports_every_subset(batch_cells, monkeypatch):
    """A parity on k + 1 variables is no k-junta: all C(d, k) subsets are
    tried, and each comes with two examples that agree on it and differ in label.
    Also with BATCH_CELLS = 600 = 2n (subsets in 11 batches of at most 2): the
    witness collects every batch, not only the first (at the real 2^22 all 21
    subsets fit in one)."""
    if batch_cells is not None:
        monkeypatch.setattr(_subsets, "BATCH_CELLS", batch_cells)
        assert len(next(_subsets.subset_batches(7, 2, 300))) == 2
    f = pd.Parity(7, [1, 3, 5])
    with pytest.raises(pd.errors.PromiseViolation) as info:
        learn_junta(f, k=2, eps=0.1, delta=0.1, n=300, rng=5)
    w = info.value.witness
    assert w["subsets_tried"] == math.comb(7, 2) == len(w["subsets"]) == len(w["pairs"])
    assert [tuple(s) for s in w["subsets"].tolist()] == list(itertools.combinations(range(7), 2))
    X, y = w["rows"], w["labels"]
    assert np.array_equal(X, learner_sample(pd.distributions.Uniform(7), 300, 5))
    for subset, (p, q) in zip(w["subsets"], w["pairs"], strict=True):
        assert np.array_equal(X[p, subset], X[q, subset]) and y[p] == 1 and y[q] == -1


def test_constant_source_is_a_degenerate_1_junta():
    res = learn_junta(pd.Conjunction(5, []), k=1, eps=0.1, delta=0.1, rng=0)
    assert res.model.k == 1 and res.model.table.tolist() == [1, 1]
    assert res.report["subsets_tried"] == 1 and res.report["subsets_total"] == 5


@pytest.mark.parametrize("kwargs, match", [
    ({"k": 6}, "'k' parameter of learn_junta"),
    ({"k": 0}, "'k' parameter of learn_junta"),
    ({"k": 1.0}, "'k' parameter of learn_junta"),
    ({"k": 2, "depth": 1}, "unknown options"),
], ids=["k-too-big", "k-zero", "k-float", "option"])
def test_bad_arguments(kwargs, match):
    with pytest.raises(pd.errors.InvalidParameterError, match=match):
        learn_junta(pd.Parity(5, [0]), eps=0.1, delta=0.1, **kwargs)


def _recorder():
    calls = []
    return calls, lambda done, total: calls.append((done, total))


def test_progress_counts_the_subsets_checked():
    """progress(done, total) after every batch: done the subsets checked so far
    (non-decreasing, ending at subsets_checked), total C(d, k) = subsets_total.
    The search starts with 16 subsets and doubles, so d = 12, k = 3 (220
    subsets) with the target late in the order takes several batches."""
    calls, record = _recorder()
    f = pd.Junta(12, [9, 10, 11], [1, -1, -1, 1, -1, 1, 1, 1])
    res = learn_junta(f, k=3, eps=0.1, delta=0.1, rng=0, progress=record)
    report = res.report
    assert len(calls) >= 3
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[-1] == report["subsets_checked"]
    assert {c[1] for c in calls} == {report["subsets_total"]} == {math.comb(12, 3)}
    assert report["subsets_tried"] <= done[-1]


def test_progress_goes_on_through_the_certificate_walk(monkeypatch):
    """No subset consistent: the search reports up to (C, C), then collecting
    the certificate walks the subsets again, reported as (C + done, 2 C)."""
    monkeypatch.setattr(_subsets, "BATCH_CELLS", 600)  # batches of 2 subsets at n = 300
    calls, record = _recorder()
    with pytest.raises(pd.errors.PromiseViolation):
        learn_junta(pd.Parity(7, [1, 3, 5]), k=2, eps=0.1, delta=0.1, n=300, rng=5,
                    progress=record)
    total = math.comb(7, 2)
    done = [c[0] for c in calls]
    assert done == sorted(done) and calls[-1] == (2 * total, 2 * total)
    assert (total, total) in calls
    assert all(t == total for d_, t in calls if d_ <= total)
    assert all(t == 2 * total for d_, t in calls if d_ > total)


def test_a_bad_progress_is_refused_before_sampling():
    class Counting:
        n_inputs = 5
        calls = 0

        def predict(self, X):
            Counting.calls += 1
            return np.ones(len(X), dtype=int)

    with pytest.raises(pd.errors.InvalidParameterError,
                       match="'progress' parameter of learn_junta"):
        learn_junta(Counting(), k=2, eps=0.1, delta=0.1, progress=3)
    assert Counting.calls == 0
    # an unknown option's message names every keyword learn_junta takes, k included
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"It accepts: sampler, eps, delta, rng, n, k, progress\.$"):
        learn_junta(pd.Parity(5, [0]), k=2, eps=0.1, delta=0.1, depth=1)


def test_k_is_required():
    with pytest.raises(pd.errors.InvalidCallError, match="k"):  # not Python's bare TypeError
        learn_junta(pd.Parity(5, [0]), eps=0.1, delta=0.1)


def _k(rng, d):
    return {"k": int(rng.integers(1, 4))}


def _junta_source(rng, d, k):
    u = rng.random()
    if u < 0.5:
        g = C["junta"].random(rng, d=d, k=k)
    elif u < 0.7:
        g = C["parity"].random(rng, d=d, k=k)
    elif u < 0.85:
        g = C["conjunction"].random(rng, d=d, k=k)
    else:  # a decision tree reading at most k variables
        g = C["decision_tree"].random(rng, d=d, depth=1 if k < 3 else 2)
    return g if rng.random() < 0.7 else pd.LookupTable.from_model(g)


def test_acceptance_binomial():
    """Issue 4 acceptance: at the catalog's n for (0.1, 0.1), the number of
    seeded trials with err_D > eps passes the exact binomial test against delta
    (rejection when P[Bin(T, delta) >= X] < 1e-6; see _learner_acceptance)."""
    out = run_trials(learn_junta, _junta_source, trials=400, seed=51, options=_k)
    print(out)
    assert out.p_value >= ALPHA, str(out)


def test_acceptance_harness_rejects_a_scrambled_table():
    """Control: a learner that negates the learned table is rejected."""

    broken = negating_junta_table(learn_junta)
    out = run_trials(broken, _junta_source, trials=100, seed=52, options=_k)
    assert out.p_value < ALPHA, str(out)
