"""Exact conversion DecisionTree[d, r, s] -> DNF[d, s terms, width r].

Guarantee (kind ``exact``; derived here: THEORY §8): the DNF equals the tree on
every point of {-1,+1}^d. Size map: d -> d, s -> s, w -> r (the DNF has one
term per +1 leaf, so at most s terms, each of at most r literals). Time:
O(s (r + d)): the path of every node, and the DNF's dense literal matrix, one
row per term and one column per variable that occurs
(:class:`~pacdistill.classes._normal_form.LiteralMatrix`), at most
s x min(d, s - 1) entries (a tree of depth r testing s - 1 distinct variables
has s (s - 1) of them, far more than s (r + 1)). No samples, no queries.
The bound leaves out a logarithmic factor: the DNF constructor sorts each
term's literals and the variables that occur (at most s r log(s r) more).

Proof in one line: each point reaches exactly one leaf, and the AND of the
literals on that leaf's path holds exactly on the points reaching it, so the
OR over the +1 leaves of their path ANDs is +1 exactly where the tree is +1.
A tree without +1 leaves gives the DNF with no terms (the constant -1); the
one-leaf tree +1 gives the DNF with one empty term (the constant +1).

Examples
--------
>>> t = pd.DecisionTree.from_nested(3, {"var": 0, "plus": {"leaf": 1},
...     "minus": {"var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
>>> print(tree_as_dnf(t))
(x0 = +1) OR (x0 = -1 AND x2 = -1)
>>> tree_to_dnf(t).model.size()
{'d': 3, 's': 2, 'w': 2}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_tree import DecisionTree
from ..classes.dnf import DNF
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["tree_as_dnf", "tree_to_dnf"]


def tree_as_dnf(tree: DecisionTree) -> DNF:
    """The DNF with one term per +1 leaf of ``tree``: the literals on its path.

    >>> tree_as_dnf(pd.DecisionTree.leaf(2, -1)).terms
    ()
    """
    check_source(tree, DecisionTree, "tree_as_dnf")
    return DNF(tree.d, [literals for literals, value in tree.paths() if value == 1])


@register(
    name="tree_to_dnf",
    source="decision_tree",
    target="dnf",
    guarantee=Guarantee(
        "exact", "decision_tree", "dnf",
        source="derived here: THEORY §8 (one term per +1 leaf: the AND of its path)",
        time=S.s * (S.r + S.d),  # the paths, and the DNF's literal matrix
        size_map={S.d: S.d, S.s: S.s, S.w: S.r},
    ),
    access="representation",
    efficient=True,
)
def tree_to_dnf(model: DecisionTree, /, *, sampler: Any = None, eps: Any = None,
                delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The DNF of the tree's +1 leaves, one term per leaf (THEORY §8)."""
    return run_exact("tree_to_dnf", model, DecisionTree, tree_as_dnf, options)
