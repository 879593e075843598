"""The harness's default trials alternate eps = 0.1 and 0.25 (module docstring of
pacdistill.checkers.conformance, "Two eps"): declared sample sizes are loose at
small eps, so a learner starved of samples can pass at 0.1 and fail at 0.25.

Design of the mutant test: learn_parity given a tenth of its declared samples
(tests/checkers/_mutants.py) at the harness defaults (40 trials, d in [2, 8],
delta = 0.01, level 1e-6). At eps = 0.1 alone it failed 4 of 40 trials (p =
7e-4, passed: a tenth of a loose bound is often still enough); with the
alternation (eps switching every 5 trials, one block per kind of D) it failed 10,
9, 7 and 17 of 40 at seeds 0-3, and the check rejects from 7 (P[Bin(40, 0.01) >= 7]
< 1e-6).
The seed is fixed, so the test is deterministic; the correct learner at the same
defaults is rejected with probability below the level, 1e-6.
"""

from __future__ import annotations

import _mutants
import numpy as np
import pytest

from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee, Promise
from pacdistill.checkers import conformance as C
from pacdistill.errors import InvalidParameterError
from pacdistill.reductions import REGISTRY, Result, register


def test_a_tenth_of_the_samples_is_caught_at_the_harness_defaults():
    report = C.check_reduction(_mutants.MUTANTS["learn_parity_tenth"])
    assert report.eps == C.DEFAULT_EPS_VALUES == (0.1, 0.25)
    assert report.status == "failed" and report.failures >= 7 and report.p_value < 1e-6
    cx = report.counterexample
    assert cx.violation == "error" and cx.eps in (0.1, 0.25) and cx.measured_error > cx.eps
    again = C.replay(cx.path, reduction=_mutants.MUTANTS["learn_parity_tenth"])
    assert again.reproduced  # the saved trial, at its own eps


def test_the_correct_learner_passes_the_same_defaults():
    report = C.check_reduction(REGISTRY["learn_parity[parity]"])
    assert report.passed and report.eps == (0.1, 0.25)
    assert report.samples_used <= report.samples_bound


def test_one_eps_or_several():
    edge = REGISTRY["learn_parity[parity]"]
    single = C.check_reduction(edge, eps=0.2, trials=4, max_d=4)
    assert single.passed and single.eps == 0.2
    several = C.check_reduction(edge, eps=[0.3, 0.2, 0.1], trials=3, max_d=4)
    assert several.passed and several.eps == (0.3, 0.2, 0.1)
    assert C.check_reduction(edge, eps=np.array([0.2, 0.3]), trials=2, max_d=3).eps == (0.2, 0.3)
    for bad in ([], [0.1, 1.5], "0.1", [0.1] * 101, [0.1, [0.2]], {0.1}, np.array([[0.1]]),
                np.array([np.nan]), np.array(0.2)):
        with pytest.raises(InvalidParameterError, match="'eps' parameter of check_reduction"):
            C.check_reduction(edge, eps=bad, trials=2)


def test_every_kind_of_distribution_meets_every_eps_and_both_promise_modes(monkeypatch):
    """With an even number of kinds of D the schedule still tries every (kind,
    eps, weak promise) triple: eps changes every len(kinds) trials and the
    D-almost-sure promise flips after each kinds x eps cycle (module docstring).
    The mutations 'eps = eps[t % len(eps)]' (each kind tied to one eps when
    len(kinds) is even) and 'weak = t % 2' survived the other tests of this file
    (and, the second, all of tests/checkers but the default-web and route runs,
    where only correct edges go); here 8 trials on 2 kinds and 2 eps must meet
    all 8 triples."""
    drawn, given = [], []
    draw = C._sources.draw_instance

    def recording_draw(edge, rng, d, kind, *, weak=False):
        drawn.append((kind, weak))
        return draw(edge, rng, d, kind, weak=weak)

    monkeypatch.setattr(C._sources, "draw_instance", recording_draw)
    g = Guarantee("perfect", "parity", "parity", "a test double", promise=Promise("parity"),
                  error=S.eps, failure=S.delta, samples=S.d, size_map={S.d: S.d, S.k: S.d})

    @register(name="echo_eps", source="parity", target="parity", guarantee=g,
              access="representation", registry={})
    def echo_eps(model, /, *, eps, **kwargs):
        given.append(eps)
        return Result(model, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})

    kinds = ("uniform", "product")
    report = C.check_reduction(echo_eps, trials=8, distributions=kinds)
    assert report.passed and len(drawn) == 8 and len(given) >= 8
    assert {(kind, eps, weak) for (kind, weak), eps in zip(drawn, given[:8], strict=True)} == {
        (kind, eps, weak) for kind in kinds for eps in C.DEFAULT_EPS_VALUES
        for weak in (False, True)}
