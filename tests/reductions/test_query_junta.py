"""Tests of query junta distillation, pd.distill_junta / query_junta (THEORY §6, issue 6).

Acceptance (issue 6): exact recovery of random k-juntas inside planted networks,
DNFs and lookup tables (equal on the whole cube for d <= 16, on 20,000 fresh
samples beyond), with the algorithm's queries within THEORY §6's formula in
every trial; approximate juntas (a trained network, a junta with flipped
points) get a certified PromiseViolation or a returned junta whose report
claims no more than was checked.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta
from threadpoolctl import threadpool_limits

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.compose import compose
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import REGISTRY, Result
from pacdistill.reductions import tree_to_relu as _tree_to_relu  # noqa: F401  (registers it)
from pacdistill.reductions.query_junta import (
    CHECK_LEVEL,
    QUERIES_FORMULA,
    T_FORMULA,
    check_alpha,
    default_t,
    failure_bound,
    query_bound,
    query_junta,
)

DELTA = 1e-3


# ----------------------------------------------------------------- sources
def _nondegenerate_junta(rng, d, k):
    """A random k-junta that depends on all its k variables (redrawn otherwise)."""
    while True:
        j = pd.CLASSES["junta"].random(rng, d=d, k=k)
        if _true_relevant(j) == set(j.variables):
            return j


def _true_relevant(j):
    """The variables a Junta really depends on (from its table)."""
    table = j.table.reshape((2,) * j.k) if j.k else j.table
    out = set()
    for b, var in enumerate(j.variables):  # loop over the k variables (structure)
        axis = j.k - 1 - b  # bit b of the table index is axis k-1-b of the C-order reshape
        if not np.array_equal(np.take(table, 0, axis=axis), np.take(table, 1, axis=axis)):
            out.add(var)
    return out


def _planted(j):
    """Junta -> DecisionTree -> ReLUNetwork through the registered exact edges."""
    tree = REGISTRY["junta_to_tree"].run(j).model
    return REGISTRY["tree_to_relu"].run(tree).model


def _and_junta(rng, d, k):
    """The hardest case for §6's detection: -1 on one of the 2^k cells only."""
    table = np.ones(1 << k, dtype=np.int8)
    table[int(rng.integers(1 << k))] = -1
    return pd.Junta(d, [int(i) for i in rng.choice(d, size=k, replace=False)], table)


def _dnf(rng, d):
    f = pd.CLASSES["dnf"].random(rng, d=d, s=2, w=2)
    variables = sorted({i for term in f.terms for i, _ in term})
    return f, len(variables), set(variables)


def _assert_certified(f, out_points, variables):
    """Each row of out_points changes f's value when its variable is flipped."""
    points = np.asarray(out_points)
    flipped = points.copy()
    flipped[np.arange(len(variables)), list(variables)] *= -1
    assert (f.predict(points) != f.predict(flipped)).all()


def _assert_query_accounting(out):
    r = out.report
    d, k, t = r["d"], r["k_effective"], r["t"]
    assert k == min(r["k"], d)
    # THEORY §6's formula, evaluated exactly; the algorithm never exceeds it ...
    assert r["queries_algorithm"] <= r["queries_bound"] == query_bound(d, k, t)
    # ... nor the tighter count derived in the module docstring
    found = len(out.relevant)
    assert r["queries_algorithm"] <= (2 ** (found + 1) - 1) * t + found * (d - 1).bit_length()
    assert r["queries_algorithm"] == sum(x["queries"] for x in r["rounds"]) + r["search_queries"]
    assert out.queries == r["queries_used"] == r["queries_algorithm"] + r["queries_check"]
    assert r["queries_check"] == r["check"]["points"] * r["check"]["checks"]
    assert r["samples_used"] == 0


# ------------------------------------------------------------- acceptance
#: Seeded trials of the acceptance test, and delta per trial (see its docstring).
TRIALS = 3000
ACCEPT_DELTA = 2e-10
#: Confidence of the Clopper-Pearson bound the acceptance test reports.
CONFIDENCE = 0.95


@functools.cache
def _check_points(d):
    """Where the acceptance test compares output and f: the whole cube for
    d <= 16; beyond, 20,000 uniform points drawn once per d from a generator
    of their own (fresh for every run: independent of its queries)."""
    if d <= 16:
        return pd.cube.enumerate(d)
    return pd.distributions.Uniform(d).sample(20_000, np.random.default_rng([7, d]))


def _source(trial, rng):
    """(f, k, f's relevant variables, d): a random k-junta inside a planted
    network (kinds 0, 1; k <= 4), a DNF (2), a lookup table (3; k <= 5), or a
    junta (k <= 5) given with k one larger than needed (4)."""
    kind = trial % 5
    d = int(rng.choice([8, 12, 16, 24, 60, 100]))
    # k <= 4 in planted networks: a planted 5-junta costs ~0.1 s a run (network evaluations)
    k = int(rng.integers(1, 5 if kind < 2 else 6))
    if kind == 0:  # random junta inside a planted network
        j = pd.CLASSES["junta"].random(rng, d=d, k=k)
        return _planted(j), k, _true_relevant(j), d
    if kind == 1:  # AND-like junta (-1 on one cell of 2^k) inside a planted network
        j = _and_junta(rng, d, k)
        return _planted(j), k, set(j.variables), d
    if kind == 2:  # a DNF of 2 terms of width 2 (a junta on <= 4 variables)
        f, k, relevant = _dnf(rng, d)
        return f, k, relevant, d
    if kind == 3:  # a lookup table of a random junta (d <= 16: the table is 2^d entries)
        d = int(rng.choice([8, 12, 16]))
        j = pd.CLASSES["junta"].random(rng, d=d, k=k)
        return pd.LookupTable.from_model(j), k, _true_relevant(j), d
    j = pd.CLASSES["junta"].random(rng, d=d, k=k)
    return j, min(d, k + 1), _true_relevant(j), d


