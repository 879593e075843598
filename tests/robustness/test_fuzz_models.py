"""Fuzzing the model and distribution entry points (issue 9): JSON loaders fed
truncated, flipped, mistyped and deeply nested documents; constructors and
random generators fed wrong types, NaN/inf and enormous sizes; predict fed
hostile arrays; the cube helpers fed hostile dimensions.

Each test runs MIN_CASES hypothesis cases; the allowed outcome of a case is a
return or a PacDistillError within the per-case time bound (see _fuzzing).
"""

import json

import numpy as np
from _fuzzing import (
    DISTRIBUTION_DOCS,
    HUGE_INTS,
    MODEL_DOCS,
    ODD_FLOATS,
    SEED_DISTRIBUTIONS,
    SEED_MODELS,
    fuzz,
    hostile_scalars,
    hostile_values,
    mutated_documents,
    mutated_json_texts,
)
from hypothesis import strategies as st

import pacdistill as pd

# -- JSON ---------------------------------------------------------------------------


@fuzz("model_from_json", mutated_json_texts(MODEL_DOCS))
def test_model_from_json(text):
    model = pd.model_from_json(text)
    # what loads is a valid model that round-trips
    assert pd.model_from_json(model.to_json()) == model


@fuzz("model_from_json(bytes)", st.one_of(
    mutated_json_texts(MODEL_DOCS).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=64)))
def test_model_from_json_bytes(data):
    pd.model_from_json(data)


@fuzz("model_from_dict", st.one_of(mutated_documents(MODEL_DOCS), hostile_values()))
def test_model_from_dict(doc):
    model = pd.model_from_dict(doc)
    assert pd.model_from_dict(model.to_dict()) == model


@fuzz("Model.from_dict", st.tuples(st.sampled_from(sorted(pd.CLASSES)),
                                   mutated_documents(MODEL_DOCS)))
def test_typed_from_dict(args):
    name, doc = args
    pd.CLASSES[name].model_type.from_dict(doc)


@fuzz("distribution_from_dict", st.one_of(mutated_documents(DISTRIBUTION_DOCS),
                                          hostile_values()))
def test_distribution_from_dict(doc):
    D = pd.distributions.distribution_from_dict(doc)
    assert pd.distributions.distribution_from_dict(D.to_dict()) == D


# -- constructors -------------------------------------------------------------------

def _literal_lists():
    lit = st.one_of(st.tuples(st.integers(-2, 6), st.sampled_from([1, -1, 0, 2, True])),
                    hostile_values())
    return st.one_of(st.lists(lit, max_size=4), hostile_values())


def _int_arrays():
    return st.one_of(
        st.lists(st.one_of(st.integers(-2, 8), hostile_scalars()), max_size=9),
        st.sampled_from([np.array([np.nan]), np.zeros((2, 2), int), np.array(["a"]),
                         np.array([1, -1], dtype=object), np.ones(3, bool),
                         np.array([1.0, -1.0]), np.array([2**40, -1]), np.array([], float)]),
        hostile_values())


def _real_arrays():
    return st.one_of(
        st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                           st.sampled_from(ODD_FLOATS)), max_size=5),
        st.lists(st.lists(st.floats(-3, 3), min_size=2, max_size=2), max_size=3),
        st.sampled_from([np.full((2, 3), np.nan), np.full(3, np.inf), np.ones((1, 2), complex),
                         np.array([[1.0, "x"]], dtype=object), np.ones((2, 2, 2)),
                         np.zeros((0, 3)), np.array(1.0)]),
        hostile_values())


_sizes = st.one_of(st.integers(-2, 8), st.sampled_from(HUGE_INTS), hostile_scalars())

_nested_trees = st.one_of(
    mutated_documents([m.to_dict()["tree"] for m in SEED_MODELS if isinstance(m, pd.DecisionTree)]),
    hostile_values())
_rules = st.one_of(st.lists(st.tuples(_literal_lists(), hostile_scalars()), max_size=3),
                   hostile_values())
_sets = st.one_of(st.lists(_literal_lists(), max_size=3), hostile_values())
_layers = st.one_of(st.lists(_real_arrays(), max_size=3), hostile_values())

