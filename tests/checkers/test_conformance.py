"""The conformance harness (issue 7): pd.checkers.check_reduction tries to break a
declared Guarantee (THEORY §2) and reports a replayable counterexample.

Acceptance (mutation tests): three broken variants of real reductions
(tests/checkers/_mutants.py) are each caught, and each counterexample reproduces
its failure when replayed from its JSON by the printed shell command.

Statistical design of the learner mutant: learn_parity given a tenth of its
declared samples, at eps = 0.25, delta = 0.01, d in [8, 12], D uniform. With
n // 10 samples (4 to 5 equations in 8 to 12 unknowns) GF(2) elimination is
underdetermined, and a wrong parity errs on half of the cube: about 0.85 of the
trials fail (32-35 of 40 at seeds 0-2). The pooled test rejects from 7 failures of
40 (P[Bin(40, 0.01) >= 7] < 5e-7 <= P[Bin(40, 0.01) >= 6]), which a failure rate
of 0.85 misses with probability P[Bin(40, 0.85) <= 6] < 1e-20; the correct
learner at the same settings is rejected with probability < 1e-6 (the level).
"""

from __future__ import annotations

import copy
import json
import shlex
import subprocess
import sys
from pathlib import Path

import _mutants
import numpy as np
import pytest
from scipy.stats import binom

import pacdistill as pd
from pacdistill import cli
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee, Promise
from pacdistill.checkers import conformance as C
from pacdistill.errors import SerializationError
from pacdistill.reductions import REGISTRY, Result, register

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = _mutants.MUTANTS
#: the instance on which a tenth of the parity learner's samples fails (docstring)
HARD_PARITY = dict(eps=0.25, delta=0.01, min_d=8, max_d=12, distributions=("uniform",),
                   trials=40)


def _replay_by_shell(report) -> subprocess.CompletedProcess:
    """Run the counterexample's one-line replay command as a user would."""
    command = report.replay_command
    assert command is not None and command.startswith("pacdistill check ")
    argv = shlex.split(command)
    return subprocess.run([sys.executable, "-m", "pacdistill", *argv[1:]], cwd=Path.cwd(),
                          capture_output=True, text=True, timeout=120)


# -- mutation tests (acceptance) -----------------------------------------------------


@pytest.fixture(scope="module")
def mutant_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("counterexamples")
    return {
        "junta_to_tree_rolled": C.check_reduction(MUTANTS["junta_to_tree_rolled"],
                                                  trials=50, save_dir=out),
        "dnf_to_relu_small_map": C.check_reduction(MUTANTS["dnf_to_relu_small_map"],
                                                     trials=50, save_dir=out),
        "learn_parity_tenth": C.check_reduction(MUTANTS["learn_parity_tenth"], save_dir=out,
                                                **HARD_PARITY),
    }


def test_off_by_one_conversion_is_caught_with_a_minimal_counterexample(mutant_reports):
    """The rolled leaves are caught, and hypothesis shrinks to a 1-variable junta."""
    report = mutant_reports["junta_to_tree_rolled"]
    assert report.status == "failed" and not report.passed
    cx = report.counterexample
    assert cx.violation == "equality" and "different function" in cx.message
    source = pd.model_from_dict(cx.source)
    assert source.d == 1 and source.k == 1  # the smallest junta the roll changes
    assert not pd.checkers.equivalent(source, MUTANTS["junta_to_tree_rolled"].run(source)
                                      .model).equal


def test_smaller_size_map_is_caught(mutant_reports):
    """A map declaring s - 1 hidden units for dnf_to_relu (which builds one per
    term, THEORY §8) is caught, shrunk to a one-term DNF."""
    report = mutant_reports["dnf_to_relu_small_map"]
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "size"
    assert "m = 1 > 0" in cx.message and cx.values == {"d": 1, "s": 1, "w": 1}


def test_tenth_of_the_samples_is_caught(mutant_reports):
    """The learner on n // 10 samples fails far more often than delta allows."""
    report = mutant_reports["learn_parity_tenth"]
    assert report.status == "failed" and report.kind == "perfect"
    assert report.trials == 40 and report.failures >= 7 and report.p_value < 1e-6
    assert report.p_value == pytest.approx(binom.sf(report.failures - 1, 40, 0.01))
    assert report.samples_used <= report.samples_bound // 10  # it did use a tenth
    cx = report.counterexample
    assert cx.violation == "error" and cx.measured_error > cx.bound == 0.25
    assert cx.distribution["distribution"] == "uniform" and cx.seed is not None


