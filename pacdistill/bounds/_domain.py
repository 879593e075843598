"""The domain of a bound check: one interval per symbol, plus the assumptions that
are not simple bounds on a single symbol (private; used by the checker).

A *simple* assumption compares one symbol with a real constant (``eps < 1``,
``d >= 1``, ``2 <= k``); those narrow the symbol's interval. Every other
assumption (``k <= d``, ``eps*d < 1``) is *residual*: the symbolic method may
ignore it (proving a claim on a larger domain is still a proof) and the numeric
search filters points by it. The symbols' own sympy assumptions (positive,
nonnegative, integer) give the starting intervals; an OPT_G symbol is an error
rate (THEORY §1) and starts as [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sympy
from sympy.core.relational import Relational

from ..errors import InvalidParameterError
from .symbols import is_opt_symbol

__all__ = ["Interval", "default_interval", "build_domain", "sign_relations"]


@dataclass(frozen=True)
class Interval:
    """A real interval with open or closed ends; ``lo``/``hi`` may be -oo/oo.

    ``integer`` intervals are normalised to closed integer ends.
    """

    lo: sympy.Expr
    hi: sympy.Expr
    lo_open: bool
    hi_open: bool
    integer: bool = False

    def __str__(self) -> str:
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        kind = " integers" if self.integer else ""
        return f"{left}{self.lo}, {self.hi}{right}{kind}"

    @property
    def is_point(self) -> bool:
        return bool(self.lo == self.hi)


def default_interval(sym: sympy.Symbol) -> Interval:
    """The interval a symbol's own sympy assumptions allow; [0, 1] for an OPT_G
    symbol, an error rate (THEORY §1: a probability of disagreement)."""
    if is_opt_symbol(sym):
        return Interval(sympy.Integer(0), sympy.Integer(1), False, False, False)
    integer = bool(sym.is_integer)
    if sym.is_zero:  # declared zero=True: the single point 0
        return Interval(sympy.Integer(0), sympy.Integer(0), False, False, integer)
    if sym.is_positive:
        if integer:
            return Interval(sympy.Integer(1), sympy.oo, False, True, True)
        return Interval(sympy.Integer(0), sympy.oo, True, True, False)
    if sym.is_nonnegative:
        return Interval(sympy.Integer(0), sympy.oo, False, True, integer)
    if sym.is_negative:
        if integer:
            return Interval(-sympy.oo, sympy.Integer(-1), True, False, True)
        return Interval(-sympy.oo, sympy.Integer(0), True, True, False)
    if sym.is_nonpositive:
        return Interval(-sympy.oo, sympy.Integer(0), True, False, integer)
    return Interval(-sympy.oo, sympy.oo, True, True, integer)


def sign_relations(sym: sympy.Symbol) -> list[Any]:
    """The symbol's sign assumptions as relations (for filtering sampled points),
    with OPT_G <= 1 for an OPT symbol (see :func:`default_interval`) and x != 0
    for a symbol declared nonzero without a sign."""
    if is_opt_symbol(sym):
        return [sympy.GreaterThan(sym, 0, evaluate=False), sympy.LessThan(sym, 1, evaluate=False)]
    if sym.is_zero:
        return [sympy.Eq(sym, 0, evaluate=False)]
    if sym.is_positive:
        return [sympy.StrictGreaterThan(sym, 0, evaluate=False)]
    if sym.is_nonnegative:
        return [sympy.GreaterThan(sym, 0, evaluate=False)]
    if sym.is_negative:
        return [sympy.StrictLessThan(sym, 0, evaluate=False)]
    if sym.is_nonpositive:
        return [sympy.LessThan(sym, 0, evaluate=False)]
    if sym.is_nonzero:  # a real symbol declared nonzero=True (the sampler draws 0 too)
        return [sympy.Ne(sym, 0, evaluate=False)]
    return []


def _is_constant(expr: sympy.Basic) -> bool:
    return not expr.free_symbols and bool(expr.is_extended_real) and bool(expr.is_finite)


def _narrow(iv: Interval, op: str, c: sympy.Expr) -> Interval:
    """Intersect ``iv`` with {x : x op c}."""
    if op in ("<", "<="):
        strict = op == "<"
        if c < iv.hi or (c == iv.hi and strict and not iv.hi_open):
            return replace(iv, hi=c, hi_open=strict)
        return iv
    if op in (">", ">="):
        strict = op == ">"
        if c > iv.lo or (c == iv.lo and strict and not iv.lo_open):
            return replace(iv, lo=c, lo_open=strict)
        return iv
    # equality: both ends
    return _narrow(_narrow(iv, "<=", c), ">=", c)


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}


def _simple(rel: Relational) -> tuple[sympy.Symbol, str, sympy.Expr] | None:
    """(symbol, op, constant) when ``rel`` bounds one symbol by a constant."""
    op = rel.rel_op
    if op not in _FLIP:
        return None
    lhs, rhs = rel.lhs, rel.rhs
    if isinstance(lhs, sympy.Symbol) and _is_constant(rhs):
        return lhs, op, rhs
    if isinstance(rhs, sympy.Symbol) and _is_constant(lhs):
        return rhs, _FLIP[op], lhs
    return None


def _normalise_integer(iv: Interval) -> Interval:
    if not iv.integer:
        return iv
    lo, hi = iv.lo, iv.hi
    if lo.is_finite:
        lo_i = sympy.ceiling(lo)
        if iv.lo_open and lo_i == lo:
            lo_i += 1
        lo = sympy.Integer(lo_i)
    if hi.is_finite:
        hi_i = sympy.floor(hi)
        if iv.hi_open and hi_i == hi:
            hi_i -= 1
        hi = sympy.Integer(hi_i)
    return Interval(lo, hi, not lo.is_finite, not hi.is_finite, True)


def build_domain(
    symbols: Iterable[sympy.Symbol], assumptions: Iterable[Any],
) -> tuple[dict[sympy.Symbol, Interval], list[Any]]:
    """Intervals for ``symbols`` and the residual assumptions.

    Raises InvalidParameterError when the simple assumptions leave a symbol no
    value (``eps > 1, eps < 1/2``).
    """
    intervals = {sym: default_interval(sym) for sym in symbols}
    residual: list[Any] = []
    for rel in assumptions:
        simple = _simple(rel)
        if simple is None:
            residual.append(rel)
            continue
        sym, op, c = simple
        iv = intervals.get(sym) or default_interval(sym)
        intervals[sym] = _narrow(iv, op, c)
    for sym, iv in list(intervals.items()):
        iv = _normalise_integer(iv)
        intervals[sym] = iv
        empty = bool(iv.lo > iv.hi) or (bool(iv.lo == iv.hi) and (iv.lo_open or iv.hi_open))
        if empty:
            why = " (OPT symbols are error rates, in [0, 1])" if is_opt_symbol(sym) else ""
            bounds = (f"{sym} {'>' if iv.lo_open else '>='} {iv.lo} and "
                      f"{sym} {'<' if iv.hi_open else '<='} {iv.hi}")
            kind = f", and {sym} is an integer" if iv.integer else ""
            raise InvalidParameterError(
                f"The 'assume' parameter of check leaves the symbol {sym} no value: its "
                f"bounds come to {bounds}{kind}{why}. Fix the assumptions."
            )
    return intervals, residual
