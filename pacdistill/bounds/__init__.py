"""Symbolic guarantees, their composition algebra, the bounds catalog, the bound
checker and the safe expression parser (THEORY §2-§4, §7)."""

from . import symbols
from .catalog import (
    LEARNING_TIME_ANCHORS,
    CatalogEntry,
    catalog,
    class_sizes,
    eps_achievable,
    samples_needed,
)
from .checker import Verdict, check
from .compose import ComposedGuarantee, compose, compose_all, default_split
from .guarantee import Guarantee, GuaranteeValues, Promise
from .parser import parse, parse_assumptions

# (after the submodule imports: `catalog` is the mapping, not the module)
__all__ = [
    "symbols",
    "Guarantee", "GuaranteeValues", "Promise",
    "ComposedGuarantee", "compose", "compose_all", "default_split",
    "CatalogEntry", "catalog", "samples_needed", "eps_achievable", "class_sizes",
    "LEARNING_TIME_ANCHORS",
    "parse", "parse_assumptions", "check", "Verdict",
]
