"""Broken reductions a careful conformance harness must catch, and a few it cannot
(tests/checkers/test_adversarial.py says which and why), registered in the
private registry ADVERSARIAL so the default web never sees them. The replay
commands of their counterexamples import this file by its path.

Each is a small change to a correct edge of the default web (junta_to_tree,
tree_to_dnf, dnf_to_relu, to_lookup_table[halfspace], learn_junta[junta],
erm_junta[junta], query_junta[junta]) or a plain test double; its docstring
says what is wrong with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee, Promise
from pacdistill.distributions import Uniform
from pacdistill.reductions import REGISTRY, Result, register
from pacdistill.reductions.junta_to_tree import complete_tree

ADVERSARIAL: dict = {}
_J2T = REGISTRY["junta_to_tree"]
_T2D = REGISTRY["tree_to_dnf"]
_D2R = REGISTRY["dnf_to_relu"]
_LJ = REGISTRY["learn_junta[junta]"]
_ERM = REGISTRY["erm_junta[junta]"]
_QJ = REGISTRY["query_junta[junta]"]


def _report(samples: int = 0, queries: int = 0) -> dict[str, Any]:
    return {"samples_used": samples, "queries_used": queries, "seconds": 0.0}


def _flipped(junta: Any, when: bool) -> Result:
    """junta_to_tree's complete tree, its last leaf flipped when ``when``."""
    table = np.array(junta.table)
    if when:
        table[-1] = -table[-1]
    return Result(complete_tree(junta.d, junta.variables, table), _report())


def _exact(name: str, source: str = "junta", target: str = "decision_tree",
           guarantee: Guarantee = _J2T.guarantee, **kwargs: Any) -> Any:
    return register(name=name, source=source, target=target, guarantee=guarantee,
                    registry=ADVERSARIAL, **kwargs)


# -- exact conversions ----------------------------------------------------------------


@_exact("tree_wrong_from_d9")
def tree_wrong_from_d9(model: Any, /, **kwargs: Any) -> Result:
    """junta_to_tree, one leaf wrong when d >= 9 (within the default max_d = 10)."""
    return _flipped(model, model.d >= 9)


@_exact("tree_wrong_from_d17")
def tree_wrong_from_d17(model: Any, /, **kwargs: Any) -> Result:
    """junta_to_tree, one leaf wrong when d >= 17 (past every max_d the harness takes)."""
    return _flipped(model, model.d >= 17)


@_exact("tree_wrong_from_k5")
def tree_wrong_from_k5(model: Any, /, **kwargs: Any) -> Result:
    """junta_to_tree, one leaf wrong on juntas of 5 or more variables."""
    return _flipped(model, model.k >= 5)


@_exact("tree_wrong_on_constants")
def tree_wrong_on_constants(model: Any, /, **kwargs: Any) -> Result:
    """junta_to_tree, wrong on the 0-variable juntas (the constant functions)."""
    return _flipped(model, model.k == 0)


@_exact("tree_map_off_in_constant",
        guarantee=_J2T.guarantee.evolve(size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k / 2 + 9}))
def tree_map_off_in_constant(model: Any, /, **kwargs: Any) -> Result:
    """The correct junta_to_tree under a size map of the right order (2^k) with
    the wrong constant: s <= 2^k / 2 + 9 holds for k <= 4 only."""
    return _J2T.run(model)


@_exact("tree_outputs_table")
def tree_outputs_table(model: Any, /, **kwargs: Any) -> Result:
    """Outputs a LookupTable (not its target class) on juntas of 3 or more variables."""
    if model.k >= 3:
        return Result(pd.LookupTable.from_model(model), _report())
    return _J2T.run(model)


@_exact("tree_rewrites_source")
def tree_rewrites_source(model: Any, /, **kwargs: Any) -> Result:
    """A wrong tree (first leaf flipped), after rewriting its source's table to
    match it: compared with the source as it is after the run, it looks right."""
    table = np.array(model.table)
    table[0] = -table[0]
    table.setflags(write=False)
    object.__setattr__(model, "table", table)
    return Result(complete_tree(model.d, model.variables, table), _report())


@_exact("dnf_wrong_on_redundant_trees", source="decision_tree", target="dnf",
        guarantee=_T2D.guarantee)
