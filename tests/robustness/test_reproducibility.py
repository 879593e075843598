"""Reproducibility (issue 9, deliverable 5): for every randomized algorithm and
generator, the same seed gives identical output -- as an int seed and as a
fresh ``numpy.random.default_rng(seed)`` -- and a different seed changes it
(so the seed is really used: a function that ignored it would pass the first
check trivially).

One table, RANDOMIZED, of (name, call(rng) -> output); outputs are compared in a
canonical form (models and distributions by their JSON, arrays by dtype, shape
and values, floats by repr so that NaN equals NaN; wall-clock timings dropped).
"""

import dataclasses

import hypothesis
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import pacdistill as pd
from pacdistill.reductions._registry import REGISTRY

#: report keys that measure wall-clock time (not part of the output)
_TIMING = ("seconds", "timings")


def canon(value):
    """A comparable, hashable-free canonical form of an output."""
    if isinstance(value, (pd.Model, pd.distributions.Distribution)):
        return ("json", canon(value.to_dict()))
    if isinstance(value, np.ndarray):
        return ("array", str(value.dtype), value.shape, canon(value.tolist()))
    if isinstance(value, np.generic):
        return canon(value.item())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                canon({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), canon(v)) for k, v in value.items()
                                     if not any(str(k).endswith(t) for t in _TIMING))))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(canon(v) for v in value))
    if isinstance(value, float):
        return ("float", repr(value))
    if hasattr(value, "to_dict"):
        return canon(value.to_dict())
    return value


def _draw(strategy, seed, n=6):
    """The first ``n`` examples hypothesis generates from ``strategy`` under
    ``@hypothesis.seed(seed)`` (not derandomized: the seed drives generation)."""
    seen = []

    @hypothesis.seed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], derandomize=False,
              deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(example):
        seen.append(canon(example))

    run()
    return seen


def _learner(name, model, **options):
    red = REGISTRY[name]
    return lambda rng: red.run(model, eps=0.2, delta=0.2, rng=rng, **options)


_RANDOM_PARAMS = {
    "conjunction": dict(d=12, k=4), "parity": dict(d=12, k=5), "junta": dict(d=12, k=3),
    "decision_tree": dict(d=12, depth=3), "decision_list": dict(d=12, l=5, w=2),
    "dnf": dict(d=12, s=4, w=3), "cnf": dict(d=12, s=4, w=3), "halfspace": dict(d=12),
    "relu_network": dict(d=12, L=2, m=6), "lookup_table": dict(d=6),
}
_DISTRIBUTIONS = {
    "Uniform": pd.distributions.Uniform(16),
    "Product": pd.distributions.Product(np.linspace(0.1, 0.9, 16)),
    "Subcube": pd.distributions.Subcube(16, {0: 1, 5: -1}),
    "FiniteSupport": pd.distributions.FiniteSupport(pd.cube.enumerate(4), np.arange(1, 17)),
    "Empirical": pd.distributions.Empirical(pd.cube.enumerate(5)),
    "Mixture": pd.distributions.Mixture([pd.distributions.Uniform(16),
                                         pd.distributions.Subcube(16, {3: -1})], [0.3, 0.7]),
}
_F = pd.CLASSES["decision_tree"].random(0, d=24, depth=4)
_G = pd.CLASSES["decision_tree"].random(1, d=24, depth=4)
_JUNTA_F = pd.Junta(8, [1, 6], [1, -1, -1, 1])
_NET = pd.CLASSES["relu_network"].random(0, d=6, L=1, m=10)
#: a route whose step learns from samples; given n = 6 examples its output depends
#: on the draw
_ROUTE = next(r for r in pd.default_web().routes("parity", "parity", limit=None)
              if r.names == ("learn_parity[parity]",))
_CONJ_F = pd.Conjunction(8, [(0, 1), (3, -1)])
_PLANTED_TREE = pd.CLASSES["decision_tree"].random(0, d=6, depth=2)
_CUBE_6 = pd.cube.enumerate(6)


def _planted(rng):
    """The mixing matrix and two calls of activations (the noise is drawn afresh at
    every call, from the model's own seeded Generator)."""
    rep = pd.distill.planted_network(_PLANTED_TREE, mixing=True, noise=0.1, rng=rng)
    return rep.mixing, rep.activations(_CUBE_6), rep.activations(_CUBE_6[:5])


def _random_features(rng):
    rep = pd.distill.random_features(_PLANTED_TREE, 4, rng=rng)
    return rep.activations(_CUBE_6), rep.activations(_CUBE_6[:5])