def test_the_correct_learner_passes_on_the_same_instance():
    """Control: learn_parity with its declared samples, same settings, passes."""
    report = C.check_reduction(REGISTRY["learn_parity[parity]"], **HARD_PARITY)
    assert report.passed and report.failures == 0
    assert report.samples_used == report.samples_bound


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_counterexample_replays_from_its_json_by_the_shell_command(mutant_reports, name):
    """`pacdistill check FILE.py:attr --replay JSON` reproduces the failure (exit 1)."""
    report = mutant_reports[name]
    cx = report.counterexample
    data = json.loads(Path(cx.path).read_text())
    assert data["type"] == "Counterexample" and data["reduction"] == name
    assert cx.spec.endswith(f"_mutants.py:{name}")
    done = _replay_by_shell(report)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("REPRODUCED")
    # in process too, from the dict alone
    again = C.replay(data, reduction=MUTANTS[name])
    assert again.reproduced and again.violation == cx.violation


def test_replay_against_the_correct_edge_does_not_reproduce(mutant_reports):
    """The rolled counterexample run through the real junta_to_tree passes (exit 0)."""
    cx = mutant_reports["junta_to_tree_rolled"].counterexample
    result = C.replay(cx.path, reduction=REGISTRY["junta_to_tree"].name)
    assert not result.reproduced and result.violation is None
    assert "found on junta_to_tree_rolled; rerun on junta_to_tree" in result.message
    assert cli.main(["check", "junta_to_tree", "--replay", cx.path]) == 0


def test_replay_on_an_edge_of_another_kind_or_source_is_refused(mutant_reports, capsys):
    """A counterexample of an exact junta conversion cannot be rerun through a
    learner or a conversion from another class: refused, naming both."""
    cx = mutant_reports["junta_to_tree_rolled"].counterexample
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"its kind is 'perfect', the counterexample's 'exact'"):
        C.replay(cx.path, reduction="learn_junta[junta]")
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"its source class is 'parity', the counterexample's source is "
                             r"a 'junta'"):
        C.replay(cx.path, reduction="parity_to_tree")
    assert cli.main(["check", "parity_to_tree", "--replay", cx.path]) == 2
    assert "Cannot replay the counterexample of junta_to_tree_rolled" in capsys.readouterr().err


# -- the binomial test --------------------------------------------------------------


def test_binomial_p_value_is_the_exact_tail():
    assert C.binomial_p_value(0, 40, 0.01) == 1.0
    for k in (1, 3, 7, 12):
        assert C.binomial_p_value(k, 40, 0.1) == pytest.approx(
            sum(binom.pmf(j, 40, 0.1) for j in range(k, 41)), rel=1e-9)


def test_documented_power():
    """The module docstring's numbers: the pooled test at half the level (5e-7):
    at delta = 0.01, T = 40 rejection starts at 7 failures and a rate of 0.39 is
    caught w.p. >= 0.999; at delta = 0.1 at 17, and a rate of 0.66. The rerun
    test at level / 6: 5 failures of 10 reruns at delta = 0.01, and R reruns
    failing R times are rejected at every delta up to 0.5 (R <= 30)."""
    first = {delta: next(k for k in range(41) if C.binomial_p_value(k, 40, delta) < 5e-7)
             for delta in (0.01, 0.1)}
    assert first == {0.01: 7, 0.1: 17}
    assert binom.sf(6, 40, 0.39) >= 0.999 and binom.sf(16, 40, 0.66) >= 0.999
    alpha = 1e-6 / (2 * C.RERUN_INSTANCES)
    reruns = C._rerun_count(0.01, alpha)
    assert reruns == 10 and next(k for k in range(11)
                                 if C.binomial_p_value(k, 10, 0.01) < alpha) == 5
    for delta in (0.01, 0.1, 0.25, 0.5):
        R = C._rerun_count(delta, alpha)
        assert C.binomial_p_value(R, R, delta) < alpha


# -- what the harness checks, on private test doubles -----------------------------------


def _perfect_edge(name, run, *, samples=S.d, registry, **kwargs):
    # access='representation': most doubles return f itself, which an edge that
    # gets f's values only cannot do (test_black_box_* below)
    guarantee = Guarantee("perfect", "parity", "parity", "a test double",
                          promise=Promise("parity"), error=S.eps, failure=S.delta,
                          samples=samples, size_map={S.d: S.d, S.k: S.d})
    return register(name=name, source="parity", target="parity", guarantee=guarantee,
                    access="representation", registry=registry, **kwargs)(run)


def _result(model, samples=0):
    return Result(model, {"samples_used": samples, "queries_used": 0, "seconds": 0.0})


