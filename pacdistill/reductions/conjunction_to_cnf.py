"""Exact conversion Conjunction[d, k] -> CNF[d, s = k, w = 1] (unit clauses).

Guarantee (kind ``exact``; derived here: THEORY §8): the CNF equals the
conjunction on every point of {-1,+1}^d. Size map: d -> d, s -> k, w -> 1.
Time: O(k^2): the CNF holds its clauses as a dense literal matrix, one row per
clause and one column per variable that occurs
(:class:`~pacdistill.classes._normal_form.LiteralMatrix`), here k x k. No
samples, no queries. Past MAX_LITERAL_CELLS entries (k > 8192) the CNF
constructor raises :class:`~pacdistill.errors.TooLargeError`.

Proof in one line: a unit clause (l) is satisfied exactly where its literal l
holds, so the AND of the unit clauses of the k literals is +1 exactly where
every literal holds, i.e. where the conjunction is +1. The empty conjunction
(the constant +1) gives the CNF with no clauses, also the constant +1 (its
size is s = w = 0, within the map: sizes are upper bounds).

Examples
--------
>>> print(conjunction_as_cnf(pd.Conjunction(3, [(2, -1), (0, 1)])))
(x0 = +1) AND (x2 = -1)
>>> conjunction_to_cnf(pd.Conjunction(3, [(1, 1), (2, 1)])).model.size()
{'d': 3, 's': 2, 'w': 1}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.cnf import CNF
from ..classes.conjunction import Conjunction
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["conjunction_as_cnf", "conjunction_to_cnf"]


def conjunction_as_cnf(conjunction: Conjunction) -> CNF:
    """The CNF with one unit clause per literal of the conjunction.

    >>> conjunction_as_cnf(pd.Conjunction(2)).clauses     # the constant +1
    ()
    """
    check_source(conjunction, Conjunction, "conjunction_as_cnf")
    return CNF(conjunction.d, [(literal,) for literal in conjunction.literals])


@register(
    name="conjunction_to_cnf",
    source="conjunction",
    target="cnf",
    guarantee=Guarantee(
        "exact", "conjunction", "cnf",
        source="derived here: THEORY §8 (one unit clause per literal)",
        time=S.k**2,  # the CNF's k x k literal matrix
        size_map={S.d: S.d, S.s: S.k, S.w: 1},
    ),
    access="representation",
    efficient=True,
)
def conjunction_to_cnf(model: Conjunction, /, *, sampler: Any = None, eps: Any = None,
                       delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The CNF of unit clauses, one per literal of the conjunction (THEORY §8)."""
    return run_exact("conjunction_to_cnf", model, Conjunction, conjunction_as_cnf, options)
