"""decision_list_to_halfspace: 1-decision lists -> halfspaces with weights 2^(l-j)
(THEORY §8); refusal of w-decision lists, w >= 2; float64 exactness up to 52 rules."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_lists
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.decision_list_to_halfspace import (
    MAX_EXACT_RULES,
    decision_list_as_halfspace,
    decision_list_to_halfspace,
    simplify_1dl,
)

EDGE = REGISTRY["decision_list_to_halfspace"]


@given(decision_lists(max_d=10, max_l=8, max_w=1))
def test_equal_and_never_tied(dl):
    """Equal on the cube; the score is never in (-1, 1), so no point is a tie."""
    h = assert_exact(EDGE, dl).model
    assert (np.abs(h.output(pd.cube.enumerate(dl.d))) >= 1).all()


@given(decision_lists(max_d=3, min_l=4, max_l=12, min_w=0, max_w=1))
def test_equal_with_repeated_variables_and_empty_terms(dl):
    """Long lists on few variables (repeats, rules that never fire, empty terms that
    always fire) still convert exactly."""
    assert_exact(EDGE, dl)


@given(decision_lists(max_d=6, max_l=10, min_w=0, max_w=1))
def test_simplified_list_is_equal_and_on_distinct_variables(dl):
    """simplify_1dl keeps the function, uses each variable at most once, and never
    ends with a rule whose output is the default."""
    rules, default = simplify_1dl(dl)
    again = pd.DecisionList(dl.d, [([(i, s)], out) for i, s, out in rules], default)
    assert pd.checkers.equivalent(dl, again).equal
    variables = [i for i, _, _ in rules]
    assert len(set(variables)) == len(variables) <= min(len(dl.rules), dl.d)
    assert not rules or rules[-1][2] != default


def test_weights_are_powers_of_two_in_rule_order():
    """THEORY §8's weights 2^(l-j): rule j of l (no simplification needed here)."""
    dl = pd.DecisionList(4, [([(2, 1)], 1), ([(0, -1)], -1), ([(3, 1)], 1)], default=-1)
    h = decision_list_as_halfspace(dl)
    # weight o_j s_j 2^(l-j), bias o_0 + sum_j o_j 2^(l-j)
    assert h.weights.tolist() == [2.0, 0.0, 4.0, 1.0]
    assert h.bias == -1 + 4 - 2 + 1


def _first_hit_points(rules, d, rng):
    """For each rule j, a point where rule j is the first whose literal holds, and a
    point where none holds (other coordinates random)."""
    pts = []
    for j in range(len(rules) + 1):
        x = rng.choice(np.array([-1, 1], dtype=np.int8), size=d)
        for i, s, _ in rules[:j]:
            x[i] = -s
        if j < len(rules):
            i, s, _ = rules[j]
            x[i] = s
        pts.append(x)
    return np.array(pts)


def _exact_score(rules, default, X):
    """o_0 + sum_j o_j 2^(l-j+1) 1[literal j holds], in Python integers."""
    n = len(rules)
    return [default + sum(out * 2 ** (n - j + 1) for j, (i, s, out) in enumerate(rules, 1)
                          if x[i] == s)
            for x in X.tolist()]


def test_exact_at_the_float64_limit():
    """52 effective rules: the score is computed exactly (checked against Python
    integers) at points where each rule fires first, where none fires, and at
    random points."""
    rng = np.random.default_rng(20240611)
    d = MAX_EXACT_RULES
    signs = rng.choice([-1, 1], size=d)
    outputs = [1 if j % 3 else -1 for j in range(d)]
    default = -outputs[-1]
    dl = pd.DecisionList(d, [([(j, int(signs[j]))], outputs[j]) for j in range(d)], default)
    rules, default_s = simplify_1dl(dl)
    assert len(rules) == MAX_EXACT_RULES and default_s == default
    h = decision_list_as_halfspace(dl)
    X = np.vstack([_first_hit_points(rules, d, rng),
                   rng.choice(np.array([-1, 1], dtype=np.int8), size=(500, d))])
    exact = _exact_score(rules, default, X)
    assert h.output(X).tolist() == [float(v) for v in exact]
    assert all(abs(v) >= 1 for v in exact)
    assert (h.predict(X) == dl.predict(X)).all()


def test_past_the_float64_limit_is_refused():
    d = MAX_EXACT_RULES + 1
    dl = pd.DecisionList(d, [([(j, 1)], (-1) ** j) for j in range(d)], default=-1)
    with pytest.raises(pd.errors.TooLargeError, match="not exact in float64"):
        decision_list_to_halfspace(dl)


def test_many_rules_on_few_variables_are_simplified_first():
    """100 rules on 5 variables simplify to at most 5, so the weights stay small."""
    rng = np.random.default_rng(7)
    rules = [([(int(rng.integers(5)), int(rng.choice([-1, 1])))], int(rng.choice([-1, 1])))
             for _ in range(100)]
    dl = pd.DecisionList(5, rules, default=1)
    h = assert_exact(EDGE, dl).model
    assert np.abs(h.weights).max(initial=0) <= 2 ** 4


def test_two_decision_lists_are_refused():
    """A 2-decision list can compute -x0 x1 (an XOR), no halfspace: refused, with the
    reason (THEORY §8's edge is about 1-decision lists)."""
    xor = pd.DecisionList(2, [([(0, -1), (1, -1)], -1), ([(0, -1)], 1), ([(1, -1)], 1)],
                          default=-1)
    X = pd.cube.enumerate(2)
    assert xor.predict(X).tolist() == (-X[:, 0] * X[:, 1]).tolist()
    with pytest.raises(pd.errors.InvalidModelError,
                       match=r"1-decision lists .*THEORY §8.*rule 0 .*2 literals"):
        decision_list_to_halfspace(xor)
    # refused even when the wide rule could never fire (the edge is defined by width)
    late = pd.DecisionList(3, [([], 1), ([(0, 1), (1, 1)], -1)], default=-1)
    with pytest.raises(pd.errors.InvalidModelError, match="rule 1 "):
        simplify_1dl(late)


def test_guarantee():
    g = EDGE.guarantee
    assert (g.kind, g.from_class, g.to_class) == ("exact", "decision_list", "halfspace")
    assert g.at(d=7, l=30).size_map == {"d": 7}
    assert "10.1007/BF00058680" in g.source


def test_wrong_input_and_options_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a DecisionList"):
        decision_list_to_halfspace(pd.Conjunction(2, [(0, 1)]))
    with pytest.raises(pd.errors.InvalidParameterError, match="takes no options"):
        decision_list_to_halfspace(pd.DecisionList(2, [], 1), base=3)