def test_identity_distiller_passes_and_its_counts_are_checked():
    mine = {}
    ok = _perfect_edge("echo", lambda m, /, **kw: _result(m, m.d), registry=mine)
    report = C.check_reduction(ok, trials=10)
    assert report.passed and report.samples_used == report.samples_bound  # n = d: equal
    greedy = _perfect_edge("greedy", lambda m, /, **kw: _result(m, m.d + 1), registry=mine)
    report = C.check_reduction(greedy, trials=10)
    assert report.status == "failed" and report.counterexample.violation == "samples"
    assert C.replay(report.counterexample, reduction=greedy).reproduced


def test_a_run_that_raises_is_a_failure():
    mine = {}

    def crash(model, /, **kwargs):
        raise RuntimeError("boom")

    report = C.check_reduction(_perfect_edge("crash", crash, registry=mine), trials=10)
    assert report.status == "failed" and report.exceptions == report.failures == 10
    assert report.counterexample.violation == "exception" and "boom" in report.reason + \
        report.counterexample.message


def test_wrong_output_class_and_oversized_output_are_caught():
    mine = {}
    as_junta = _perfect_edge("as_junta", lambda m, /, **kw: _result(pd.Junta(m.d, [], [1])),
                             registry=mine)
    assert C.check_reduction(as_junta, trials=3).counterexample.violation == "class"


def test_counts_are_witnessed_not_taken_from_the_report():
    """A learner that draws 50 times its declared samples from D but reports one
    is caught: the harness counts the points drawn from the distribution it hands
    over, and holds the larger count to the declared formula."""
    mine = {}

    def liar(model, /, *, sampler=None, rng=None, **kwargs):
        sampler.sample(50 * model.d, rng)
        return _result(model, 1)

    report = C.check_reduction(_perfect_edge("liar", liar, registry=mine), trials=5)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "report"
    assert "reported samples_used = 1, but the harness saw it use" in cx.message
    assert C.replay(cx, reduction=mine["liar"]).reproduced


def test_queries_are_witnessed_for_query_access_edges():
    """An edge with query access that evaluates f on more points than it reports
    (and than it declares) is caught; f is handed over as a black box that
    still passes isinstance checks for its class."""
    mine = {}

    @register(name="peeker", source="parity", target="parity", registry=mine,
              access="queries",
              guarantee=Guarantee("perfect", "parity", "parity", "a test edge",
                                  promise=Promise("parity", "everywhere"), error=S.eps,
                                  failure=S.delta, queries=S.d,
                                  size_map={S.d: S.d, S.k: S.k}))
    def peeker(model, /, **kwargs):
        assert isinstance(model, pd.Parity)
        model.predict(pd.cube.enumerate(model.d))          # 2^d queries, declared d
        return Result(pd.Parity(model.d), {"samples_used": 0, "queries_used": model.d,
                                           "seconds": 0.0})

    report = C.check_reduction(peeker, trials=5, min_d=3)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "report"
    assert "reported queries_used" in cx.message and "points where f was evaluated" in \
        cx.message


def test_a_reduction_that_returns_no_result_is_a_failure():
    """Returning None (not a Result) is a contract violation reported as such, on
    both the exact and the statistical paths, not an AttributeError."""
    mine = {}
    nothing = _perfect_edge("nothing", lambda m, /, **kw: None, registry=mine)
    report = C.check_reduction(nothing, trials=3)
    assert report.status == "failed" and report.counterexample.violation == "result"

    @register(name="exact_nothing", source="junta", target="decision_tree", registry=mine,
              guarantee=REGISTRY["junta_to_tree"].guarantee)
    def exact_nothing(model, /, **kwargs):
        return None

    report = C.check_reduction(exact_nothing, trials=5)
    assert report.status == "failed" and report.counterexample.violation == "result"
    assert "not a pacdistill.reductions.Result" in report.counterexample.message


def test_a_result_without_a_report_dict_says_so():
    """Result(model, None) is reported as a report that is not a dict (before:
    'returned Result, not a pacdistill.reductions.Result(model, report)')."""
    no_report = _perfect_edge("no_report", lambda m, /, **kw: Result(m, None), registry={})
    cx = C.check_reduction(no_report, trials=3).counterexample
    assert cx.violation == "result"
    assert "returned a Result whose report is a NoneType, not a dict" in cx.message


def test_exact_output_on_another_cube_is_a_counterexample():
    """An exact conversion whose output has another d fails with a counterexample
    (violation 'size'), not a usage error from the equality check."""
    mine = {}

    @register(name="wider", source="junta", target="decision_tree", registry=mine,
              guarantee=REGISTRY["junta_to_tree"].guarantee)
    def wider(model, /, **kwargs):
        tree = pd.DecisionTree.from_nested(model.d + 1, {"leaf": 1})
        return Result(tree, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})

    report = C.check_reduction(wider, trials=5)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "size"
    assert "the output is a model on d = 2 variables, its source on d = 1" in cx.message


