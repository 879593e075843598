"""Route.run's check of the steps' options (pacdistill._web.options, THEORY §3 note:
a step's own sizes). A later step whose input size the earlier size maps tie to a
renamed option (k_2) must get that option's value; the value may be any integer
type (numpy's too), not only a Python int."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pacdistill as pd
from pacdistill._web.options import input_size
from pacdistill._web.records import Route
from pacdistill.bounds.compose import compose_all
from pacdistill.reductions import REGISTRY
from pacdistill.reductions._registry import Reduction

NAMES = ("conjunction_to_decision_list", "erm_junta[decision_list]", "erm_junta[junta]")


def _route():
    """conjunction -> decision_list -> junta (the learner's k is k_2) -> junta (the
    second learner reads its k as its input junta's, which is k_2)."""
    steps = tuple(REGISTRY[name] for name in NAMES)
    return Route(steps, compose_all([red.guarantee for red in steps]), ())


@pytest.mark.parametrize("two", [2, np.int64(2), np.int32(2), np.uint8(2)])
def test_a_later_steps_input_size_is_read_through_a_renamed_option(two):
    route = _route()
    assert route.options == {"k_2": (2, "erm_junta[decision_list]", "k")}
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": two}) == (2, "k_2")
    f = pd.Conjunction(8, [(0, 1), (1, -1), (2, 1), (3, 1), (4, 1)])
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"give step 3 \(erm_junta\[junta\]\) k = 3, .*\(junta\) k_2 = 2"):
        route.run(f, eps=0.3, delta=0.2, rng=0,
                  step_options={NAMES[1]: {"k": two}, NAMES[2]: {"k": 3}})


def test_bools_and_non_integers_give_no_size():
    route = _route()
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": True}) is None
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": 2.5}) is None


# ---------------------------------------------------------------- at= ranges
CONJ_AT = {"d": 10, "k": 3, "eps": 0.1, "delta": 0.1}
ERM_DL = ("conjunction_to_decision_list", "erm_junta[decision_list]")


def _pick(routes, names):
    return next(r for r in routes if r.names == names)


def test_a_renamed_size_obeys_the_range_of_its_steps_class():
    """k_2 is the k of the junta step 2 outputs, so k_2 <= d as for every junta
    (pacdistill._web.constraints): k_2 = 50 at d = 10 describes no run; the route
    is ranked last with a note naming k_2, the constraint and the step, not
    'cannot be evaluated' (log C(10, 50) = log 0). k_2 = d is in range."""
    web = pd.default_web()
    routes = web.routes("conjunction", "junta", at={**CONJ_AT, "k_2": 50}, limit=None)
    bad = _pick(routes, ERM_DL)
    assert bad.cost is None
    assert any("k_2 = 50 must be <= d = 10 (step 2, erm_junta[decision_list]'s k: a junta "
               "reads k of the d variables)" in note for note in bad.notes), bad.notes
    assert not any("cannot be evaluated" in note for note in bad.notes)
    assert routes[-1].cost is None and routes[0].cost is not None
    ok = _pick(web.routes("conjunction", "junta", at={**CONJ_AT, "k_2": 10}, limit=None), ERM_DL)
    assert ok.cost == ok.guarantee.at(fields=["samples"], **CONJ_AT, k_2=10).samples


def test_a_default_out_of_range_says_it_was_the_default():
    """lrh_tree's s after a DNF is s_2, taken = s (the DNF's terms) by default; at
    s = 20 and depth r = 3 a tree has at most 8 leaves, so the note says the
    default broke s_2 <= 2**r and how to pass s_2."""
    at = {"d": 10, "s": 20, "w": 3, "r": 3, "eps": 0.1, "delta": 0.1, "m": 30, "L": 1,
          "tau": 0.1, "B": 2}
    web = pd.default_web()
    route = _pick(web.routes("dnf", "decision_tree", at=at, limit=None),
                  ("dnf_to_relu", "lrh_tree"))
    assert route.cost is None
    assert any("s_2 = 20 must be <= 2**r (r = 3) (step 2, lrh_tree's s" in note
               and "s_2 was taken = s (the source's) by default: pass s_2=..." in note
               for note in route.notes), route.notes
    assert not any(note.startswith("evaluated with s_2") for note in route.notes)
    fine = _pick(web.routes("dnf", "decision_tree", at={**at, "s_2": 8}, limit=None),
                 ("dnf_to_relu", "lrh_tree"))
    assert fine.cost == fine.guarantee.at(fields=["samples"], **at, s_2=8).samples