def dnf_wrong_on_redundant_trees(model: Any, /, **kwargs: Any) -> Result:
    """tree_to_dnf, negated on trees with a redundant split (a node whose two
    children are leaves of one value): a repeated structure."""
    out = _T2D.run(model)
    feature, plus = np.asarray(model.feature), np.asarray(model.plus)
    minus, value = np.asarray(model.minus), np.asarray(model.value)
    inner = np.flatnonzero(feature >= 0)
    p, m = plus[inner], minus[inner]
    if ((feature[p] < 0) & (feature[m] < 0) & (value[p] == value[m])).any():
        constant = model.predict(pd.cube.enumerate(model.d))[0]
        return Result(pd.DNF(model.d, [] if constant == 1 else [[]]), out.report)
    return out


@_exact("relu_wrong_on_repeated_terms", source="dnf", target="relu_network",
        guarantee=_D2R.guarantee)
def relu_wrong_on_repeated_terms(model: Any, /, **kwargs: Any) -> Result:
    """dnf_to_relu, constant +1 on DNFs with a term written twice."""
    terms = [tuple(sorted(map(tuple, term))) for term in model.terms]
    if len(set(terms)) < len(terms):
        return _D2R.run(pd.DNF(model.d, [[]]))
    return _D2R.run(model)


@_exact("table_ties_to_plus", source="halfspace", target="lookup_table",
        guarantee=REGISTRY["to_lookup_table[halfspace]"].guarantee)
def table_ties_to_plus(model: Any, /, **kwargs: Any) -> Result:
    """A halfspace's table read off w . x + b >= 0: +1 on ties, where a
    Halfspace predicts -1 (THEORY §1 convention of the class)."""
    X = pd.cube.enumerate(model.d)
    out = np.where(X @ np.asarray(model.weights) + model.bias >= 0, 1, -1)
    return Result(pd.LookupTable(model.d, out), _report())


# -- learners -------------------------------------------------------------------------


def _learner(name: str, guarantee: Guarantee = _LJ.guarantee, access: str = "examples",
             **kwargs: Any) -> Any:
    return register(name=name, source="junta", target="junta", guarantee=guarantee,
                    access=access, registry=ADVERSARIAL, extra_symbols=(S.k,), **kwargs)


def _negated(result: Result) -> Result:
    g = result.model
    return Result(pd.Junta(g.d, list(g.variables), -np.asarray(g.table)), result.report)


@_learner("junta_uniform_samples")
def junta_uniform_samples(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                          delta: Any, rng: Any = None) -> Result:
    """learn_junta on uniform points it draws itself, ignoring D (it reports them)."""
    return _LJ.run(model, k=k, sampler=Uniform(model.d), eps=eps, delta=delta, rng=rng)


@_learner("junta_uniform_queries",
          guarantee=_LJ.guarantee.evolve(queries=_LJ.guarantee.samples, samples=0),
          access="queries")
def junta_uniform_queries(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                          delta: Any, rng: Any = None) -> Result:
    """The same learner declared honestly as a query algorithm (its points are
    queries) under learn_junta's *distributional* promise: right whenever f is
    a k-junta everywhere, wrong where f agrees with one only on D's support."""
    out = _LJ.run(model, k=k, sampler=Uniform(model.d), eps=eps, delta=delta, rng=rng)
    used = out.report["samples_used"]
    return Result(out.model, {**out.report, "samples_used": 0, "queries_used": used})


@_learner("junta_draws_from_inner")
def junta_draws_from_inner(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                           delta: Any, rng: Any = None) -> Result:
    """learn_junta, after drawing 1000 unreported points from the distribution
    the harness wrapped (``sampler.inner``), around its sample count."""
    getattr(sampler, "inner", sampler).sample(1000, 0)
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)


@_learner("junta_draws_from_a_copy")
def junta_draws_from_a_copy(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                            delta: Any, rng: Any = None) -> Result:
    """learn_junta, after drawing 1000 unreported points from a ``copy.deepcopy``
    of its sampler."""
    import copy

    copy.deepcopy(sampler).sample(1000, 0)
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)


