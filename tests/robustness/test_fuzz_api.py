"""Fuzzing the public entry points the other fuzz files did not reach (issue 9:
"every public entry point"), found by listing the ``__all__`` of the package
and its subpackages against the fuzz entries (test_entry_point_coverage.py):
composing guarantees, the rest of the cube, the registry's lookups and
decorators, a web built from a registry, the family checker, models built from
callables, and the learning baselines. Same allowed outcome as everywhere
(_fuzzing): success or a PacDistillError, quickly, nothing executed.

Entry points that still raise something else are marked
``xfail(strict=True, reason="reported: ...")``: the defect is in a file this
suite does not own and was reported to the lead; a fix turns the xfail into a
failure, and the mark must then go.
"""

import numpy as np
from _fuzzing import (
    HUGE_INTS,
    ODD_FLOATS,
    fuzz,
    hostile_scalars,
    hostile_values,
    mutated_documents,
)
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.reductions._registry import REGISTRY

# -- composing guarantees (THEORY §3) ----------------------------------------------------------

#: a chain that composes (junta -> decision_tree -> dnf -> relu_network), a learner and
#: a barrier-free pair that does not meet
_GUARANTEES = [REGISTRY[name].guarantee for name in
               ("junta_to_tree", "tree_to_dnf", "dnf_to_relu", "learn_junta[junta]",
                "parity_to_tree")]
_guarantees = st.one_of(st.sampled_from(_GUARANTEES), st.sampled_from(_GUARANTEES),
                        hostile_values())
_budget_names = st.sampled_from(["eps_1", "eps_2", "delta_1", "delta_2", "eps_3", "eps", "x",
                                 "delta", "OPT_junta"])
_splits = st.one_of(
    st.none(), st.sampled_from(["none", "None", "default", ""]),
    st.dictionaries(_budget_names, st.one_of(st.sampled_from(["eps/2", "delta/2", "1/2", "eps",
                                                              "__import__('os')", "x"]),
                                             st.floats(0, 1), hostile_scalars()), max_size=4),
    hostile_values())
_at = st.one_of(
    st.none(),
    st.fixed_dictionaries({"d": st.integers(1, 50), "k": st.integers(1, 5),
                           "eps": st.floats(0.01, 0.5), "delta": st.floats(0.01, 0.5)}),
    st.dictionaries(st.sampled_from(["d", "k", "eps", "delta", "s", "zz"]),
                    st.one_of(st.integers(-2, 50), st.sampled_from(HUGE_INTS),
                              st.sampled_from(ODD_FLOATS), hostile_scalars()), max_size=4),
    hostile_values())
_compose_options = st.fixed_dictionaries({}, optional={
    "split": _splits,
    # optimize is mostly off: a Nelder-Mead run is a second or more per case
    "optimize": st.one_of(st.just(False), st.just(False), st.just(False), hostile_scalars()),
    "at": _at,
    "objective": st.one_of(st.sampled_from(["samples", "queries", "time"]), hostile_scalars()),
})


@fuzz("bounds.compose/compose_all/default_split", st.tuples(
    st.sampled_from(["compose", "compose_all", "default_split"]),
    st.one_of(st.lists(_guarantees, max_size=4), hostile_values()), _compose_options),
    seconds=5.0)
def test_compose(args):
    func, chain, options = args
    if func == "compose":
        pair = (list(chain) + [None, None])[:2] if isinstance(chain, list) else [chain, chain]
        pd.bounds.compose(*pair, **options)
    elif func == "compose_all":
        pd.bounds.compose_all(chain, **options)
    else:
        pd.bounds.default_split(chain)


_COMPOSED_DOCS = [pd.bounds.compose(_GUARANTEES[0], _GUARANTEES[1]).to_dict(),
                  pd.bounds.compose_all(_GUARANTEES[:3]).to_dict()]


@fuzz("ComposedGuarantee.from_dict", st.one_of(mutated_documents(_COMPOSED_DOCS),
                                               hostile_values()))
def test_composed_guarantee_from_dict(doc):
    g = pd.bounds.ComposedGuarantee.from_dict(doc)
    assert pd.bounds.ComposedGuarantee.from_dict(g.to_dict()) == g


# -- the rest of the cube ----------------------------------------------------------------------

_CUBE_3 = pd.cube.enumerate(3)
_ints = st.one_of(st.integers(-2, 10), st.sampled_from(HUGE_INTS), hostile_scalars())
_literals = st.one_of(
    st.lists(st.tuples(st.integers(-1, 4), st.sampled_from([1, -1, 0, 2])), max_size=4),
    st.lists(st.one_of(st.tuples(_ints, _ints), hostile_values()), max_size=3),
    hostile_values())
_points = st.one_of(st.just(_CUBE_3), st.just(_CUBE_3[:0]), st.just(_CUBE_3[:, :2]),
                    st.just(_CUBE_3.astype(float)), st.just(np.full((2, 3), np.nan)),
                    hostile_values())


