"""Fuzzing the checkers (disagreement, equivalent, clopper_pearson) and the
finished edges of the reduction web -- the exact conversions and the learners --
with hostile models, distributions and options (issue 9).

A reduction's run must return a Result whose model belongs to the edge's target
class, or raise a PacDistillError (a refusal, a PromiseViolation with its
witness...), within the per-case bound. The learners get small sample sizes
(or eps >= 0.05): the fuzz is about their argument handling, not their
statistics, which their own tests check.
"""

from _fuzzing import (
    HUGE_INTS,
    ODD_FLOATS,
    SEED_DISTRIBUTIONS,
    SEED_MODELS,
    fuzz,
    hostile_scalars,
    hostile_values,
)
from hypothesis import strategies as st
from scipy import stats  # noqa: F401  (imported here, not inside the first timed case)

import pacdistill as pd
from pacdistill.reductions._registry import REGISTRY

# -- models and distributions to feed ---------------------------------------------------

SMALL_MODELS = SEED_MODELS + [
    pd.Parity(3, [0, 2]), pd.Junta(4, [1, 3], [1, -1, -1, 1]), pd.Conjunction(1, []),
    pd.DecisionTree.leaf(2, -1), pd.DNF(3, []), pd.CNF(3, [[]]), pd.Halfspace([0.0, 0.0], 0.0),
    pd.LookupTable(1, [1, -1]), pd.CLASSES["decision_tree"].random(3, d=6, depth=3),
]
_models = st.one_of(st.sampled_from(SMALL_MODELS), st.sampled_from(SMALL_MODELS),
                    hostile_values())
_distributions = st.one_of(st.none(), st.sampled_from(SEED_DISTRIBUTIONS),
                           st.sampled_from([pd.distributions.Uniform(d) for d in (1, 3, 5, 6)]),
                           hostile_scalars())
_probability = st.one_of(st.floats(0.05, 0.5), st.floats(0.05, 0.5), st.sampled_from(ODD_FLOATS),
                         st.sampled_from([0, 1, -0.5, 2, True]), hostile_scalars())
_small_n = st.one_of(st.none(), st.integers(1, 300), st.integers(1, 300),
                     st.sampled_from([0, -1, *HUGE_INTS]), hostile_scalars())
_seed = st.one_of(st.integers(0, 5), st.integers(0, 5), hostile_scalars())


_BY_DIM: dict = {}
for _m in SMALL_MODELS:
    _BY_DIM.setdefault(_m.n_inputs, []).append(_m)


@st.composite
def model_pairs(draw):
    """Two models on the same cube and a distribution on it (or None)."""
    d = draw(st.sampled_from(sorted(_BY_DIM)))
    f, g = draw(st.sampled_from(_BY_DIM[d])), draw(st.sampled_from(_BY_DIM[d]))
    D = draw(st.sampled_from([None, pd.distributions.Uniform(d),
                              pd.distributions.Product([0.3] * d),
                              pd.distributions.Subcube(d, {0: -1})]))
    return f, g, D


_methods = st.one_of(st.sampled_from(["auto", "exact", "monte_carlo"]), hostile_scalars())
_valid_n = st.one_of(st.none(), st.integers(1, 300))

# -- checkers ----------------------------------------------------------------------------


@fuzz("checkers.disagreement", st.one_of(
    st.builds(lambda p, n, r, lv, m: (*p, n, r, lv, m), model_pairs(), _valid_n, _seed,
              st.floats(0.5, 0.999), st.sampled_from(["auto", "monte_carlo"])),
    st.tuples(_models, _models, _distributions, _small_n, _seed, _probability, _methods)))
def test_disagreement(args):
    f, g, D, n, rng, level, method = args
    est = pd.checkers.disagreement(f, g, D, n=n, rng=rng, level=level, method=method)
    assert 0.0 <= est.low <= est.value <= est.high <= 1.0


@fuzz("checkers.equivalent", st.one_of(
    st.builds(lambda p, r, n: (p[0], p[1], r, n), model_pairs(), _seed, _valid_n),
    st.tuples(_models, _models, _seed, _small_n)))
def test_equivalent(args):
    f, g, rng, n = args
    res = pd.checkers.equivalent(f, g, rng=rng, n=n)
    assert res.equal == (res.witness is None)


@fuzz("checkers.clopper_pearson", st.one_of(
    st.integers(1, 10**9).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n),
                                                      st.floats(0.01, 0.999999))),
    st.tuples(st.one_of(st.integers(-2, 100), st.sampled_from(HUGE_INTS), hostile_scalars()),
              st.one_of(st.integers(-2, 100), st.sampled_from(HUGE_INTS), hostile_scalars()),
              _probability)))
def test_clopper_pearson(args):
    k, n, level = args
    low, high = pd.checkers.clopper_pearson(k, n, level)
    assert 0.0 <= low <= high <= 1.0


# -- the finished edges ---------------------------------------------------------------------

#: edges still being written by other helpers are fuzzed in test_fuzz_in_progress.py
_IN_PROGRESS = ("pacdistill.reductions.query_junta", "pacdistill.reductions.lrh_tree")
EXACT = sorted(name for name, red in REGISTRY.items()
               if red.kind == "exact" and red.func is not None)
LEARNERS = sorted(name for name, red in REGISTRY.items()
                  if red.access == "examples" and red.func is not None
                  and red.func.__module__ not in _IN_PROGRESS)

_junk_options = st.dictionaries(
    st.sampled_from(["eps", "delta", "rng", "sampler", "n", "k", "bogus", "max_d", "l", "w"]),
    st.one_of(hostile_scalars(), _probability, _small_n), max_size=3)


def _check_result(red, result):
    assert isinstance(result.model, pd.CLASSES[red.target].model_type)
    for key in ("samples_used", "queries_used", "seconds"):
        assert key in result.report


@st.composite
def exact_calls(draw):
    """An exact edge with a model of its source class (mostly), and options."""
    name = draw(st.sampled_from(EXACT))
    source = pd.CLASSES[REGISTRY[name].source].model_type
    members = [m for m in SMALL_MODELS if isinstance(m, source)]
    model = draw(st.sampled_from(members) if members and draw(st.integers(0, 3))
                 else _models)
    return name, model, draw(st.one_of(st.just({}), st.just({}), _junk_options))


@fuzz("reductions: exact conversions", exact_calls())
def test_exact_conversions(args):
    name, model, options = args
    red = REGISTRY[name]
    result = red.run(model, **options)
    _check_result(red, result)
    # exact: the output equals the input on the cube (small d only here)
    if model.n_inputs <= 8:
        assert pd.checkers.equivalent(model, result.model).equal


@fuzz("reductions: learners", st.tuples(
    st.sampled_from(LEARNERS), st.one_of(st.sampled_from(SMALL_MODELS), _models),
    st.fixed_dictionaries({"eps": _probability, "delta": _probability},
                          optional={"n": _small_n, "rng": _seed, "sampler": _distributions,
                                    "k": st.one_of(st.integers(-1, 4), hostile_scalars()),
                                    "bogus": hostile_scalars()})))
def test_learners(args):
    name, model, options = args
    red = REGISTRY[name]
    if "n" not in options or options["n"] is None:  # keep the catalog's n small
        options["eps"], options["delta"] = 0.3, 0.3
    result = red.run(model, **options)
    _check_result(red, result)
