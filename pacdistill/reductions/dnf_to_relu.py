"""Exact conversion DNF[d, s, w] -> ReLUNetwork[d, (s,)] (one hidden layer, s units).

Guarantee (kind ``exact``; derived here: THEORY §8): the network equals the DNF
on every point of {-1,+1}^d. Size map: d -> d, L -> 1, m -> s. Time: O(s d)
(a dense s x d first layer). No samples, no queries.

Construction and proof: hidden unit j computes
h_j(x) = ReLU(sum_{(i, s_i) in T_j} s_i x_i - (|T_j| - 1)) for the term T_j. The
sum is |T_j| when every literal of T_j holds and at most |T_j| - 2 otherwise,
so h_j = 1[T_j holds] exactly (an empty term: weights 0, bias 1, h_j = 1). The
output sum_j h_j - 1/2 is (the number of satisfied terms) - 1/2: positive
exactly when some term holds, and never 0. Every weight is an integer and the
output a half-integer, so it is computed exactly in floating point.

The DNF with no terms (s = 0, the constant -1) gets one unit with zero weights
and bias (h = 0), so the output is -1/2. That is s = 1 in the size map: the
symbols are positive integers (THEORY §3, ``bounds.symbols``), and a class's
size parameters are upper bounds, so the empty DNF is a member of
DNF[d, s = 1, w].

Examples
--------
>>> f = pd.DNF(3, [[(0, 1), (1, -1)], [(2, 1)]])
>>> net = dnf_as_network(f)
>>> net.size()
{'d': 3, 'L': 1, 'm': 2}
>>> X = pd.cube.enumerate(3)
>>> net.output(X).tolist()
[0.5, 0.5, 1.5, 0.5, -0.5, -0.5, 0.5, -0.5]
>>> bool((net.predict(X) == f.predict(X)).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes.dnf import DNF
from ..classes.relu_network import ReLUNetwork
from ._exact import check_dense, check_source, run_exact
from ._registry import Result, register

__all__ = ["dnf_as_network", "dnf_to_relu"]


def dnf_as_network(dnf: DNF) -> ReLUNetwork:
    """The one-hidden-layer network with unit j = 1[term j holds] and output
    sum_j h_j - 1/2.

    >>> dnf_as_network(pd.DNF(2, [])).output([[1, 1]]).tolist()     # constant -1
    [-0.5]
    >>> dnf_as_network(pd.DNF(2, [[]])).output([[1, 1]]).tolist()   # an empty term: +1
    [0.5]
    """
    check_source(dnf, DNF, "dnf_as_network")
    terms = dnf.terms
    m = max(len(terms), 1)
    check_dense(m * dnf.d + 2 * m + 1, dnf, "dnf_as_network",
                f"a first layer of {m} x d weights")
    W0 = np.zeros((m, dnf.d))
    b0 = np.zeros(m)
    for j, term in enumerate(terms):  # loop over terms (structure)
        if term:
            lits = np.asarray(term, dtype=np.int64)
            W0[j, lits[:, 0]] = lits[:, 1]
        b0[j] = 1 - len(term)
    W1 = np.ones((1, m)) if terms else np.zeros((1, m))
    return ReLUNetwork.from_arrays([W0, W1], [b0, np.array([-0.5])])


@register(
    name="dnf_to_relu",
    source="dnf",
    target="relu_network",
    guarantee=Guarantee(
        "exact", "dnf", "relu_network",
        source="derived here: THEORY §8 (unit j = ReLU(sum of T_j's signed literals "
               "- (|T_j| - 1)) = 1[T_j holds]; output sum_j h_j - 1/2)",
        time=S.s * S.d,
        size_map={S.d: S.d, S.L: 1, S.m: S.s},
    ),
    access="representation",
    efficient=True,
)
def dnf_to_relu(model: DNF, /, *, sampler: Any = None, eps: Any = None, delta: Any = None,
                rng: Any = None, **options: Any) -> Result:
    """The one-hidden-layer network with one unit per term of the DNF (THEORY §8)."""
    return run_exact("dnf_to_relu", model, DNF, dnf_as_network, options)
