"""DecisionTree: vectorized routing against a naive walk, paths and ANDs
(THEORY §5), the nested/JSON forms, the paper's random complete trees, and
malformed trees (THEORY §4, §5, §8)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

import pacdistill as pd
from pacdistill.checkers.strategies import decision_trees
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
)


def naive_tree(t, row):
    """Walk from the root one row at a time, reading the node arrays."""
    v = 0
    while t.feature[v] != -1:
        v = t.plus[v] if row[t.feature[v]] == 1 else t.minus[v]
    return int(t.value[v])


def holds(literals, row):
    return all(row[i] == s for i, s in literals)


@given(decision_trees())
def test_predict_matches_naive_walk_on_the_whole_cube(t):
    """On every point of the cube, predict equals the row-by-row walk (node ids shuffled)."""
    assert_predicts_like(t, lambda row: naive_tree(t, row))


@given(decision_trees(min_d=10, max_d=40, max_depth=6), st.integers(0, 2**32 - 1))
def test_predict_matches_naive_walk_on_random_points(t, seed):
    """On random points of larger cubes, predict equals the row-by-row walk."""
    X = np.random.default_rng(seed).choice(np.array([-1, 1], dtype=np.int8), size=(100, t.d))
    assert t.predict(X).tolist() == [naive_tree(t, row) for row in X]


def test_predict_across_routing_chunks():
    """More rows than one routing chunk (2^15), not a multiple of it: every row is
    routed like the naive walk."""
    t = pd.CLASSES["decision_tree"].random(4, d=30, depth=7)
    X = np.random.default_rng(4).choice(np.array([-1, 1], dtype=np.int8), size=(2**15 + 77, 30))
    assert t.predict(X).tolist() == [naive_tree(t, row) for row in X.tolist()]


@given(st.integers(1, 12), st.integers(0, 6), st.integers(0, 2**32 - 1))
def test_random_complete_trees_match_naive_walk(d, depth, seed):
    """The generator's heap-ordered complete trees route like the naive walk."""
    depth = min(depth, d)
    t = pd.CLASSES["decision_tree"].random(seed, d=d, depth=depth)
    X = np.random.default_rng(seed).choice(np.array([-1, 1]), size=(200, d))
    assert t.predict(X).tolist() == [naive_tree(t, row) for row in X]


@given(decision_trees())
def test_paths_partition_the_cube_and_give_the_prediction(t):
    """Exactly one path's literals hold at each point, and its leaf value is T(x);
    equivalently T(x) = sum over leaves of value * 1[AND_leaf(x)] (THEORY §5)."""
    X = pd.cube.enumerate(t.d)
    paths = t.paths()
    assert len(paths) == t.size()["s"]
    pred = t.predict(X)
    for row, y in zip(X.tolist(), pred.tolist(), strict=True):
        hits = [value for literals, value in paths if holds(literals, row)]
        assert hits == [y]
    for literals, _ in paths:
        variables = [i for i, _ in literals]
        assert len(set(variables)) == len(variables)  # no variable twice on a path


@given(decision_trees())
def test_ands_mark_the_rows_routed_through_each_node(t):
    """ands()[v] holds exactly on the rows whose walk passes through v."""
    X = pd.cube.enumerate(t.d)
    ands = t.ands()
    assert ands[0] == () and len(ands) == t.n_nodes
    for row in X.tolist():
        visited = {0}
        v = 0
        while t.feature[v] != -1:
            v = int(t.plus[v] if row[t.feature[v]] == 1 else t.minus[v])
            visited.add(v)
        assert {u for u in range(t.n_nodes) if holds(ands[u], row)} == visited
    assert t.route(X).tolist() == [
        next(v for v in range(t.n_nodes) if t.feature[v] == -1 and holds(ands[v], row))
        for row in X.tolist()
    ]


