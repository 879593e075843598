"""Exact conversion Parity[d, k] -> DecisionTree[d, r = k, s = 2^k].

Guarantee (kind ``exact``; derived here: THEORY §8): the tree equals the parity
on every point of {-1,+1}^d. Size map: d -> d, r -> k, s -> 2^k (exactly: the
tree is complete, and no tree with fewer leaves computes a parity of k
variables, since a leaf leaving one of them free would have to be constant on a
subcube where the parity takes both values). Time: O((k + 1) 2^k). No samples,
no queries.

Construction and proof: the complete tree on the k variables of the parity
(:func:`~pacdistill.reductions.junta_to_tree.complete_tree`), whose leaf for
the assignment with c of the variables equal to -1 is (-1)^c; that is the
product of the variables along the path, i.e. the parity there. Depth past
``MAX_COMPLETE_DEPTH`` (20) is refused with a TooLargeError (a resource limit).

Examples
--------
>>> print(parity_as_tree(pd.Parity(3, [0, 2])))
x2 = +1:
  x0 = +1: -> +1
  x0 = -1: -> -1
x2 = -1:
  x0 = +1: -> -1
  x0 = -1: -> +1
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_tree import DecisionTree
from ..classes.parity import Parity
from ._exact import check_source, run_exact
from ._registry import Result, register
from .junta_to_tree import MAX_COMPLETE_DEPTH, complete_tree

__all__ = ["parity_as_tree", "parity_to_tree"]


def parity_as_tree(parity: Parity) -> DecisionTree:
    """The complete tree on the parity's variables with leaves (-1)^(number of -1s).

    >>> parity_as_tree(pd.Parity(2)).size()           # the empty parity: a +1 leaf
    {'d': 2, 'r': 0, 's': 1}
    """
    check_source(parity, Parity, "parity_as_tree")
    k = len(parity.variables)
    leaves = np.ones(1, dtype=np.int64)
    if k <= MAX_COMPLETE_DEPTH:
        # leaf j has c = popcount(j) variables at -1: doubling the table per variable
        for _ in range(k):  # loop over variables (structure)
            leaves = np.concatenate([leaves, -leaves])
    return complete_tree(parity.d, parity.variables, leaves, func="parity_as_tree")


@register(
    name="parity_to_tree",
    source="parity",
    target="decision_tree",
    guarantee=Guarantee(
        "exact", "parity", "decision_tree",
        source="derived here: THEORY §8 (the complete tree on the k variables, leaf "
               "(-1)^c for c variables at -1)",
        time=(S.k + 1) * 2**S.k,
        size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k},
    ),
    access="representation",
    efficient=True,
)
def parity_to_tree(model: Parity, /, *, sampler: Any = None, eps: Any = None,
                   delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The complete decision tree on the parity's variables (THEORY §8)."""
    return run_exact("parity_to_tree", model, Parity, parity_as_tree, options)
