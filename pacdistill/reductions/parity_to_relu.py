"""Exact conversion Parity[d, k] -> ReLUNetwork[d, (k,)] (one hidden layer).

Guarantee (kind ``exact``; derived here: THEORY §8): the network equals the
parity on every point of {-1,+1}^d, and its real output is exactly the parity
(±1). Size map: d -> d, L -> 1, m -> k (k units; THEORY §8 states k + 1, one
more than needed, see below). Time: O(k d) (a dense k x d first layer). No
samples, no queries.

Construction (a sawtooth in the count): let c(x) = #{i in S: x_i = -1}
= (k - sum_{i in S} x_i) / 2, an affine function of x taking the values
0..k on the cube, and the parity is (-1)^c. Then

    g(c) = 1 - 2 ReLU(c) + 4 sum_{j=1}^{k-1} (-1)^(j+1) ReLU(c - j)

equals (-1)^c at c = 0, 1, ..., k. Proof (two lines): g is linear on each
[j, j + 1], with g(0) = 1 and slope -2 + 4 sum_{i=1}^{j} (-1)^(i+1) = 2 (-1)^(j+1)
there, so g(j + 1) - g(j) = 2 (-1)^(j+1) = (-1)^(j+1) - (-1)^j, and by induction
g(j) = (-1)^j for j = 0..k.

The network uses units u_j = ReLU(2c - 2j) = ReLU(k - 2j - sum_{i in S} x_i)
= 2 ReLU(c - j) for j = 0..k-1 (weights -1 on S, bias k - 2j) and the output
1 - u_0 + 2 sum_{j >= 1} (-1)^(j+1) u_j: integer weights, so the output is
exactly ±1 in floating point. A unit ReLU(c - k) would be 0 on the whole cube,
which is why k units suffice where THEORY counts k + 1. The empty parity (k = 0,
the constant +1) gets one unit with zero weights and bias (u_0 = 0), which is
k = 1 in the size map: the symbols are positive integers (THEORY §3,
``bounds.symbols``) and size parameters are upper bounds.

Examples
--------
>>> net = parity_as_network(pd.Parity(4, [0, 1, 3]))
>>> net.size()
{'d': 4, 'L': 1, 'm': 3}
>>> X = pd.cube.enumerate(4)
>>> bool((net.output(X) == pd.Parity(4, [0, 1, 3]).predict(X)).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.parity import Parity
from ..classes.relu_network import ReLUNetwork
from ._exact import check_dense, check_source, run_exact
from ._registry import Result, register

__all__ = ["parity_as_network", "parity_to_relu"]


def parity_as_network(parity: Parity) -> ReLUNetwork:
    """The sawtooth network: max(k, 1) ReLU units of the count of -1s, output (-1)^c.

    >>> parity_as_network(pd.Parity(3)).output([[1, -1, 1]]).tolist()   # constant +1
    [1.0]
    """
    check_source(parity, Parity, "parity_as_network")
    k = len(parity.variables)
    m = max(k, 1)
    check_dense(m * parity.d + 2 * m + 1, parity, "parity_as_network",
                f"a first layer of {m} x d weights")
    j = np.arange(m)
    W0 = np.zeros((m, parity.d))
    W0[:, list(parity.variables)] = -1.0
    b0 = (k - 2 * j).astype(np.float64)
    # coefficients of u_j = 2 ReLU(c - j): -1 for j = 0, 2 (-1)^(j+1) after
    coef = np.where(j == 0, -1.0, 2.0 * (-1.0) ** (j + 1))
    return ReLUNetwork.from_arrays([W0, coef[None, :]], [b0, np.ones(1)])


@register(
    name="parity_to_relu",
    source="parity",
    target="relu_network",
    guarantee=Guarantee(
        "exact", "parity", "relu_network",
        source="derived here: THEORY §8 ((-1)^c as a sawtooth of ReLU(c - j), c the "
               "number of -1s among the k variables; k units suffice)",
        time=S.k * S.d,
        size_map={S.d: S.d, S.L: 1, S.m: S.k},
    ),
    access="representation",
    efficient=True,
)
def parity_to_relu(model: Parity, /, *, sampler: Any = None, eps: Any = None,
                   delta: Any = None, rng: Any = None, **options: Any) -> Result:
    """The one-hidden-layer sawtooth network computing the parity (THEORY §8)."""
    return run_exact("parity_to_relu", model, Parity, parity_as_network, options)
