"""The two acceptance properties of an exact conversion (THEORY §2.1, issue 4), shared
by test_exact_common.py and the per-module tests.

1. Equality on the whole cube: the output equals the source at every point of
   {-1,+1}^d (checked exhaustively; the sources are kept at d <= 10).
2. Size: the output's ``size()`` is within the declared size map evaluated at
   the source's parameters (d equal; every other size of the map at most its
   value).

The symbols are positive integers (``pacdistill.bounds.symbols``), so a
guarantee is a formula for parameters >= 1; a source with a size 0 (the empty
DNF, a 0-junta) is a member of its class at size 1 as well (sizes are upper
bounds, ``ModelClass.contains``), so the map is evaluated at max(p, 1).
"""

from __future__ import annotations

from typing import Any

import sympy

from pacdistill.checkers import edge_checks
from pacdistill.checkers.edge_checks import source_params
from pacdistill.reductions import Reduction, Result

# The checks themselves live in the package (pacdistill.checkers.edge_checks), shared
# with the conformance harness (pd.checkers.check_reduction); these names keep the
# tests' vocabulary. Violations raise GuaranteeViolation, an AssertionError.
__all__ = ["source_params", "at_source", "declared_sizes", "assert_within_size_map",
           "assert_exact"]


def at_source(edge: Reduction, model: Any, expr: sympy.Expr) -> sympy.Expr:
    """``expr`` (a field of the edge's guarantee) at the source's parameters, exactly
    (integer substitution; no floating point)."""
    return edge_checks.at_values(expr, source_params(model), f"expression of {edge.name}")


def declared_sizes(edge: Reduction, model: Any) -> dict[str, sympy.Expr]:
    """The edge's size map evaluated at the source's parameters."""
    return edge_checks.declared_sizes(edge, model)


def assert_within_size_map(edge: Reduction, source: Any, output: Any) -> dict[str, int]:
    """Property 2; returns the output's size."""
    return edge_checks.check_size_map(edge, source_params(source), output)


def assert_exact(edge: Reduction, source: Any, **kwargs: Any) -> Result:
    """Run ``edge`` on ``source`` and check both properties and the report (an exact
    conversion's query count is exactly the declared one, not only at most)."""
    result = edge_checks.check_exact(edge, source, **kwargs)
    report = result.report
    queries = at_source(edge, source, edge.guarantee.queries)
    assert report["queries_used"] == queries, (edge.name, report, queries)
    assert report["seconds"] >= 0
    return result
