"""Model classes: the nodes of the reduction web, one module per class.

``CLASSES`` maps each class name to its :class:`ModelClass`.
"""

from typing import Any

from ._base import (
    MAX_MODEL_CELLS,
    MODEL_TYPES,
    Model,
    ModelClass,
    model_from_dict,
    model_from_json,
)
from .cnf import CNF, CNF_CLASS
from .conjunction import CONJUNCTION, Conjunction
from .decision_list import DECISION_LIST, DecisionList
from .decision_tree import DECISION_TREE, DecisionTree
from .dnf import DNF, DNF_CLASS
from .halfspace import HALFSPACE, Halfspace
from .junta import JUNTA, Junta
from .lookup_table import LOOKUP_TABLE, LookupTable
from .parity import PARITY, Parity
from .relu_network import RELU_NETWORK, ReLUNetwork

#: The order of ``CLASSES`` (THEORY §8), whatever the order of the imports above.
_ORDER = ("conjunction", "parity", "junta", "decision_tree", "decision_list", "dnf", "cnf",
          "halfspace", "relu_network", "lookup_table")
_ALL = (CONJUNCTION, DNF_CLASS, CNF_CLASS, HALFSPACE, RELU_NETWORK, PARITY, JUNTA, DECISION_TREE,
        DECISION_LIST, LOOKUP_TABLE)

class _ClassTable(dict):  # type: ignore[type-arg]
    """A dict whose unknown keys raise UnknownNameError with the close matches
    (``pd.CLASSES["desicion_tree"]``), as every other lookup by class name does,
    instead of a bare KeyError. UnknownNameError is a LookupError."""

    def __getitem__(self, name: Any) -> ModelClass:
        try:
            return dict.__getitem__(self, name)
        except (KeyError, TypeError):  # TypeError: an unhashable key
            from .._validation import unknown_name

            raise unknown_name("class (a key of pd.CLASSES)", name, list(self)) from None


CLASSES: dict[str, ModelClass] = _ClassTable(
    (c.name, c) for c in sorted(_ALL, key=lambda c: _ORDER.index(c.name))
)

__all__ = ["CLASSES", "MODEL_TYPES", "MAX_MODEL_CELLS", "Model", "ModelClass", "model_from_dict",
           "model_from_json",
           "Conjunction", "DNF", "CNF", "Halfspace", "ReLUNetwork", "Parity", "Junta",
           "DecisionTree", "DecisionList", "LookupTable"]
