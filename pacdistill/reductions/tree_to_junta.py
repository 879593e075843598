"""Exact conversion DecisionTree[d, r, s] -> Junta[d, min(d, s - 1)].

Guarantee (kind ``exact``; derived here: THEORY §8): the junta equals the tree
on every point of {-1,+1}^d. Size map: d -> d, k -> min(d, s - 1) (the junta's
variables are the ones the tree tests, at most one per internal node, and a
tree with s leaves has s - 1 internal nodes). Time: O(s + 2^K (K + r)) with
K = min(d, s - 1): the tree is evaluated once on each of the 2^K assignments
of its variables (vectorized, in chunks). No samples, no queries.

Proof in one line: the tree's value depends only on the variables it tests,
so it is a junta on them, and evaluating it on every assignment of those
variables (the others fixed at +1, which changes nothing) is its table.

The cost is exponential in the number of variables the tree reads; it is
polynomial in the size of the output (the junta's table has 2^K entries),
which is what ``efficient`` means here (see ``Reduction.efficient``). Trees
reading more than ``MAX_JUNTA_K`` (24) variables are refused with a
:class:`~pacdistill.errors.TooLargeError` (the Junta type's limit).

Examples
--------
>>> t = pd.DecisionTree.from_nested(6, {"var": 4, "plus": {"leaf": 1},
...     "minus": {"var": 1, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
>>> j = tree_as_junta(t)
>>> j
Junta(d=6, variables=(1, 4), table=[1, 1, -1, 1])
>>> bool(pd.checkers.equivalent(t, j).equal)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_tree import DecisionTree
from ..classes.junta import MAX_JUNTA_K, Junta
from ..classes.lookup_table import LookupTable
from ..errors import TooLargeError
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["tree_as_junta", "tree_to_junta"]


def tree_as_junta(tree: DecisionTree) -> Junta:
    """The junta on the variables ``tree`` tests (sorted), with the tree's table.

    >>> tree_as_junta(pd.DecisionTree.leaf(3, 1))
    Junta(d=3, variables=(), table=[1])
    """
    check_source(tree, DecisionTree, "tree_as_junta")
    variables = tree.variables()
    k = len(variables)
    if k == 0:
        return Junta(tree.d, (), [int(tree.value[0])])
    if k > MAX_JUNTA_K:
        raise TooLargeError(
            f"tree_as_junta would tabulate the tree on its {k} variables (2^{k} entries), "
            f"past the Junta limit of k <= {MAX_JUNTA_K}. Keep the tree, or compare it "
            "with other models by sampling (pd.checkers.disagreement)."
        )
    # The same tree over its own k variables (variable i renamed to its rank among
    # them): its truth table on {-1,+1}^k, in enumeration order, is the junta's table.
    internal = tree.feature >= 0
    renamed = np.where(internal, np.searchsorted(np.asarray(variables), tree.feature), -1)
    projected = DecisionTree(k, renamed, tree.plus, tree.minus, tree.value)
    table = LookupTable.from_model(projected, max_d=MAX_JUNTA_K).table
    return Junta(tree.d, variables, table)


_K = sympy.Min(S.d, S.s - 1)


@register(
    name="tree_to_junta",
    source="decision_tree",
    target="junta",
    guarantee=Guarantee(
        "exact", "decision_tree", "junta",
        source="derived here: THEORY §8 (a tree is a junta on the at most s - 1 "
               "variables it tests; its table by evaluation)",
        time=S.s + 2**_K * (_K + S.r),
        size_map={S.d: S.d, S.k: _K},
    ),
    access="representation",
    efficient=True,
)
def tree_to_junta(model: DecisionTree, /, *, sampler: Any = None, eps: Any = None,
                  delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The junta on the variables the tree tests, tabulated by evaluation (THEORY §8)."""
    return run_exact("tree_to_junta", model, DecisionTree, tree_as_junta, options)