@fuzz("cube.points/literals_hold/and_of_literals", st.tuples(
    st.sampled_from(["points", "literals_hold", "and_of_literals"]), _points, _literals,
    st.tuples(_ints, _ints, _ints)))
def test_cube_rest(args):
    func, X, literals, (start, stop, d) = args
    if func == "points":
        rows = pd.cube.points(start, stop, d)
        assert rows.shape == (stop - start, d)
    elif func == "literals_hold":
        pd.cube.literals_hold(X, literals)
    else:
        pd.cube.and_of_literals(X, literals)


# -- the registry: lookups and the decorators ----------------------------------------------------

_edge_names = st.one_of(st.sampled_from(sorted(REGISTRY)), st.sampled_from(
    ["learn_junta", "learn_junta[nothing]", "junta_to_tree ", "JUNTA_TO_TREE", ""]),
    hostile_values())


@fuzz("reductions.get", _edge_names)
def test_reductions_get(name):
    assert pd.reductions.get(name).name == name


def _edge(f, /, *, sampler=None, eps=None, delta=None, rng=None, **options):
    return pd.reductions.Result(f, {"samples_used": 0, "queries_used": 0})


_class_names = st.one_of(st.sampled_from(sorted(pd.CLASSES)), hostile_values())


@fuzz("reductions.register/register_barrier", st.tuples(
    st.booleans(),
    st.fixed_dictionaries({
        "name": st.one_of(st.just("fuzzed_edge"), hostile_values()),
        "source": _class_names, "target": _class_names,
        "guarantee": st.one_of(st.sampled_from(_GUARANTEES), hostile_values()),
    }, optional={
        "access": st.one_of(st.sampled_from(["examples", "queries", "representation"]),
                            hostile_scalars()),
        "registry": st.one_of(st.builds(dict), hostile_values()),
        "extra_symbols": hostile_values(),
    })))
def test_register(args):
    barrier, options = args
    options.setdefault("registry", {})
    if isinstance(options["registry"], dict):
        options["registry"] = {}  # never the shared REGISTRY
    if barrier:
        pd.reductions.register_barrier(doc="fuzzed", **options)
    else:
        pd.reductions.register(**options)(_edge)


# -- a web of one's own --------------------------------------------------------------------------

_SMALL_REGISTRY = {name: REGISTRY[name] for name in
                   ("junta_to_tree", "tree_to_dnf", "learn_junta[junta]")}


@fuzz("ReductionWeb.from_registry/add", st.tuples(
    st.one_of(st.just(_SMALL_REGISTRY), st.just(_SMALL_REGISTRY), hostile_values(),
              st.dictionaries(st.text(max_size=4), hostile_scalars(), max_size=2)),
    st.lists(st.one_of(st.sampled_from(sorted(REGISTRY)).map(REGISTRY.__getitem__),
                       hostile_values()), max_size=3)))
def test_web_from_registry(args):
    registry, extra = args
    web = pd.ReductionWeb.from_registry(registry)
    for reduction in extra:
        web.add(reduction)
    web.routes("junta", "dnf")


_SMALL_WEB = pd.ReductionWeb.from_registry(_SMALL_REGISTRY)


def _axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


_AX = _axes()


@fuzz("ReductionWeb.draw", st.fixed_dictionaries({
    # one shared Axes (cleared each case): a new figure per case is most of a draw's cost
    "ax": st.one_of(st.just(_AX), st.just(_AX), st.just(_AX), hostile_scalars())}, optional={
    "layout": st.one_of(st.sampled_from(["circular", "spring"]), hostile_scalars()),
    "kinds": st.one_of(st.none(), st.sampled_from([("exact",), ("perfect", "agnostic")]),
                       hostile_values()),
    "collapse": hostile_scalars(), "labels": hostile_scalars(),
    "families": st.one_of(st.sampled_from(["note", "edges"]), hostile_scalars()),
    "seed": st.one_of(st.integers(0, 5), hostile_scalars())}), seconds=5.0)
def test_web_draw(options):
    _AX.clear()
    _SMALL_WEB.draw(**options)


# -- the family checker --------------------------------------------------------------------------


@fuzz("checkers.check_family", st.tuples(
    # a family's name, an iterable of edges (one cheap exact edge: a whole family is
    # seconds of checks per case), or a hostile value
    st.one_of(st.sampled_from(["to_lookup_table", "learn_junta"]),
              st.just([REGISTRY["junta_to_tree"]]), st.just((REGISTRY["tree_to_dnf"],)),
              hostile_values()),
    # a valid family runs on the smallest settings (a check of every edge of it)
    st.fixed_dictionaries({
        "smoke_trials": st.one_of(st.just(1), st.just(1), st.integers(-1, 2),
                                  st.sampled_from(HUGE_INTS), hostile_scalars()),
        "trials": st.one_of(st.just(1), st.just(1), hostile_scalars()),
        "max_d": st.one_of(st.just(2), st.just(2), st.integers(-1, 3), hostile_scalars())})),
    seconds=5.0)