@pytest.mark.slow
def test_exact_recovery_in_seeded_trials():
    """Issue 6 acceptance: exact recovery in >= 99.9% of seeded trials, with the
    queries within THEORY §6's formula in every trial.

    Setup. TRIALS = 3000 seeded trials, a fifth each of: a random k-junta in a
    planted network (Junta -> DecisionTree -> ReLUNetwork), an AND-like junta
    (-1 on one cell of 2^k: the hardest case for detection) in a planted
    network, a DNF (2 terms of width 2), the lookup table of a random junta,
    and a junta given with k one larger than needed. k is in 1..4 in the
    planted networks (a planted 5-junta costs ~0.1 s a run) and 1..5
    otherwise; d is in {8, 12, 16, 24, 60, 100} (lookup tables: d <= 16).
    Each trial runs the declared algorithm (``final_check=0``) at delta =
    ACCEPT_DELTA = 2e-10 (t grows only like ln(1/delta): t = 439 at k = 4,
    906 at k = 5) and asserts: the query accounting (queries used <= THEORY
    §6's formula, and <= the tighter count of query_junta's docstring); that
    every found variable is among f's relevant ones and certified by a
    sensitive pair; and exact recovery: equal to f on the whole cube for
    d <= 16, on 20,000 fresh uniform samples for d > 16 (drawn once per d,
    independent of every run's queries). The sampled check misses no
    difference in practice: f is by construction a function of its <= 5
    relevant variables, and the output of a subset of them, so if they
    differ they differ on >= 2^-5 of the cube, which 20,000 independent
    uniform samples miss with probability (1 - 2^-5)^20000 < 1e-270 per run
    (< 1e-266 over all 3000 runs).

    No failure is allowed. THEORY §6 bounds each trial's failure probability
    by delta for every source, and each trial draws from its own seeded
    generator; treating the seeds as random, a correct implementation fails
    this test with probability <= 1 - (1 - delta)^3000 = 6.0e-7 < 1e-6
    (computed below). The seeds are fixed, so the test is deterministic.

    What observing 3000/3000 establishes. For the failure rate p of the
    implementation *on the distribution of trials above* (a mixture of
    sources), 0 failures in 3000 trials give the exact one-sided
    Clopper-Pearson upper bound p <= 1 - 0.05^(1/3000) = 9.98e-4 at 95%
    confidence (Clopper & Pearson 1934, doi:10.1093/biomet/26.4.404; computed
    below as scipy's beta quantile): a success rate >= 99.9% at 95%
    confidence. What it does not establish: it is statistical evidence, not
    a proof; not 99.9% at 99% confidence (that needs 4,603 clean trials); not
    a bound for each source separately, nor for sources, k or d outside the
    mixture; and not the guaranteed rate delta = 2e-10 itself, far below
    what any feasible number of trials resolves (that rests on THEORY §6's
    derivation). 1,000 clean trials would bound p <= 1e-3 only at 63%
    confidence (0.999^1000 = 0.37)."""
    p_wrong_fail = -math.expm1(TRIALS * math.log1p(-ACCEPT_DELTA))
    assert p_wrong_fail < 1e-6
    cp_upper = float(beta.ppf(CONFIDENCE, 1, TRIALS))  # Clopper-Pearson, 0 failures
    assert cp_upper == pytest.approx(1 - (1 - CONFIDENCE) ** (1 / TRIALS))
    assert cp_upper < 1e-3
    rng = np.random.default_rng(20240606)
    failures = []
    # one BLAS thread: the networks' small matrix products only lose to threading
    # (measured: 39 s with one thread, 68 s with the default on 2 shared cores)
    with threadpool_limits(limits=1, user_api="blas"):
        for trial in range(TRIALS):  # loop over seeded trials
            _trial(trial, rng, failures)
    assert not failures, failures


def _trial(trial, rng, failures):
    """One acceptance trial: asserts the deterministic facts; appends
    (trial, k, d) to ``failures`` when the output differs from f."""
    f, k, relevant, d = _source(trial, rng)
    out = pd.distill_junta(f, k=k, delta=ACCEPT_DELTA, rng=trial, final_check=0)
    _assert_query_accounting(out)
    assert out.report["queries_used"] <= query_bound(d, k, default_t(k, ACCEPT_DELTA))
    assert set(out.relevant) <= relevant and len(relevant) <= 5
    _assert_certified(f, out.report["sensitive_points"], out.relevant)
    X = _check_points(d)
    if not np.array_equal(f.predict(X), out.junta.predict(X)):
        failures.append((trial, k, d))


