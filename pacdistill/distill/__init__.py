"""Distilling real models: LRH tree distillation and its parts (THEORY §5, §7).

- :func:`distill_tree` / :class:`TreeDistillation` (:mod:`.lrh`): the algorithm;
- :mod:`.probing`: closed-form ridge probes batched per depth;
- :mod:`.tree_dp`: the dynamic program giving the best tree of every size;
- :mod:`.frontier`: the size/fidelity frontier with THEORY §7 bands;
- :mod:`.adapters`: the protocol a model must follow (``predict`` and
  ``activations``) and :func:`from_callables`;
- :mod:`.planted`: planted-LRH models (the property-test sources);
- :mod:`.baselines`: learning from scratch on the same samples (CART, and the
  same DP over every AND when that set is small).
"""

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers; at run time each name loads on first use
    from .adapters import CallableModel, Representation, from_callables
    from .frontier import Frontier, FrontierPoint
    from .lrh import TreeDistillation, distill_tree
    from .planted import (
        PlantedRepresentation,
        RandomFeatures,
        planted_network,
        random_features,
    )

# Lazy (PEP 562, pacdistill._lazy), like the package above it.
__getattr__, __dir__ = attach(__name__, {
    **dict.fromkeys(["distill_tree", "TreeDistillation"], "lrh"),
    **dict.fromkeys(["Frontier", "FrontierPoint"], "frontier"),
    **dict.fromkeys(["Representation", "CallableModel", "from_callables"], "adapters"),
    **dict.fromkeys(["planted_network", "PlantedRepresentation", "random_features",
                     "RandomFeatures"], "planted"),
}, ("adapters", "baselines", "frontier", "lrh", "planted", "probing", "tree_dp"))

__all__ = [
    "distill_tree",
    "TreeDistillation",
    "Frontier",
    "FrontierPoint",
    "Representation",
    "CallableModel",
    "from_callables",
    "planted_network",
    "PlantedRepresentation",
    "random_features",
    "RandomFeatures",
]
