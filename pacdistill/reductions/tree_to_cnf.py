"""Exact conversion DecisionTree[d, r, s] -> CNF[d, s clauses, width r].

Guarantee (kind ``exact``; derived here: THEORY §8, the dual of its
DecisionTree -> DNF): the CNF equals the tree on every point of {-1,+1}^d.
Size map: d -> d, s -> s, w -> r (one clause per -1 leaf, so at most s
clauses, each of at most r literals). Time: O(s (r + d)): the path of every
node, and the CNF's dense literal matrix, one row per clause and one column per
variable that occurs (:class:`~pacdistill.classes._normal_form.LiteralMatrix`),
at most s x min(d, s - 1) entries. No samples, no queries. The bound leaves
out a logarithmic factor: the CNF constructor sorts each clause's literals and
the variables that occur (at most s r log(s r) more).

Proof in one line: each point reaches exactly one leaf, and the clause of a
-1 leaf, the OR of the negations (i, -s_i) of the literals on its path, fails
exactly on the points reaching that leaf (De Morgan), so the AND of these
clauses is -1 exactly where the tree is -1. A tree without -1 leaves gives the
CNF with no clauses (the constant +1); the one-leaf tree -1 gives one empty
clause (the constant -1).

Examples
--------
>>> t = pd.DecisionTree.from_nested(3, {"var": 0, "plus": {"leaf": 1},
...     "minus": {"var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
>>> print(tree_as_cnf(t))
(x0 = +1 OR x2 = -1)
>>> tree_to_cnf(t).model.size()
{'d': 3, 's': 1, 'w': 2}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.cnf import CNF
from ..classes.decision_tree import DecisionTree
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["tree_as_cnf", "tree_to_cnf"]


def tree_as_cnf(tree: DecisionTree) -> CNF:
    """The CNF with one clause per -1 leaf of ``tree``: its path's literals negated.

    >>> tree_as_cnf(pd.DecisionTree.leaf(2, 1)).clauses
    ()
    """
    check_source(tree, DecisionTree, "tree_as_cnf")
    return CNF(tree.d, [tuple((i, -s) for i, s in literals)
                        for literals, value in tree.paths() if value == -1])


@register(
    name="tree_to_cnf",
    source="decision_tree",
    target="cnf",
    guarantee=Guarantee(
        "exact", "decision_tree", "cnf",
        source="derived here: THEORY §8 (one clause per -1 leaf: the negation of its "
               "path's AND)",
        time=S.s * (S.r + S.d),  # the paths, and the CNF's literal matrix
        size_map={S.d: S.d, S.s: S.s, S.w: S.r},
    ),
    access="representation",
    efficient=True,
)
def tree_to_cnf(model: DecisionTree, /, *, sampler: Any = None, eps: Any = None,
                delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The CNF of the tree's -1 leaves, one clause per leaf (THEORY §8)."""
    return run_exact("tree_to_cnf", model, DecisionTree, tree_as_cnf, options)
