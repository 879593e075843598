"""Exact conversion LookupTable[d] -> DecisionTree[d, r = d, s = 2^d].

Guarantee (kind ``exact``; derived here: THEORY §8): the tree equals the table
on every point of {-1,+1}^d. Size map: d -> d, r -> d, s -> 2^d. Time:
O(2^d), linear in the table's size: a truth table's 2^d entries count as its
size (``Reduction.efficient``; the web's measure of a LookupTable is 2^d,
:mod:`pacdistill._web.measures`), so the edge is efficient and its size map
polynomial. No samples, no queries.

Construction and proof: the complete tree of depth d that tests x_{d-1} at the
root, x_{d-2} below it, ..., x_0 above the leaves, taking the branch x_j = +1
for bit j = 0 and x_j = -1 for bit j = 1 (the cube's enumeration order,
:mod:`pacdistill.cube`), reaches at point x the leaf whose position among the
2^d leaves is x's row index, so the leaf holding ``table[index(x)]`` gives
the table's value. Every subtree whose leaves all hold the same value is then
replaced by one leaf of that value, which changes no prediction (every point
reaching the subtree gets that value); the tree keeps depth <= d and at most
2^d leaves, and exactly these for a table, such as a parity on all d
variables, with no constant subtree. The constant table is the one-leaf tree.

Limits: the tree's node arrays must fit MAX_MODEL_CELLS (checked before they
are built; at most 2^(d+1) - 1 nodes, 4 numbers each, so every table with
d <= 23 fits, and a table on d = 24 variables fits when enough subtrees merge).

Examples
--------
>>> table = pd.LookupTable(2, [1, -1, -1, -1])     # x0 = +1 AND x1 = +1
>>> print(lookup_table_as_tree(table))
x1 = +1:
  x0 = +1: -> +1
  x0 = -1: -> -1
x1 = -1: -> -1
>>> lookup_table_to_tree(pd.LookupTable.from_model(pd.Parity(3, [0, 1, 2]))).model.size()
{'d': 3, 'r': 3, 's': 8}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes._base import check_model_cells
from ..classes.decision_tree import DecisionTree
from ..classes.lookup_table import LookupTable
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["lookup_table_as_tree", "lookup_table_to_tree"]


def lookup_table_as_tree(table: LookupTable) -> DecisionTree:
    """The complete tree of depth d over the table (x_{d-1} at the root), with every
    constant subtree merged into one leaf.

    >>> lookup_table_as_tree(pd.LookupTable(3, [-1] * 8)) == pd.DecisionTree.leaf(3, -1)
    True
    """
    check_source(table, LookupTable, "lookup_table_as_tree")
    d = table.d
    # const[t][q]: the value of every leaf below node q of level t, or 0 if they
    # differ; level d is the table (leaf position = row index, see the module docstring)
    const = [np.asarray(table.table, dtype=np.int8)]
    for _ in range(d):  # loop over levels (d of them), each vectorized
        below = const[0]
        left, right = below[0::2], below[1::2]
        const.insert(0, np.where(left == right, left, 0))
    # alive[t][q]: node q of level t is in the merged tree (its ancestors all vary)
    alive = [np.ones(1, dtype=bool)]
    for t in range(d):
        alive.append(np.repeat(alive[t] & (const[t] == 0), 2))
    counts = [int(np.count_nonzero(a)) for a in alive]
    n = sum(counts)
    check_model_cells(4 * n, f"{n} nodes, 4 numbers each", "lookup_table_as_tree",
                      fix="Keep the LookupTable, or convert a table on fewer variables.")
    offsets = np.concatenate([[0], np.cumsum(counts)])
    ids = [offsets[t] + np.cumsum(a, dtype=np.int64) - 1 for t, a in enumerate(alive)]
    feature = np.full(n, -1, dtype=np.int64)
    plus = np.full(n, -1, dtype=np.int64)
    minus = np.full(n, -1, dtype=np.int64)
    value = np.zeros(n, dtype=np.int64)
    for t in range(d + 1):  # loop over levels
        here = ids[t][alive[t]]
        values = const[t][alive[t]]
        leaf = values != 0
        value[here[leaf]] = values[leaf]
        if t < d:
            inner = np.flatnonzero(alive[t] & (const[t] == 0))
            feature[ids[t][inner]] = d - 1 - t
            plus[ids[t][inner]] = ids[t + 1][2 * inner]
            minus[ids[t][inner]] = ids[t + 1][2 * inner + 1]
    return DecisionTree(d, feature, plus, minus, value)


@register(
    name="lookup_table_to_tree",
    source="lookup_table",
    target="decision_tree",
    guarantee=Guarantee(
        "exact", "lookup_table", "decision_tree",
        source="derived here: THEORY §8 (the complete tree of depth d with the table "
               "as its leaves, constant subtrees merged)",
        time=2**S.d,
        size_map={S.d: S.d, S.r: S.d, S.s: 2**S.d},
    ),
    access="representation",
    efficient=True,
)
def lookup_table_to_tree(model: LookupTable, /, *, sampler: Any = None, eps: Any = None,
                         delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The complete depth-d tree of the table, constant subtrees merged (THEORY §8)."""
    return run_exact("lookup_table_to_tree", model, LookupTable, lookup_table_as_tree,
                     options)