#: entry point -> (strategy of positional arguments, the constructor)
CONSTRUCTORS = {
    "Conjunction": (st.tuples(_sizes, _literal_lists()), pd.Conjunction),
    "Parity": (st.tuples(_sizes, _int_arrays()), pd.Parity),
    "Junta": (st.tuples(_sizes, _int_arrays(), _int_arrays()), pd.Junta),
    "DecisionTree": (st.tuples(_sizes, *[_int_arrays()] * 4), pd.DecisionTree),
    "DecisionTree.from_nested": (st.tuples(_sizes, _nested_trees), pd.DecisionTree.from_nested),
    "DecisionList": (st.tuples(_sizes, _rules, hostile_scalars()), pd.DecisionList),
    "DNF": (st.tuples(_sizes, _sets), pd.DNF),
    "CNF": (st.tuples(_sizes, _sets), pd.CNF),
    "Halfspace": (st.tuples(_real_arrays(), hostile_scalars()), pd.Halfspace),
    "ReLUNetwork.from_arrays": (st.tuples(_layers, _layers), pd.ReLUNetwork.from_arrays),
    "LookupTable": (st.tuples(_sizes, _int_arrays()), pd.LookupTable),
}


def _valid_args(model):
    """Positional arguments that rebuild ``model`` with its constructor."""
    if isinstance(model, pd.Conjunction):
        return {"Conjunction": (model.d, [list(lit) for lit in model.literals])}
    if isinstance(model, pd.Parity):
        return {"Parity": (model.d, list(model.variables))}
    if isinstance(model, pd.Junta):
        return {"Junta": (model.d, list(model.variables), model.table.tolist())}
    if isinstance(model, pd.DecisionTree):
        return {"DecisionTree": (model.d, model.feature.tolist(), model.plus.tolist(),
                                 model.minus.tolist(), model.value.tolist()),
                "DecisionTree.from_nested": (model.d, model.to_nested())}
    if isinstance(model, pd.DecisionList):
        return {"DecisionList": (model.d, [[list(map(list, t)), o] for t, o in model.rules],
                                 model.default)}
    if isinstance(model, (pd.DNF, pd.CNF)):
        sets = model.terms if isinstance(model, pd.DNF) else model.clauses
        return {type(model).__name__: (model.d, [list(map(list, t)) for t in sets])}
    if isinstance(model, pd.Halfspace):
        return {"Halfspace": (model.weights.tolist(), model.bias)}
    if isinstance(model, pd.ReLUNetwork):
        return {"ReLUNetwork.from_arrays": ([W.tolist() for W in model.weights],
                                            [b.tolist() for b in model.biases])}
    return {"LookupTable": (model.d, model.table.tolist())}


VALID_ARGS: dict = {}
for _model in SEED_MODELS:
    for _key, _args in _valid_args(_model).items():
        VALID_ARGS.setdefault(_key, []).append(_args)


@st.composite
def near_valid(draw, valid):
    """Valid arguments with one argument, or one entry inside it, made hostile."""
    args = list(json.loads(json.dumps(draw(st.sampled_from(valid)))))
    if draw(st.integers(0, 4)) == 0:
        return tuple(args)  # untouched (it must build)
    i = draw(st.integers(0, len(args) - 1))
    if isinstance(args[i], list) and args[i] and draw(st.booleans()):
        j = draw(st.integers(0, len(args[i]) - 1))
        args[i][j] = draw(st.one_of(hostile_values(), st.integers(-3, 9)))
    else:
        arrays = []
        for dtype in (object, float, np.int8, bool):
            try:
                arrays.append(np.array(args[i], dtype=dtype))
            except (TypeError, ValueError):
                pass
        args[i] = draw(st.one_of(hostile_values(), st.integers(-3, 9), st.sampled_from(arrays))
                       if arrays else st.one_of(hostile_values(), st.integers(-3, 9)))
    return tuple(args)


def _constructor_test(name):
    strategy, build = CONSTRUCTORS[name]
    strategy = st.one_of(strategy, near_valid(VALID_ARGS[name]))

    def body(args):
        model = build(*args)
        # whatever is accepted is a valid model: it round-trips through JSON
        assert pd.model_from_json(model.to_json()) == model

    _named_fuzz(f"test_constructor_{name.replace('.', '_')}", name, strategy, body)


def _named_fuzz(test_name, entry, strategy, body):
    """``body`` as the fuzz test ``test_name`` of ``entry``, defined in this module
    (so pytest collects it under that name)."""
    body.__name__ = body.__qualname__ = test_name
    body.__doc__ = f"{entry} with wrong types, NaN/inf and enormous sizes."
    body.__module__ = __name__
    globals()[test_name] = fuzz(entry, strategy)(body)


for _name in CONSTRUCTORS:
    _constructor_test(_name)


# -- random generators and strategies ----------------------------------------------------

_random_params = st.dictionaries(
    st.sampled_from(["d", "k", "depth", "r", "l", "w", "s", "m", "L", "widths", "p", "zz"]),
    st.one_of(st.integers(-2, 6), st.sampled_from(HUGE_INTS), hostile_scalars(),
              st.lists(st.one_of(st.integers(-1, 4), st.sampled_from(HUGE_INTS)), max_size=3)),
    max_size=4)


