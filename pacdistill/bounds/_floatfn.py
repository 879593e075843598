"""Fast float evaluation of a sympy expression in a few variables (private).

Used where one expression is evaluated many times at floats (the budget-split
optimizer, the catalog's bisection). The expression becomes a tree of closures
over a whitelist of operations -- no code is generated or executed -- and every
sub-expression free of the variables is evaluated once, with sympy.

>>> from pacdistill.bounds import symbols as S
>>> f = float_function(sympy.log(2 / S.delta) / S.eps, [S.eps, S.delta])
>>> round(f({S.eps: 0.5, S.delta: 2.0}), 12)
0.0
>>> float_function(S.d / S.eps, [S.eps])
Traceback (most recent call last):
...
pacdistill.errors.InvalidParameterError: Cannot evaluate d/eps numerically: no value for d.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import sympy

from ..errors import InvalidParameterError

__all__ = ["float_function"]

_OPS: dict[type, Callable[..., float]] = {
    sympy.Add: lambda *a: math.fsum(a),
    sympy.Mul: lambda *a: math.prod(a),
    sympy.Pow: lambda b, e: b ** e,
    sympy.log: math.log,
    sympy.exp: math.exp,
    sympy.ceiling: math.ceil,
    sympy.floor: math.floor,
    sympy.Max: max,
    sympy.Min: min,
}


def float_function(
    expr: sympy.Expr, variables: Sequence[sympy.Symbol],
) -> Callable[[Mapping[sympy.Symbol, float]], float]:
    """``f(env) = expr`` at floats ``env[var]`` for ``var`` in ``variables``.

    Every other symbol of ``expr`` must already be substituted. Domain errors
    (log of a negative, overflow) surface as Python's ValueError/ArithmeticError.
    """
    wanted = set(variables)
    other = sorted(str(sym) for sym in expr.free_symbols - wanted)
    if other:
        raise InvalidParameterError(
            f"Cannot evaluate {sympy.sstr(expr)} numerically: no value for {', '.join(other)}."
        )

    def build(node: sympy.Expr) -> Callable[[Mapping[sympy.Symbol, float]], float]:
        if not (node.free_symbols & wanted):
            try:
                value = float(node.evalf(30))
            except (TypeError, ValueError) as err:
                raise InvalidParameterError(
                    f"{sympy.sstr(node)} is not a real number."
                ) from err
            return lambda env: value
        if node in wanted:
            return lambda env: env[node]
        op = _OPS.get(node.func)
        if op is None:
            raise InvalidParameterError(
                f"Cannot evaluate {type(node).__name__} of {', '.join(map(str, variables))} "
                "numerically (allowed: + * ** log exp ceiling floor Max Min)."
            )
        parts = [build(arg) for arg in node.args]
        return lambda env: op(*(part(env) for part in parts))

    return build(expr)