def test_check_family(args):
    family, options = args
    pd.checkers.check_family(family, **options)


# -- models given as callables (pd.distill.from_callables) ---------------------------------------

_returns = st.one_of(
    st.sampled_from(["ones", "signs", "activations", "wrong_length", "nan", "floats"]),
    hostile_values())


def _callable(kind, width):
    def call(X):
        n = len(X)
        if kind == "ones":
            return np.ones(n)
        if kind == "signs":
            return np.where(X[:, 0] > 0, 1, -1)
        if kind == "activations":
            return np.abs(X[:, :width]).astype(float)
        if kind == "wrong_length":
            return np.ones(n + 1)
        if kind == "nan":
            return np.full((n, width), np.nan)
        if kind == "floats":
            return np.linspace(-1, 1, n)
        return kind  # a hostile value, returned as the model's answer
    return call


_uses = st.sampled_from(["distill_tree", "distill_junta", "disagreement"])


def _warm():
    """One call of each use at import, so that the first case does not pay for
    importing the distillers (seconds on a loaded machine)."""
    model = pd.distill.from_callables(_callable("signs", 2), _callable("activations", 2), 3)
    pd.distill_tree(model, pd.cube.enumerate(3), depth=1, rng=0)
    pd.distill_junta(model, k=1, delta=0.2, rng=0, final_check=10)
    pd.checkers.disagreement(model, pd.Parity(3, [0]), n=16, rng=0)


_warm()


@fuzz("distill.from_callables", st.one_of(
    st.tuples(st.sampled_from(["ones", "signs"]), st.just("activations"), st.integers(1, 4),
              _uses),
    st.tuples(_returns, _returns, st.one_of(st.integers(1, 4), _ints), _uses)))
def test_from_callables(args):
    """The adapter hands the functions' answers on as arrays; what uses the model
    (distill_tree, distill_junta, the checkers) must refuse bad answers."""
    predicted, activated, d, use = args
    model = pd.distill.from_callables(_callable(predicted, 2), _callable(activated, 2), d)
    X = pd.cube.enumerate(model.n_inputs) if model.n_inputs <= 3 else \
        pd.distributions.Uniform(model.n_inputs).sample(8, 0)
    if use == "distill_tree":
        assert isinstance(pd.distill_tree(model, X, depth=1, rng=0).tree, pd.DecisionTree)
    elif use == "distill_junta":
        pd.distill_junta(model, k=1, delta=0.2, rng=0, final_check=10)
    else:
        est = pd.checkers.disagreement(model, pd.Parity(model.n_inputs, [0]), n=16, rng=0)
        assert 0 <= est.value <= 1


# -- the learning baselines (pd.distill.baselines) -----------------------------------------------

_X = pd.distributions.Uniform(4).sample(64, 0)
_Y = pd.DecisionTree.from_nested(4, {"var": 0, "plus": {"leaf": 1}, "minus": {
    "var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}}).predict(_X)
_xs = st.one_of(st.just(_X[:1]), st.just(_X.astype(float) * 0.5),
                st.just(np.full((4, 4), np.nan)), hostile_values())
_ys = st.one_of(st.just(_Y[:1]), st.just(np.zeros(64)), hostile_values())


@st.composite
def baseline_calls(draw):
    """(cart?, X, y, options): valid data and options, then at most one of them
    made hostile."""
    cart = draw(st.booleans())
    call = {"X": _X, "y": _Y, "depth": draw(st.integers(1, 3))}
    if cart:
        call["rng"] = draw(st.integers(0, 3))
    else:
        call.update(draw(st.fixed_dictionaries({}, optional={
            "target": st.floats(0.5, 1), "max_ands": st.integers(1, 100),
            "delta": st.floats(0.01, 0.5)})))
    spoil = draw(st.sampled_from([None, "X", "y", "depth", "rng", "target", "max_ands",
                                  "delta"]))
    if spoil == "X":
        call["X"] = draw(_xs)
    elif spoil == "y":
        call["y"] = draw(_ys)
    elif spoil == "depth" or (spoil == "max_ands" and not cart):
        call[spoil] = draw(st.one_of(st.integers(-1, 0), st.sampled_from(HUGE_INTS), _ints))
    elif spoil is not None and (spoil == "rng") == cart:
        call[spoil] = draw(st.one_of(st.sampled_from(ODD_FLOATS), hostile_scalars()))
    return cart, call


@fuzz("distill.baselines (cart, all_ands)", baseline_calls(), seconds=5.0)
def test_baselines(args):
    from pacdistill.distill.baselines import all_ands_baseline, cart_baseline

    cart, call = args
    X, y = call.pop("X"), call.pop("y")
    out = (cart_baseline if cart else all_ands_baseline)(X, y, **call)
    assert out.tree is None or isinstance(out.tree, pd.DecisionTree)
