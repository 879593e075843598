"""Exact conversion Junta[d, k] -> DecisionTree[d, r = k, s = 2^k].

Guarantee (kind ``exact``; derived here: THEORY §8): the output equals the junta
on every point of {-1,+1}^d. Size map: d -> d, r -> k, s -> 2^k (exactly: the
tree is complete). Time: O((k + 1) 2^k) (2^(k+1) - 1 nodes, validated by one
sort). No samples, no queries.

Construction and proof: the complete tree of depth k whose level t splits on
the junta's variable ``variables[k - 1 - t]``. A leaf is reached by exactly
the points whose relevant coordinates follow its path, so giving the leaf the
junta's table entry for that assignment makes the tree equal to the junta.
With nodes in heap order (children of v: 2v + 1 for x = +1, 2v + 2 for x = -1)
and the variables split in reverse order, the j-th leaf of the last level is
the assignment with ``x[variables[b]] == -1`` iff bit b of j is 1, which is the
junta's own table order: the leaves are the table as it is.

The complete tree is refused past depth :data:`MAX_COMPLETE_DEPTH` (2^21 - 1
nodes) with a :class:`~pacdistill.errors.TooLargeError`: a resource limit of
this implementation, not of the guarantee.

Examples
--------
>>> j = pd.Junta(4, [3, 1], [1, -1, -1, 1])        # x3 * x1
>>> tree = junta_as_tree(j)
>>> print(tree)
x1 = +1:
  x3 = +1: -> +1
  x3 = -1: -> -1
x1 = -1:
  x3 = +1: -> -1
  x3 = -1: -> +1
>>> res = junta_to_tree(j)
>>> res.model.size(), res.report["queries_used"]
({'d': 4, 'r': 2, 's': 4}, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_tree import DecisionTree
from ..classes.junta import Junta
from ..errors import TooLargeError
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["MAX_COMPLETE_DEPTH", "complete_tree", "junta_as_tree", "junta_to_tree"]

#: Deepest complete tree built by :func:`complete_tree` (2^depth leaves).
MAX_COMPLETE_DEPTH = 20


def complete_tree(d: int, variables: Sequence[int], leaves: Any, *,
                  func: str = "complete_tree") -> DecisionTree:
    """The complete tree splitting on ``variables`` with ``leaves`` as its table.

    Parameters
    ----------
    d : int
        Input dimension of the tree.
    variables : sequence of int
        k distinct variables; the tree has depth k.
    leaves : array_like of ±1, length 2^k
        ``leaves[j]`` is the output where ``x[variables[b]] == -1`` iff bit b of
        j is 1 (the table order of :class:`~pacdistill.classes.junta.Junta`).
    func : str
        The name used in the error past :data:`MAX_COMPLETE_DEPTH`.

    Returns
    -------
    DecisionTree
        Depth k, 2^k leaves, nodes in heap order; level t splits on
        ``variables[k - 1 - t]``.

    >>> complete_tree(3, [0, 2], [1, 1, -1, 1]).size()
    {'d': 3, 'r': 2, 's': 4}
    """
    variables = [int(i) for i in variables]
    k = len(variables)
    if k > MAX_COMPLETE_DEPTH:
        raise TooLargeError(
            f"{func} builds a complete decision tree with 2^{k} leaves; depth {k} is past "
            f"the limit of {MAX_COMPLETE_DEPTH}. Keep the function as a Junta or a "
            "LookupTable (the same truth table), or distill a smaller tree."
        )
    leaves = np.asarray(leaves, dtype=np.int64)
    if k == 0:
        return DecisionTree.leaf(d, int(leaves[0]))
    n_internal = (1 << k) - 1
    n_nodes = 2 * n_internal + 1
    ids = np.arange(n_nodes, dtype=np.int64)
    internal = ids < n_internal
    # level t holds the 2^t heap nodes 2^t - 1 .. 2^(t+1) - 2 and splits on variables[k-1-t]
    level_of = np.repeat(np.arange(k), 1 << np.arange(k))
    feature = np.full(n_nodes, -1, dtype=np.int64)
    feature[:n_internal] = np.asarray(variables[::-1], dtype=np.int64)[level_of]
    value = np.zeros(n_nodes, dtype=np.int64)
    value[n_internal:] = leaves
    return DecisionTree(d, feature, np.where(internal, 2 * ids + 1, -1),
                        np.where(internal, 2 * ids + 2, -1), value)


def junta_as_tree(junta: Junta) -> DecisionTree:
    """The complete decision tree on the junta's variables, equal to the junta.

    >>> junta_as_tree(pd.Junta(3, [], [-1]))       # a 0-junta is a constant leaf
    DecisionTree(d=3, depth=0, leaves=1, nodes=1)
    """
    check_source(junta, Junta, "junta_as_tree")
    return complete_tree(junta.d, junta.variables, junta.table, func="junta_as_tree")


@register(
    name="junta_to_tree",
    source="junta",
    target="decision_tree",
    guarantee=Guarantee(
        "exact", "junta", "decision_tree",
        source="derived here: THEORY §8 (the complete tree on the k variables, "
               "one leaf per row of the junta's table)",
        time=(S.k + 1) * 2**S.k,
        size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k},
    ),
    access="representation",
    efficient=True,
)
def junta_to_tree(model: Junta, /, *, sampler: Any = None, eps: Any = None,
                  delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The complete decision tree on the junta's variables (THEORY §8)."""
    return run_exact("junta_to_tree", model, Junta, junta_as_tree, options)
