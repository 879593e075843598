"""Model classes: the nodes of the reduction web, one module per class.

``CLASSES`` maps each class name to its :class:`ModelClass`.
"""

from ._base import MODEL_TYPES, Model, ModelClass, model_from_dict, model_from_json
from .conjunction import CONJUNCTION, Conjunction

#: The order of ``CLASSES`` (THEORY §8), whatever the order of the imports above.
_ORDER = ("conjunction", "parity", "junta", "decision_tree", "decision_list", "dnf", "cnf",
          "halfspace", "relu_network", "lookup_table")
_ALL = (CONJUNCTION,)

CLASSES: dict[str, ModelClass] = {
    c.name: c for c in sorted(_ALL, key=lambda c: _ORDER.index(c.name))
}

__all__ = ["CLASSES", "MODEL_TYPES", "Model", "ModelClass", "model_from_dict", "model_from_json",
           "Conjunction"]
