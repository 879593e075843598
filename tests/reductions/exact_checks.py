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

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.reductions import Reduction, Result


def source_params(model: Any) -> dict[str, int]:
    """The model's size parameters, each at least 1 (see the module docstring)."""
    return {name: max(int(value), 1) for name, value in model.size().items()}


def at_source(edge: Reduction, model: Any, expr: sympy.Expr) -> sympy.Expr:
    """``expr`` (a field of the edge's guarantee) at the source's parameters, exactly
    (integer substitution; no floating point)."""
    values = {S.SYMBOLS[name]: sympy.Integer(value)
              for name, value in source_params(model).items()}
    number = expr.xreplace(values)
    assert number.is_number, f"{edge.name}: {expr} is not a number at {values}"
    return number


def declared_sizes(edge: Reduction, model: Any) -> dict[str, sympy.Expr]:
    """The edge's size map evaluated at the source's parameters."""
    return {key.name: at_source(edge, model, expr)
            for key, expr in edge.guarantee.size_map.items()}


def assert_within_size_map(edge: Reduction, source: Any, output: Any) -> dict[str, int]:
    """Property 2; returns the output's size."""
    bound = declared_sizes(edge, source)
    size = output.size()
    assert set(bound) <= set(size), (edge.name, bound, size)
    assert size["d"] == bound["d"] == source.size()["d"], (edge.name, bound, size)
    over = {key: (size[key], value) for key, value in bound.items()
            if not bool(size[key] <= value)}
    assert not over, f"{edge.name}: sizes past the declared map {over} for {source!r}"
    return size


def assert_exact(edge: Reduction, source: Any, **kwargs: Any) -> Result:
    """Run ``edge`` on ``source`` and check both properties and the report."""
    result = edge.run(source, **kwargs)
    output = result.model
    assert isinstance(output, pd.CLASSES[edge.target].model_type), (edge.name, type(output))
    same = pd.checkers.equivalent(source, output)
    assert same.exhaustive and same.equal, f"{edge.name} on {source!r}: {same}"
    assert_within_size_map(edge, source, output)
    report = result.report
    assert report["samples_used"] == 0
    queries = at_source(edge, source, edge.guarantee.queries)
    assert report["queries_used"] == queries, (edge.name, report, queries)
    assert report["seconds"] >= 0
    return result
