"""Checkers: disagreement and equivalence checks, guarantee conformance and the
public hypothesis strategies for every model class."""

from . import strategies

__all__ = ["strategies"]