@given(pst.juntas(min_d=1, max_d=10, min_k=0, max_k=4), st.integers(0, 3),
       st.integers(0, 2**32 - 1))
def test_any_junta_recovered_exactly(j, slack, seed):
    """Property (THEORY §6): for any junta (degenerate ones included) and any
    k >= its number of variables, the output equals it on the whole cube.
    delta = 1e-9 per example, so the 30 examples fail with probability < 1e-7."""
    k = j.k + slack
    out = pd.distill_junta(j, k=k, delta=1e-9, rng=seed, final_check=0)
    same = pd.checkers.equivalent(j, out.junta)
    assert same.exhaustive and same.equal, (j, out.junta)
    assert set(out.relevant) == _true_relevant(j)
    _assert_query_accounting(out)


def test_same_seed_same_result():
    f = _planted(_nondegenerate_junta(np.random.default_rng(3), 40, 4))
    a = pd.distill_junta(f, k=4, delta=0.01, rng=7)
    b = pd.distill_junta(f, k=4, delta=0.01, rng=7)
    assert a.relevant == b.relevant and a.queries == b.queries
    assert a.junta == b.junta


# ---------------------------------------------------------- broken promises
def test_k_plus_one_relevant_variables_raise_with_a_certificate():
    """A parity of 4 variables is not a 3-junta: the violation names 4 variables,
    each with a pair of points differing in it on which f differs."""
    f = pd.Parity(30, [2, 11, 17, 25])
    with pytest.raises(pd.errors.PromiseViolation, match="not a 3-junta") as info:
        pd.distill_junta(f, k=3, delta=DELTA, rng=0)
    w = info.value.witness
    assert len(set(w["variables"])) == 4 and set(w["variables"]) <= {2, 11, 17, 25}
    assert (f.predict(w["points"]) == w["values"][:, 0]).all()
    assert (f.predict(w["flipped"]) == w["values"][:, 1]).all()
    assert (w["values"][:, 0] != w["values"][:, 1]).all()
    diff = w["points"] != w["flipped"]
    assert (diff.sum(axis=1) == 1).all()
    assert [int(np.flatnonzero(row)[0]) for row in diff] == list(w["variables"])
    assert w["queries"] > 0


def test_a_constant_promise_is_refuted_by_any_sensitive_pair():
    with pytest.raises(pd.errors.PromiseViolation, match="to the 1 variable x4 ") as info:
        pd.distill_junta(pd.Junta(6, [4], [1, -1]), k=0, delta=0.01, rng=0)
    assert info.value.witness["variables"] == (4,)
    out = pd.distill_junta(pd.Junta(6, [], [-1]), k=0, delta=0.01, rng=0)
    assert out.relevant == () and out.junta.table.tolist() == [-1]


@pytest.mark.parametrize("d, k, t", [(1000, 0, None), (5000, 1, 8), (5000, 2, 3),
                                     (300, 3, None)])
def test_a_refuting_run_makes_at_most_one_search_more(d, k, t):
    """query_junta's docstring: a run that refutes the promise stops at its
    (k + 1)-th search, within (2^(k+1) - 1) t + (k + 1) ceil(log2 d) <= Q +
    ceil(log2 d) - 1 queries; Q alone is no bound there (k = 0: Q = t + 1)."""
    f = pd.Parity(d, [int(v) for v in np.linspace(0, d - 1, k + 1)])
    with pytest.raises(pd.errors.PromiseViolation) as info:
        pd.distill_junta(f, k=k, delta=0.01, t=t, rng=0, final_check=0)
    t = default_t(k, 0.01) if t is None else t
    log_d = (d - 1).bit_length()
    used = info.value.witness["queries"]
    assert used <= (2 ** (k + 1) - 1) * t + (k + 1) * log_d <= query_bound(d, k, t) + log_d - 1
    if k == 0:
        assert used > query_bound(d, k, t)  # the docstring's caveat is real


def _flipped_junta(rng, d, k, flips):
    j = _nondegenerate_junta(rng, d, k)
    table = j.predict(pd.cube.enumerate(d)).copy()
    table[rng.choice(1 << d, size=flips, replace=False)] *= -1
    return pd.LookupTable(d, table)


def _assert_honest(f, k, seed, final_check=2000):
    """One run on an approximate junta: a certified violation, or a returned
    junta whose report claims exactness only under the promise and whose
    unconditional claim (err <= upper) holds. Returns the outcome's name."""
    try:
        out = pd.distill_junta(f, k=k, delta=DELTA, rng=seed, final_check=final_check)
    except pd.errors.PromiseViolation as err:
        w = err.witness
        assert len(set(w["variables"])) == k + 1
        _assert_certified(f, w["points"], w["variables"])
        return "violation"
    _assert_query_accounting(out)
    _assert_certified(f, out.report["sensitive_points"], out.relevant)
    X = pd.cube.enumerate(f.n_inputs)
    err = float(np.mean(out.junta.predict(X) != f.predict(X)))
    assert err > 0  # f is not a k-junta, so no k-junta equals it ...
    assert "exact only under the promise" in out.report["claim"]  # ... and none is claimed to
    check = out.report["check"]
    assert check["points"] == final_check and check["level"] == CHECK_LEVEL
    # the unconditional claim from N fresh points with no disagreement, at the
    # share of 1 - CHECK_LEVEL spent on the check the junta passed
    alpha = check_alpha(check["checks"], k)
    assert check["alpha"] == alpha
    assert check["upper"] == pytest.approx(1 - alpha ** (1 / final_check))
    # Here it holds deterministically: f differs from the planted junta on at most
    # 3 / 4096 < 0.0023 <= upper, and the returned junta agrees with f on
    # the last check's 2000 points.
    assert err <= check["upper"]
    return "returned" if not check["disagreements"] else "returned after a disagreement"


