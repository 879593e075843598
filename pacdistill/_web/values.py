"""Guarantee fields at numbers, past the float and exact-integer ranges (private).

``Guarantee.at`` gives counts (samples, queries) as exact ints up to
10^MAX_COUNT_DIGITS and times as floats (``inf`` past 1.8e308). A web query at
d = 2000 meets times past the float range, and at d = 100000 counts past the
exact range (2^d queries of a lookup table). :func:`field_value` then returns
the field evaluated to 50 significant digits as a ``sympy.Float`` (its exponent
is unbounded), an *approximation* marked as such everywhere it is shown
(:func:`format_value` prefixes ``~``). :func:`rank_key` orders every value
exactly: ints and finite floats compare exactly among themselves, and every
approximation lies beyond them (past the exact range, or past the float range
for times), so it ranks after them, in the order of its 50-digit value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import sympy

from ..bounds.guarantee import Guarantee
from ..errors import TooLargeError

__all__ = ["FIELD_ORDER", "field_value", "evaluate_fields", "is_approximate", "rank_key",
           "format_value", "json_value", "too_large_note", "step_defaults", "with_defaults"]

#: the guarantee fields shown for a route, in display order
FIELD_ORDER = ("samples", "queries", "time", "error", "failure")

#: integers with more digits than this are shown in scientific notation
_PLAIN_DIGITS = 15


def _missing(expr: sympy.Expr, at: Mapping[str, Any] | None) -> set[str]:
    return {sym.name for sym in expr.free_symbols} - set(at or {})


def step_defaults(guarantee: Guarantee, at: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values for a composite's renamed step sizes (``k_2``: step 2's own k,
    :func:`pacdistill.bounds.symbols.step_option`) that ``at`` lacks, each
    taken equal to the size it was renamed from when ``at`` gives that (``k_2``
    from ``k``): the route read with the step's choice equal to the source's
    parameter. A caller shows them (a route's notes say so).

    >>> from pacdistill.bounds import symbols as S
    >>> g = Guarantee("exact", "junta", "junta", "x", time=S.step_option(S.k, 2) * S.d)
    >>> step_defaults(g, {"d": 10, "k": 3}), step_defaults(g, {"d": 10, "k": 3, "k_2": 1})
    ({'k_2': 3}, {})
    """
    from ..bounds.symbols import option_origin

    if not at:
        return {}
    out = {}
    for sym in sorted(guarantee.free_symbols, key=lambda s: s.name):
        origin = option_origin(sym)
        if origin is not None and sym.name not in at and origin[0].name in at:
            out[sym.name] = at[origin[0].name]
    return out


def with_defaults(guarantee: Guarantee, at: Mapping[str, Any] | None
                  ) -> dict[str, Any] | None:
    """``at`` with :func:`step_defaults` added (None stays None)."""
    if at is None:
        return None
    return {**step_defaults(guarantee, at), **at}


def field_value(guarantee: Guarantee, name: str, at: Mapping[str, Any] | None) -> Any:
    """``guarantee.<name>`` at ``at``: an int (counts) or float, a 50-digit
    ``sympy.Float`` approximation when the value is past the exact-integer
    range (counts) or the float range (times), or None when ``at`` misses one
    of its symbols. A renamed step size ``at`` lacks takes the value of the
    size it was renamed from (:func:`step_defaults`). Values that are not
    finite reals raise InvalidParameterError (from Guarantee.at)."""
    expr = getattr(guarantee, name)
    at = with_defaults(guarantee, at)
    if _missing(expr, at):
        return None
    values = dict(at or {})
    try:
        value = getattr(guarantee.at(fields=[name], **values), name)
    except TooLargeError:
        value = None
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return _approximate(expr, values, name)
    return value


def _approximate(expr: sympy.Expr, values: Mapping[str, Any], name: str) -> sympy.Float:
    # the evaluation Guarantee.at uses, without its conversion to int / float
    from ..bounds.guarantee import _evaluate, _numeric_values

    numeric = _numeric_values({k: v for k, v in values.items()
                               if k in {s.name for s in expr.free_symbols}}, "Guarantee.at")
    return sympy.Float(_evaluate(expr, numeric, name), 50)


def evaluate_fields(guarantee: Guarantee, at: Mapping[str, Any] | None,
                    fields: Iterable[str] = FIELD_ORDER) -> dict[str, Any]:
    """Each field at ``at`` (:func:`field_value`): a number, an approximation,
    or None when ``at`` misses one of its symbols (or is None)."""
    return {name: field_value(guarantee, name, at) for name in fields}


def is_approximate(value: Any) -> bool:
    """Whether ``value`` is a 50-digit approximation (a value past the exact range)."""
    return isinstance(value, sympy.Float)


def rank_key(value: Any) -> tuple:
    """Sort key: exact values by value, then approximations by value, then None."""
    if value is None:
        return (2, 0)
    if is_approximate(value):
        return (1, value)
    return (0, value)


def _scientific(value: Any) -> str:
    from ..bounds.guarantee import scientific

    return scientific(value, 4)


def format_value(value: Any) -> str:
    """A value for tables: ``-`` for None, floats to 4 significant digits,
    integers exactly up to 15 digits and in scientific notation beyond, an
    approximation as ``~`` and scientific notation.

    >>> format_value(2**1100), format_value(1744), format_value(0.25)
    ('1.358e+331', '1744', '0.25')
    """
    if value is None:
        return "-"
    if is_approximate(value):
        return "~" + _scientific(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool) and \
            abs(value) >= 10**_PLAIN_DIGITS:
        return _scientific(value)
    return str(value)


def json_value(value: Any) -> Any:
    """A JSON-safe value: numbers as they are (exact ints of any size), an
    approximation as the string ``"~1.000e+30103"``."""
    if is_approximate(value):
        return format_value(value)
    return value


def too_large_note(name: str, expr: sympy.Expr, value: Any) -> str:
    """The note of a route whose ``name`` is an approximation."""
    return (f"cost too large to evaluate exactly: {name} = {sympy.sstr(expr)} is about "
            f"{_scientific(value)} at these values (past the exact range); ranked after "
            "the routes with exact values")
