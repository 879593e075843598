"""Symbolic guarantees, their composition algebra, the bounds catalog, the bound
checker and the safe expression parser (THEORY §2-§4, §7)."""

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers; at run time each name loads on first use
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

# Lazy (PEP 562, pacdistill._lazy): the model classes need only ``symbols``; the
# catalog and the checker load when used. ``catalog`` and ``compose`` stay the
# mapping and the function even after their submodules are imported.
__getattr__, __dir__ = attach(__name__, {
    **dict.fromkeys(["Guarantee", "GuaranteeValues", "Promise"], "guarantee"),
    **dict.fromkeys(["ComposedGuarantee", "compose", "compose_all", "default_split"],
                    "compose"),
    **dict.fromkeys(["CatalogEntry", "catalog", "samples_needed", "eps_achievable",
                     "class_sizes", "LEARNING_TIME_ANCHORS"], "catalog"),
    **dict.fromkeys(["parse", "parse_assumptions"], "parser"),
    **dict.fromkeys(["check", "Verdict"], "checker"),
}, ("symbols", "guarantee", "checker", "parser", "_asymptotic", "_deadline", "_domain", "_floatfn",
    "_numeric", "_search", "_serialize", "_symbolic"))

__all__ = [
    "symbols",
    "Guarantee", "GuaranteeValues", "Promise",
    "ComposedGuarantee", "compose", "compose_all", "default_split",
    "CatalogEntry", "catalog", "samples_needed", "eps_achievable", "class_sizes",
    "LEARNING_TIME_ANCHORS",
    "parse", "parse_assumptions", "check", "Verdict",
]
