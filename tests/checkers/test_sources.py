"""Instances of the conformance harness (pacdistill.checkers._sources, _opt): every
drawn source satisfies its edge's promise (THEORY §2.2-2.3), and brute-force OPT
is the least error over the class (THEORY §1)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import _opt, _sources
from pacdistill.checkers import strategies as pst
from pacdistill.reductions import REGISTRY

PERFECT = sorted((e for e in REGISTRY.values() if e.kind == "perfect"), key=lambda e: e.name)


@pytest.mark.parametrize("edge", PERFECT, ids=lambda e: e.name)
def test_drawn_sources_satisfy_the_promise(edge):
    """f agrees with the drawn promise member g* everywhere (exact promise) or
    D-almost surely (distributional), g* is in the promise class within the edge's
    domain, and promise-class options (k) are g*'s sizes."""
    promise = edge.guarantee.promise
    for t, kind in enumerate(_sources.KINDS * 2):
        rng = np.random.default_rng([7, t])
        d = int(rng.integers(2, 9))
        inst = _sources.draw_instance(edge, rng, d, kind)
        f, g, D = inst.source, inst.promise_model, inst.distribution
        assert isinstance(f, pd.CLASSES[edge.source].model_type)
        assert isinstance(g, pd.CLASSES[promise.cls].model_type)
        assert f.n_inputs == g.n_inputs == D.d == d
        if promise.mode == "everywhere":
            assert pd.checkers.equivalent(f, g).equal, inst.how
        else:
            assert pd.checkers.disagreement(f, g, D).value == 0, inst.how
        if edge.domain.get("max_w") is not None:
            assert g.size()["w"] <= edge.domain["max_w"]
        for name, value in inst.options.items():
            assert value == max(g.size()[name], 1)


def test_promise_rules_are_the_documented_ones():
    """Each rule of the module docstring is used where it applies."""
    how = {name: _sources.draw_instance(REGISTRY[name], np.random.default_rng(0), 5,
                                        "uniform").how
           for name in ("learn_junta[junta]", "query_junta[relu_network]",
                        "query_junta[halfspace]", "learn_conjunction[parity]")}
    assert how["learn_junta[junta]"] == "a random member of the promise class"
    assert how["query_junta[relu_network]"].endswith("junta_to_tree -> tree_to_relu")
    assert how["query_junta[halfspace]"] == "a halfspace on few variables and its junta projection"
    assert how["learn_conjunction[parity]"] == "D conditioned on {f = g*}"


@given(st.one_of(pst.decision_trees(max_d=6), pst.dnfs(max_d=6), pst.halfspaces(max_d=6),
                 pst.lookup_tables(max_d=5)))
def test_minimal_junta_is_f_on_exactly_its_relevant_variables(f):
    """The projection equals f and every variable it keeps is relevant."""
    j = _sources.minimal_junta(f)
    assert pd.checkers.equivalent(f, j).equal
    X = pd.cube.enumerate(f.n_inputs)
    for i in j.variables:
        flipped = X.copy()
        flipped[:, i] *= -1
        assert (f.predict(X) != f.predict(flipped)).any()


@pytest.mark.parametrize("name", list(pd.CLASSES))
def test_few_variable_members_read_few_variables(name):
    for seed in range(10):
        f = _sources.few_variable_member(name, np.random.default_rng(seed), 7)
        if name == "lookup_table":
            assert f is None  # reached through to_lookup_table instead
            continue
        assert len(_sources.minimal_junta(f).variables) <= _sources.FEW_VARIABLES


def test_exact_paths():
    assert _sources.exact_path("junta", "junta") == []
    assert [e.name for e in _sources.exact_path("conjunction", "halfspace")] == [
        "conjunction_to_halfspace"]
    assert _sources.exact_path("halfspace", "junta") is None
    assert [e.name for e in _sources.exact_path("parity", "lookup_table")] == [
        "to_lookup_table[parity]"]


