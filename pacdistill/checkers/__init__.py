"""Checkers: disagreement and equivalence checks, guarantee conformance and the
public hypothesis strategies for every model class."""

from . import agreement, strategies
from .agreement import Equivalence, Estimate, clopper_pearson, disagreement, equivalent
from .queries import QueryCounter

__all__ = [
    "agreement",
    "strategies",
    "Estimate",
    "Equivalence",
    "clopper_pearson",
    "disagreement",
    "equivalent",
    "QueryCounter",
]
