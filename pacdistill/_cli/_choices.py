"""The allowed values of command-line options whose lists live in modules that
import sympy or networkx (the web, the guarantees, the registry): copied here so
that building the parser, and so ``--help``, imports none of them.
``tests/test_lazy_imports.py`` checks every copy against its source."""

from __future__ import annotations

__all__ = ["ACCESS", "FORMATS", "KINDS", "PROMISES", "RANKS", "SETTINGS"]

#: pacdistill.bounds.guarantee.KINDS
KINDS = ("exact", "perfect", "agnostic", "barrier")
#: pacdistill.reductions._registry.ACCESS
ACCESS = ("examples", "queries", "representation")
#: pacdistill.web.PROMISES
PROMISES = ("everywhere", "distributional", "none")
#: pacdistill.web.RANKS
RANKS = ("samples", "time", "queries")
#: pacdistill.web.SETTINGS
SETTINGS = ("distillation", "learning")
#: pacdistill.web.FORMATS
FORMATS = ("json", "graphml", "dot")
