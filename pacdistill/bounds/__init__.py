"""Symbolic guarantees, their composition algebra, the bounds catalog, the bound
checker and the safe expression parser (THEORY §2-§4, §7)."""

from . import symbols

__all__ = ["symbols"]