@_learner("junta_reads_pmf")
def junta_reads_pmf(model: Any, /, *, k: Any, sampler: Any = None, eps: Any, delta: Any,
                    rng: Any = None) -> Result:
    """learn_junta, after reading D's probabilities (it gets samples, not D)."""
    sampler.pmf_on_cube()
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)


@_learner("junta_rewrites_source", access="representation")
def junta_rewrites_source(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                          delta: Any, rng: Any = None) -> Result:
    """A constant +1 output, after rewriting f's table to +1: measured against
    f as it is after the run, its error is 0. (Declared access='representation':
    an access='examples' edge gets a black box it cannot write to.)"""
    table = np.ones(len(model.table), dtype=np.asarray(model.table).dtype)
    table.setflags(write=False)
    object.__setattr__(model, "table", table)
    return Result(pd.Junta(model.d, list(model.variables), table), _report())


@_learner("junta_moves_product")
def junta_moves_product(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                        delta: Any, rng: Any = None) -> Result:
    """A constant +1 output, after moving a product distribution's mass onto
    the all-(+1) point (where a junta with table[0] = +1 is right)."""
    D = getattr(sampler, "inner", sampler)
    p = np.ones(D.d)
    p.setflags(write=False)
    object.__setattr__(D, "p", p)
    return Result(pd.Junta(model.d, [], [1]), _report())


_CALLS = [0]


@_learner("junta_fails_on_even_calls")
def junta_fails_on_even_calls(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                              delta: Any, rng: Any = None) -> Result:
    """learn_junta negated on every other call, whatever its rng: the failure of
    a trial does not happen again when it is rerun with the same seed."""
    _CALLS[0] += 1
    out = _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)
    return _negated(out) if _CALLS[0] % 2 == 0 else out


_STATE = [0]


@_learner("junta_hidden_state")
def junta_hidden_state(model: Any, /, *, k: Any, sampler: Any = None, eps: Any, delta: Any,
                       rng: Any = None) -> Result:
    """learn_junta on its declared n less the parity of its earlier calls: correct
    (at most one sample short), but a run depends on state outside its rng, so
    two runs with one seed may differ and no run of it can be replayed."""
    _STATE[0] += 1
    n = _LJ.guarantee.at(fields=["samples"], d=model.d, k=k, eps=eps, delta=delta).samples
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng,
                   n=n - _STATE[0] % 2)


@_learner("junta_fails_3_delta")
def junta_fails_3_delta(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                        delta: Any, rng: Any = None) -> Result:
    """learn_junta negated with probability min(1, 3 delta) (its rng decides):
    a failure rate three times the declared one."""
    gen = np.random.default_rng(rng)
    out = _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=gen)
    return _negated(out) if gen.random() < 3 * delta else out


@_learner("junta_wrong_from_d9")
def junta_wrong_from_d9(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                        delta: Any, rng: Any = None) -> Result:
    """learn_junta negated when d >= 9 (past the statistical default max_d = 8)."""
    out = _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)
    return _negated(out) if model.d >= 9 else out


@_learner("junta_samples_past_small_eps")
def junta_samples_past_small_eps(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                                 delta: Any, rng: Any = None) -> Result:
    """learn_junta on n * max(1, 0.1 / eps) samples: the declared count at
    eps >= 0.1, more below (a 1/eps^2 learner under a 1/eps bound)."""
    n = _LJ.guarantee.at(fields=["samples"], d=model.d, k=k, eps=eps, delta=delta).samples
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng,
                   n=int(np.ceil(n * max(1.0, 0.1 / eps))))


@register(name="table_memorizer", source="junta", target="lookup_table", registry=ADVERSARIAL,
          guarantee=Guarantee("perfect", "junta", "lookup_table", "a test double",
                              promise=Promise("junta"), error=S.eps, failure=S.delta,
                              samples=_LJ.guarantee.samples, size_map={S.d: S.d}),
          access="examples", extra_symbols=(S.k,))
def table_memorizer(model: Any, /, *, k: Any, sampler: Any = None, eps: Any, delta: Any,
                    rng: Any = None) -> Result:
    """Memorizes learn_junta's sample size of labelled examples and answers +1
    elsewhere: right on the sample, wrong on the unseen half of a large cube."""
    n = _LJ.guarantee.at(fields=["samples"], d=model.d, k=k, eps=eps, delta=delta).samples
    X = sampler.sample(n, rng)
    table = np.ones(2 ** model.d, dtype=np.int8)
    table[pd.cube.index(X)] = model.predict(X)
    return Result(pd.LookupTable(model.d, table), _report(samples=n))