def test_agnostic_edges_are_held_to_opt_plus_eps():
    """A junta learner that ignores which variables matter breaks err <= OPT + eps."""
    erm = REGISTRY["erm_junta[decision_tree]"]
    mine = {}

    @register(name="first_vars", source="decision_tree", target="junta",
              guarantee=erm.guarantee, access="examples", registry=mine,
              extra_symbols=(S.k,))
    def first_vars(model, /, *, sampler=None, eps, delta, rng=None, k):
        best = erm.run(model, sampler=sampler, eps=eps, delta=delta, rng=rng, k=k)
        return Result(pd.Junta(model.d, list(range(k)), best.model.table), best.report)

    bad = C.check_reduction(first_vars, trials=40)
    assert bad.status == "failed" and bad.p_value < 1e-6
    cx = bad.counterexample
    assert cx.opt is not None and cx.measured_error > cx.opt + cx.eps
    good = C.check_reduction(erm, trials=40)
    assert good.passed


def test_seeds_reproduce_reports():
    edge = MUTANTS["learn_parity_tenth"]
    a = C.check_reduction(edge, seed=3, trials=12)
    b = C.check_reduction(edge, seed=3, trials=12)
    assert (a.failures, a.samples_used) == (b.failures, b.samples_used)


def test_deadline_stops_trials():
    report = C.check_reduction(REGISTRY["learn_junta[junta]"], deadline=0.0, trials=5)
    assert report.trials == 0 and report.status == "untestable"


def test_an_exact_edge_stopped_before_its_first_source_is_not_passed():
    """A check that checked nothing has no verdict: the exact path said 'passed'
    with 0 sources (``pacdistill check junta_to_tree --deadline 0`` exited 0)."""
    report = C.check_reduction(REGISTRY["junta_to_tree"], deadline=0.0)
    assert report.trials == 0 and report.status == "untestable" and not report.passed
    assert "deadline" in report.reason and "stopped at the deadline" in report.notes[0]


def test_saving_a_counterexample_under_a_file_is_a_clear_error(mutant_reports, tmp_path):
    """It raised a bare FileExistsError from mkdir."""
    report = mutant_reports["junta_to_tree_rolled"]
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file")
    with pytest.raises(SerializationError, match="cannot create the directory .*not_a_dir"):
        report.counterexample.save(blocker / "cx.json")


# -- edges the harness cannot test by itself -----------------------------------------


def test_an_assumption_needs_a_hook_and_the_hook_is_used():
    mine = {}
    guarantee = Guarantee("perfect", "relu_network", "decision_tree", "a test double",
                          promise=Promise("decision_tree"), error=S.eps, failure=S.delta,
                          size_map={S.d: S.d}, assumptions=("LRH(tau, B)",))

    def read_back(model, /, *, sampler=None, eps, delta, rng=None):
        """Right on constant networks only: the leaf of f's value at one point."""
        d = model.n_inputs
        return _result(pd.DecisionTree.leaf(d, int(model.predict(np.ones((1, d)))[0])))

    plain = register(name="lrh_double", source="relu_network", target="decision_tree",
                     guarantee=guarantee, registry=mine)(read_back)
    report = C.check_reduction(plain)
    assert report.status == "untestable" and "LRH" in report.reason
    assert "conformance" in report.reason

    def planted(rng, d):
        return C.planted_networks(rng, d, max_depth=0)  # constant trees: read_back is right

    hooked = register(name="lrh_hooked", source="relu_network", target="decision_tree",
                      guarantee=guarantee, registry=mine,
                      conformance={"sources": planted, "trials": 6})(read_back)
    report = C.check_reduction(hooked)
    assert report.passed and report.trials == 6
    assert "conformance['sources']" in " ".join(report.notes)


def test_unknown_required_option_and_unknown_opt_are_untestable():
    mine = {}
    guarantee = Guarantee("perfect", "parity", "parity", "a test double",
                          promise=Promise("parity"), error=S.eps, failure=S.delta,
                          size_map={S.d: S.d})

    def needs_beam(model, /, *, sampler=None, eps, delta, rng=None, beam):
        return _result(model)

    edge = register(name="needs_beam", source="parity", target="parity", guarantee=guarantee,
                    registry=mine)(needs_beam)
    assert "beam" in C.check_reduction(edge).reason
    hooked = register(name="with_beam", source="parity", target="parity", guarantee=guarantee,
                      registry=mine, conformance={"options": {"beam": 3}})(needs_beam)
    assert C.check_reduction(hooked, trials=5).passed

    agnostic = Guarantee("agnostic", "parity", "decision_tree", "a test double",
                         error=S.OPT("decision_tree") + S.eps, failure=S.delta,
                         size_map={S.d: S.d})
    tree = register(name="to_tree", source="parity", target="decision_tree",
                    guarantee=agnostic, registry=mine)(
        lambda m, /, **kw: REGISTRY["parity_to_tree"].run(m))
    report = C.check_reduction(tree)
    assert report.status == "untestable" and "OPT" in report.reason


