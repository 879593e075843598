"""Session-6 audit of the reduction web's answers (THEORY §3, §9).

Each test pins a defect found by using the web as a theorist would; each
failed before its fix.
"""

from __future__ import annotations

import pytest

import pacdistill as pd


@pytest.fixture(scope="module")
def web():
    return pd.default_web()


def _pairs():
    return [(f, g) for f in pd.CLASSES for g in pd.CLASSES]


def test_an_efficient_status_is_answered_by_an_efficient_route(web):
    """``status`` said "efficient" for conjunction -> junta and parity -> junta
    with a route its own ``efficient`` flag calls not efficient (a later
    step's own k, read as the source's, makes a table of 2^k entries from a
    source of size d + k: the web's module docstring, "Efficient" route).
    ``status``, ``separations`` and ``contradictions`` must use only routes
    that are efficient as ``routes`` reports them."""
    for f, g in _pairs():
        for setting in ("distillation", "learning"):
            st = web.status(f, g, setting=setting)
            if st.answer == "efficient":
                assert st.route.efficient, (f, g, setting, st.route.names, st.route.notes)
    for sep in web.separations():
        assert sep.distillation.route.efficient, sep.distillation.route.names
    # the pair that showed it: every route conjunction -> junta is not efficient
    listed = web.routes("conjunction", "junta", limit=None)
    assert listed and not any(r.efficient and r.qualifies for r in listed)
    assert web.status("conjunction", "junta").answer == "unknown"


def test_efficient_only_lists_only_efficient_routes(web):
    """``routes(efficient_only=True)`` (``pacdistill route --efficient``, "only
    efficient routes") listed conjunction -> decision_list -> junta and two more
    routes each printed "not efficient": it filtered the steps, not the route's
    size map."""
    for f, g in [("conjunction", "junta"), ("parity", "junta"), ("relu_network", "dnf"),
                 ("junta", "relu_network")]:
        listed = web.routes(f, g, efficient_only=True, limit=None)
        assert all(r.efficient for r in listed), [(r.names, r.notes) for r in listed
                                                   if not r.efficient]
        everything = web.routes(f, g, limit=None)
        assert {r.names for r in listed} == {r.names for r in everything if r.efficient}


