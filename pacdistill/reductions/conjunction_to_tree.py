"""Exact conversion Conjunction[d, k] -> DecisionTree[d, r = k, s = k + 1] (a path).

Guarantee (kind ``exact``; derived here: THEORY §8): the tree equals the
conjunction on every point of {-1,+1}^d. Size map: d -> d, r -> k, s -> k + 1.
Time: O(k). No samples, no queries.

Construction and proof: the literals (i, s_i), in variable order, are the
internal nodes of one path; node j tests x_i, its branch x_i = -s_i is a leaf
-1 and its branch x_i = s_i continues to the next literal; the path ends in
the leaf +1. A point reaches the leaf +1 exactly when every literal holds, and
a leaf -1 otherwise (at its first failing literal), which is the conjunction's
value. The variables are distinct, so no path tests one twice. This is the
caterpillar tree of the conjunction's 1-decision list "if a literal fails then
-1, else +1" (:mod:`~pacdistill.reductions.conjunction_to_decision_list`,
:mod:`~pacdistill.reductions.decision_list_to_tree`), which is how it is built.
The empty conjunction gives the one-leaf tree +1.

Examples
--------
>>> print(conjunction_as_tree(pd.Conjunction(3, [(2, -1), (0, 1)])))
x0 = +1:
  x2 = +1: -> -1
  x2 = -1: -> +1
x0 = -1: -> -1
>>> conjunction_to_tree(pd.Conjunction(3, [(1, 1)])).model.size()
{'d': 3, 'r': 1, 's': 2}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.conjunction import Conjunction
from ..classes.decision_tree import DecisionTree
from ._exact import check_source, run_exact
from ._registry import Result, register
from .conjunction_to_decision_list import conjunction_as_decision_list
from .decision_list_to_tree import decision_list_as_tree

__all__ = ["conjunction_as_tree", "conjunction_to_tree"]


def conjunction_as_tree(conjunction: Conjunction) -> DecisionTree:
    """The path tree testing the literals in variable order, -1 leaves off the path.

    >>> print(conjunction_as_tree(pd.Conjunction(2)))       # the constant +1
    -> +1
    """
    check_source(conjunction, Conjunction, "conjunction_as_tree")
    return decision_list_as_tree(conjunction_as_decision_list(conjunction))


@register(
    name="conjunction_to_tree",
    source="conjunction",
    target="decision_tree",
    guarantee=Guarantee(
        "exact", "conjunction", "decision_tree",
        source="derived here: THEORY §8 (one path through the k literals; each "
               "failing literal branches to a leaf -1)",
        time=S.k,
        size_map={S.d: S.d, S.r: S.k, S.s: S.k + 1},
    ),
    access="representation",
    efficient=True,
)
def conjunction_to_tree(model: Conjunction, /, *, sampler: Any = None, eps: Any = None,
                        delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The path tree of the conjunction, k internal nodes and k + 1 leaves (THEORY §8)."""
    return run_exact("conjunction_to_tree", model, Conjunction, conjunction_as_tree, options)