@given(decision_trees())
def test_json_round_trip_preserves_model_and_predictions(t):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs
    (equality is by the nested form, whatever the node numbering)."""
    assert_json_round_trip(t)
    assert pd.DecisionTree.from_nested(t.d, t.to_nested()) == t


@given(decision_trees(max_depth=3), decision_trees(max_depth=3), st.data())
def test_equality_is_equality_of_the_nested_form(a, b, data):
    """Trees are equal (and hash alike) exactly when their nested JSON forms are,
    whatever the node numbering; a flipped leaf makes them differ."""
    assert (a == b) == (a.to_dict() == b.to_dict())
    same = pd.DecisionTree.from_nested(a.d, a.to_nested())  # renumbered in preorder
    assert same == a and hash(same) == hash(a) and len({a, same}) == 1
    leaf = data.draw(st.sampled_from(np.flatnonzero(a.feature < 0).tolist()))
    value = a.value.copy()
    value[leaf] = -value[leaf]
    flipped = pd.DecisionTree(a.d, a.feature, a.plus, a.minus, value)
    assert flipped != a and flipped.to_dict() != a.to_dict()


def _chain(depth):
    """The caterpillar tree testing x_0, x_1, ... in turn (d = depth): node 2i tests
    x_i, its plus child is a leaf, its minus child the next test."""
    n = 2 * depth + 1
    feature, plus, minus = np.full(n, -1), np.full(n, -1), np.full(n, -1)
    value = np.zeros(n, dtype=np.int64)
    i = np.arange(depth)
    feature[2 * i], plus[2 * i], minus[2 * i] = i, 2 * i + 1, 2 * i + 2
    value[2 * i + 1] = np.where(i % 2 == 0, 1, -1)
    value[n - 1] = 1
    return pd.DecisionTree(depth, feature, plus, minus, value)


def test_deep_trees_compare_hash_and_refuse_json_text_clearly():
    """A chain of 3,000 tests is a valid tree: equality and hashing work (they
    compared and hashed the nested JSON form, a bare RecursionError past ~1,000
    levels), to_dict and back give an equal tree, and to_json, which Python's
    recursive JSON encoder cannot write, says so with a SerializationError."""
    t = _chain(3000)
    assert t.size() == {"d": 3000, "r": 3000, "s": 3001}
    back = pd.DecisionTree.from_dict(t.to_dict())
    assert back == t and hash(back) == hash(t) and len({t, back}) == 1
    flipped = pd.DecisionTree(t.d, t.feature, t.plus, t.minus, -np.where(t.value == 0, 0, t.value))
    assert flipped != t
    with pytest.raises(SerializationError, match="depth 3000 nests too deeply"):
        t.to_json()
    assert pd.model_from_json(_chain(50).to_json()) == _chain(50)


@given(decision_trees())
def test_size_matches_parameters(t):
    """size(): r is the longest path and s the number of leaves, counted naively."""
    paths = t.paths()
    assert t.size() == {"d": t.d, "r": max(len(lits) for lits, _ in paths), "s": len(paths)}
    assert t.depth == t.size()["r"] and t.n_leaves == t.size()["s"]
    assert t.variables() == tuple(sorted({i for lits, _ in paths for i, _ in lits}))


@given(decision_trees(max_depth=3), decision_trees(max_depth=3), st.data())
def test_split_routes_on_the_new_root(a, b, data):
    """split(var, A, B) computes A where x_var = +1 and B where x_var = -1."""
    d = max(a.d, b.d) + 1
    a = pd.DecisionTree.from_nested(d, a.to_nested())
    b = pd.DecisionTree.from_nested(d, b.to_nested())
    var = d - 1  # unused by either subtree
    t = pd.DecisionTree.split(d, var, a, b)
    X = pd.cube.enumerate(d)
    expected = np.where(X[:, var] == 1, a.predict(X), b.predict(X))
    assert np.array_equal(t.predict(X), expected)
    assert t.size()["s"] == a.size()["s"] + b.size()["s"]


def test_str_is_an_ascii_tree():
    t = pd.DecisionTree.from_nested(4, {
        "var": 3,
        "plus": {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}},
        "minus": {"leaf": -1},
    })
    assert str(t) == "x3 = +1:\n  x0 = +1: -> +1\n  x0 = -1: -> -1\nx3 = -1: -> -1"
    assert str(pd.DecisionTree.leaf(2, 1)) == "-> +1"
    assert repr(t) == "DecisionTree(d=4, depth=2, leaves=3, nodes=5)"
    str(t).encode("ascii")


def test_leaf_tree():
    t = pd.DecisionTree.leaf(3, -1)
    assert t.predict(pd.cube.enumerate(3)).tolist() == [-1] * 8
    assert t.size() == {"d": 3, "r": 0, "s": 1} and t.paths() == [((), -1)]


# -- the paper's random complete trees ----------------------------------------

@pytest.mark.parametrize("d, depth", [(1, 1), (5, 0), (6, 3), (8, 8), (100, 4)])
def test_random_trees_are_complete_with_distinct_variables_on_paths(d, depth):
    t = pd.CLASSES["decision_tree"].random(0, d=d, depth=depth)
    assert t.size() == {"d": d, "r": depth, "s": 2**depth}
    for literals, value in t.paths():
        assert len(literals) == depth and value in (1, -1)
        assert len({i for i, _ in literals}) == depth


def test_random_trees_are_reproducible():
    cls = pd.CLASSES["decision_tree"]
    assert cls.random(7, d=100, depth=4) == cls.random(7, d=100, depth=4)
    assert cls.random(7, d=100, r=4) == cls.random(7, d=100, depth=4)
    assert len({cls.random(seed, d=100, depth=4) for seed in range(10)}) > 1


@pytest.mark.parametrize("params, error, match", [
    ({"d": 3, "depth": 4}, InvalidParameterError, "'depth'.*4"),
    ({"d": 3}, InvalidParameterError, "depth"),
    ({"d": 5, "depth": 2, "r": 3}, InvalidParameterError, "depth=2, r=3"),
    ({"d": 3, "depth": -1}, InvalidParameterError, "-1"),
    ({"d": 3, "depth": 1.0}, InvalidParameterError, "1.0"),
    ({"d": 30, "depth": 21}, TooLargeError, "depth = 21"),
], ids=["deeper-than-d", "no-depth", "conflicting-alias", "negative", "float", "too-deep"])
def test_random_rejects_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        pd.CLASSES["decision_tree"].random(0, **params)


def test_random_tree_split_variables_and_leaves_are_uniform():
    """Root variable, child variables (given the root) and leaf labels follow the
    paper's law: uniform over the unused variables, leaves uniform ±1.

    Every count is checked against two-sided exact binomial quantiles at level
    1e-6 / 25 (25 counts: 12 + 12 ordered variable pairs and the leaf count), so a
    correct generator fails with probability < 1e-6 (union bound)."""
    rng = np.random.default_rng(20240601)
    d, n = 4, 3000
    trees = [pd.CLASSES["decision_tree"].random(rng, d=d, depth=2) for _ in range(n)]
    feats = np.array([t.feature[:3] for t in trees])  # heap order: root, plus, minus
    assert (feats[:, 1] != feats[:, 0]).all() and (feats[:, 2] != feats[:, 0]).all()
    alpha = 1e-6 / 25
    lo, hi = binom.ppf(alpha / 2, n, 1 / 12), binom.isf(alpha / 2, n, 1 / 12)
    for child in (1, 2):
        for root in range(d):
            for other in range(d):
                if other != root:
                    count = np.count_nonzero((feats[:, 0] == root) & (feats[:, child] == other))
                    assert lo <= count <= hi, (child, root, other, count)
    leaves = np.concatenate([t.value[3:] for t in trees])
    m = leaves.size
    ones = np.count_nonzero(leaves == 1)
    assert binom.ppf(alpha / 2, m, 0.5) <= ones <= binom.isf(alpha / 2, m, 0.5)


def test_random_tree_third_level_is_uniform_over_unused_variables():
    """At depth 3 the generator steps u past two used variables (the first level
    where their order matters): for each of the 4 nodes of depth 2, the triple
    (root variable, parent's variable, its variable) is uniform over the 5 * 4 * 3
    = 60 ordered triples of distinct variables (d = 5).

    Each of the 240 counts (4 nodes x 60 triples; a count is Binomial(n, 1/60))
    is checked against two-sided exact binomial quantiles at level 1e-6 / 240, so
    a correct generator fails with probability < 1e-6 (union bound)."""
    rng = np.random.default_rng(20261128)
    d, n = 5, 3000
    feats = np.array([pd.CLASSES["decision_tree"].random(rng, d=d, depth=3).feature[:7]
                      for _ in range(n)])  # heap order: node v has parent (v - 1) // 2
    alpha = 1e-6 / 240
    lo, hi = binom.ppf(alpha / 2, n, 1 / 60), binom.isf(alpha / 2, n, 1 / 60)
    for v in (3, 4, 5, 6):
        triples = feats[:, [0, (v - 1) // 2, v]]
        assert (triples[:, 0] != triples[:, 1]).all() and (triples[:, 2] != triples[:, 0]).all()
        assert (triples[:, 2] != triples[:, 1]).all()
        codes = triples @ np.array([d * d, d, 1])
        counts = np.bincount(codes, minlength=d**3)
        distinct = [a * d * d + b * d + c for a in range(d) for b in range(d) for c in range(d)
                    if len({a, b, c}) == 3]
        assert len(distinct) == 60 and counts.sum() == counts[distinct].sum() == n
        assert lo <= counts[distinct].min() and counts[distinct].max() <= hi, (v, counts)


# -- malformed trees ------------------------------------------------------------

def arrays(feature, plus, minus, value):
    return {"feature": feature, "plus": plus, "minus": minus, "value": value}


BAD_TREES = {
    "feature-out-of-range": (arrays([5, -1, -1], [1, -1, -1], [2, -1, -1], [0, 1, -1]),
                             "tests variable 5, out of range"),
    "negative-feature": (arrays([-2, -1, -1], [1, -1, -1], [2, -1, -1], [0, 1, -1]),
                         "tests variable -2"),
    "repeated-variable-on-path": (
        arrays([0, 1, -1, 0, -1, -1, -1], [1, 3, -1, 5, -1, -1, -1],
               [2, 4, -1, 6, -1, -1, -1], [0, 0, 1, 0, 1, 1, -1]),
        r"Variable 0 is tested twice on the path to node 3 \(at nodes 0 and 3\)"),
    "shared-child": (arrays([0, -1], [1, -1], [1, -1], [0, 1]), "Node 1 .* more than one"),
    "root-as-child": (arrays([0, -1], [0, -1], [1, -1], [0, 1]), "plus child 0"),
    "child-out-of-range": (arrays([0, -1, -1], [1, -1, -1], [7, -1, -1], [0, 1, 1]),
                           "minus child 7"),
    "detached-cycle": (arrays([0, -1, -1, 1, -1], [1, -1, -1, 4, -1], [2, -1, -1, 3, -1],
                              [0, 1, 1, 0, 1]), "Node 3 .* cannot be reached"),
    "leaf-with-child": (arrays([-1, -1], [1, -1], [-1, -1], [1, 1]), "Leaf 0 .* plus child 1"),
    "leaf-value-0": (arrays([0, -1, -1], [1, -1, -1], [2, -1, -1], [0, 0, 1]),
                     "Leaf 1 .* value 0"),
    "internal-value": (arrays([0, -1, -1], [1, -1, -1], [2, -1, -1], [1, 1, 1]),
                       "Internal node 0 .* value 1"),
    "length-mismatch": (arrays([0, -1, -1], [1, -1, -1], [2, -1], [0, 1, 1]),
                        "'minus' has 2"),
    "bool-array": (arrays([0, -1, -1], [1, -1, -1], [2, -1, -1], [False, True, True]),
                   "'value' .* dtype bool"),
    "float-array": (arrays([0.0, -1, -1], [1, -1, -1], [2, -1, -1], [0, 1, 1]),
                    "'feature' .* dtype float64"),
    "empty": (arrays([], [], [], []), "at least one node"),
    "2-d": (arrays([[0, -1, -1]], [1, -1, -1], [2, -1, -1], [0, 1, 1]), "1-d"),
    # uint64 past int64: was reported as variable -9223372036854775808
    "uint64-past-int64": (arrays(np.array([0, 2**63, 2**63], np.uint64), [1, -1, -1],
                                 [2, -1, -1], [0, 1, 1]),
                          "'feature' .* holds 9223372036854775808, out of range"),
}


@pytest.mark.parametrize("name", list(BAD_TREES))
def test_constructor_rejects_malformed_trees(name):
    kwargs, match = BAD_TREES[name]
    with pytest.raises(InvalidModelError, match=match):
        pd.DecisionTree(3, **kwargs)


@pytest.mark.parametrize("nested, match", [
    ({"var": 0, "plus": {"leaf": 1}}, "must be"),
    ({"leaf": 0}, "'leaf'.*Got 0"),
    ({"leaf": True}, "'leaf'.*Got True"),
    ({"var": 1.0, "plus": {"leaf": 1}, "minus": {"leaf": -1}}, "'var'.*1.0"),
    ({"var": 0, "plus": {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": 1}},
      "minus": {"leaf": -1}}, "Variable 0 is tested twice"),
    ({"var": 3, "plus": {"leaf": 1}, "minus": {"leaf": -1}}, "variable 3, out of range"),
    ({"leaf": 1, "extra": 2}, "must be"),
    ([1], "must be"),
], ids=["missing-minus", "leaf-0", "bool-leaf", "float-var", "repeated-on-path",
        "out-of-range", "extra-key", "list"])
def test_from_nested_rejects_malformed_trees(nested, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.DecisionTree.from_nested(3, nested)


@pytest.mark.parametrize("change, match", [
    ({"version": 2}, "version 2"),
    ({"class": "junta"}, "'junta'"),
    ({"tree": [0, 1]}, "nested dict"),
    ({"tree": {"leaf": 1.0}}, "'leaf'.*1.0"),
    ({"tree": {"var": True, "plus": {"leaf": 1}, "minus": {"leaf": 1}}}, "'var'.*True"),
    ({"tree": {"var": 0, "plus": {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": 1}},
               "minus": {"leaf": 1}}}, "Variable 0 is tested twice"),
    ({"d": 0}, "'d'.*0"),
    ({"depth": 1}, "unexpected field"),
], ids=["version", "class", "list-tree", "float-leaf", "bool-var", "repeated", "d=0", "extra"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**pd.DecisionTree.from_nested(2, {"var": 0, "plus": {"leaf": 1},
                                              "minus": {"leaf": -1}}).to_dict(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.DecisionTree.from_dict(data)


def test_split_rejects_mismatched_subtrees():
    with pytest.raises(InvalidModelError, match="d = 3"):
        pd.DecisionTree.split(3, 0, pd.DecisionTree.leaf(2, 1), pd.DecisionTree.leaf(3, 1))
    with pytest.raises(InvalidModelError, match="Variable 0 is tested twice"):
        inner = pd.DecisionTree.split(3, 0, pd.DecisionTree.leaf(3, 1),
                                      pd.DecisionTree.leaf(3, -1))
        pd.DecisionTree.split(3, 0, inner, pd.DecisionTree.leaf(3, 1))
    with pytest.raises(InvalidModelError, match="'value'.*Got 2"):
        pd.DecisionTree.leaf(3, 2)


@pytest.mark.parametrize("X, match", [
    (np.ones((2, 4)), "3 columns"),
    ([[1, -1, 0]], r"value \S*0\S* at row 0, column 2"),
    (np.ones((2, 3, 1)), "2-d array"),
], ids=["wrong-width", "zero", "3-d"])
def test_predict_rejects_malformed_input(X, match):
    t = pd.DecisionTree.from_nested(3, {"var": 2, "plus": {"leaf": 1}, "minus": {"leaf": -1}})
    with pytest.raises(InvalidInputError, match=match):
        t.predict(X)
    with pytest.raises(InvalidInputError, match=match):
        t.route(X)


def test_arrays_are_read_only():
    t = pd.CLASSES["decision_tree"].random(0, d=5, depth=2)
    for arr in (t.feature, t.plus, t.minus, t.value, t.parent()):
        assert not arr.flags.writeable
