"""The DP over ANDs (pacdistill.distill.tree_dp, THEORY §5 step 3) against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.distill.tree_dp import AndGraph, all_ands, canonical


def _all_trees(d, depth, path=()):
    """Every tree of depth <= ``depth`` on d variables (nested form, leaf values
    left open as None), with the ANDs of its nodes."""
    yield {"leaf": None}, [canonical(path)]
    if depth == 0:
        return
    used = {i for i, _ in path}
    for i in range(d):
        if i in used:
            continue
        for plus, plus_ands in _all_trees(d, depth - 1, (*path, (i, 1))):
            for minus, minus_ands in _all_trees(d, depth - 1, (*path, (i, -1))):
                yield ({"var": i, "plus": plus, "minus": minus},
                       [canonical(path), *plus_ands, *minus_ands])


def _leaf_regions(tree, X, rows=None):
    """(rows of each leaf) in preorder."""
    rows = np.arange(X.shape[0]) if rows is None else rows
    if "leaf" in tree:
        return [rows]
    i = tree["var"]
    return (_leaf_regions(tree["plus"], X, rows[X[rows, i] == 1])
            + _leaf_regions(tree["minus"], X, rows[X[rows, i] == -1]))


def _brute_force(X, y, d, depth, allowed):
    """best[s] = least disagreements of a tree with exactly s leaves whose every node
    is an allowed AND (best leaf labels: the majority of each region)."""
    best = {}
    for tree, ands in _all_trees(d, depth):
        if not all(a in allowed for a in ands):
            continue
        regions = _leaf_regions(tree, X)
        err = sum(min(int((y[r] == 1).sum()), int((y[r] == -1).sum())) for r in regions)
        s = len(regions)
        best[s] = min(best.get(s, err), err)
    return best


@st.composite
def _instances(draw):
    d = draw(st.integers(1, 3))
    depth = draw(st.integers(1, d))
    X = pd.cube.enumerate(d)
    weights = draw(st.lists(st.integers(0, 3), min_size=len(X), max_size=len(X)))
    labels = draw(st.lists(st.sampled_from([-1, 1]), min_size=len(X), max_size=len(X)))
    rows = np.repeat(np.arange(len(X)), weights)
    every = all_ands(d, depth)
    keep = draw(st.lists(st.booleans(), min_size=len(every), max_size=len(every)))
    subset = [a for a, k in zip(every, keep, strict=True) if k or a == ()]
    return d, depth, X[rows], np.array(labels, dtype=np.int8)[rows], subset


@given(_instances())
def test_dp_equals_brute_force(instance):
    """For every budget s, the DP's least disagreement equals the least over all trees
    with at most s leaves whose nodes are in the AND set (brute-force enumeration), and
    the tree it reads back has at most s leaves and exactly that disagreement."""
    d, depth, X, y, subset = instance
    graph = AndGraph.build(X, y, subset, depth=depth)
    table = graph.solve()
    best = _brute_force(X, y, d, depth, set(graph.ands))
    errors = table.errors(0)
    # budgets stop at the most leaves a tree over the set can have (2L - 1 <= #ANDs)
    assert len(errors) == min(1 << depth, (len(graph) + 1) // 2)
    for s in range(1, (1 << depth) + 1):
        want = min(err for size, err in best.items() if size <= s)
        assert max(best) <= len(errors)
        assert errors[min(s, len(errors)) - 1] == want, (s, best)
        tree = pd.DecisionTree.from_nested(d, table.nested(0, min(s, len(errors))))
        assert tree.n_leaves <= s and tree.depth <= depth
        if len(X):
            assert int((tree.predict(X) != y).sum()) == want
        assert all(canonical(a) in graph.index for a in tree.ands())


def test_all_ands_counts_and_order():
    ands = all_ands(4, 2)
    assert len(ands) == 1 + 8 + 24 and ands[0] == () and len(set(ands)) == len(ands)
    assert all(a == canonical(a) for a in ands)


def test_splits_need_both_children():
    X = pd.cube.enumerate(2)
    y = X[:, 0].astype(np.int8)
    graph = AndGraph.build(X, y, [((0, 1),), ((1, 1),), ((1, -1),)], depth=1)
    assert graph.splits.tolist() == [[0, 1, 2, 3]]          # only the split on x1
    assert graph.pos.tolist() == [2, 2, 1, 1] and graph.neg.tolist() == [2, 0, 1, 1]


def test_frontier_trees_skip_sizes_that_do_not_help():
    X = pd.cube.enumerate(3)
    y = X[:, 0].astype(np.int8)
    table = AndGraph.build(X, y, all_ands(3, 2), depth=2).solve()
    trees, errors = table.frontier_trees(3)
    assert [t.n_leaves for t in trees] == [1, 2] and errors == [4, 0]


def test_a_tied_leaf_takes_its_parents_majority():
    """DPTable.nested's documented tie rule: a leaf whose region holds as many +1
    as -1 labels takes the parent's majority (the root's default: +1). Only the
    splits on x0 at the root, and on x1 under x0 = -1, are allowed, so the best
    3-leaf tree keeps the tied region x0 = +1 (one +1, one -1) as a leaf; the
    root's majority is -1 (3 against 4). The empirical error does not see the
    label of a tied leaf, so the DP-versus-brute-force property cannot test it."""
    X = np.array([[1, 1], [1, -1], [-1, 1], [-1, 1], [-1, -1], [-1, -1], [-1, -1]],
                 dtype=np.int8)
    y = np.array([1, -1, 1, 1, -1, -1, -1], dtype=np.int8)
    ands = [(), ((0, 1),), ((0, -1),), ((0, -1), (1, 1)), ((0, -1), (1, -1))]
    table = AndGraph.build(X, y, ands, depth=2).solve()
    trees, errors = table.frontier_trees(2)
    assert errors == [3, 1]
    assert [t.to_nested() for t in trees] == [
        {"leaf": -1},
        {"var": 0, "plus": {"leaf": -1},
         "minus": {"var": 1, "plus": {"leaf": 1}, "minus": {"leaf": -1}}}]
    # a tie at the root itself (here: no rows at all) takes the default
    empty = AndGraph.build(X[:0], y[:0], ands, depth=2).solve()
    assert empty.nested(0, 1, 1) == {"leaf": 1} and empty.nested(0, 1, -1) == {"leaf": -1}
    assert [t.to_nested() for t in empty.frontier_trees(2)[0]] == [{"leaf": 1}]
