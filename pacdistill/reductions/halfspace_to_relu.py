"""Exact conversion Halfspace[d] -> ReLUNetwork[d, L = 1, m = 1] (one hidden unit).

Guarantee (kind ``exact``; derived here: THEORY §8): the network equals the
halfspace on every point of {-1,+1}^d (and of R^d). Size map: d -> d, L -> 1,
m -> 1. Time: O(d) (copying the d weights). No samples, no queries.

Construction and proof: the hidden unit computes h(x) = ReLU(w . x + b) with
the halfspace's own weights and bias, and the output is 1 * h(x) + 0. Both
classes predict +1 exactly where their real output is > 0 and -1 elsewhere,
a tie at 0 included (:mod:`pacdistill.classes.halfspace`,
:mod:`pacdistill.classes.relu_network`); h(x) > 0 exactly where
w . x + b > 0, so the predictions agree everywhere, ties (score 0, output
ReLU(0) = 0, both -1) included.

Floating point: the output is ReLU of the *same* float64 score, not only of
the same real number: the hidden layer computes ``X @ w + b`` with ``w`` held
as a contiguous (d, 1) column, which numpy's matmul evaluates with the same
BLAS matrix-vector product as the halfspace's ``X @ w + b`` (checked bit for
bit in tests/reductions/test_halfspace_to_relu.py on weights spanning 16
orders of magnitude; numpy does not document it, so it is not claimed as a
proof); ReLU, the product by 1.0 and the sum with 0.0 are exact. Independent
of numpy: when the weights and bias are integers (more generally multiples of
one power of two) with |b| + sum_i |w_i| below 2^53 in those units, every
partial sum of the score on the cube is exact in any order, so both models
compute the exact score and the equality is proved.

Examples
--------
>>> h = pd.Halfspace([1.0, 1.0], 0.0)                    # ties where x0 = -x1
>>> net = halfspace_as_network(h)
>>> net.size()
{'d': 2, 'L': 1, 'm': 1}
>>> X = pd.cube.enumerate(2)
>>> h.predict(X).tolist(), net.predict(X).tolist(), net.output(X).tolist()
([1, -1, -1, -1], [1, -1, -1, -1], [2.0, 0.0, 0.0, 0.0])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.halfspace import Halfspace
from ..classes.relu_network import ReLUNetwork
from ._exact import check_dense, check_source, run_exact
from ._registry import Result, register

__all__ = ["halfspace_as_network", "halfspace_to_relu"]


def halfspace_as_network(halfspace: Halfspace) -> ReLUNetwork:
    """The network ``x -> ReLU(w . x + b)`` (one hidden unit, output weight 1, bias 0).

    >>> halfspace_as_network(pd.Halfspace([2.0, -1.0], 0.5)).output([[1, 1]]).tolist()
    [1.5]
    """
    check_source(halfspace, Halfspace, "halfspace_as_network")
    check_dense(halfspace.d + 3, halfspace, "halfspace_as_network",
                "a first layer of 1 x d weights")
    return ReLUNetwork.from_arrays(
        [halfspace.weights[None, :], np.ones((1, 1))],
        [np.array([halfspace.bias]), np.zeros(1)])


@register(
    name="halfspace_to_relu",
    source="halfspace",
    target="relu_network",
    guarantee=Guarantee(
        "exact", "halfspace", "relu_network",
        source="derived here: THEORY §8 (one unit ReLU(w . x + b): positive exactly "
               "where the halfspace is +1, 0 at its ties, which both classes map to -1)",
        time=S.d,
        size_map={S.d: S.d, S.L: 1, S.m: 1},
    ),
    access="representation",
    efficient=True,
)
def halfspace_to_relu(model: Halfspace, /, *, sampler: Any = None, eps: Any = None,
                      delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The one-unit network ReLU(w . x + b) computing the halfspace (THEORY §8)."""
    return run_exact("halfspace_to_relu", model, Halfspace, halfspace_as_network, options)
