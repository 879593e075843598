"""decision_list_to_tree: 1-decision lists -> caterpillar trees of depth l and l + 1
leaves (THEORY §8); refusal of w-decision lists, w >= 2."""

from __future__ import annotations

import re

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers.strategies import decision_lists
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.decision_list_to_halfspace import simplify_1dl
from pacdistill.reductions.decision_list_to_tree import (
    decision_list_as_tree,
    decision_list_to_tree,
)

EDGE = REGISTRY["decision_list_to_tree"]


@given(decision_lists(max_d=10, max_l=8, max_w=1))
def test_equal_as_a_caterpillar(dl):
    """Equal on the whole cube; one internal node per simplified rule, each with a
    leaf child (a caterpillar): depth l' and l' + 1 leaves, l' <= l."""
    tree = assert_exact(EDGE, dl).model
    n = len(simplify_1dl(dl)[0])
    assert tree.size() == {"d": dl.d, "r": n, "s": n + 1}
    internal = tree.feature >= 0
    children_are_leaves = (tree.feature[tree.plus[internal]] < 0) | \
        (tree.feature[tree.minus[internal]] < 0)
    assert children_are_leaves.all()


@given(decision_lists(max_d=3, min_l=4, max_l=12, min_w=0, max_w=1))
def test_equal_with_repeated_variables_and_empty_terms(dl):
    """Long lists on few variables (a variable tested again, rules that never fire,
    empty terms that always fire): still equal, and a valid tree (no variable twice
    on a path, which DecisionTree refuses)."""
    assert_exact(EDGE, dl)


def test_rules_on_distinct_variables_give_depth_l():
    """No simplification needed: depth l, l + 1 leaves, the rules in order."""
    dl = pd.DecisionList(5, [([(3, -1)], 1), ([(0, 1)], -1), ([(4, 1)], 1)], default=-1)
    tree = assert_exact(EDGE, dl).model
    assert tree.size() == {"d": 5, "r": 3, "s": 4}
    assert tree.to_nested() == {
        "var": 3, "minus": {"leaf": 1},
        "plus": {"var": 0, "plus": {"leaf": -1},
                 "minus": {"var": 4, "plus": {"leaf": 1}, "minus": {"leaf": -1}}}}


def test_zero_rules_and_an_always_firing_rule():
    """No rules: the default leaf. A first rule with an empty term: its output."""
    assert decision_list_as_tree(pd.DecisionList(3, [], default=-1)) == \
        pd.DecisionTree.leaf(3, -1)
    always = pd.DecisionList(3, [([], 1), ([(0, 1)], -1)], default=-1)
    assert assert_exact(EDGE, always).model == pd.DecisionTree.leaf(3, 1)


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_list", "decision_tree")
    assert g.at(d=9, l=4).size_map == {"d": 9, "r": 4, "s": 5}
    assert (EDGE.access, EDGE.efficient) == ("representation", True)
    assert dict(EDGE.domain) == {"max_w": 1}


def test_wider_lists_and_wrong_input_are_refused():
    two = pd.DecisionList(3, [([(0, 1), (1, -1)], 1)], default=-1)
    with pytest.raises(pd.errors.InvalidModelError, match="rule 0 .* tests 2 literals"):
        decision_list_to_tree(two)
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionList"):
        decision_list_to_tree(pd.Conjunction(2, [(0, 1)]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        decision_list_to_tree(pd.DecisionList(2, [], default=1), simplify=False)


# -- the DecisionTree constructor's check "no variable twice on a path", which this
# edge's time rests on (a caterpillar of l rules is a tree of depth l) ---------------
def _random_shape(data, max_internal: int, d: int):
    """Node arrays of a random full binary tree (leaves split at random) whose
    internal nodes test variables drawn from range(d), so repeats on a path are
    common; node numbers shuffled (children need not follow parents)."""
    feature, plus, minus = [-1], [-1], [-1]
    leaves = [0]
    for _ in range(data.draw(st.integers(0, max_internal), label="internal")):
        v = leaves.pop(data.draw(st.integers(0, len(leaves) - 1), label="leaf"))
        feature[v] = data.draw(st.integers(0, d - 1), label="var")
        plus[v], minus[v] = len(feature), len(feature) + 1
        feature += [-1, -1]
        plus += [-1, -1]
        minus += [-1, -1]
        leaves += [plus[v], minus[v]]
    n = len(feature)
    perm = [0] + data.draw(st.permutations(range(1, n)), label="numbering")
    new = np.empty(n, dtype=np.int64)
    new[np.arange(n)] = perm  # old node i becomes node perm[i]
    arrays = {name: np.full(n, -1, dtype=np.int64) for name in ("feature", "plus", "minus")}
    for old in range(n):
        arrays["feature"][new[old]] = feature[old]
        for name, child in (("plus", plus[old]), ("minus", minus[old])):
            arrays[name][new[old]] = new[child] if child >= 0 else -1
    value = np.where(arrays["feature"] < 0, 1, 0)
    return arrays["feature"], arrays["plus"], arrays["minus"], value


def _clashes(feature, plus, minus):
    """Every (ancestor, node) pair testing the same variable, by walking every path."""
    found = set()
    stack = [(0, ())]
    while stack:
        v, above = stack.pop()
        if feature[v] < 0:
            continue
        found |= {(a, int(v)) for a in above if feature[a] == feature[v]}
        for child in (plus[v], minus[v]):
            stack.append((int(child), (*above, int(v))))
    return found


@given(st.data())
def test_the_tree_constructor_refuses_exactly_the_repeats_on_a_path(data):
    """The constructor accepts the node arrays exactly when no root-leaf path tests
    a variable twice (a brute-force walk of every path), and a refusal names a real
    clash: two nodes on one path, the first an ancestor of the second."""
    d = data.draw(st.integers(1, 10), label="d")
    feature, plus, minus, value = _random_shape(data, 12, d)
    clashes = _clashes(feature, plus, minus)
    if not clashes:
        tree = pd.DecisionTree(d, feature, plus, minus, value)
        assert tree.n_nodes == len(feature)
        return
    with pytest.raises(pd.errors.InvalidModelError, match="tested twice") as info:
        pd.DecisionTree(d, feature, plus, minus, value)
    a, v = map(int, re.search(r"at nodes (\d+) and (\d+)", str(info.value)).groups())
    assert (a, v) in clashes
    assert re.search(rf"Variable {int(feature[v])} is tested twice on the path to node {v} ",
                     str(info.value))