def test_junta_with_flipped_points_is_never_claimed_exact():
    """A 3-junta on d = 12 with 1 or 3 entries of its 4096-entry table flipped
    is not a 3-junta. A flipped point is hit by the algorithm's ~2,000-3,000
    queries with probability about 1/2, so some runs end in a certified
    PromiseViolation and others return the planted junta, checked on 2,000
    fresh points that miss the flip; those must not be presented as exact.
    Both outcomes occur over the 40 seeded runs."""
    rng = np.random.default_rng(11)
    outcomes = {}
    for seed in range(40):  # loop over seeded runs
        f = _flipped_junta(rng, 12, 3, flips=1 + 2 * (seed % 2))
        name = _assert_honest(f, 3, seed)
        outcomes[name] = outcomes.get(name, 0) + 1
    assert outcomes.get("violation", 0) > 0 and outcomes.get("returned", 0) > 0, outcomes


def _trained_network(rng, d, k, seed):
    """A ReLU MLP trained (online, small batches) on a random k-junta until its
    accuracy on the whole cube is in [0.96, 0.985]; None if never."""
    from sklearn.neural_network import MLPClassifier

    j = _nondegenerate_junta(rng, d, k)
    X = pd.cube.enumerate(d)
    y = j.predict(X)
    mlp = MLPClassifier(hidden_layer_sizes=(16,), random_state=seed, learning_rate_init=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(300):  # loop over training steps
            idx = rng.choice(len(X), size=64)
            mlp.partial_fit(X[idx], y[idx], classes=[-1, 1])
            net = pd.ReLUNetwork.from_sklearn(mlp)
            acc = float(np.mean(net.predict(X) == y))
            if 0.96 <= acc <= 0.985:
                return net, acc
    return None


def test_trained_network_at_97_percent_gets_an_honest_answer():
    """A network trained to ~97% accuracy on a 3-junta is only approximately a
    junta: the result is a certified violation (what we observe for these
    seeds) or a junta whose report does not claim exactness. The violation's
    message points to what such a user wants instead: the agnostic erm_junta."""
    rng = np.random.default_rng(5)
    seen = []
    for seed in range(3):  # loop over trained networks
        trained = _trained_network(rng, 12, 3, seed)
        assert trained is not None
        net, acc = trained
        outcome = _assert_honest_network(net, 3, seed)
        seen.append((round(acc, 3), outcome))
    assert all(outcome == "violation" for _, outcome in seen), seen
    with pytest.raises(pd.errors.PromiseViolation) as info:
        pd.distill_junta(net, k=3, delta=DELTA, rng=0)
    found = re.search(r"erm_junta\(model, k=\.\.\., eps=\.\.\., delta=\.\.\.\) \(from "
                      r"([\w.]+)\) finds the k-junta that errs least on samples, without the "
                      r"promise", str(info.value))
    assert found, str(info.value)
    # the named function exists there and takes what the message says
    where = importlib.import_module(found.group(1))
    assert callable(where.erm_junta)
    assert where.erm_junta(net, k=3, eps=0.3, delta=0.1, rng=0).model.k == 3


def _assert_honest_network(f, k, seed):
    try:
        out = pd.distill_junta(f, k=k, delta=DELTA, rng=seed)
    except pd.errors.PromiseViolation as err:
        _assert_certified(f, err.witness["points"], err.witness["variables"])
        return "violation"
    X = pd.cube.enumerate(f.n_inputs)
    err = float(np.mean(out.junta.predict(X) != f.predict(X)))
    # a returned junta passed 2000 fresh points: err > ln(1e6)/2000 would have
    # been detected except with probability < 1e-6
    assert err <= math.log(1e6) / out.report["check"]["points"]
    assert "exact only under the promise" in out.report["claim"]
    return "returned"


def test_a_model_writing_into_its_input_does_not_forge_a_certificate():
    """Regression: QueryCounter handed the model the algorithm's own array, so a
    predict that writes into its input (x2 set to +1 after answering, as an
    in-place op on a torch.from_numpy view would) changed the points the binary
    search then walked: a genuine 2-junta on (x2, x7) got a 'certified'
    PromiseViolation naming x1, x7, x9."""
    j = pd.Junta(10, [2, 7], [1, -1, -1, 1])

    class Scribbler:
        n_inputs = 10

        def predict(self, X):
            y = j.predict(X)
            X[:, 2] = 1
            return y

    out = pd.distill_junta(Scribbler(), k=2, delta=0.01, rng=0)
    assert out.relevant == (2, 7) and pd.checkers.equivalent(out.junta, j).equal
    _assert_certified(j, out.report["sensitive_points"], out.relevant)


def test_the_claim_states_the_failure_probability_of_the_t_used():
    """Regression: the claim said 'with probability >= 1 - delta if f is a k-junta'
    whatever t was, but a t below default_t(k, delta) guarantees only
    failure_bound(k, t) (1 at t = 1: nothing)."""
    j = pd.Junta(20, [3, 9, 14], [1, 1, 1, 1, 1, 1, 1, -1])
    at_default = pd.distill_junta(j, k=3, delta=0.01, rng=2).report
    assert "with probability >= 1 - 0.01 if f is a 3-junta" in at_default["claim"]
    assert at_default["claim"].endswith("exact only under the promise")
    few = pd.distill_junta(j, k=3, delta=0.01, t=1, rng=2).report
    assert few["failure_bound"] == 1.0
    assert "1 - 0.01" not in few["claim"] and "no probability" in few["claim"]
    assert few["claim"].endswith("not shown to be exact even under the promise")
    t = default_t(3, 0.01) + 40                   # more than needed: failure < delta
    more = pd.distill_junta(j, k=3, delta=0.01, t=t, rng=2).report
    assert "with probability >= 1 - 0.01 if" in more["claim"]
    t = 2 * default_t(3, 0.01) // 3               # fewer: failure_bound(3, t) in (delta, 1)
    assert 0.01 < failure_bound(3, t) < 1
    some = pd.distill_junta(j, k=3, delta=0.01, t=t, rng=2).report
    assert f"with probability >= 1 - {failure_bound(3, t):.3g} if" in some["claim"]


def test_a_check_disagreement_resumes_the_search():
    """With t = 1 the rounds see one point per restriction and stop early with a
    wrong junta; the final check's disagreement is a pair that agrees on R, so
    the search certifies another variable and resumes until the check passes."""
    j = pd.Junta(20, [3, 9, 14], [1, 1, 1, 1, 1, 1, 1, -1])  # -1 on 1/8 of the cube
    out = pd.distill_junta(j, k=3, delta=0.01, t=1, rng=2)
    assert out.report["check"]["disagreements"]
    assert out.report["check"]["checks"] == len(out.report["check"]["disagreements"]) + 1
    assert out.report["failure_bound"] == 1.0  # t = 1 guarantees nothing; the check did
    assert out.relevant == (3, 9, 14)
    assert pd.checkers.equivalent(j, out.junta).equal
    _assert_query_accounting(out)


def test_the_check_confidence_is_split_over_the_checks_of_a_run():
    """Regression: every check was read at alpha = 1 - CHECK_LEVEL, but a run checks
    up to k + 1 juntas and returns the first that passes, so the claimed confidence
    held only for a single check. The shares check_alpha(j, k) sum to 1 - level over
    j = 1..k+1 (a union bound over the checks), and a junta returned after a
    disagreement is read at its own check's share."""
    for k in range(6):  # loop over promises
        shares = [check_alpha(j, k) for j in range(1, k + 2)]
        assert math.fsum(shares) == pytest.approx(1 - CHECK_LEVEL, rel=1e-12)
    j = pd.Junta(20, [3, 9, 14], [1, 1, 1, 1, 1, 1, 1, -1])
    out = pd.distill_junta(j, k=3, delta=0.01, t=1, rng=2)
    check = out.report["check"]
    assert check["checks"] >= 2
    assert check["alpha"] == check_alpha(check["checks"], 3) < (1 - CHECK_LEVEL) / 2
    single = 1 - (1 - CHECK_LEVEL) ** (1 / check["points"])
    assert check["upper"] == pytest.approx(1 - check["alpha"] ** (1 / check["points"]))
    assert check["upper"] > single
    assert f"<= {check['upper']:.3g} at confidence {CHECK_LEVEL}" in out.report["claim"]


def test_a_promise_past_d_runs_as_the_d_junta_promise():
    """Regression: k > d ran with t = default_t(k), paying for restrictions on
    variables that do not exist (d = 4, k = 8: 105,510 queries, 15x those at k = 4);
    every f on d variables is a d-junta, so the run is the k = d one."""
    f = pd.Parity(4, [0, 1, 2, 3])
    at_d = pd.distill_junta(f, k=4, delta=0.01, rng=0)
    past = pd.distill_junta(f, k=8, delta=0.01, rng=0)
    assert past.report["k"] == 8 and past.report["k_effective"] == 4
    assert past.queries == at_d.queries and past.junta == at_d.junta == pd.Junta(
        4, [0, 1, 2, 3], f.predict(pd.cube.enumerate(4)))
    _assert_query_accounting(past)
    with pytest.raises(pd.errors.TooLargeError, match="whole truth table"):
        pd.distill_junta(pd.Parity(12, [0]), k=13, delta=0.01)


# ------------------------------------------------------------- guarantee
def test_registered_from_every_class_with_the_theory_guarantee():
    assert set(query_junta.edges) == set(pd.CLASSES)
    for src, edge in query_junta.edges.items():
        g = edge.guarantee
        assert edge.access == "queries" and edge.efficient and edge.name == f"query_junta[{src}]"
        assert (g.kind, g.from_class, g.to_class) == ("perfect", src, "junta")
        assert (g.promise.cls, g.promise.mode) == ("junta", "everywhere")
        assert (g.error, g.failure, g.samples) == (0, S.delta, 0)
        assert g.queries == QUERIES_FORMULA and g.size_map == {S.d: S.d, S.k: S.k}
        assert "THEORY §6" in g.source
        assert sympy.simplify(g.time / QUERIES_FORMULA - S.d - pd.CLASSES[src].eval_time) == 0
    assert S.k not in pd.CLASSES["relu_network"].params  # k is the promise's parameter


@pytest.mark.parametrize("d", [1, 2, 3, 20, 100, 1000])
@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("delta", [0.5, 0.05, 1e-3, 1e-9])
def test_formula_and_numeric_bound_agree(d, k, delta):
    """The sympy formula (registered) and the integer one (used by the runs)."""
    g = query_junta.edges["lookup_table"].guarantee
    t = default_t(k, delta)
    assert int(T_FORMULA.subs({S.k: k, S.delta: sympy.Rational(str(delta))})) == t
    assert g.at(fields=["queries"], d=d, k=k, delta=delta).queries == query_bound(d, k, t)
    # THEORY §6: t is the least t with 2 (k+1) 2^k exp(-t 2^-k) <= delta (the union
    # bound over <= k+1 rounds of <= 2^k restrictions), and the sharper form
    # 2 (k+1) 2^k (1 - 2^-k)^t reported by failure_bound is below it
    def union(t):
        return 2 * (k + 1) * 2**k * math.exp(-t / 2**k)

    assert union(t) <= delta * (1 + 1e-12) and (t == 1 or union(t - 1) > delta)
    assert failure_bound(k, t) <= union(t)


def test_the_theory_count_dominates_the_geometric_sum():
    """Rounds cost sum_{r<=k} 2^r t = (2^(k+1) - 1) t <= (k + 1) 2^k t (checked
    symbolically by the bounds checker)."""
    verdict = pd.bounds.check("2**(k+1) - 1 <= (k+1)*2**k", assume="k >= 1")
    assert verdict.status == "proved"


def test_composes_after_exact_conversions_and_before_them():
    g = query_junta.edges["relu_network"].guarantee
    planted = compose(REGISTRY["tree_to_relu"].guarantee, g)  # exact then perfect
    assert planted.kind == "perfect" and planted.promise.mode == "everywhere"
    then_tree = compose(g, REGISTRY["junta_to_tree"].guarantee)  # perfect (error 0), exact
    assert then_tree.kind == "perfect" and then_tree.error == 0
    assert then_tree.failure == S.delta


def test_edge_run_has_the_reduction_shape():
    j = pd.Junta(10, [1, 6], [1, -1, -1, 1])
    res = query_junta.edges["junta"].run(j, eps=0.1, delta=0.01, rng=0, k=2)
    assert isinstance(res, Result) and pd.checkers.equivalent(j, res.model).equal
    assert {"samples_used", "queries_used", "seconds"} <= set(res.report)
    # the edge runs exactly the declared algorithm: no audit, queries within Q
    assert res.report["queries_check"] == 0
    assert res.report["queries_used"] == res.report["queries_algorithm"]
    assert res.report["queries_used"] <= query_bound(10, 2, default_t(2, 0.01))
    assert "not checked" in res.report["claim"]
    product = pd.distributions.Product(np.full(10, 0.9))
    res = query_junta(j, delta=0.01, rng=0, k=2, sampler=product, final_check=300)
    assert res.report["check"]["source"].startswith("Product")
    assert res.report["queries_check"] == 300


def test_the_check_draws_from_a_given_distribution():
    """distill_junta(sampler=D) audits on D's points, so the reported bound is on
    err_D for the user's distribution (query_junta took a sampler, distill_junta
    did not). f: a 3-junta on d = 16 flipped where x3..x15 are all -1, 8 of
    65,536 points (uniform mass 2^-13) but mass 0.9^13 = 0.25 under a product
    distribution with P(x_i = -1) = 0.9. With seed 0 the uniform audit misses
    the flips and returns the junta (bound 0.0026 on the *uniform* error); the
    audit under D finds a disagreement, and the resumed search refutes the
    promise with a certified fourth variable."""
    j = pd.Junta(16, [0, 1, 2], [1, -1, -1, 1, -1, 1, 1, -1])
    X = pd.cube.enumerate(16)
    table = j.predict(X).copy()
    table[(X[:, 3:] == -1).all(axis=1)] *= -1
    f = pd.LookupTable(16, table)
    biased = pd.distributions.Product(np.full(16, 0.1))  # P(x_i = +1) = 0.1
    uniform = pd.distill_junta(f, k=3, delta=0.01, rng=0)
    assert uniform.relevant == (0, 1, 2) and uniform.report["check"]["source"] == "uniform"
    with pytest.raises(pd.errors.PromiseViolation) as info:
        pd.distill_junta(f, k=3, delta=0.01, rng=0, sampler=biased, final_check=300)
    w = info.value.witness
    assert len(w["variables"]) == 4 and set(w["variables"]) - {0, 1, 2} <= set(range(3, 16))
    _assert_certified(f, w["points"], w["variables"])
    # on a 3-junta, the audit under D passes and says where its points came from,
    # briefly: the claim held the distribution's repr, 5,550 characters at d = 1000
    out = pd.distill_junta(j, k=3, delta=0.01, rng=0, sampler=biased, final_check=300)
    assert out.report["check"]["source"] == "Product on d = 16" and out.junta == j
    assert "300 fresh points (Product on d = 16)" in out.report["claim"]
    wide = pd.Junta(1000, [7, 500], [1, -1, -1, 1])
    out = pd.distill_junta(wide, k=2, delta=0.01, rng=0, final_check=100,
                           sampler=pd.distributions.Product(np.full(1000, 0.3)))
    assert len(out.report["claim"]) < 400, out.report["claim"]
    with pytest.raises(pd.errors.InvalidParameterError, match="'sampler' parameter of "
                       "distill_junta"):
        pd.distill_junta(f, k=3, delta=0.01, sampler=pd.distributions.Uniform(5))


# ------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, error, match", [
    ({"k": -1, "delta": 0.1}, pd.errors.InvalidParameterError, "'k' parameter of distill_junta"),
    ({"k": 2.0, "delta": 0.1}, pd.errors.InvalidParameterError, "'k'"),
    ({"k": 2, "delta": 0}, pd.errors.InvalidParameterError, "'delta'"),
    ({"k": 2, "delta": 1.5}, pd.errors.InvalidParameterError, "'delta'"),
    ({"k": 2, "delta": 0.1, "t": 0}, pd.errors.InvalidParameterError, "'t'"),
    ({"k": 2, "delta": 0.1, "final_check": -1}, pd.errors.InvalidParameterError,
     "'final_check'"),
    ({"k": 2, "delta": 0.1, "rng": "seed"}, pd.errors.InvalidParameterError, "'rng'"),
    ({"k": 20, "delta": 0.1}, pd.errors.TooLargeError, "queries.*a larger delta"),
    # a t of the caller's is what to change (the message said "a larger delta")
    ({"k": 1, "delta": 0.1, "t": 10**12}, pd.errors.TooLargeError,
     r"Use a smaller t \(THEORY §6's t at this k and delta is 9\)"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pd.distill_junta(pd.Parity(30, [0]), **kwargs)


def test_bad_models_and_options():
    with pytest.raises(pd.errors.InvalidParameterError, match="predict"):
        pd.distill_junta([[1, 1]], k=1, delta=0.1)
    from sklearn.neural_network import MLPClassifier

    with pytest.raises(pd.errors.InvalidParameterError, match="ReLUNetwork.from_sklearn"):
        pd.distill_junta(MLPClassifier((2,)), k=1, delta=0.1)
    # the message lists every keyword the edge takes (it listed only k, t, final_check)
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"among sampler, eps, delta, rng, k, t, final_check\. "
                             r"Got \['depth'\]"):
        query_junta(pd.Parity(4, [0]), k=1, delta=0.1, depth=3)
    with pytest.raises(pd.errors.InvalidParameterError, match="'eps'"):
        query_junta(pd.Parity(4, [0]), k=1, delta=0.1, eps=2.0)
    with pytest.raises(pd.errors.InvalidParameterError, match="'sampler'"):
        query_junta(pd.Parity(4, [0]), k=1, delta=0.1,
                    sampler=pd.distributions.Uniform(5))


def test_a_column_of_labels_is_read_as_the_labels():
    """A one-output network's predict gives shape (n, 1): distill_tree read it as n
    labels, distill_junta (through QueryCounter) refused it; both read it now."""
    j = pd.Junta(10, [1, 6], [1, -1, -1, -1])

    class Column:
        n_inputs = 10

        def predict(self, X):
            return j.predict(X)[:, None]

    out = pd.distill_junta(Column(), k=2, delta=0.01, rng=0)
    assert out.relevant == (1, 6) and pd.checkers.equivalent(out.junta, j).equal

    class Row:
        n_inputs = 10

        def predict(self, X):
            return j.predict(X)[None, :]

    with pytest.raises(pd.errors.InvalidModelError, match=r"expected shape \("):
        pd.distill_junta(Row(), k=2, delta=0.01, rng=0)


def test_progress_reports_queries_against_the_bound():
    """progress(done, total) after every batch of the algorithm's queries: done its
    queries so far (non-decreasing, ending at queries_algorithm), total THEORY §6's
    bound; the check's queries are not counted. A non-callable is refused."""
    calls = []
    f = _planted(_nondegenerate_junta(np.random.default_rng(5), 40, 3))
    out = pd.distill_junta(f, k=3, delta=0.01, rng=0,
                           progress=lambda done, total: calls.append((done, total)))
    report = out.report
    assert len(calls) >= report["k"] + 1                  # every round, every search
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[-1] == report["queries_algorithm"]
    assert {c[1] for c in calls} == {report["queries_bound"]}
    with pytest.raises(pd.errors.InvalidParameterError, match="'progress' parameter"):
        pd.distill_junta(f, k=3, delta=0.01, rng=0, progress=3)


# ------------------------------------------- the counts, search by search
class _Recorder:
    """f, keeping a copy of every batch of points it is asked to evaluate (a
    witness of the queries independent of QueryCounter)."""

    def __init__(self, f):
        self.f, self.n_inputs, self.batches = f, f.n_inputs, []

    def predict(self, X):
        self.batches.append(np.array(X, copy=True))
        return self.f.predict(X)


def test_each_binary_search_costs_log2_of_its_path():
    """THEORY §6's search count, search by search: bisection of the path between
    x and y (f(x) != f(y), m differing coordinates) takes at least floor(log2 m)
    and at most ceil(log2 m) single-point queries, and the variable it certifies
    is one where x and y differ. The test rebuilds each search's (x, y) from the
    round's batch of points (the first point of the first non-constant
    restriction, and the first point there with the other value) and counts the
    single-point queries that follow. Every point f was asked about is one the
    report counts (rows seen = queries_used, the check's included). Session 8
    audit mutations: an extra query per search and a search stopping one step
    early fail here search by search (test_any_junta_recovered_exactly also
    caught them, through the totals); a search bypassing QueryCounter fails
    here (elsewhere only the k = 0 case of the refuting-run test caught it)."""
    rng = np.random.default_rng(8)
    searches = 0
    cases = [(8, 3), (16, 2), (16, 4), (32, 3), (33, 4), (64, 3)] * 3
    for seed, (d, k) in enumerate(cases):  # loop over seeded runs
        f = _Recorder(_nondegenerate_junta(rng, d, k))
        out = pd.distill_junta(f, k=k, delta=0.01, rng=seed, final_check=100)
        r, batches = out.report, f.batches
        assert sum(len(X) for X in batches) == out.queries == r["queries_used"]
        pos, search_total = 0, 0
        for rnd in r["rounds"]:  # loop over the rounds: k + 1 here
            X = batches[pos]
            pos += 1
            cells = 1 << rnd["relevant"]
            assert len(X) == rnd["queries"] == cells * r["t"] and r["t"] > 1
            if rnd["outcome"] != "non-constant restriction":
                continue
            y = f.f.predict(X).reshape(cells, r["t"])
            j = int(np.flatnonzero((y != y[:, :1]).any(axis=1))[0])
            rows = X.reshape(cells, r["t"], d)[j]
            x, z = rows[0], rows[int(np.argmax(y[j] != y[j, 0]))]
            m = int(np.count_nonzero(x != z))
            single = 0
            while pos < len(batches) and len(batches[pos]) == 1:  # the search's queries
                single += 1
                pos += 1
            assert m.bit_length() - 1 <= single <= (m - 1).bit_length(), (d, k, seed, m)
            var = r["found_order"][rnd["relevant"]]
            assert x[var] != z[var]
            search_total += single
            searches += 1
        assert search_total == r["search_queries"]
        assert [len(X) for X in batches[pos:]] == [100]  # then only the check's points
        assert len(out.relevant) == k
    assert searches == sum(k for _, k in cases)


def test_failure_bound_is_theory_s_union_bound():
    """failure_bound(k, t) is THEORY §6's 2 (k + 1) 2^k (1 - 2^-k)^t (capped at 1),
    the number the claim reports for a caller's t: not merely below the
    exp(-t 2^-k) form (test_formula_and_numeric_bound_agree), which an optimistic
    error (a dropped 2^k factor) also is."""
    for k, t in [(1, 30), (2, 40), (3, 71), (4, 200), (5, 600), (6, 5000)]:
        expected = 2 * (k + 1) * 2**k * (1 - 2.0**-k) ** t
        assert 0 < expected < 1
        assert failure_bound(k, t) == pytest.approx(expected, rel=1e-9), (k, t)
    assert failure_bound(3, 1) == 1.0 == min(1.0, 2 * 4 * 8 * (7 / 8))


def test_the_check_compares_every_one_of_its_points():
    """The final check compares f and the junta on all final_check points: here
    f is a 3-junta on d = 20 flipped at one point x*, and the check's
    distribution puts x* last among its points (every other point is uniform,
    and the algorithm's own uniform queries miss x*, 2^-20 of the cube). The
    disagreement at the last point resumes the search, which certifies a fourth
    variable: a PromiseViolation. A check on fewer points (its first 20) or none
    returned the 3-junta as checked on 500 points with no disagreement."""
    j = pd.Junta(20, [3, 9, 14], [1, -1, -1, 1, 1, 1, -1, -1])
    star = np.where(np.arange(20) % 3 == 0, -1, 1).astype(np.int8)

    class Flipped:
        n_inputs = 20

        def predict(self, X):
            X = np.asarray(X)
            return np.where((X == star).all(axis=1), -1, 1) * j.predict(X)

    class StarLast(pd.distributions.Uniform):
        kind = ""  # not registered as a distribution type

        def _sample(self, n, rng):
            X = super()._sample(n, rng)
            X[-1] = star
            return X

    f = Flipped()
    out = pd.distill_junta(f, k=3, delta=0.01, rng=0, final_check=0)
    assert out.junta == j  # without the check: the planted junta
    with pytest.raises(pd.errors.PromiseViolation) as info:
        pd.distill_junta(f, k=3, delta=0.01, rng=0, final_check=500, sampler=StarLast(20))
    w = info.value.witness
    assert len(w["variables"]) == 4 and set(w["variables"][:3]) == {3, 9, 14}
    _assert_certified(f, w["points"], w["variables"])
    assert (w["flipped"][3] == star).all()  # the pair found ends at x*
