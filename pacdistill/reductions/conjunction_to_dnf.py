"""Exact conversion Conjunction[d, k] -> DNF[d, s = 1, w = k] (one term).

Guarantee (kind ``exact``; derived here: THEORY §8): the DNF equals the
conjunction on every point of {-1,+1}^d. Size map: d -> d, s -> 1, w -> k.
Time: O(k), up to a logarithmic factor: the DNF constructor sorts the k
variables that occur (k log k). No samples, no queries.

Proof in one line: a DNF with the single term T is +1 exactly where every
literal of T holds, which is the definition of the conjunction T (THEORY §1).
The empty conjunction (the constant +1) gives the DNF with one empty term,
also the constant +1 (the DNF with no terms would be the constant -1).

Examples
--------
>>> print(conjunction_as_dnf(pd.Conjunction(3, [(2, -1), (0, 1)])))
(x0 = +1 AND x2 = -1)
>>> conjunction_to_dnf(pd.Conjunction(3, [(1, 1)])).model.size()
{'d': 3, 's': 1, 'w': 1}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.conjunction import Conjunction
from ..classes.dnf import DNF
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["conjunction_as_dnf", "conjunction_to_dnf"]


def conjunction_as_dnf(conjunction: Conjunction) -> DNF:
    """The DNF whose one term is the conjunction's literals.

    >>> conjunction_as_dnf(pd.Conjunction(2)).terms     # the constant +1
    ((),)
    """
    check_source(conjunction, Conjunction, "conjunction_as_dnf")
    return DNF(conjunction.d, [conjunction.literals])


@register(
    name="conjunction_to_dnf",
    source="conjunction",
    target="dnf",
    guarantee=Guarantee(
        "exact", "conjunction", "dnf",
        source="derived here: THEORY §8 (a conjunction is the DNF with that one term)",
        time=S.k,
        size_map={S.d: S.d, S.s: 1, S.w: S.k},
    ),
    access="representation",
    efficient=True,
)
def conjunction_to_dnf(model: Conjunction, /, *, sampler: Any = None, eps: Any = None,
                       delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The one-term DNF of the conjunction (THEORY §8)."""
    return run_exact("conjunction_to_dnf", model, Conjunction, conjunction_as_dnf, options)
