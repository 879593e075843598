"""Exact conversion Conjunction[d, k] -> Halfspace[d].

Guarantee (kind ``exact``; derived here: THEORY §8): for the literals (i, s_i)
of the conjunction, the halfspace sign(sum_i s_i x_i - (k - 1)) equals the
conjunction on every point of {-1,+1}^d. Size map: d -> d. Time: O(d + k) (a
dense weight vector). No samples, no queries.

Proof in one line: each term s_i x_i is +1 when its literal holds and -1 when it
fails, so the sum is k when every literal holds and at most k - 2 otherwise;
the score is therefore 1 or at most -1, never 0 (no tie). The empty
conjunction (k = 0) gives the bias +1, the constant +1. Weights and bias are
small integers, so every score on the cube is exact in floating point.

Examples
--------
>>> h = conjunction_as_halfspace(pd.Conjunction(3, [(0, 1), (2, -1)]))
>>> h
Halfspace(weights=[1.0, 0.0, -1.0], bias=-1.0)
>>> sorted(set(h.output(pd.cube.enumerate(3)).tolist()))
[-3.0, -1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.conjunction import Conjunction
from ..classes.halfspace import Halfspace
from ._exact import check_dense, check_source, run_exact
from ._registry import Result, register

__all__ = ["conjunction_as_halfspace", "conjunction_to_halfspace"]


def conjunction_as_halfspace(conjunction: Conjunction) -> Halfspace:
    """The halfspace sign(sum_i s_i x_i - (k - 1)) of the literals (i, s_i).

    >>> conjunction_as_halfspace(pd.Conjunction(2))          # the empty AND: +1
    Halfspace(weights=[0.0, 0.0], bias=1.0)
    """
    check_source(conjunction, Conjunction, "conjunction_as_halfspace")
    check_dense(conjunction.d + 1, conjunction, "conjunction_as_halfspace",
                "a weight per variable and a bias")
    weights = np.zeros(conjunction.d)
    for i, s in conjunction.literals:  # loop over literals (structure)
        weights[i] = s
    return Halfspace(weights, float(1 - len(conjunction.literals)))


@register(
    name="conjunction_to_halfspace",
    source="conjunction",
    target="halfspace",
    guarantee=Guarantee(
        "exact", "conjunction", "halfspace",
        source="derived here: THEORY §8 (the sum of the k signed literals is k exactly "
               "when all hold, else at most k - 2)",
        time=S.d + S.k,
        size_map={S.d: S.d},
    ),
    access="representation",
    efficient=True,
)
def conjunction_to_halfspace(model: Conjunction, /, *, sampler: Any = None, eps: Any = None,
                             delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The halfspace sign(sum_i s_i x_i - (k - 1)) of the conjunction (THEORY §8)."""
    return run_exact("conjunction_to_halfspace", model, Conjunction, conjunction_as_halfspace,
                     options)