RANDOMIZED = [
    *[(f"CLASSES[{name!r}].random", lambda rng, name=name, p=p: pd.CLASSES[name].random(rng, **p))
      for name, p in _RANDOM_PARAMS.items()],
    *[(f"{name}.sample", lambda rng, D=D: D.sample(64, rng)) for name, D in _DISTRIBUTIONS.items()],
    ("disagreement(monte carlo)", lambda rng: pd.checkers.disagreement(_F, _G, n=3000, rng=rng)),
    ("equivalent(randomized, d=24)", lambda rng: pd.checkers.equivalent(_F, _G, rng=rng,
                                                                        n=5000)),
    # refuted only on 0.32 < eps < 0.42, which the corner points miss: the random
    # points find it, at a seed-dependent eps
    ("bounds.check(numeric search)", lambda rng: pd.bounds.check(
        "Abs(eps - 37/100) >= 1/20", assume="0 < eps < 1", points=300, rng=rng)),
    # small samples (n = 6), so that the consistent hypothesis depends on the draw
    ("learn_conjunction", _learner("learn_conjunction[conjunction]", _CONJ_F, n=6)),
    ("learn_parity", _learner("learn_parity[parity]", pd.Parity(8, [2, 5]), n=6)),
    ("learn_halfspace", _learner("learn_halfspace[halfspace]",
                                 pd.Halfspace([1.0, -2.0, 0.5, 0, 0, 0], 0.25), n=6)),
    ("learn_decision_list", _learner("learn_decision_list[conjunction]", _CONJ_F, n=6)),
    ("learn_junta", _learner("learn_junta[junta]", _JUNTA_F, k=2, n=6)),
    ("erm_junta", _learner("erm_junta[parity]", pd.Parity(8, [0, 1, 2]), k=2, n=6)),
    *[(f"strategies.for_class({name!r})", lambda seed, name=name: _draw(
        pd.checkers.strategies.for_class(name), seed)) for name in sorted(pd.CLASSES)],
    ("strategies.distributions", lambda seed: _draw(pd.checkers.strategies.distributions(),
                                                    seed)),
    ("strategies.eps_deltas", lambda seed: _draw(pd.checkers.strategies.eps_deltas(), seed)),
    # modules written in parallel with this suite (issue 9 asks for them last)
    ("distill_tree", lambda rng: pd.distill_tree(
        _NET, pd.distributions.Uniform(6).sample(400, 0), depth=2, rng=rng)),
    ("distill_junta", lambda rng: pd.distill_junta(_JUNTA_F, k=2, delta=0.1, rng=rng,
                                                   final_check=50)),
    ("check_reduction", lambda seed: pd.checkers.check_reduction(
        REGISTRY["learn_parity[parity]"], max_d=4, trials=4, seed=seed)),
    ("planted_network(mixing, noise)", _planted),
    ("random_features", _random_features),
    ("Route.run", lambda rng: _ROUTE.run(
        pd.Parity(8, [1, 4]), eps=0.3, delta=0.3, rng=rng,
        step_options={"learn_parity[parity]": {"n": 6}})),
]


# -- every randomized edge of the web, by name ----------------------------------------------
# One call per edge that draws examples or queries (kind != "exact": the learners of
# every source class, query_junta[...], lrh_tree), each on the literal x2 written in
# its source class (x2 is in every target class, so each perfect learner's promise
# holds), with n = 2 examples so that the consistent hypothesis depends on the draw
# (with 6, learn_junta and erm_junta found x2 itself at every seed).

_X2 = pd.Parity(8, [2])
_X2_CONJ = pd.Conjunction(8, [(2, 1)])
_X2_TREE = REGISTRY["parity_to_tree"].run(_X2).model
_X2_IN = {
    "parity": _X2, "conjunction": _X2_CONJ, "decision_tree": _X2_TREE,
    "junta": REGISTRY["tree_to_junta"].run(_X2_TREE).model,
    "dnf": REGISTRY["tree_to_dnf"].run(_X2_TREE).model,
    "cnf": REGISTRY["tree_to_cnf"].run(_X2_TREE).model,
    "relu_network": REGISTRY["parity_to_relu"].run(_X2).model,
    "lookup_table": pd.LookupTable.from_model(_X2),
    "decision_list": REGISTRY["conjunction_to_decision_list"].run(_X2_CONJ).model,
    "halfspace": REGISTRY["conjunction_to_halfspace"].run(_X2_CONJ).model,
}
#: the edges whose output depends on their rng (everything but the exact conversions)
RANDOMIZED_EDGES = sorted(name for name, red in REGISTRY.items()
                          if red.func is not None and red.kind != "exact")
