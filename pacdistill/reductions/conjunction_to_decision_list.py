"""Exact conversion Conjunction[d, k] -> DecisionList[d, l = k] (a 1-decision list).

Guarantee (kind ``exact``; derived here: THEORY §8): the decision list equals the
conjunction on every point of {-1,+1}^d. Size map: d -> d, l -> k (and every
rule has one literal: w = 1, or w = 0 for k = 0). Time: O(k). No samples, no
queries.

Construction and proof: one rule per literal (i, s_i), "if x_i = -s_i then -1",
and the default +1. Some rule fires exactly when some literal fails, which is
exactly where the conjunction is -1; otherwise the default +1 is the
conjunction's value. The empty conjunction gives the empty list with default +1.

Examples
--------
>>> dl = conjunction_as_decision_list(pd.Conjunction(3, [(0, 1), (2, -1)]))
>>> print(dl)
if x0 = -1 then -1
elif x2 = +1 then -1
else +1
>>> dl.size()
{'d': 3, 'l': 2, 'w': 1}
"""

from __future__ import annotations

from typing import Any

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.conjunction import Conjunction
from ..classes.decision_list import DecisionList
from ._exact import check_source, run_exact
from ._registry import Result, register

__all__ = ["conjunction_as_decision_list", "conjunction_to_decision_list"]


def conjunction_as_decision_list(conjunction: Conjunction) -> DecisionList:
    """The 1-decision list "if a literal fails then -1 ... else +1".

    >>> print(conjunction_as_decision_list(pd.Conjunction(2)))
    else +1
    """
    check_source(conjunction, Conjunction, "conjunction_as_decision_list")
    rules = [(((i, -s),), -1) for i, s in conjunction.literals]
    return DecisionList(conjunction.d, rules, 1)


@register(
    name="conjunction_to_decision_list",
    source="conjunction",
    target="decision_list",
    guarantee=Guarantee(
        "exact", "conjunction", "decision_list",
        source="derived here: THEORY §8 (one rule 'if literal fails then -1' per "
               "literal, default +1)",
        time=S.k,
        size_map={S.d: S.d, S.l: S.k},
    ),
    access="representation",
    efficient=True,
)
def conjunction_to_decision_list(model: Conjunction, /, *, sampler: Any = None,
                                 eps: Any = None, delta: Any = None, rng: Any = None,
                                 **options: Any) -> Result:
    """The 1-decision list with one rule per literal of the conjunction (THEORY §8)."""
    return run_exact("conjunction_to_decision_list", model, Conjunction,
                     conjunction_as_decision_list, options)
