"""Exact conversion DecisionList[d, l] -> Halfspace[d], for 1-decision lists.

Guarantee (kind ``exact``; THEORY §8; decision lists: Rivest 1987, "Learning
decision lists", Machine Learning 2(3):229-246, DOI 10.1007/BF00058680; the
threshold form with weights 2^(l-j) is derived here: THEORY §8, proof below):
the halfspace equals the 1-decision list on every point of {-1,+1}^d. Size
map: d -> d. Time: O(d + l). No samples, no queries.

Domain: the edge is THEORY's DecisionList, the *1-decision list* (every rule
tests one literal; rules with an empty term, which always fire, are accepted
too). The DecisionList type also holds w-decision lists (terms of w >= 2
literals), which are not halfspaces in general (the 2-decision list
"if x0 = -1 AND x1 = -1 then -1 elif x0 = -1 then +1 elif x1 = -1 then +1
else -1" computes -x0 x1, an XOR); those are refused with an
:class:`~pacdistill.errors.InvalidModelError`.

Construction: first the list is simplified without changing its function
(i) a rule on a variable already tested by an earlier rule either repeats
that literal, and then never fires (the earlier rule fired first), or negates
it, and then always fires when reached: it becomes the default and the list
ends there; a rule with an empty term likewise ends the list; (ii) trailing
rules whose output equals the default are dropped. The result has l' <=
min(l, d) rules (i_j, s_j) -> o_j, j = 1..l', on distinct variables, and
default o_0. Its halfspace is

    score(x) = o_0 + sum_j o_j 2^(l'-j+1) 1[x_{i_j} = s_j]
             = o_0 + sum_j o_j 2^(l'-j) (1 + s_j x_{i_j}),

i.e. weight o_j s_j 2^(l'-j) on x_{i_j} and bias o_0 + sum_j o_j 2^(l'-j).
Proof: if rule j is the first that holds, the earlier terms are 0 and the later
ones plus o_0 sum to at most sum_{j' > j} 2^(l'-j'+1) + 1 = 2^(l'-j+1) - 1 in
absolute value, so sign(score) = o_j and |score| >= 1; if none holds,
score = o_0 = ±1. So the score is never 0 (no tie).

Floating point: every weight and the bias are integers, and the absolute
values of all terms of ``w . x + b`` sum to at most 2^(l'+1) - 1, so every
partial sum, in any order, is an integer below 2^53 when l' <= 52
(:data:`MAX_EXACT_RULES`): the score is computed exactly. Lists with more than
52 rules after simplification (possible only for d > 52) are refused with a
:class:`~pacdistill.errors.TooLargeError`: their score needs integers past
float64's exact range. (Exponential weights are unavoidable for some 1-decision
lists, so this is a limit of float64 halfspaces, not of the construction.)

Examples
--------
>>> dl = pd.DecisionList(3, [([(0, 1)], -1), ([(2, -1)], 1)], default=-1)
>>> h = decision_list_as_halfspace(dl)
>>> h
Halfspace(weights=[-2.0, 0.0, -1.0], bias=-2.0)
>>> bool((h.predict(pd.cube.enumerate(3)) == dl.predict(pd.cube.enumerate(3))).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.decision_list import DecisionList
from ..classes.halfspace import Halfspace
from ..errors import InvalidModelError, TooLargeError
from ._exact import check_dense, check_source, run_exact
from ._registry import Result, register

__all__ = ["MAX_EXACT_RULES", "simplify_1dl", "check_width_one", "decision_list_as_halfspace",
           "decision_list_to_halfspace"]

#: Most rules (after simplification) whose halfspace float64 computes exactly.
MAX_EXACT_RULES = 52


def simplify_1dl(dl: DecisionList, func: str = "simplify_1dl", why: str = ""
                 ) -> tuple[list[tuple[int, int, int]], int]:
    """An equivalent 1-decision list on distinct variables, as ``(rules, default)``
    with rules ``(i, s, output)``: unreachable rules removed, the list cut at the
    first rule that always fires, trailing rules equal to the default dropped. A
    wider list is refused (:func:`check_width_one`, naming ``func`` and ``why``).

    >>> dl = pd.DecisionList(2, [([(0, 1)], 1), ([(0, 1)], -1), ([(1, 1)], -1),
    ...                          ([(0, -1)], 1), ([(1, 1)], -1)], default=-1)
    >>> simplify_1dl(dl)
    ([(0, 1, 1), (1, 1, -1)], 1)
    """
    check_source(dl, DecisionList, func)
    check_width_one(dl, func, why)
    seen: dict[int, int] = {}
    rules: list[tuple[int, int, int]] = []
    default = dl.default
    for term, output in dl.rules:  # loop over rules (structure)
        if not term:  # an empty term always fires
            default = output
            break
        ((i, s),) = term
        if i in seen:
            if seen[i] == s:
                continue  # the earlier rule on the same literal fired first
            default = output  # reached only where x_i != seen[i], i.e. x_i == s
            break
        seen[i] = s
        rules.append((i, s, output))
    while rules and rules[-1][2] == default:
        rules.pop()
    return rules, default


def check_width_one(dl: DecisionList, func: str, why: str = "") -> None:
    """Refuse a DecisionList with a rule of two or more literals: the conversions
    of THEORY §8 are of 1-decision lists. ``why`` says what a wider list is not."""
    for j, (term, _) in enumerate(dl.rules):
        if len(term) > 1:
            raise InvalidModelError(
                f"{func} applies to 1-decision lists (each rule tests one literal; THEORY "
                f"§8), but rule {j} of this DecisionList tests {len(term)} literals "
                f"(width w = {dl.width}).{why} Convert it through another route, e.g. to "
                "a LookupTable for small d."
            )


def decision_list_as_halfspace(dl: DecisionList) -> Halfspace:
    """The halfspace with weights ±2^(l'-j) of the simplified 1-decision list.

    >>> decision_list_as_halfspace(pd.DecisionList(2, [], default=1))
    Halfspace(weights=[0.0, 0.0], bias=1.0)
    """
    rules, default = simplify_1dl(
        dl, "decision_list_as_halfspace",
        f" A {getattr(dl, 'width', 0)}-decision list is not a halfspace in general "
        "(2-decision lists compute XOR).")
    n = len(rules)
    if n > MAX_EXACT_RULES:
        raise TooLargeError(
            f"decision_list_as_halfspace needs weights up to 2^{n - 1} for this list of "
            f"{n} effective rules; past {MAX_EXACT_RULES} rules the halfspace's score is "
            "not exact in float64 (integers past 2^53). Keep the DecisionList, or convert "
            "a list of at most 52 rules."
        )
    check_dense(dl.d + 1, dl, "decision_list_as_halfspace", "a weight per variable and a bias")
    weights = np.zeros(dl.d)
    bias = float(default)
    for j, (i, s, output) in enumerate(rules, start=1):  # structure: one rule each
        power = float(2 ** (n - j))  # exact: a power of two
        weights[i] = output * s * power
        bias += output * power  # an integer below 2^53: exact
    return Halfspace(weights, bias)


@register(
    name="decision_list_to_halfspace",
    source="decision_list",
    target="halfspace",
    guarantee=Guarantee(
        "exact", "decision_list", "halfspace",
        source="derived here: THEORY §8 (weights 2^(l-j): the first rule that holds "
               "outweighs all later ones); decision lists: Rivest 1987, "
               "DOI 10.1007/BF00058680",
        time=S.d + S.l,
        size_map={S.d: S.d},
    ),
    access="representation",
    efficient=True,
    domain={"max_w": 1},  # defined on 1-decision lists (read by the conformance harness)
)
def decision_list_to_halfspace(model: DecisionList, /, *, sampler: Any = None,
                               eps: Any = None, delta: Any = None, rng: Any = None,
                               **options: Any) -> Result:
    """The halfspace with weights 2^(l-j) of a 1-decision list (THEORY §8)."""
    return run_exact("decision_list_to_halfspace", model, DecisionList,
                     decision_list_as_halfspace, options)