#: a non-uniform sampler (the edges' and distill_junta's sampler= option)
_SKEWED = pd.distributions.Product(np.linspace(0.15, 0.85, 8))


def _edge_call(name, sampler=None):
    red = REGISTRY[name]
    source = _X2_IN[red.source]
    if name == "lrh_tree":
        options = dict(r=1, s=2, eps=0.3, delta=0.3, n=300)
    elif name.startswith("query_junta["):
        options = dict(k=1, delta=0.1, final_check=50)
    else:
        options = dict(eps=0.2, delta=0.2, n=2)
        if name.startswith(("learn_junta[", "erm_junta[")):
            options["k"] = 1
    return lambda rng: red.run(source, sampler=sampler, rng=rng, **options)


RANDOMIZED += [(f"edge {name}", _edge_call(name)) for name in RANDOMIZED_EDGES]
RANDOMIZED += [
    ("edge learn_parity[parity] (sampler=Product)",
     _edge_call("learn_parity[parity]", sampler=_SKEWED)),
    ("edge learn_junta[junta] (sampler=Product)", _edge_call("learn_junta[junta]", _SKEWED)),
    ("distill_junta (sampler=Product)", lambda rng: pd.distill_junta(
        _X2, k=1, delta=0.1, rng=rng, final_check=50, sampler=_SKEWED)),
]



def _broken_learner():
    """A learner of parities that answers a random parity of one variable: it fails
    check_reduction at a seed-dependent trial, so the report's counterexample (its
    source and seed) shows whether the seed drives the harness (a passing report
    holds only counts fixed by the edge's bounds, equal at every seed)."""
    import dataclasses

    from pacdistill.reductions import Result, register

    guarantee = dataclasses.replace(REGISTRY["learn_parity[parity]"].guarantee,
                                    source="derived here: a broken learner for a test")

    @register(name="broken_learn_parity", source="parity", target="parity", registry={},
              guarantee=guarantee, access="examples")
    def broken_learn_parity(f, /, *, sampler=None, eps, delta, rng=None, **options):
        gen = np.random.default_rng(rng)
        return Result(pd.Parity(f.d, [int(gen.integers(f.d))]),
                      {"samples_used": 0, "queries_used": 0})

    return broken_learn_parity


_BROKEN = _broken_learner()
RANDOMIZED.append(("check_reduction (a failing edge)", lambda seed: pd.checkers.check_reduction(
    _BROKEN, max_d=4, trials=4, seed=seed).counterexample))

#: y = x0 x1 on the whole 4-cube: at the root no split gains anything, so CART's
#: choice among the tied splits is its random_state's (drawn from rng)
_CUBE_4 = pd.cube.enumerate(4)


def _cart(rng):
    from pacdistill.distill.baselines import cart_baseline

    return cart_baseline(_CUBE_4, _CUBE_4[:, 0] * _CUBE_4[:, 1], depth=2, rng=rng)


_SMALL_WEB = pd.ReductionWeb.from_registry(
    {name: REGISTRY[name] for name in ("junta_to_tree", "tree_to_dnf", "learn_junta[junta]",
                                       "parity_to_tree", "dnf_to_relu")})


_AXES = []


def _spring_layout(seed):
    """The node positions ReductionWeb.draw(layout='spring', seed=seed) draws (on
    one Axes, cleared each time: a new figure per call is most of the cost)."""
    if not _AXES:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        _AXES.append(plt.subplots()[1])
    _AXES[0].clear()
    ax = _SMALL_WEB.draw(_AXES[0], layout="spring", seed=seed, labels=False)
    return np.asarray(ax.collections[0].get_offsets())


RANDOMIZED += [("cart_baseline", _cart), ("ReductionWeb.draw(layout='spring')", _spring_layout)]

#: entries whose randomness is a hypothesis seed (an int), not a numpy Generator
_HYPOTHESIS = {name for name, _ in RANDOMIZED if name.startswith("strategies.")} | {
    "check_reduction", "check_reduction (a failing edge)",  # take an int seed only
    "ReductionWeb.draw(layout='spring')"}
#: entries where two seeds may legitimately give the same output (tiny output spaces)
_MAY_COINCIDE = {"strategies.eps_deltas",
                 # a passing report holds only counts the edge's bounds fix, whatever
                 # sources were drawn
                 "check_reduction"}


