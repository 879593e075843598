"""Size measures of the model classes and the polynomial-size test (private).

"Efficient" in the web means polynomial in the *size* of the representations
involved (``Reduction.efficient``; THEORY §6 counts a junta's truth table, so
poly(d, 2^k) is efficient for juntas and d^k is not). An edge's flag says that
its time is polynomial in the sizes of its source and target; a route of such
edges is efficient only if no step blows the size up super-polynomially
(Tree -> Junta maps s leaves to k = s - 1 variables, a table of 2^(s-1)
entries: each step is polynomial in its own input and output, the round trip
Tree -> Junta -> Tree is not). THEORY §9 rule 3 needs the same thing of its
conversion F' -> F: a learner for F running in poly(size of F) must be poly in
the size of F' on the converted instances.

The measure M_F of a class (``SIZE_MEASURES``) is the representation size the
web counts: d + 2^k for juntas, d + r + s for trees, 2^d for lookup tables, and
so on. :func:`size_polynomial` decides, for a size map sigma: F -> G, whether

    M_G(sigma(p)) <= c * M_F(p)^D    for all parameters p >= 1

for some constants c, D, by a sound symbolic upper bound on the degree D
(:func:`degree`); it never answers "polynomial" from numeric evidence, and
answers "not shown" (False) for anything it cannot bound. Symbols of the size
map that are not parameters of F (an output size the user chooses, the size of
a promise class) are held fixed: efficiency in them is the edge's own flag.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import sympy

from ..bounds import symbols as S

__all__ = ["Measure", "SIZE_MEASURES", "degree", "size_polynomial"]


@dataclass(frozen=True)
class Measure:
    """The size measure of a class: ``expr`` in its parameters, and the
    parameters q for which 2^q <= expr (``exponential``). By construction the
    measure is >= every other parameter of the class (for parameters >= 1)."""

    expr: sympy.Expr
    exponential: frozenset[sympy.Symbol] = frozenset()


#: class name -> Measure (the representation size; see the module docstring)
SIZE_MEASURES: dict[str, Measure] = {
    "conjunction": Measure(S.d + S.k),
    "parity": Measure(S.d + S.k),
    "junta": Measure(S.d + 2**S.k, frozenset({S.k})),
    "decision_tree": Measure(S.d + S.r + S.s),
    "decision_list": Measure(S.d + S.l),
    "dnf": Measure(S.d + S.s * S.w),
    "cnf": Measure(S.d + S.s * S.w),
    "halfspace": Measure(S.d),
    "relu_network": Measure(S.d + S.L + S.m),
    "lookup_table": Measure(2**S.d, frozenset({S.d})),
}


def degree(expr: sympy.Expr, params: frozenset[sympy.Symbol],
           exponential: frozenset[sympy.Symbol] = frozenset()) -> float | None:
    """An upper bound D with ``expr <= c * M^D`` (some constant c), or None.

    Valid when every symbol of ``params`` is in [1, M], 2^q <= M for q in
    ``exponential``, and every other symbol is a constant >= 1. None means
    "no polynomial bound found" (an exponential in a non-exponential
    parameter, an unknown function...), never "proved super-polynomial".

    >>> from pacdistill.bounds import symbols as S
    >>> degree(S.d + S.s * S.r, frozenset({S.d, S.r, S.s}))
    2
    >>> degree(2**S.k + S.d, frozenset({S.d, S.k}), frozenset({S.k}))
    1
    >>> degree(2**sympy.Min(S.d, S.s - 1), frozenset({S.d, S.s})) is None
    True
    """
    if isinstance(expr, numbers.Integral):       # a size map may give a plain int
        expr = sympy.Integer(int(expr))
    elif not isinstance(expr, sympy.Basic):
        raise TypeError(f"degree expects a sympy expression. Got {type(expr).__name__}.")
    return _deg(expr, params, exponential)


def _negative(term: sympy.Expr) -> bool:
    coeff, _ = term.as_coeff_Mul()
    return bool(coeff.is_negative)


def _deg(e: sympy.Expr, P: frozenset, X: frozenset) -> float | None:
    if e.is_Number:
        return 0
    if e.is_Symbol:
        return 1 if e in P else 0
    if not (e.free_symbols & P):
        return 0  # a constant in the parameters (extras held fixed)
    if e.is_Add:
        degs = [_deg(arg, P, X) for arg in e.args if not _negative(arg)]
        return None if any(x is None for x in degs) else max(degs, default=0)
    if e.is_Mul:
        coeff, rest = e.as_coeff_Mul()
        if coeff.is_negative:
            return 0  # a nonpositive term: bounded above by 0
        degs = [_deg(arg, P, X) for arg in sympy.Mul.make_args(rest)]
        return None if any(x is None for x in degs) else sum(degs)
    if e.is_Pow:
        base, exp = e.args
        if exp.is_Number:
            if exp.is_negative:
                return 0 if _deg(base, P, X) is not None else None  # base >= 1: power <= 1
            inner = _deg(base, P, X)
            return None if inner is None else inner * exp
        if base.is_Number and base.is_positive:
            if base <= 1:
                return 0 if exp.is_nonnegative else None
            return _exp_degree(exp, P, X, math.log2(float(base)))
        return None
    if isinstance(e, sympy.exp):
        return _exp_degree(e.args[0], P, X, math.log2(math.e))
    if isinstance(e, sympy.Min):
        degs = [x for x in (_deg(arg, P, X) for arg in e.args) if x is not None]
        return min(degs) if degs else None
    if isinstance(e, sympy.Max):
        degs = [_deg(arg, P, X) for arg in e.args]
        return None if any(x is None for x in degs) else max(degs)
    if isinstance(e, (sympy.log, sympy.ceiling, sympy.floor, sympy.Abs)):
        return _deg(e.args[0], P, X)  # log y <= y; ceiling y <= y + 1
    return None


def _exp_degree(exponent: sympy.Expr, P: frozenset, X: frozenset, scale: float) -> float | None:
    """Degree of 2^(scale * exponent): needs exponent <= sum_q a_q q + log2(poly)
    with q exponential parameters (2^q <= M)."""
    total = 0.0
    for term in sympy.Add.make_args(sympy.expand(exponent)):
        if not (term.free_symbols & P) or _negative(term):
            continue  # bounded above by a constant
        coeff, rest = term.as_independent(*P, as_Add=False)
        if coeff.free_symbols or not coeff.is_positive:
            return None
        a = float(coeff) * scale
        if rest in X:
            total += a
        elif isinstance(rest, sympy.log):  # 2^(a ln y) = y^(a ln 2)
            inner = _deg(rest.args[0], P, X)
            if inner is None:
                return None
            total += a * math.log(2) * inner
        elif isinstance(rest, sympy.Min):  # 2^min(u, v) <= 2^u
            found = [x for x in (_exp_degree(arg, P, X, a) for arg in rest.args)
                     if x is not None]
            if not found:
                return None
            total += min(found)
        elif isinstance(rest, (sympy.Max, sympy.ceiling, sympy.floor)):
            # 2^max(u, v) <= 2^u + 2^v; 2^ceiling(u) <= 2 * 2^u
            parts = [_exp_degree(arg, P, X, a) for arg in rest.args]
            if any(x is None for x in parts):
                return None
            total += max(parts)
        else:
            return None
    return total


def size_polynomial(source: str, target: str,
                    size_map: dict[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether ``M_target(size_map(p)) <= poly(M_source(p))`` is shown (see the
    module docstring). False for classes without a measure.

    >>> from pacdistill.bounds import symbols as S
    >>> size_polynomial("junta", "decision_tree", {S.d: S.d, S.r: S.k, S.s: 2**S.k})
    True
    >>> size_polynomial("decision_tree", "junta", {S.d: S.d, S.k: sympy.Min(S.d, S.s - 1)})
    False
    """
    src, tgt = SIZE_MEASURES.get(source), SIZE_MEASURES.get(target)
    if src is None or tgt is None:
        return False
    from ..classes import CLASSES

    params = frozenset(CLASSES[source].params) if source in CLASSES else \
        frozenset(src.expr.free_symbols)
    image = tgt.expr.xreplace(dict(size_map))
    return degree(image, params, src.exponential) is not None
