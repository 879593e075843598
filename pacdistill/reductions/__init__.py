"""Edges of the reduction web: one module per reduction (or per family), each
opening with its guarantee and source (THEORY §8).

Importing this package imports every reduction module; their ``@register``
decorators fill :data:`REGISTRY`, from which the web is built.
"""

from ._registry import (
    REGISTRY,
    Reduction,
    ReductionFamily,
    Result,
    get,
    register,
    register_barrier,
    register_family,
)

__all__ = [
    "REGISTRY", "Reduction", "ReductionFamily", "Result", "get", "register",
    "register_barrier", "register_family",
]
