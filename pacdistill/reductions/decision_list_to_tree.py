"""Exact conversion DecisionList[d, l] -> DecisionTree[d, r = l, s = l + 1], for
1-decision lists (a caterpillar tree).

Guarantee (kind ``exact``; derived here: THEORY §8; decision lists: Rivest 1987,
"Learning decision lists", Machine Learning 2(3):229-246, DOI
10.1007/BF00058680): the tree equals the 1-decision list on every point of
{-1,+1}^d. Size map: d -> d, r -> l, s -> l + 1. Time: O(l (log l + 1)):
simplifying the list and laying out the nodes is O(l); the
:class:`~pacdistill.classes.decision_tree.DecisionTree` constructor checks
that no variable is tested twice on a path with one sort of the 2 l' + 1
nodes, l' <= min(l, d) (a pass over all nodes per level, as the check once
was, costs (2 l' + 1) l' for a caterpillar: 20 s at l = 16,000). No samples,
no queries.

Domain: 1-decision lists (every rule tests one literal; rules with an empty
term, which always fire, are accepted too), the class node ``decision_list``
(``ModelClass.size_limits``). A w-decision list with w >= 2 is refused with an
:class:`~pacdistill.errors.InvalidModelError`: a rule's term of w literals
has w ways to fail, each continuing to the rest of the list, so the tree built
this way repeats the rest up to w times per rule.

Construction and proof: the list is first simplified without changing its
function (:func:`~pacdistill.reductions.decision_list_to_halfspace.simplify_1dl`:
unreachable rules dropped, the list cut at the first rule that always fires,
so the l' <= min(l, d) rules left test distinct variables, as a tree path
must). Rule j, "if x_i = s then o_j", becomes the internal node j testing x_i:
its branch x_i = s is a leaf o_j, its other branch is node j + 1; after the
last rule, the leaf of the default. A point reaches the leaf o_j exactly when
rule j is the first whose literal holds, and the default leaf exactly when no
literal holds, which is the list's value in both cases. The tree has depth l'
and l' + 1 leaves; the list without rules is the one-leaf tree of its default.

Examples
--------
>>> dl = pd.DecisionList(3, [([(0, 1)], -1), ([(2, -1)], 1)], default=-1)
>>> print(decision_list_as_tree(dl))
x0 = +1: -> -1
x0 = -1:
  x2 = +1: -> -1
  x2 = -1: -> +1
>>> decision_list_to_tree(dl).model.size()
{'d': 3, 'r': 2, 's': 3}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_list import DecisionList
from ..classes.decision_tree import DecisionTree
from ._exact import run_exact
from ._registry import Result, register
from .decision_list_to_halfspace import simplify_1dl

__all__ = ["decision_list_as_tree", "decision_list_to_tree"]


def decision_list_as_tree(dl: DecisionList) -> DecisionTree:
    """The caterpillar tree of a 1-decision list: one internal node per rule (after
    simplification), whose branch where the rule's literal holds is the rule's leaf.

    >>> print(decision_list_as_tree(pd.DecisionList(2, [], default=1)))
    -> +1
    """
    rules, default = simplify_1dl(dl, "decision_list_as_tree")
    n = len(rules)
    if n == 0:
        return DecisionTree.leaf(dl.d, default)
    var, sign, out = (np.array(column, dtype=np.int64) for column in zip(*rules, strict=True))
    # node 2j: the test of rule j; node 2j + 1: its leaf; node 2n: the default leaf
    j2 = 2 * np.arange(n)
    size = 2 * n + 1
    feature = np.full(size, -1, dtype=np.int64)
    plus = np.full(size, -1, dtype=np.int64)
    minus = np.full(size, -1, dtype=np.int64)
    value = np.zeros(size, dtype=np.int64)
    feature[j2] = var
    plus[j2] = np.where(sign == 1, j2 + 1, j2 + 2)
    minus[j2] = np.where(sign == 1, j2 + 2, j2 + 1)
    value[j2 + 1] = out
    value[2 * n] = default
    return DecisionTree(dl.d, feature, plus, minus, value)


@register(
    name="decision_list_to_tree",
    source="decision_list",
    target="decision_tree",
    guarantee=Guarantee(
        "exact", "decision_list", "decision_tree",
        source="derived here: THEORY §8 (a 1-decision list is a caterpillar tree: one "
               "node per rule, its leaf on the branch where the rule fires); decision "
               "lists: Rivest 1987, DOI 10.1007/BF00058680",
        time=S.l * (sympy.log(S.l) + 1),  # the tree constructor's sort of 2l + 1 nodes
        size_map={S.d: S.d, S.r: S.l, S.s: S.l + 1},
    ),
    access="representation",
    efficient=True,
    domain={"max_w": 1},  # defined on 1-decision lists (read by the conformance harness)
)
def decision_list_to_tree(model: DecisionList, /, *, sampler: Any = None,
                          eps: Any = None, delta: Any = None, rng: Any = None,
                          **options: Any) -> Result:
    """The caterpillar tree of a 1-decision list, one node per rule (THEORY §8)."""
    return run_exact("decision_list_to_tree", model, DecisionList, decision_list_as_tree,
                     options)
