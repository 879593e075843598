"""An adversarial researcher's broken reductions against the conformance harness
(issue 7; THEORY §2; pd.checkers.check_reduction). The mutants live in
tests/checkers/_adversarial.py, each with a docstring saying what is wrong.

For each mutant the test states what a careful harness should do and checks
that it does. Caught: a counterexample of the expected violation whose JSON
replays the failure. Not caught: the mutant is wrong only where the harness's
budget does not look (past max_d, below the trials' eps, a failure rate a few
times delta, evaluations of a copy of f by an edge that may read f's
representation); check_reduction's docstring lists
these under "What the harness cannot see", and each such test shows the option
that makes the harness see it, when there is one.

Every check is seeded (seed 0), so each outcome here is deterministic. Where a
mutant is caught by its error (a statistical event), the comment gives the
probability that another seed would miss it, or how often it was caught over
seeds 0-19 when no exact bound is at hand.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import _adversarial
import numpy as np
import pytest
from scipy.stats import binom

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Promise
from pacdistill.checkers import conformance as C
from pacdistill.checkers._sources import Instance
from pacdistill.reductions import REGISTRY, Result, register
from pacdistill.reductions._learning import EVAL_EXTRA_SYMBOLS

MUTANTS = _adversarial.ADVERSARIAL

#: mutant -> (options of check_reduction, the violation, why a careful harness catches it)
CAUGHT = {
    # -- exact conversions: whole cubes, sources drawn by hypothesis (THEORY §2.1)
    "tree_wrong_from_d9": ({}, "equality",
                           "d = 9, 10 are within the default max_d = 10 of exact edges"),
    "tree_wrong_from_k5": ({}, "equality", "juntas of up to 10 variables are drawn "
                           "(EXACT_BOUNDS), past the strategy's default max_k = 4"),
    "tree_wrong_on_constants": ({}, "equality", "the 0-variable junta is the first drawn"),
    "tree_map_off_in_constant": ({}, "size", "s = 32 > 2^5 / 2 + 9 = 25 at k = 5"),
    "tree_outputs_table": ({}, "class", "the output must be of the target class"),
    "tree_rewrites_source": ({}, "mutation", "the source is compared as drawn, and its JSON "
                             "form before and after the run"),
    "dnf_wrong_on_redundant_trees": ({}, "equality", "hypothesis draws split nodes with "
                                     "two equal leaves"),
    "relu_wrong_on_repeated_terms": ({}, "equality", "hypothesis draws repeated terms"),
    "table_ties_to_plus": ({}, "equality", "halfspaces are drawn with ties on the cube too"),
    # -- learners: seeded trials (THEORY §2.2-2.4)
    "junta_uniform_samples": ({}, "access", "an access='examples' edge evaluated f at "
                              "points not drawn from D"),
    # the D-almost-sure instances (every other trial) make it raise PromiseViolation
    # (no k-junta fits f on uniform points) on every rerun: caught at seeds 0-19
    "junta_uniform_queries": ({}, "exception", "f agrees with g* only on D's support on "
                              "every other trial"),
    "junta_draws_from_inner": ({}, "access", "reaching behind the sampler to D "
                               "(sampler.inner) is reading D, not sampling it"),
    "junta_draws_from_a_copy": ({}, "report", "a deep copy of the sampler is the sampler: "
                                "its draws are counted"),
    "junta_reads_pmf": ({}, "access", "a distiller gets samples from D, not D"),
    "junta_rewrites_source": ({}, "mutation", "f's JSON form is compared before and after"),
    "junta_reads_variables": ({}, "access", "an access='examples' edge gets f as a black box "
                              "(predict, d, n_inputs); the read is recorded though caught"),
    "learner_returns_source": ({}, "access", "an access='examples' edge returned f itself"),
    "query_copy_of_source": ({}, "access", "a copy needs f's to_dict, which the black box "
                             "withholds"),
    "query_deepcopy_of_source": ({}, "report", "a deep copy of the black box evaluates the "
                                 "watched f"),
    "junta_moves_product": ({"distributions": ("product",)}, "mutation",
                            "D's JSON form is compared before and after"),
    "junta_samples_past_small_eps": ({"eps": 0.05}, "samples",
                                     "one run at eps = 0.05 uses twice the declared n"),
    # a wrong instance is rerun with fresh seeds (the rerun test): caught at seeds 0-19
    "table_memorizer": ({}, "error", "on a large cube the unseen half is wrong on rerun "
                        "after rerun"),
    "erm_skips_last_variable": ({}, "error", "an instance whose best junta reads x_{d-1} "
                                "fails on every rerun"),
    # failure rate >= 0.9 at delta = 0.3; the pooled test at T = 60 rejects from 37
    # failures: missed with probability P[Bin(60, 0.9) <= 36] < 1e-9
    "junta_fails_3_delta": ({"delta": 0.3, "trials": 60}, "error",
                            "at delta = 0.3 the rate 3 delta = 0.9 is far from 0.3"),
    # every trial with d >= 9 fails (the output is negated: error 1 - err >= 0.75),
    # and one failed trial is rejected by its reruns (10 of 10 fail); no trial has
    # d >= 9 among 60 with probability (7/9)^60 < 3e-7
    "junta_wrong_from_d9": ({"max_d": 10, "trials": 60}, "error",
                            "max_d = 10 reaches the wrong dimensions"),
}

#: mutant -> (options, why the harness does not see it at these options)
MISSED = {
    "tree_wrong_from_d17": ({"max_d": 16}, "wrong only past d = 16, the largest max_d of "
                            "exact edges (a whole-cube comparison)"),
    "junta_wrong_from_d9": ({}, "wrong only past the statistical default max_d = 8"),
    "junta_samples_past_small_eps": ({}, "over its declared samples only below the "
                                     "trials' eps = 0.1, 0.25"),
    "representation_copy_of_source": ({}, "evaluations of a copy of f are not witnessed "
                                      "for an edge that reads f's representation"),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("adversarial")
    return {name: C.check_reduction(MUTANTS[name], save_dir=out, **options)
            for name, (options, _, _) in CAUGHT.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_mutant_is_caught_and_its_json_replays(reports, name):
    """The harness fails the mutant with a counterexample of the expected
    violation, and the saved JSON reproduces the failure when replayed."""
    report = reports[name]
    options, violation, why = CAUGHT[name]
    cx = report.counterexample
    assert report.status == "failed", f"{name} passed, but {why}:\n{report}"
    assert cx.violation == violation, str(report)
    assert cx.spec.endswith(f"_adversarial.py:{name}") and Path(cx.path).is_file()
    again = C.replay(json.loads(Path(cx.path).read_text()), MUTANTS[name])
    assert again.reproduced and again.violation == violation, again


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tree_rewrites_source", "table_memorizer"])
def test_new_violations_replay_by_the_shell_command(reports, name):
    """`pacdistill check FILE.py:NAME --replay JSON` reproduces a mutation found
    on an exact edge and an error found by the rerun test (exit 1)."""
    argv = shlex.split(reports[name].replay_command)
    done = subprocess.run([sys.executable, "-m", "pacdistill", *argv[1:]], cwd=Path.cwd(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout.startswith("REPRODUCED"), \
        done.stdout + done.stderr


@pytest.mark.parametrize("name", sorted(MISSED))
def test_what_the_harness_cannot_see(name):
    """Limitations, documented in check_reduction's docstring: the mutant passes
    at these options (and CAUGHT shows the option that catches it, if any)."""
    options, why = MISSED[name]
    report = C.check_reduction(MUTANTS[name], **options)
    assert report.passed, f"{name} is caught now ({why} no longer holds): update " \
                          f"CAUGHT, MISSED and check_reduction's docstring\n{report}"
    assert "What the harness cannot see" in C.check_reduction.__doc__


def test_rerun_test_is_what_catches_instance_specific_defects(reports):
    """The memorizer and the ERM off-by-one fail on a few instances only (3-5 of
    40 trials: the pooled binomial test passes them, p >= 5e-7); each failed
    instance, rerun with fresh seeds, fails 10 times of 10."""
    for name in ("table_memorizer", "erm_skips_last_variable"):
        report = reports[name]
        assert report.p_value >= report.level / 2 and report.failures <= 6
        assert "reruns with fresh seeds" in report.reason
        assert "failed 10 of 10 reruns" in report.reason


def test_seed_ignoring_learner_is_flagged_not_reproducible():
    """A correct learner whose runs depend on state outside its rng passes (its
    guarantee holds), with a note that its runs cannot be replayed (9 trials:
    trial 0 and its repeat are 9 calls apart, so their sample sizes differ by
    one); a learner failing on every other call fails, and the report says its
    counterexample did not fail again when rerun with its own seed."""
    report = C.check_reduction(MUTANTS["junta_hidden_state"], trials=9)
    assert report.passed and any(note.startswith("not reproducible") for note in report.notes)
    _adversarial._CALLS[0] = 0  # calls 1-10 are the trials (the even ones fail), 11 the rerun
    report = C.check_reduction(MUTANTS["junta_fails_on_even_calls"], trials=10)
    assert report.status == "failed" and report.counterexample.reproduced is False
    assert "did not fail again" in report.reason


def test_documented_power_against_a_failure_rate_of_three_delta():
    """check_reduction's docstring: at delta = 0.01 the trials cannot tell a
    failure rate of 3 delta from delta (power 1.7e-4 at T = 40, 8.7e-4 at
    T = 100, 1,000 trials for power 1/2); at delta = 0.3, T = 60 catches it
    (3 delta = 0.9) with probability > 1 - 1e-9."""
    def first_rejected(trials, delta):
        return next(k for k in range(trials + 2)
                    if C.binomial_p_value(k, trials, delta) < 1e-6 / 2)
    assert binom.sf(first_rejected(40, 0.01) - 1, 40, 0.03) < 2e-4
    assert binom.sf(first_rejected(100, 0.01) - 1, 100, 0.03) < 1e-3
    assert binom.sf(first_rejected(1000, 0.01) - 1, 1000, 0.03) >= 0.5
    assert binom.cdf(first_rejected(60, 0.3) - 1, 60, 0.9) < 1e-9


# -- guarantees the harness cannot evaluate, or declares vacuous -----------------------


def _double(name, guarantee, func, registry, **kwargs):
    return register(name=name, source="parity", target="parity", guarantee=guarantee,
                    registry=registry, access="examples", **kwargs)(func)


def _echo(model, /, *, sampler=None, eps, delta, rng=None, t=2):
    return Result(model, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})


@pytest.mark.parametrize("field", ["error", "samples", "size_map"])
def test_a_symbol_without_a_value_is_untestable_by_name(field):
    """A guarantee using an extra symbol t that the run takes with a default (so
    the harness neither chooses nor knows it) cannot be checked: the report is
    'untestable' and names t and the field (was: a bare InvalidParameterError
    from Guarantee.at for the error, a 'size' failure for the counts)."""
    base = REGISTRY["learn_parity[parity]"].guarantee
    guarantee = {"error": base.evolve(error=S.eps * S.t),
                 "samples": base.evolve(samples=S.d * S.t),
                 "size_map": base.evolve(size_map={S.d: S.d, S.k: S.t})}[field]
    edge = _double(f"uses_t_{field}", guarantee, _echo, {}, extra_symbols=(S.t,))
    report = C.check_reduction(edge, trials=3)
    assert report.status == "untestable" and "['t']" in report.reason
    assert field in report.reason and "option" in report.reason


def test_output_on_another_cube_is_a_size_violation_for_learners():
    """A learner whose output lives on another cube, under a size map without d,
    fails with violation 'size' (was: InvalidParameterError from the error
    computation, raised out of check_reduction)."""
    guarantee = REGISTRY["learn_parity[parity]"].guarantee.evolve(size_map={S.k: S.d})

    def wider(model, /, *, sampler=None, eps, delta, rng=None):
        return _echo(pd.Parity(model.d + 1, [0]), eps=eps, delta=delta)

    report = C.check_reduction(_double("wider_learner", guarantee, wider, {}), trials=3)
    assert report.status == "failed" and report.counterexample.violation == "size"
    assert "on d = " in report.counterexample.message


def test_vacuous_error_bound_is_noted():
    """error = eps + 1 holds for any output: a constant learner passes (the
    guarantee is true) and the report says the error test was vacuous."""
    guarantee = REGISTRY["learn_parity[parity]"].guarantee.evolve(error=S.eps + 1)

    def constant(model, /, *, sampler=None, eps, delta, rng=None):
        return _echo(pd.Parity(model.d, []), eps=eps, delta=delta)

    report = C.check_reduction(_double("vacuous", guarantee, constant, {}), trials=4)
    assert report.passed and any("error is >= 1" in note for note in report.notes)


@pytest.mark.parametrize("heavy, fails", [(0.2, False), (0.21, True)])
def test_agnostic_error_past_opt_plus_eps_by_a_small_margin(heavy, fails):
    """err_D(f, h) <= OPT + eps with no margin on top, OPT by brute force: f = x0 x1
    on d = 2, D with masses (0.8 - heavy, heavy, 0.1, 0.1) on (++, +-, -+, --),
    h the constant +1 junta, k = 1. The best 1-junta is x1 with error 0.2 (the
    constants err 0.1 + heavy, x0 errs heavy + 0.1): OPT = 0.2, and h errs
    heavy + 0.1, which is OPT + eps at heavy = 0.2 and 0.01 past it at 0.21."""
    mine = {}
    erm = REGISTRY["erm_junta[parity]"]
    constant = register(name="constant_junta", source="parity", target="junta",
                        guarantee=erm.guarantee, registry=mine, access="examples",
                        extra_symbols=(S.k, *EVAL_EXTRA_SYMBOLS))(
        lambda m, /, **kw: Result(pd.Junta(m.d, [0], [1, 1]),
                                  {"samples_used": 0, "queries_used": 0, "seconds": 0.0}))
    D = pd.distributions.FiniteSupport([[1, 1], [1, -1], [-1, 1], [-1, -1]],
                                       [0.8 - heavy, heavy, 0.1, 0.1])
    inst = Instance(pd.Parity(2, [0, 1]), None, D, {"k": 1})
    out = C._statistical_run(constant, inst, eps=0.1, delta=0.1, seed=0)
    assert out.violation is None and out.opt == pytest.approx(0.2, abs=1e-12)
    assert out.error == pytest.approx(heavy + 0.1, abs=1e-12) and out.failed is fails


def test_agnostic_route_with_a_promise_draws_sources_that_keep_it():
    """A perfect step then an agnostic one compose to an agnostic guarantee under
    the first step's promise (THEORY §3): its sources are drawn to meet that
    promise (any conjunction broke learn_parity's, so every trial failed)."""
    route = next(r for r in pd.default_web().routes("conjunction", "junta", limit=None)
                 if r.names == ("learn_parity[conjunction]", "erm_junta[parity]"))
    assert route.kind == "agnostic" and route.promise == Promise("parity", "distributional")
    report = C.check_reduction(route, trials=10)
    assert report.passed, str(report)


def test_route_with_a_broken_step_is_caught(tmp_path):
    """Checking a route is no rubber stamp: in a private web whose junta -> tree
    step is the off-by-one mutant, the route junta -> tree -> DNF fails on the
    cube, and its counterexample replays through the route."""
    import _mutants

    web = pd.web.ReductionWeb([_mutants.MUTANTS["junta_to_tree_rolled"], REGISTRY["tree_to_dnf"]])
    (route,) = web.routes("junta", "dnf")
    report = C.check_reduction(route, trials=20, save_dir=tmp_path)
    assert report.status == "failed" and report.counterexample.violation == "equality"
    assert report.replay_command is None and "pd.checkers.replay" in str(report)
    assert C.replay(report.counterexample.path, route).reproduced


def test_mutations_are_refused_even_when_the_output_is_right():
    """Changing the input is a violation by itself: a conversion that sorts its
    source's variables in place (same function, other JSON form) fails."""
    mine = {}

    @register(name="sorts_in_place", source="junta", target="decision_tree", registry=mine,
              guarantee=REGISTRY["junta_to_tree"].guarantee)
    def sorts_in_place(model, /, **kwargs):
        canonical = pd.checkers._sources.minimal_junta(model)
        if canonical.k == model.k:
            object.__setattr__(model, "variables", canonical.variables)
            object.__setattr__(model, "table", canonical.table)
        return REGISTRY["junta_to_tree"].run(model)

    report = C.check_reduction(sorts_in_place, trials=30)
    assert report.status == "failed" and report.counterexample.violation == "mutation"
    source = pd.model_from_dict(report.counterexample.source)
    assert list(source.variables) != sorted(source.variables)  # saved as drawn
    assert np.array_equal(source.predict(pd.cube.enumerate(source.d)),
                          REGISTRY["junta_to_tree"].run(source).model.predict(
                              pd.cube.enumerate(source.d)))
