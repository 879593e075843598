"""Model classes: the nodes of the reduction web, one module per class.

``CLASSES`` maps each class name to its :class:`ModelClass`.
"""

from ._base import MODEL_TYPES, Model, ModelClass, model_from_dict, model_from_json

CLASSES: dict[str, ModelClass] = {}

__all__ = ["CLASSES", "MODEL_TYPES", "Model", "ModelClass", "model_from_dict", "model_from_json"]