_VALID_RANDOM = {
    "conjunction": dict(d=5, k=2), "parity": dict(d=5, k=3), "junta": dict(d=6, k=2),
    "decision_tree": dict(d=5, depth=2), "decision_list": dict(d=5, l=3),
    "dnf": dict(d=5, s=3, w=2), "cnf": dict(d=5, s=2, w=2), "halfspace": dict(d=4),
    "relu_network": dict(d=3, L=2, m=4), "lookup_table": dict(d=3),
}


@st.composite
def _near_valid_random(draw):
    """Valid sizes for the class, one of them perhaps replaced by a hostile value."""
    name = draw(st.sampled_from(sorted(_VALID_RANDOM)))
    params = dict(_VALID_RANDOM[name])
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(params)))
        params[key] = draw(st.one_of(st.integers(-2, 12), st.sampled_from(HUGE_INTS),
                                     hostile_scalars()))
    return name, draw(st.one_of(st.integers(0, 10), hostile_scalars())), params


@fuzz("ModelClass.random", st.one_of(
    _near_valid_random(), _near_valid_random(),
    st.tuples(st.sampled_from(sorted(pd.CLASSES)), hostile_scalars() | st.integers(0, 10),
              _random_params)))
def test_random(args):
    name, rng, params = args
    model = pd.CLASSES[name].random(rng, **params)
    assert pd.CLASSES[name].contains(model)


@fuzz("strategies.for_class", st.tuples(
    st.one_of(st.sampled_from(sorted(pd.CLASSES)), hostile_scalars()),
    st.dictionaries(st.sampled_from(["min_d", "max_d", "min_k", "max_k", "max_depth", "min_s",
                                     "max_s", "max_w", "max_weight", "bogus"]),
                    st.one_of(st.integers(-2, 10), st.sampled_from(HUGE_INTS),
                              hostile_scalars()), max_size=3)))
def test_strategies_for_class(args):
    from hypothesis import Phase, find, settings

    name, bounds = args
    strategy = pd.checkers.strategies.for_class(name, **bounds)
    # drawing one example must also fail cleanly (or give a member); no shrinking
    model = find(strategy, lambda m: True,
                 settings=settings(phases=[Phase.generate], max_examples=1, database=None))
    assert isinstance(model, pd.CLASSES[name].model_type)


# -- predict on hostile arrays --------------------------------------------------------------

def _points():
    return st.one_of(
        st.lists(st.lists(st.sampled_from([1, -1, 0, 2, 1.5]), min_size=1, max_size=7),
                 max_size=4),
        st.sampled_from([np.full((2, 5), np.nan), np.full((1, 3), np.inf),
                         np.ones((2, 4), dtype=complex), np.array([["1", "-1"]]),
                         np.array([[1, None]], dtype=object), np.ones((3,)), np.ones((0, 5)),
                         np.ones((2, 3, 4)), np.ones((1, 5), dtype=bool),
                         np.full((1, 5), 1e308), np.array(1), np.ones((1, 10**5), np.int8)]),
        hostile_values())


def _valid_points(models):
    """A model and points of its cube (sometimes with one entry spoiled)."""
    @st.composite
    def draw_points(draw):
        model = draw(st.sampled_from(models))
        X = draw(st.lists(st.lists(st.sampled_from([1, -1]), min_size=model.n_inputs,
                                   max_size=model.n_inputs), min_size=0, max_size=5))
        if X and draw(st.integers(0, 3)) == 0:
            X[0][0] = draw(st.sampled_from([0, 2, np.nan, np.inf, 0.5, None, "1"]))
        return model, X
    return draw_points()


@fuzz("Model.predict", st.one_of(_valid_points(SEED_MODELS),
                                 st.tuples(st.sampled_from(SEED_MODELS), _points())))
def test_predict(args):
    model, X = args
    out = model.predict(X)
    assert out.dtype == np.int8 and set(np.unique(out)) <= {-1, 1}


_NETS = [m for m in SEED_MODELS if isinstance(m, pd.ReLUNetwork)]


@fuzz("ReLUNetwork.activations/output", st.tuples(
    st.one_of(_valid_points(_NETS), st.tuples(st.sampled_from(_NETS), _points())),
    st.sampled_from(["activations", "output"])))
def test_network_methods(args):
    (net, X), method = args
    out = getattr(net, method)(X)
    assert np.isfinite(out).all()


# -- distributions ---------------------------------------------------------------------------

def _probs():
    return st.one_of(st.lists(st.one_of(st.floats(-1, 2), st.sampled_from(ODD_FLOATS)),
                              max_size=5), hostile_values())


