"""Edges of the reduction web: one module per reduction (or per family), each
opening with its guarantee and source (THEORY §8).

Importing this package imports every reduction module; their ``@register``
decorators fill :data:`REGISTRY`, from which the web is built.
"""

# Every reduction module, alphabetised: importing one registers its edges.
from . import (  # noqa: F401
    barriers,
    conjunction_to_cnf,
    conjunction_to_decision_list,
    conjunction_to_dnf,
    conjunction_to_halfspace,
    decision_list_to_halfspace,
    decision_list_to_tree,
    dnf_to_relu,
    erm_junta,
    halfspace_to_relu,
    junta_to_tree,
    learn_conjunction,
    learn_decision_list,
    learn_halfspace,
    learn_junta,
    learn_parity,
    lrh_tree,
    parity_to_relu,
    parity_to_tree,
    query_junta,
    to_lookup_table,
    tree_to_cnf,
    tree_to_dnf,
    tree_to_junta,
    tree_to_relu,
)
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