@register(name="erm_skips_last_variable", source="junta", target="junta",
          guarantee=_ERM.guarantee, access="examples", registry=ADVERSARIAL,
          extra_symbols=(S.k,))
def erm_skips_last_variable(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                            delta: Any, rng: Any = None) -> Result:
    """erm_junta with an off-by-one: the k-subsets of x_0 .. x_{d-2} only, so it
    is far from OPT whenever every best k-junta reads x_{d-1}."""
    from itertools import combinations

    d = model.d
    n = _ERM.guarantee.at(fields=["samples"], d=d, k=k, eps=eps, delta=delta).samples
    X = sampler.sample(n, rng)
    y = model.predict(X)
    best = None
    for subset in combinations(range(max(d - 1, k)), k):
        codes = (X[:, list(subset)] == -1).astype(np.int64) @ (1 << np.arange(k))
        pos = np.bincount(codes[y == 1], minlength=2**k)
        neg = np.bincount(codes[y == -1], minlength=2**k)
        errors = int(np.minimum(pos, neg).sum())
        if best is None or errors < best[0]:
            best = (errors, subset, np.where(pos >= neg, 1, -1))
    return Result(pd.Junta(d, list(best[1]), best[2]), _report(samples=n))


@register(name="query_copy_of_source", source="junta", target="junta",
          guarantee=_QJ.guarantee, access="queries", registry=ADVERSARIAL,
          extra_symbols=(S.k,))
def query_copy_of_source(model: Any, /, *, k: Any, sampler: Any = None, eps: Any = None,
                         delta: Any, rng: Any = None) -> Result:
    """query_junta's answer read off a *copy* of f evaluated on the whole cube,
    reporting no queries."""
    from pacdistill.checkers._sources import minimal_junta

    copy = pd.model_from_dict(model.to_dict())
    return Result(minimal_junta(copy), _report())


@_learner("junta_reads_variables")
def junta_reads_variables(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                          delta: Any, rng: Any = None) -> Result:
    """A 'learner' that reads f's table and variables when it can (catching the
    AttributeError otherwise, and then learning honestly)."""
    table = getattr(model, "table", None)
    if table is not None:
        return Result(pd.Junta(model.d, list(model.variables), table), _report())
    return _LJ.run(model, k=k, sampler=sampler, eps=eps, delta=delta, rng=rng)


@_learner("learner_returns_source", guarantee=_LJ.guarantee.evolve(samples=0))
def learner_returns_source(model: Any, /, *, k: Any, sampler: Any = None, eps: Any,
                           delta: Any, rng: Any = None) -> Result:
    """A 'learner' that returns f itself: error 0, no samples."""
    return Result(model, _report())


@register(name="query_deepcopy_of_source", source="junta", target="junta",
          guarantee=_QJ.guarantee, access="queries", registry=ADVERSARIAL,
          extra_symbols=(S.k,))
def query_deepcopy_of_source(model: Any, /, *, k: Any, sampler: Any = None, eps: Any = None,
                             delta: Any, rng: Any = None) -> Result:
    """query_junta's answer read off a ``copy.deepcopy`` of f evaluated on the
    whole cube (2^d points), reporting no queries."""
    import copy

    from pacdistill.checkers._sources import minimal_junta

    return Result(minimal_junta(copy.deepcopy(model)), _report())


@register(name="representation_copy_of_source", source="junta", target="junta",
          guarantee=_QJ.guarantee, access="representation", registry=ADVERSARIAL,
          extra_symbols=(S.k,))
def representation_copy_of_source(model: Any, /, *, k: Any, sampler: Any = None,
                                  eps: Any = None, delta: Any, rng: Any = None) -> Result:
    """query_copy_of_source declared access='representation': it may read f, and
    its evaluations of a copy of f (rebuilt from its JSON) are not counted."""
    from pacdistill.checkers._sources import minimal_junta

    copy = pd.model_from_dict(model.to_dict())
    return Result(minimal_junta(copy), _report())