def test_register_refuses_unknown_conformance_keys():
    guarantee = REGISTRY["junta_to_tree"].guarantee
    with pytest.raises(pd.errors.InvalidParameterError, match="unknown keys"):
        register(name="x", source="junta", target="decision_tree", guarantee=guarantee,
                 registry={}, conformance={"source": None})(lambda m, /, **kw: None)
    with pytest.raises(pd.errors.InvalidParameterError, match="'domain'"):
        register(name="x", source="junta", target="decision_tree", guarantee=guarantee,
                 registry={}, domain=[1])(lambda m, /, **kw: None)


# -- arguments and values -------------------------------------------------------------


@pytest.mark.parametrize(("reduction", "options", "match"), [
    (pd.reductions.REGISTRY["sq_learn_junta"], {}, "record"),
    (pd.reductions.learn_junta.learn_junta, {}, "check_family"),
    ("no_such_edge", {}, "Unknown reduction"),
    ("junta_to_tree", {"level": 0}, "'level'"),
    ("junta_to_tree", {"max_d": 17}, "'max_d'"),
    ("learn_junta[junta]", {"max_d": 13}, "'max_d'"),
    ("learn_junta[junta]", {"distributions": ("gaussian",)}, "'distributions'"),
    ("learn_junta[junta]", {"eps": 1.5}, "'eps'"),
], ids=["barrier", "family", "unknown", "level", "max_d", "max_d_statistical", "distribution",
        "eps"])
def test_bad_arguments_are_refused(reduction, options, match):
    with pytest.raises(pd.errors.PacDistillError, match=match):
        C.check_reduction(reduction, **options)


def test_report_and_counterexample_are_json(mutant_reports):
    for report in mutant_reports.values():
        data = json.loads(json.dumps(report.to_dict()))
        assert data["status"] == "failed" and data["counterexample"]["path"]
        cx = C.Counterexample.from_dict(data["counterexample"])
        assert cx == report.counterexample
        assert str(report).count("\n") == 2 and "replay: pacdistill check" in str(report)
    with pytest.raises(pd.errors.SerializationError):
        C.Counterexample.from_dict({"type": "Counterexample", "version": 2})


def test_check_family_runs_a_representative_in_full():
    reports = C.check_family(pd.reductions.learn_parity.learn_parity, trials=12,
                             smoke_trials=2)
    assert reports[0].reduction == "learn_parity[parity]" and reports[0].trials == 12
    assert {r.trials for r in reports[1:]} == {2} and len(reports) == len(pd.CLASSES)
    assert all(r.passed for r in reports)


def test_assert_conforms_raises_with_the_replay_command(tmp_path):
    with pytest.raises(AssertionError, match="replay: pacdistill check"):
        C.assert_conforms(MUTANTS["dnf_to_relu_small_map"], trials=20, save_dir=tmp_path)
    assert [r.status for r in C.assert_conforms(REGISTRY["junta_to_tree"], trials=5)] == \
        ["passed"]


def test_sources_drawn_for_statistical_trials_are_reproducible():
    edge = REGISTRY["learn_junta[relu_network]"]
    a = C._sources.draw_instance(edge, np.random.default_rng(1), 5, "product")
    b = C._sources.draw_instance(edge, np.random.default_rng(1), 5, "product")
    assert a.source == b.source and a.distribution == b.distribution and a.options == b.options


@pytest.mark.parametrize("mass, fails", [(0.09, False), (0.1, False), (0.11, True)])
def test_the_failure_event_is_an_error_past_eps(mass, fails):
    """A trial fails exactly when err_D(f, output) > eps (up to ERROR_TOLERANCE =
    1e-9 for float sums), with no margin on top: f = x_0 and the output x_0 x_1
    differ only at (1, -1), and D puts mass ``mass`` there, at eps = 0.1. (The
    other tests' broken edges err far past eps, so a margin of 0.05 went
    unnoticed.)"""
    from pacdistill.checkers._sources import Instance

    mine = {}
    f, g = pd.Parity(2, [0]), pd.Parity(2, [0, 1])
    edge = _perfect_edge("off_by_mass", lambda m, /, **kw: _result(g, 2), registry=mine)
    D = pd.distributions.FiniteSupport([[1, 1], [1, -1]], [1 - mass, mass])
    out = C._statistical_run(edge, Instance(f, f, D), eps=0.1, delta=0.1, seed=0)
    assert out.violation is None and out.error == pytest.approx(mass, abs=1e-15)
    assert out.failed is fails and out.bound == pytest.approx(0.1)