def test_restrict_conditions_on_agreement():
    f, g = pd.Parity(3, [0]), pd.Parity(3, [1])
    D = _sources.restrict(pd.distributions.Uniform(3), f, g)
    X, w = D.support()
    assert (f.predict(X) == g.predict(X)).all() and len(X) == 4 and math.isclose(w.sum(), 1)
    assert _sources.restrict(pd.distributions.Uniform(3), f, pd.Junta(3, [0], [-1, 1])) is None


def test_random_distributions_and_bounds_are_checked():
    rng = np.random.default_rng(0)
    for kind in _sources.KINDS:
        D = _sources.random_distribution(rng, 4, kind)
        assert D.d == 4 and math.isclose(D.pmf_on_cube().sum(), 1)
    with pytest.raises(pd.errors.InvalidParameterError, match="gaussian"):
        _sources.random_distribution(rng, 4, "gaussian")
    with pytest.raises(pd.errors.InvalidParameterError, match="max_depth"):
        _sources.random_member("junta", rng, 4, {"max_depth": 2})


def test_required_options():
    assert _sources.required_options(REGISTRY["learn_junta[dnf]"]) == ["k"]
    assert _sources.required_options(REGISTRY["query_junta[dnf]"]) == ["k"]
    assert _sources.required_options(REGISTRY["learn_parity[dnf]"]) == []


# -- brute-force OPT -----------------------------------------------------------------


def _naive_opt(f, D, members):
    X = pd.cube.enumerate(f.n_inputs)
    y, pmf = f.predict(X), D.pmf_on_cube()
    return min(float(pmf[g.predict(X) != y].sum()) for g in members)


def _juntas(d, k):
    for variables in itertools.combinations(range(d), k):
        for table in itertools.product((1, -1), repeat=1 << k):
            yield pd.Junta(d, variables, table)


def _conjunctions(d, k):
    for signs in itertools.product((0, 1, -1), repeat=d):
        literals = [(i, s) for i, s in enumerate(signs) if s]
        if len(literals) <= k:
            yield pd.Conjunction(d, literals)


def _parities(d, k):
    for size in range(k + 1):
        for variables in itertools.combinations(range(d), size):
            yield pd.Parity(d, variables)


@pytest.mark.parametrize(("cls", "members"), [("junta", _juntas),
                                             ("conjunction", _conjunctions),
                                             ("parity", _parities)])
@given(f=pst.lookup_tables(min_d=2, max_d=3), data=st.data())
def test_opt_is_the_least_error_over_the_class(cls, members, f, data):
    """OPT equals the least D-error over an explicit enumeration of the class."""
    D = data.draw(pst.distributions(d=f.n_inputs), label="D")
    k = data.draw(st.integers(1, f.n_inputs), label="k")
    assert _opt.opt(cls, f, D, {"d": f.n_inputs, "k": k}) == pytest.approx(
        _naive_opt(f, D, members(f.n_inputs, k)), abs=1e-12)


def test_instance_values_take_the_promise_member_sizes_then_the_options():
    """The parameters a guarantee is evaluated at (edge_checks.instance_values): the
    source's sizes, overridden by the promise member's (in learn_junta[conjunction]
    k is the junta's variables, not the conjunction's literals), overridden by
    integer options named like a symbol. (The mutation dropping the promise
    member's sizes survived: every edge of the default web also passes them as
    the option k.)"""
    from pacdistill.checkers.edge_checks import instance_values

    c = pd.Conjunction(6, [(0, 1), (1, 1), (2, -1)])   # k = 3 literals
    j = pd.Junta(6, [0, 4], [1, -1, -1, -1])           # k = 2 variables
    assert instance_values(c) == {"d": 6, "k": 3}
    assert instance_values(c, promise_model=j) == {"d": 6, "k": 2}
    assert instance_values(c, promise_model=j, options={"k": 4, "t": 5, "name": 1}) == \
        {"d": 6, "k": 4, "t": 5}
