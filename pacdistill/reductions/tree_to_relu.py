"""Exact conversion DecisionTree[d, r, s] -> ReLUNetwork[d, L = 1, m = 2s - 1].

Guarantee (kind ``exact``; derived here: THEORY §5, §8): the network equals the
tree on every point of {-1,+1}^d. Size map: d -> d, L -> 1, m -> 2s - 1 (one
hidden unit per node of the tree). Time: O(s (r + d)) (the dense first layer
has (2s - 1) d entries).

Construction (the *planted LRH* network of THEORY §5): the hidden unit of a node
v at depth j with path literals (i, s_i) computes

    h_v(x) = ReLU(sum_i s_i x_i - (j - 1)),

which is 1 when every literal holds (the sum is j) and 0 otherwise (the sum is
then at most j - 2); the root's unit has zero weights and bias 1, so h = 1. So
h_v = 1[AND_v(x)], and the output sum over leaves v of c_v h_v is exactly the
tree's value ±1 (each point reaches one leaf). The hidden layer therefore
satisfies LRH(T, 0, B) by construction: each AND_v is read off by one unit.

Examples
--------
>>> tree = pd.CLASSES["decision_tree"].random(0, d=6, depth=3)
>>> net = tree_to_network(tree)
>>> net.size()
{'d': 6, 'L': 1, 'm': 15}
>>> X = pd.cube.enumerate(6)
>>> bool((net.predict(X) == tree.predict(X)).all())
True
>>> bool((net.output(X) == tree.predict(X)).all())      # exactly ±1, not just its sign
True
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_tree import DecisionTree
from ..classes.relu_network import ReLUNetwork
from ..errors import InvalidParameterError
from ._exact import check_dense
from ._registry import Result, register

__all__ = ["tree_to_network", "tree_to_relu"]


def tree_to_network(tree: DecisionTree) -> ReLUNetwork:
    """The planted network of ``tree``: hidden unit v computes 1[AND_v] for node v
    (in the tree's node order), the output is sum over leaves of value * unit.

    Parameters
    ----------
    tree : DecisionTree

    Returns
    -------
    ReLUNetwork
        One hidden layer of ``tree.n_nodes`` units; ``output(x)`` is exactly
        ``tree.predict(x)`` on the cube.
    """
    if not isinstance(tree, DecisionTree):
        raise InvalidParameterError(
            "The 'model' parameter of tree_to_network must be a DecisionTree. "
            f"Got {type(tree).__name__} instead."
        )
    m, d = tree.n_nodes, tree.d
    check_dense(m * d + 2 * m + 1, tree, "tree_to_network",
                f"a first layer of {m} x d weights, one row per node")
    ands = tree.ands()
    W0 = np.zeros((m, d))
    lengths = np.array([len(a) for a in ands], dtype=np.float64)
    for v, literals in enumerate(ands):  # loop over tree nodes (structure)
        if literals:
            lits = np.asarray(literals, dtype=np.int64)
            W0[v, lits[:, 0]] = lits[:, 1]
    b0 = 1.0 - lengths
    W1 = np.where(tree.feature < 0, tree.value, 0).astype(np.float64)[None, :]
    return ReLUNetwork.from_arrays([W0, W1], [b0, np.zeros(1)])


@register(
    name="tree_to_relu",
    source="decision_tree",
    target="relu_network",
    guarantee=Guarantee(
        "exact", "decision_tree", "relu_network",
        source="derived here: THEORY §5, §8 (one hidden unit per node computes 1[AND_v])",
        time=S.s * (S.r + S.d),
        size_map={S.d: S.d, S.L: 1, S.m: 2 * S.s - 1},
    ),
)
def tree_to_relu(model: DecisionTree, /, *, sampler: Any = None, eps: Any = None,
                 delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The planted-LRH network computing the tree exactly (THEORY §5, §8)."""
    if options:
        raise InvalidParameterError(
            f"tree_to_relu takes no options. Got {sorted(options)} instead."
        )
    start = time.perf_counter()
    net = tree_to_network(model)
    return Result(net, {"samples_used": 0, "queries_used": 0,
                        "seconds": time.perf_counter() - start})