def test_values_out_of_range_for_every_route_are_refused():
    web = pd.ReductionWeb([REGISTRY[name] for name in ERM_DL])
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"describe no run of any route: k_2 = 11 must be <= d = 10"):
        web.routes("conjunction", "junta", at={**CONJ_AT, "k_2": 11})
    assert web.routes("conjunction", "junta", at={**CONJ_AT, "k_2": 1})[0].cost > 0


# ------------------------------------------------------------ Route.run options
F5 = pd.Conjunction(8, [(0, 1), (1, -1), (2, 1), (3, 1), (4, 1)])


def _web_route(names):
    return _pick(pd.default_web().routes("conjunction", "junta", limit=None), names)


def test_an_option_no_step_takes_is_refused_with_what_the_steps_take():
    route = _web_route(ERM_DL)
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"option r=3 of Route.run reaches no step.*step 1 "
                             r"\(conjunction_to_decision_list\): none; step 2 "
                             r"\(erm_junta\[decision_list\]\): k, n\.$"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, k=2, r=3)
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"step_options\['erm_junta\[decision_list\]'\] of Route.run set "
                             r"t=3, but erm_junta\[decision_list\] takes k, n\."):
        route.run(F5, eps=0.2, delta=0.1, rng=0, step_options={ERM_DL[1]: {"k": 2, "t": 3}})
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"set k=2, but conjunction_to_decision_list takes no options"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, k=2, step_options={ERM_DL[0]: {"k": 2}})
    # eps in step_options collided with the budget Route.run passes (a bare TypeError)
    with pytest.raises(pd.errors.InvalidParameterError, match=r"set eps, which Route.run "
                       r"gives every step itself"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, step_options={ERM_DL[1]: {"k": 2, "eps": 0.1}})


def test_the_report_says_which_step_ran_with_which_option_and_replays():
    """report["options"] stays the guarantee's renamed sizes ({"k_2": 2}: the values
    to read the guarantee at); report["step_options"] has every step's options in
    step_options' shape (so it replays the run), and each step's report its own."""
    route = _web_route(ERM_DL)
    out = route.run(F5, eps=0.2, delta=0.1, rng=0, k=2, n=300)
    assert out.report["options"] == {"k_2": 2}
    assert out.report["step_options"] == {ERM_DL[1]: {"k": 2, "n": 300}}
    assert [s["options"] for s in out.report["steps"]] == [{}, {"k": 2, "n": 300}]
    again = route.run(F5, eps=0.2, delta=0.1, rng=0, step_options=out.report["step_options"])
    assert again.model == out.model and again.report["options"] == {"k_2": 2}
    assert again.report["samples_used"] == out.report["samples_used"] == 300


def test_a_keyword_option_reaches_an_exact_step_that_names_it():
    """to_lookup_table takes max_d; a global max_d used to reach only the learner,
    which refused it as unknown."""
    route = _web_route(("to_lookup_table[conjunction]", "erm_junta[lookup_table]"))
    out = route.run(F5, eps=0.3, delta=0.2, rng=0, k=2, max_d=8)
    assert out.report["step_options"] == {"to_lookup_table[conjunction]": {"max_d": 8},
                                          "erm_junta[lookup_table]": {"k": 2}}
    assert out.report["options"] == {"k_2": 2} and out.model.size()["k"] == 2


