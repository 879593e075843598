"""Broken variants of real reductions (issue 7 acceptance: mutation tests), each
registered in the private registry MUTANTS so the default web never sees them.

- ``junta_to_tree_rolled``: junta_to_tree with its leaves read one position off
  (``np.roll(table, 1)``): an off-by-one in an exact conversion.
- ``learn_parity_tenth``: the GF(2) parity learner given a tenth of the samples its
  guarantee declares (``n = N // 10``), reporting the samples it used.
- ``dnf_to_relu_small_map``: the correct dnf_to_relu (one hidden unit per term,
  THEORY §8) under a guarantee that declares m = s - 1 hidden units, one fewer
  than it builds.

The test module imports them; the replay commands import this file by its path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pacdistill.bounds import symbols as S
from pacdistill.reductions import REGISTRY, Result, register
from pacdistill.reductions.junta_to_tree import complete_tree
from pacdistill.reductions.learn_parity import learn_parity

MUTANTS: dict = {}
_TREE = REGISTRY["junta_to_tree"]
_PARITY = REGISTRY["learn_parity[parity]"]
_RELU = REGISTRY["dnf_to_relu"]


@register(name="junta_to_tree_rolled", source="junta", target="decision_tree",
          guarantee=_TREE.guarantee, registry=MUTANTS)
def junta_to_tree_rolled(model: Any, /, **kwargs: Any) -> Result:
    """junta_to_tree, leaves off by one position."""
    tree = complete_tree(model.d, model.variables, np.roll(model.table, 1))
    return Result(tree, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})


@register(name="learn_parity_tenth", source="parity", target="parity",
          guarantee=_PARITY.guarantee, access="examples", registry=MUTANTS)
def learn_parity_tenth(model: Any, /, *, sampler: Any = None, eps: Any, delta: Any,
                       rng: Any = None) -> Result:
    """learn_parity on a tenth of its declared sample size."""
    n = _PARITY.guarantee.at(fields=["samples"], d=model.d, eps=eps, delta=delta).samples
    return learn_parity(model, sampler=sampler, eps=eps, delta=delta, rng=rng,
                        n=max(1, n // 10))


@register(name="dnf_to_relu_small_map", source="dnf", target="relu_network",
          guarantee=_RELU.guarantee.evolve(size_map={S.d: S.d, S.L: 1, S.m: S.s - 1}),
          registry=MUTANTS)
def dnf_to_relu_small_map(model: Any, /, **kwargs: Any) -> Result:
    """The correct network, under a size map one hidden unit short."""
    return _RELU.run(model)