def test_black_box_hides_the_representation_from_examples_and_queries_edges():
    """An edge declaring access='examples' or 'queries' gets f's values only
    (THEORY §2): reading f.variables (even with the AttributeError caught) or
    returning f itself is an access violation, naming what it read (before: such
    an edge passed with error 0). Probing for a method f does not have, checking
    f's class and predicting stay allowed."""
    def cheat(model, /, **kwargs):
        try:
            variables = list(model.variables)
        except AttributeError:
            variables = []
        return Result(pd.Parity(model.d, variables), {"samples_used": 0, "queries_used": 0})

    def echo(model, /, **kwargs):
        return Result(model, {"samples_used": 0, "queries_used": 0})

    def honest(model, /, **kwargs):
        assert isinstance(model, pd.Parity) and not hasattr(model, "activations")
        E = np.ones((model.d + 1, model.d), dtype=np.int8)
        E[np.arange(1, model.d + 1), np.arange(model.d)] = -1
        y = copy.deepcopy(model).predict(E)        # a copy still evaluates f
        variables = np.flatnonzero(y[1:] != y[0]).tolist()
        return Result(pd.Parity(model.d, variables),
                      {"samples_used": 0, "queries_used": model.d + 1})

    guarantee = Guarantee("perfect", "parity", "parity", "derived here: a test edge",
                          promise=Promise("parity", "everywhere"), queries=S.d + 1,
                          size_map={S.d: S.d, S.k: S.k})
    mine = {}
    edges = {name: register(name=name, source="parity", target="parity", registry=mine,
                            access="queries", guarantee=guarantee)(func)
             for name, func in (("cheat", cheat), ("echo", echo), ("honest", honest))}
    report = C.check_reduction(edges["cheat"], trials=4)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "access"
    assert "read f's 'variables'" in cx.message and C.replay(cx, edges["cheat"]).reproduced
    report = C.check_reduction(edges["echo"], trials=4)
    assert report.counterexample.violation == "access"
    assert "returned f itself" in report.counterexample.message
    report = C.check_reduction(edges["honest"], trials=4)
    assert report.passed and report.queries_used == report.queries_bound, str(report)


def test_a_guarantee_naming_an_unknown_class_is_refused_by_name():
    """A promise class or OPT class that is not a key of pd.CLASSES (a typo the
    Guarantee constructor lets through) is an UnknownNameError naming the edge,
    the field and the close match (before: a bare KeyError from the source
    drawing for the promise, 'untestable' for the OPT class)."""
    base = Guarantee("perfect", "parity", "parity", "derived here: a test edge",
                     promise=Promise("parities"), error=S.eps, failure=S.delta,
                     size_map={S.d: S.d, S.k: S.d})
    agnostic = Guarantee("agnostic", "junta", "junta", "derived here: a test edge",
                         error=S.OPT("junto") + S.eps, failure=S.delta,
                         size_map={S.d: S.d, S.k: 1})
    for guarantee, field, close in ((base, "promise class", "parity"),
                                    (agnostic, "OPT class", "junta")):
        edge = register(name="typo", source=guarantee.from_class, target=guarantee.to_class,
                        guarantee=guarantee, registry={}, access="examples")(
            lambda f, /, **kw: None)
        with pytest.raises(pd.errors.UnknownNameError, match=f"{field}.*typo.*{close!r}"):
            C.check_reduction(edge, trials=2)


def test_conformance_test_refuses_a_plain_function_when_the_test_is_made():
    """conformance_test(f) with f not decorated by @register fails where the test
    is defined (collection), saying to decorate it (before: only when run)."""
    def my_edge(model, /, **kwargs):
        return Result(model, {"samples_used": 0, "queries_used": 0})

    with pytest.raises(pd.errors.InvalidParameterError, match="decorate it with"):
        C.conformance_test(my_edge)


def test_an_edge_defined_without_a_file_has_no_replay_command(monkeypatch):
    """An edge defined in a module whose __file__ is not a file (python reading
    stdin: '<stdin>') gets no replay command (before: 'pacdistill check
    <stdin>:name', which cannot run)."""
    import types

    module = types.ModuleType("stdin_module")
    module.__file__ = "<stdin>"
    monkeypatch.setitem(sys.modules, "stdin_module", module)

    def typed(model, /, **kwargs):
        return Result(model, {"samples_used": 0, "queries_used": 0})

    typed.__module__ = "stdin_module"
    module.typed = _perfect_edge("typed", typed, registry={})
    assert C.spec_of(module.typed) is None