DISTRIBUTIONS = {
    "distributions.Uniform": (st.tuples(_sizes), pd.distributions.Uniform),
    "distributions.Product": (st.tuples(_probs()), pd.distributions.Product),
    "distributions.Subcube": (st.tuples(_sizes, st.one_of(
        st.dictionaries(st.one_of(st.integers(-1, 5), hostile_scalars()),
                        st.one_of(st.sampled_from([1, -1, 0]), hostile_scalars()), max_size=3),
        _literal_lists())), pd.distributions.Subcube),
    "distributions.Mixture": (st.tuples(
        st.one_of(st.lists(st.sampled_from(SEED_DISTRIBUTIONS + [pd.distributions.Uniform(2)]),
                           max_size=3), hostile_values()),
        st.one_of(st.none(), _probs())), pd.distributions.Mixture),
    "distributions.FiniteSupport": (st.tuples(_points(), st.one_of(st.none(), _probs())),
                                    pd.distributions.FiniteSupport),
    "distributions.Empirical": (st.tuples(_points()), pd.distributions.Empirical),
}


def _distribution_test(name):
    strategy, build = DISTRIBUTIONS[name]

    def body(args):
        D = build(*args)
        if D.d <= 10_000:  # (a valid Uniform(10**7) is fine, but slow to round-trip)
            assert pd.distributions.distribution_from_dict(D.to_dict()) == D
            X = D.sample(3, rng=0)
            assert X.shape == (3, D.d) and np.isfinite(D.pmf(X)).all()

    _named_fuzz(f"test_{name.replace('.', '_')}", name, strategy, body)


for _name in DISTRIBUTIONS:
    _distribution_test(_name)
del _name


@fuzz("Distribution.sample/pmf", st.tuples(
    st.sampled_from(SEED_DISTRIBUTIONS), st.sampled_from(["sample", "pmf", "pmf_on_cube",
                                                          "weighted_blocks"]),
    st.one_of(st.integers(-2, 50), st.sampled_from(HUGE_INTS), hostile_values(), _points()),
    st.one_of(st.integers(0, 5), hostile_scalars())))
def test_distribution_methods(args):
    D, method, arg, rng = args
    if method == "sample":
        D.sample(arg, rng)
    elif method == "pmf":
        D.pmf(arg)
    elif method == "pmf_on_cube":
        D.pmf_on_cube()
    else:
        list(D.weighted_blocks(arg))


# -- the cube ----------------------------------------------------------------------------------

@fuzz("cube", st.tuples(st.sampled_from(["enumerate", "chunks", "index", "points",
                                         "check_literals"]),
                        st.one_of(_sizes, _points(), _literal_lists()),
                        st.one_of(st.integers(-1, 6), hostile_scalars())))
def test_cube(args):
    func, a, b = args
    if func == "enumerate":
        pd.cube.enumerate(a)
    elif func == "chunks":
        for _ in zip(range(3), pd.cube.chunks(a, b), strict=False):
            pass
    elif func == "index":
        pd.cube.index(a)
    elif func == "points":
        pd.cube.check_enumerable(a, "fuzz")
    else:
        pd.cube.check_literals(a, b if isinstance(b, int) else 3)


# -- membership, and the planted representations of pd.distill ----------------------------

_contains_sizes = st.dictionaries(
    st.sampled_from(["d", "k", "depth", "l", "w", "s", "m", "L", "r", "zz"]),
    st.one_of(st.integers(-2, 12), st.sampled_from(HUGE_INTS), hostile_scalars()), max_size=3)


@fuzz("ModelClass.contains", st.tuples(
    st.sampled_from(sorted(pd.CLASSES)),
    st.one_of(st.sampled_from(SEED_MODELS), hostile_values()), _contains_sizes))
def test_contains(args):
    name, model, sizes = args
    assert pd.CLASSES[name].contains(model, **sizes) in (True, False)


_TREES = [m for m in SEED_MODELS if isinstance(m, pd.DecisionTree)]


@fuzz("distill.planted_network/random_features", st.tuples(
    st.sampled_from(["planted", "random_features"]),
    st.one_of(st.sampled_from(_TREES), st.sampled_from(SEED_MODELS), hostile_values()),
    st.fixed_dictionaries({}, optional={
        "mixing": hostile_scalars(), "noise": st.one_of(st.floats(0, 1), hostile_scalars()),
        "m": st.one_of(st.integers(-1, 20), st.sampled_from(HUGE_INTS), hostile_scalars()),
        "rng": st.one_of(st.integers(0, 5), hostile_scalars())})))
def test_planted(args):
    kind, model, options = args
    if kind == "planted":
        options.pop("m", None)
        rep = pd.distill.planted_network(model, **options)
    else:
        options.pop("mixing", None), options.pop("noise", None)
        rep = pd.distill.random_features(model, options.pop("m", 4), **options)
    A = rep.activations(pd.cube.enumerate(model.n_inputs)[:4])
    assert np.isfinite(A).all()