def test_cli_efficient_says_when_only_inefficient_routes_exist(capsys):
    """``pacdistill route conjunction junta --efficient`` printed three routes
    marked "not efficient"; with the filter applied it said "No composable
    route", though ``route conjunction junta`` lists 65. It says which filter
    left nothing."""
    from pacdistill.cli import main

    code = main(["route", "conjunction", "junta", "--efficient"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert out.startswith("No composable route conjunction -> junta within 4 steps is "
                          "efficient (routes that are not: drop --efficient to see them).")
    assert "not efficient" not in out


def _learner(name, source, target, *, assumptions=()):
    from pacdistill.bounds import symbols as S
    from pacdistill.bounds.guarantee import Guarantee, Promise
    from pacdistill.reductions import Reduction, Result

    g = Guarantee("perfect", source, target, f"toy {name}", promise=Promise(target),
                  error=S.eps, failure=S.delta, samples=S.d / S.eps, time=S.d**3 / S.eps,
                  size_map={S.d: S.d, S.k: S.k}, assumptions=assumptions)
    return Reduction(name, source, target, g, access="examples", efficient=True,
                     func=lambda model, /, **kw: Result(model, {"samples_used": 0,
                                                                "queries_used": 0,
                                                                "seconds": 0.0}))


def test_an_sq_lower_bound_is_not_contradicted_by_an_efficient_learner(web):
    """"SQ" restricts the algorithm, it is no conjecture (barriers.ASSUMPTIONS):
    d^Omega(k) statistical queries for k-juntas and, say, a polynomial-time
    Gaussian-elimination-like junta learner can both be true (parities have the
    same SQ lower bound and learn_parity learns them). The web refused such a
    learner as contradicting sq_learn_junta; it must keep both, answer
    "efficient" and note the SQ bound as one the route is not known to obey.
    A barrier under a conjecture (random K-SAT) is still contradicted."""
    from pacdistill.errors import ContradictionError
    from pacdistill.reductions.barriers import RESTRICTIONS

    assert RESTRICTIONS == frozenset({"SQ"})
    w = pd.ReductionWeb(list(web.reductions.values()))
    w.add(_learner("fast_junta_learner", "junta", "junta"))  # refused before the fix
    assert w.contradictions() == []
    st = w.status("junta", "junta", setting="learning")
    assert st.answer == "efficient" and st.route.names == ("fast_junta_learner",)
    note = next(line for line in st.derivation if line.startswith("note:"))
    assert "sq_learn_junta" in note and "statistical-query" in note and "it needs )" not in note
    with pytest.raises(ContradictionError, match="hard_learn_dnf"):
        w.add(_learner("fast_dnf_learner", "dnf", "dnf"))


@pytest.mark.parametrize("name, meant", [
    ("tree", "'decision_tree'"), ("network", "'relu_network'"), ("table", "'lookup_table'"),
    ("decision", "'decision_tree' or 'decision_list'"),
])
def test_a_word_of_a_class_name_is_suggested(web, name, meant):
    """``pacdistill status relu_network tree`` said only "Unknown class 'tree'.
    Known: ..." (difflib finds nothing close to a word of a longer name); the
    class whose name has that word is suggested."""
    from pacdistill.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match=f"Did you mean {meant}\\? Known: cnf"):
        web.status("relu_network", name)
    with pytest.raises(UnknownNameError, match="Unknown class .* 'qqq'. Known: cnf"):
        web.routes("qqq", "dnf")


def test_unknown_status_names_the_route_that_does_not_qualify(web):
    """"How do I distil a ReLU network into a DNF?": status said only "no
    qualifying route within 4 steps", though ``routes`` lists the paper's own
    route (LRH probing into a tree, then the tree as a DNF) that needs the
    stronger promise "f is a decision tree". The derivation names the shortest
    such route and why it does not answer the question. (Within 4 steps the exact
    truth-table route network -> lookup_table -> tree -> DNF, 2^d evaluations,
    now answers it, inefficiently; within 2 steps nothing qualifies, and the
    shortest routes, the conjunction learner's and LRH probing's, need a stronger
    promise.)"""
    st = web.status("relu_network", "dnf", max_steps=2)
    assert st.answer == "unknown"
    line = next(x for x in st.derivation if x.startswith("shortest route that does not"))
    assert "(learn_conjunction[relu_network], conjunction_to_dnf)" in line
    assert "needs the promise 'f is a conjunction', stronger than 'f is a dnf'" in line
    agnostic = web.status("halfspace", "decision_tree", setting="learning").derivation
    assert any("erm_junta[halfspace]" in x and "OPT_junta, not OPT_decision_tree" in x
               for x in agnostic)
    # within one step cnf -> relu_network has no route at all: nothing more is said
    assert not any(x.startswith("shortest route") for x in web.status(
        "cnf", "relu_network", max_steps=1).derivation)


def test_a_renamed_size_read_from_at_names_whose_value_it_is(web):
    """relu_network -> conjunction -> decision_list -> junta (a conjunction
    learner, a conversion, ERM over k-juntas): the ERM's k is k_3 (the learned
    conjunction has a k), and at= k = 4 reads it as 4. The note said "to
    choose it apart from the source's", but a network has no k: it is the k
    given in at=. A source that has the parameter keeps "the source's"."""
    at = {"d": 20, "k": 4, "eps": 0.1, "delta": 0.05, "m": 8, "L": 1}
    route = next(r for r in web.routes("relu_network", "junta", at=at, limit=None)
                 if r.names == ("learn_conjunction[relu_network]",
                                "conjunction_to_decision_list", "erm_junta[decision_list]"))
    note = next(n for n in route.notes if n.startswith("evaluated with"))
    assert "k_3 (the k of step 3, erm_junta[decision_list]) taken = k = 4 " \
           "(relu_network has no k)" in note
    assert "apart from the k given (THEORY §3" in note and "source's" not in note
    conj = next(r for r in web.routes("conjunction", "junta", at=at, limit=None)
                if r.names == ("conjunction_to_decision_list", "query_junta[decision_list]"))
    note = next(n for n in conj.notes if n.startswith("evaluated with"))
    assert note.endswith("pass k_2=... to choose it apart from the source's (THEORY §3: a "
                         "step's own sizes are renamed)")
    assert "has no k" not in note


def test_route_without_values_does_not_claim_a_ranking(capsys):
    """``pacdistill route junta dnf`` (no --at) printed "ranked by samples",
    but nothing is evaluated without values: the routes come fewest steps
    first (``routes``' docstring). The header says that."""
    from pacdistill.cli import main

    assert main(["route", "junta", "dnf", "--rank", "time"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Routes junta -> dnf, fewest steps first, efficient first (--at "
                          "values rank them by time) (best 5 of 12; --limit 12 shows all):")
    assert main(["route", "junta", "dnf", "--at", "d=10,k=3,eps=0.1,delta=0.1"]) == 0
    assert capsys.readouterr().out.startswith(
        "Routes junta -> dnf, ranked by samples at d=10, k=3, eps=0.1, delta=0.1 (best 5 of "
        "12; --limit 12 shows all):")


def test_edges_table_marks_size_blowups_as_no_efficient_step(capsys):
    """``pacdistill edges`` said "efficient yes" for to_lookup_table[relu_network]
    (2^d queries) and tree_to_junta (a table of 2^(s-1) entries from s leaves),
    which the web never counts as efficient steps (their size maps are not
    polynomial in their inputs). The table says "no (size)" with a legend;
    --json keeps "efficient" (the algorithm's own flag) and adds "size_blowup"."""
    import json

    from pacdistill.cli import main

    assert main(["edges", "--kind", "exact"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if "->" in line}
    assert "no (size)" in rows["to_lookup_table[relu_network]"]
    assert "no (size)" in rows["tree_to_junta"]
    assert " yes " in rows["tree_to_dnf"] and " yes " in rows["to_lookup_table[lookup_table]"]
    assert "no (size): the algorithm's time is polynomial in its sizes" in out
    assert main(["edges", "--from", "decision_tree", "--to", "junta", "--json"]) == 0
    data = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    assert data["tree_to_junta"]["efficient"] is True
    assert data["tree_to_junta"]["size_blowup"] is True
    assert data["query_junta[decision_tree]"]["size_blowup"] is False


def test_a_separations_costs_tell_the_two_sizes_s_apart(web):
    """dnf -> decision_tree (dnf_to_relu, then lrh_tree): the separation's
    distillation cost read "samples <= ...s_2..." with s_2 unexplained, and
    "time <= poly(d + s*w, d + r + s, ...)", where the second s is the tree's
    leaf count s_2, not the DNF's s terms. The bound says what s_2 is and the
    target's size is read through the route's size map."""
    sep = next(s for s in web.separations() if (s.source, s.target) == ("dnf", "decision_tree"))
    samples = next(c for c in sep.distillation_costs if c.what == "samples")
    assert samples.bound.endswith("(s_2 is the s of step 2, lrh_tree's own)")
    assert "s_2" in samples.formula and "lrh_tree" not in samples.formula
    time = next(c for c in sep.distillation_costs if c.what == "time")
    assert time.bound == "poly(d + s*w, d + r + s_2, 1/eps, log(1/delta))"
    # without a renamed size nothing changes
    net = next(s for s in web.separations() if (s.source, s.target) == ("relu_network",
                                                                         "decision_tree"))
    assert [c.bound for c in net.distillation_costs if c.what == "time"] == [
        "poly(L + d + m, d + r + s, 1/eps, log(1/delta))"]


def test_efficient_only_judges_the_values_on_the_efficient_routes_alone(web):
    """parity -> decision_tree with efficient_only=True at k_2 = 20 > d = 10:
    the efficient routes (then only parity_to_relu, lrh_tree; since the exact
    conversion of 1-decision lists into trees, also the conjunction and decision
    list learners followed by it) have no k_2, yet routes()
    raised "the values of at= describe no run of any route: k_2 = 20 ..."
    because a route the filter dropped (through query_junta[relu_network],
    which has a k_2) was counted among the refused ones."""
    at = {"d": 10, "k": 3, "k_2": 20, "r": 3, "s": 8, "eps": 0.1, "delta": 0.1}
    listed = web.routes("parity", "decision_tree", at=at, efficient_only=True, limit=None)
    assert [r.names for r in listed] == [
        ("learn_conjunction[parity]", "conjunction_to_decision_list", "decision_list_to_tree"),
        ("parity_to_relu", "learn_conjunction[relu_network]", "conjunction_to_decision_list",
         "decision_list_to_tree"),
        ("learn_decision_list[parity]", "decision_list_to_tree"),
        ("parity_to_relu", "learn_decision_list[relu_network]", "decision_list_to_tree"),
        ("parity_to_relu", "lrh_tree")]
    for route in listed:
        assert route.cost == route.guarantee.at(fields=["samples"], **at).samples


def test_a_missing_tied_option_names_the_one_value_the_guarantee_allows(web):
    """conjunction -> parity -> junta (learn_parity, then ERM over k-juntas):
    the ERM's k is the learned parity's k, which the composed guarantee reads
    as d. Route.run without k said "Pass k=..."; given k=3 it then refused,
    saying only k = 8 is described. The first message names that value."""
    from pacdistill.errors import InvalidCallError

    route = next(r for r in web.routes("conjunction", "junta", limit=None)
                 if r.names == ("learn_parity[conjunction]", "erm_junta[parity]"))
    with pytest.raises(InvalidCallError, match=r"needs the option k \(the composed guarantee "
                       r"reads it as the k of its input \(parity\), d = 8 here\), which "
                       r"Route.run did not get. Pass k=8 "):
        route.run(pd.Conjunction(8, [(0, 1)]), eps=0.2, delta=0.1, rng=0)
    first = next(r for r in web.routes("parity", "junta", limit=None)
                 if r.names == ("erm_junta[parity]",))
    with pytest.raises(InvalidCallError, match=r"parity\), k = 2 here\), .* Pass k=2 "):
        first.run(pd.Parity(8, [0, 2]), eps=0.2, delta=0.1, rng=0)
    # a free option (the ERM's own k on a network, which has no k) still asks for a value
    free = next(r for r in web.routes("relu_network", "junta", limit=None)
                if r.names == ("erm_junta[relu_network]",))
    net = pd.CLASSES["relu_network"].random(0, d=6, m=3)
    with pytest.raises(InvalidCallError, match=r"needs the option k, which Route.run did not "
                       r"get. Pass k=\.\.\. "):
        free.run(net, eps=0.2, delta=0.1, rng=0)


def test_a_learning_route_may_open_with_a_learner_into_its_own_class(web):
    """In the learning setting f is known only through examples, so the identity is
    not available: learning halfspaces by linear programming and writing the result
    as a ReLU network answers 'learn halfspace -> relu_network'. Route search kept
    paths simple and never let a learner F -> F open a longer route, so the status
    was 'unknown' for these five pairs."""
    expected = {
        ("halfspace", "relu_network"): ("learn_halfspace[halfspace]", "halfspace_to_relu"),
        ("parity", "relu_network"): ("learn_parity[parity]", "parity_to_relu"),
        ("decision_list", "decision_tree"): ("learn_decision_list[decision_list]",
                                             "decision_list_to_tree"),
    }
    for (f, g), names in expected.items():
        st = web.status(f, g, setting="learning")
        assert st.answer == "efficient" and st.route.names == names, (f, g, st.derivation)
    for g in ("dnf", "cnf"):
        assert web.status("decision_list", g, setting="learning").answer == "efficient"
    # distillation keeps the identity: no route opens with a loop there
    assert all(r.names[0] != "learn_halfspace[halfspace]" or len(r.steps) == 1
               for r in web.routes("halfspace", "relu_network", limit=None))
    assert web.contradictions() == []
