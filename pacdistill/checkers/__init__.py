"""Checkers: disagreement and equivalence checks, guarantee conformance and the
public hypothesis strategies for every model class."""

from . import agreement, conformance, edge_checks, strategies
from .agreement import Equivalence, Estimate, clopper_pearson, disagreement, equivalent
from .conformance import (
    ConformanceReport,
    Counterexample,
    ReplayResult,
    assert_conforms,
    check_family,
    check_reduction,
    conformance_test,
    replay,
)
from .queries import QueryCounter

__all__ = [
    "agreement",
    "conformance",
    "edge_checks",
    "strategies",
    "Estimate",
    "Equivalence",
    "clopper_pearson",
    "disagreement",
    "equivalent",
    "QueryCounter",
    "ConformanceReport",
    "Counterexample",
    "ReplayResult",
    "assert_conforms",
    "check_family",
    "check_reduction",
    "conformance_test",
    "replay",
]