def test_an_output_that_is_not_what_its_json_form_says_is_caught():
    """An exact 'conversion' junta -> depth-0 tree returning a leaf whose predict
    consults the source (set on the instance here; a subclass overriding
    _predict is the same defect) passed: equal to its source, one leaf. The
    harness measures the output as its JSON form describes it and fails the
    run with violation 'class'; the same for a learner echoing f's values, and
    the counterexample replays."""
    def delegating(model, /, **kwargs):
        leaf = pd.DecisionTree.leaf(model.d, 1)
        object.__setattr__(leaf, "_predict", model.predict)
        return Result(leaf, {"samples_used": 0, "queries_used": 0})

    guarantee = Guarantee("exact", "junta", "decision_tree", "derived here: a test edge",
                          size_map={S.d: S.d, S.r: 1, S.s: 1})
    mine = {}
    exact = register(name="delegating", source="junta", target="decision_tree",
                     guarantee=guarantee, registry=mine)(delegating)
    report = C.check_reduction(exact, trials=20)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "class", str(report)
    assert "different function from the DecisionTree its JSON form describes" in cx.message
    assert C.replay(cx, exact).reproduced

    def echoing(model, /, *, sampler, eps, delta, rng=None):
        out = pd.Parity(model.d)
        object.__setattr__(out, "_predict", model.predict)   # f's values, through the box
        return Result(out, {"samples_used": 0, "queries_used": 0})

    learner = _perfect_edge("echoing", echoing, registry=mine)
    learner = register(name="echoing_examples", source="parity", target="parity",
                       guarantee=learner.guarantee, registry=mine, access="examples")(echoing)
    report = C.check_reduction(learner, trials=5, min_d=3)
    assert report.status == "failed" and report.counterexample.violation == "class"


def test_a_learner_that_cannot_take_the_harness_call_is_told_how_it_is_called():
    """A learner written without the sampler/eps/delta/rng keywords fails every
    trial with InvalidCallError; the reason counts the runs that raised and the
    counterexample says how the harness calls a perfect edge and how to write
    its signature (before: only Python's 'unexpected keyword argument')."""
    mine = {}
    positional = _perfect_edge("positional", lambda f, /: _result(f), registry=mine)
    report = C.check_reduction(positional, trials=5)
    assert report.status == "failed" and report.exceptions == 5
    assert "5 of them raised" in report.reason
    message = report.counterexample.message
    assert "unexpected keyword argument 'sampler'" in message
    assert "positional(f, sampler=D, eps=eps, delta=delta, rng=seed, **options)" in message
    assert "def name(f, /, *, sampler=None, eps, delta, rng=None, **options)" in message


@pytest.mark.parametrize("read", ["inner", "to_dict"])
def test_reading_d_behind_the_sampler_is_an_access_violation(read):
    """A correct learner that also reads D itself through the sampler it is
    handed (sampler.inner, whose attributes hold D's probabilities, or
    sampler.to_dict(), its JSON form) is caught with violation 'access' naming
    the read (before: it passed; only D's pmf methods were watched)."""
    honest = REGISTRY["learn_parity[parity]"]

    def peeking(model, /, *, sampler=None, eps, delta, rng=None):
        getattr(sampler, read) if read == "inner" else sampler.to_dict()
        return honest.run(model, sampler=sampler, eps=eps, delta=delta, rng=rng)

    edge = register(name=f"peeking_{read}", source="parity", target="parity", registry={},
                    guarantee=honest.guarantee, access="examples")(peeking)
    report = C.check_reduction(edge, trials=4)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "access", str(report)
    assert f"sampler.{read}" in cx.message and C.replay(cx, edge).reproduced


def test_exact_edges_take_their_options():
    """An exact conversion with an option named by an extra symbol (t copies of
    the conjunction's term) runs with conformance['options'] and is checked at
    t; one writing t + 1 copies fails on the size map, its counterexample holds
    the options and replays (before: 'untestable', the message advising the
    very conformance['options'] it ignored)."""
    guarantee = Guarantee("exact", "conjunction", "dnf", "derived here: t copies of a term",
                          time=S.t * S.k, size_map={S.d: S.d, S.s: S.t, S.w: S.k})
    mine = {}

    def copies(extra):
        def run(c, /, *, t):
            return Result(pd.DNF(c.d, [list(c.literals)] * (t + extra)),
                          {"samples_used": 0, "queries_used": 0})
        return run

    edges = [register(name=f"copies_{extra}", source="conjunction", target="dnf",
                      guarantee=guarantee, registry=mine, extra_symbols=(S.t,),
                      conformance={"options": {"t": 3}})(copies(extra)) for extra in (0, 1)]
    assert C.check_reduction(edges[0], trials=10).passed
    report = C.check_reduction(edges[1], trials=10)
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "size" and cx.options == {"t": 3}
    assert "s = 4 > 3" in cx.message and C.replay(cx, edges[1]).reproduced