@pytest.mark.parametrize("name,call", RANDOMIZED, ids=[n for n, _ in RANDOMIZED])
def test_same_seed_same_output(name, call):
    first, again = canon(call(7)), canon(call(7))
    assert first == again, f"{name}: seed 7 gave two different outputs"
    if name not in _HYPOTHESIS:
        assert canon(call(np.random.default_rng(7))) == first, \
            f"{name}: default_rng(7) and the seed 7 differ"
    if name not in _MAY_COINCIDE:
        others = [canon(call(seed)) for seed in (8, 9, 10)]
        assert any(other != first for other in others), \
            f"{name}: seeds 7-10 all gave the same output; is the seed used at all?"


def test_every_model_class_and_distribution_is_covered():
    names = {name for name, _ in RANDOMIZED}
    assert {f"CLASSES[{c!r}].random" for c in pd.CLASSES} <= names
    assert {f"{t.__name__}.sample" for t in pd.distributions.DISTRIBUTION_TYPES.values()} <= names
    # every randomized edge by its own name (not one edge per module: each source
    # class has its own sampling of the source)
    randomized = {name for name, red in REGISTRY.items()
                  if red.func is not None and red.kind != "exact"}
    assert {n for n in REGISTRY if REGISTRY[n].access in ("examples", "queries")
            and REGISTRY[n].kind != "exact" and REGISTRY[n].func is not None} <= randomized
    assert {f"edge {n}" for n in randomized} <= names, randomized - {
        n[len("edge "):] for n in names}


@pytest.mark.parametrize("name", sorted(_X2_IN))
def test_the_edge_sources_compute_x2(name):
    """The sources of the edge rows are x2 in each class (so each perfect learner's
    promise holds and a refusal is not what is being reproduced)."""
    assert pd.checkers.equivalent(_X2_IN[name], _X2).equal


#: every public function or method taking a seed -> the RANDOMIZED rows that cover it
#: (found by introspection below; ReductionWeb.draw passes **options on to a seed)
SEEDED = {
    "pacdistill.ModelClass.random": "CLASSES[",
    "pacdistill.distributions.Distribution.sample": ".sample",
    "pacdistill.distill_junta": "distill_junta",
    "pacdistill.distill_tree": "distill_tree",
    "pacdistill.Route.run": "Route.run",
    "pacdistill.bounds.check": "bounds.check(",
    "pacdistill.checkers.disagreement": "disagreement(",
    "pacdistill.checkers.equivalent": "equivalent(",
    "pacdistill.checkers.check_reduction": "check_reduction",
    "pacdistill.distill.planted_network": "planted_network(",
    "pacdistill.distill.random_features": "random_features",
    "pacdistill.distill.baselines.cart_baseline": "cart_baseline",
    "pacdistill.ReductionWeb.draw": "ReductionWeb.draw(",
}
#: take a seed but draw nothing with it
_RECORDS = {"pacdistill.checkers.Counterexample.__init__": "stores the seed to replay"}


def _public_seeded():
    import importlib
    import inspect

    from test_entry_point_coverage import public_names

    found = {"pacdistill.ReductionWeb.draw"}
    for full in public_names():
        module, name = full.rsplit(".", 1)
        obj = getattr(importlib.import_module(module), name)
        members = ([(full, obj)] if not isinstance(obj, type) else
                   [(f"{full}.{k}", getattr(v, "__func__", v)) for k, v in vars(obj).items()
                    if not k.startswith("_") or k == "__init__"])
        for qualified, func in members:
            try:
                params = inspect.signature(func).parameters
            except (TypeError, ValueError):
                continue
            if {"rng", "seed"} & set(params):
                found.add(qualified)
    return found


def test_every_public_seeded_function_has_a_row():
    """'every randomized algorithm and generator': each public function or method
    with an rng or seed parameter is reproduced by a row of RANDOMIZED (a new one
    fails here until it gets its row)."""
    found = _public_seeded()
    assert len(found) >= 10  # the introspection works
    missing = found - set(SEEDED) - set(_RECORDS)
    assert not missing, f"seeded public functions without a reproducibility row: {missing}"
    names = [name for name, _ in RANDOMIZED]
    uncovered = {f: key for f, key in SEEDED.items() if not any(key in n for n in names)}
    assert not uncovered, uncovered
    assert not (set(SEEDED) | set(_RECORDS)) - found, "stale names"