def test_a_tied_first_step_option_is_refused_with_the_reason():
    route = _web_route(("erm_junta[conjunction]",))
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"source \(conjunction\) has k = 5\. A first step's own sizes are "
                             r"not renamed \(THEORY §3 note\): the composed guarantee's one "
                             r"symbol k is both the source's k and this step's option, so it "
                             r"describes only the run with k = 5\. Pass k=5 for step 1"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, k=2)
    with pytest.raises(pd.errors.InvalidParameterError, match=r"reaches no step"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, k=5, foo=1)  # was: k refused, foo unnamed


def test_route_values_out_of_range_are_none_not_an_error():
    """Route.values (and to_dict, what 'pacdistill route --at' prints) at k_2 > d:
    no run has those values, so every field is None (the route's note says why);
    it raised 'not a finite real number (got zoo)' and stopped the listing."""
    route = _web_route(ERM_DL)
    at = {**CONJ_AT, "k_2": 50}
    assert route.values(at) == dict.fromkeys(
        ("samples", "queries", "time", "error", "failure"))
    assert json.loads(json.dumps(route.to_dict(at)))["values"]["samples"] is None
    assert route.values({**CONJ_AT, "k_2": 2})["samples"] == route.guarantee.at(
        fields=["samples"], **CONJ_AT, k_2=2).samples


def test_a_step_left_without_the_option_it_needs_is_refused_before_any_step_runs():
    """The learner's k (the guarantee's k_2) was missed only when step 2 was
    called, after step 1 ran; now before, naming k_2 (InvalidCallError, as a
    reduction's own missing keyword)."""
    calls = []
    first = REGISTRY[ERM_DL[0]]
    spy = Reduction(first.name, first.source, first.target, first.guarantee,
                    func=lambda model, /, **kw: calls.append(1) or first.run(model, **kw),
                    access=first.access)
    steps = (spy, REGISTRY[ERM_DL[1]])
    route = Route(steps, compose_all([red.guarantee for red in steps]), ())
    with pytest.raises(pd.errors.InvalidCallError,
                       match=r"Step 2 of the route \(erm_junta\[decision_list\]\) needs the "
                             r"option k \(the composed guarantee's k_2\).*no step ran"):
        route.run(F5, eps=0.2, delta=0.1, rng=0)
    assert calls == []
    assert route.run(F5, eps=0.2, delta=0.1, rng=0, k=1).report["options"] == {"k_2": 1}
    assert calls == [1]


def test_option_refusals_show_huge_values_safely():
    """The message of an option no step takes shows its value with _validation.show:
    repr(10**5000) raised a bare ValueError (Python's 4300-digit str limit)."""
    route = _web_route(ERM_DL)
    with pytest.raises(pd.errors.InvalidCallError, match=r"bogus=an integer of 16610 bits"):
        route.run(F5, eps=0.2, delta=0.1, rng=0, k=2, bogus=10**5000)


def test_a_renamed_size_read_as_the_sources_makes_a_blowup_inefficient():
    """Conjunction -> DecisionList -> Junta by query_junta: each step is efficient in
    its own input (the learner's k is its own choice), but the run reads k_2 as the
    conjunction's k (a k-literal conjunction is a k_2-junta only for k_2 >= k), and a
    table of 2^k entries is not polynomial in d + k: the route is not efficient, as
    the direct query_junta[conjunction] step is not (it was labelled efficient)."""
    web = pd.default_web()
    routes = {r.names: r for r in web.routes("conjunction", "junta", limit=200)}
    direct = routes[("query_junta[conjunction]",)]
    through = routes[("conjunction_to_decision_list", "query_junta[decision_list]")]
    assert not direct.efficient and not through.efficient
    assert any("reading k_2 = k" in note and "size of conjunction" in note
               for note in through.notes)
    # a renamed size that does not blow the size up leaves the route efficient:
    # DNF -> ReLU -> tree by lrh_tree, whose s_2 leaves read as the DNF's s terms
    lrh = {r.names: r for r in web.routes("dnf", "decision_tree", limit=200)}
    route = lrh[("dnf_to_relu", "lrh_tree")]
    assert route.options and route.efficient
    assert not any("reading" in note for note in route.notes)