def test_progress_is_reported_after_every_trial_and_example():
    """check_reduction(progress=...) is called as progress(done, total) after each
    statistical trial and each hypothesis example (before: no way to follow a
    long check, such as the 1,000 trials the docstring suggests for power)."""
    seen = []
    C.check_reduction(REGISTRY["learn_parity[parity]"], trials=6,
                      progress=lambda done, total: seen.append((done, total)))
    assert seen == [(t, 6) for t in range(1, 7)]
    seen.clear()
    C.check_reduction(REGISTRY["junta_to_tree"], trials=7,
                      progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7, 7) and [done for done, _ in seen] == list(range(1, 8))
    # a progress that is not callable is refused by name before any work (it was a
    # bare TypeError after the first trial), as by distill_tree and distill_junta
    with pytest.raises(pd.errors.InvalidParameterError, match="'progress' parameter of"):
        C.check_reduction(REGISTRY["learn_parity[parity]"], trials=6, progress=5)


def test_a_replay_reruns_the_counterexample_trial_with_its_seed_and_distribution():
    """replay reruns the run the counterexample names: the same source, D and rng,
    so it draws the same samples. An edge that records its draws and then raises
    (every trial fails) draws, on the replay from the JSON, exactly what it drew in
    the counterexample's trial; D is drawn as a product with random p (a finite
    support when the harness conditions it on the promise), never uniform.
    (The mutation 'replay runs with seed + 1' survived the suite: the mutants'
    counterexamples fail again with any seed, so 'reproduced' alone cannot tell.
    'replay draws from Uniform(d), not the saved D' was caught by one adversarial
    mutant only; this test catches both.)"""
    mine, drawn = {}, []

    def recorder(model, /, *, sampler=None, rng=None, **kwargs):
        drawn.append(sampler.sample(4 * model.d, rng).tobytes())
        raise RuntimeError("recorded its draws")

    edge = _perfect_edge("recorder", recorder, registry=mine)
    report = C.check_reduction(edge, trials=4, distributions=("product",))
    cx = report.counterexample
    assert report.status == "failed" and cx.violation == "exception" and cx.reproduced
    assert cx.distribution["distribution"] != "uniform" and len(set(drawn[:4])) == 4
    assert drawn[4] == drawn[cx.trial]  # the harness's own rerun before reporting
    again = C.replay(json.loads(json.dumps(cx.to_dict())), reduction=edge)
    assert again.reproduced and again.violation == "exception"
    assert len(drawn) == 6 and drawn[5] == drawn[cx.trial]


def test_the_replay_command_quotes_its_spec_and_path():
    """The one-line replay command survives a shell: an edge name with brackets (a
    glob pattern to the shell: zsh refuses an unmatched one) and a path with a
    space come back whole from shlex.split. (The mutation dropping the quoting
    survived: no test used either.)"""
    cx = C.Counterexample(reduction="learn_junta[junta]", kind="perfect", violation="error",
                          message="m", source={}, spec="learn_junta[junta]",
                          path="/tmp/my counterexamples/cx.json")
    assert shlex.split(cx.command) == ["pacdistill", "check", "learn_junta[junta]", "--replay",
                                       "/tmp/my counterexamples/cx.json"]
    assert "'learn_junta[junta]'" in cx.command


def test_a_statistical_counterexample_is_the_smallest_failed_instance():
    """Of the failed trials, the counterexample is the one with the smallest
    instance: least d, then least sum of the source's sizes, then the first (module
    docstring). (The mutation ordering them largest first survived
    test_conformance, test_adversarial and test_eps_values.)"""
    sizes = []

    def crash(model, /, **kwargs):
        sizes.append((model.d, sum(max(v, 1) for v in model.size().values())))
        raise RuntimeError("every trial fails")

    report = C.check_reduction(_perfect_edge("crash_sizes", crash, registry={}), trials=8)
    cx = report.counterexample
    trials = sizes[:8]
    assert report.status == "failed" and len(set(trials)) > 2  # instances of several sizes
    source = pd.model_from_dict(cx.source)
    assert (source.d, sum(max(v, 1) for v in source.size().values())) == min(trials)
    assert cx.trial == trials.index(min(trials))
