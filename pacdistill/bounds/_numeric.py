"""Guarded numeric evaluation of sympy expressions with mpmath (private).

One tree walker serves two arithmetics: mpmath's real context (``mp``, fast,
used to screen points) and its interval context (``iv``, rigorous enclosures,
used to *certify* a counterexample before the checker reports it). Both run in
private mpmath contexts, so nothing here touches the global ``mpmath.mp``.

Every operation checks its arguments before it computes: ``exp`` of an argument
past :data:`MAX_EXP_ARG`, a logarithm of a number that is not certainly
positive, a power whose result would not be real, division by an interval that
holds 0... raise :class:`NumericError` instead of computing something huge,
complex or meaningless. The safe parser (:mod:`pacdistill.bounds.parser`) uses
the same operations on constant sub-expressions, so a text like ``10**10**10``
is refused before sympy would start to compute it.

No code is generated or executed from text here (no ``lambdify``): the walker
dispatches on the sympy node types it knows and refuses the others.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy
from mpmath import MPContext
from mpmath.ctx_iv import MPIntervalContext
from mpmath.libmp import fzero, mpf_ceil, mpf_cmp, mpf_floor

__all__ = [
    "MAX_EXP_ARG",
    "NumericError",
    "real_context",
    "interval_context",
    "is_interval",
    "FUNCTIONS",
    "apply",
    "compile_expr",
    "convert",
    "evaluate",
    "exact_value",
    "MAX_EXACT_POWER_BITS",
    "to_number",
]

#: largest |x| for which exp(x) (and x = exponent * log|base| of a power) is computed
MAX_EXP_ARG = 1e30


class NumericError(ArithmeticError):
    """An expression has no finite real value at a point (or no certified one),
    or computing it would be unreasonably large. The message says which."""


@functools.lru_cache(maxsize=8)
def real_context(dps: int) -> MPContext:
    """A private mpmath real context working at ``dps`` decimal digits."""
    ctx = MPContext()
    ctx.dps = dps
    return ctx


@functools.lru_cache(maxsize=8)
def interval_context(dps: int) -> MPIntervalContext:
    """A private mpmath interval context working at ``dps`` decimal digits."""
    ctx = MPIntervalContext()
    ctx.dps = dps
    return ctx


def is_interval(ctx: Any) -> bool:
    return isinstance(ctx, MPIntervalContext)


# --- helpers that work in both contexts -------------------------------------

def _bounds(ctx: Any, x: Any) -> tuple[Any, Any]:
    """(low, high) endpoints as raw mpf tuples (a real value is its own interval)."""
    if is_interval(ctx):
        return x._mpi_
    return x._mpf_, x._mpf_


def _certainly_positive(ctx: Any, x: Any) -> bool:
    lo, _ = _bounds(ctx, x)
    return mpf_cmp(lo, fzero) > 0


def _sign_range(ctx: Any, x: Any) -> tuple[int, int]:
    lo, hi = _bounds(ctx, x)
    return mpf_cmp(lo, fzero), mpf_cmp(hi, fzero)


def _mag(ctx: Any, x: Any) -> int | float:
    """An integer m with |x| < 2**m (from the binary exponents; -inf for 0)."""
    out: int | float = -math.inf
    for end in _bounds(ctx, x):
        _, man, exp, bc = end
        if man:
            out = max(out, exp + bc)
        elif exp:  # inf or nan
            return math.inf
    return out


#: the guard of MAX_EXP_ARG in binary magnitude (2**100 is about 1.3e30)
_MAX_EXP_MAG = 100


def _check_finite(ctx: Any, x: Any) -> Any:
    for _, man, exp, bc in _bounds(ctx, x):
        if not man and (exp or bc):  # mpmath's inf, -inf and nan have no mantissa
            raise NumericError("the value is not a finite real number")
    return x


def _integer_value(ctx: Any, x: Any) -> int | None:
    """x as a Python int when it is exactly one integer (a degenerate interval)."""
    lo, hi = _bounds(ctx, x)
    if lo != hi or _mag(ctx, x) > 64:  # (int() of a 2**(10**20) would exhaust memory)
        return None
    real = real_context(15)
    v = real.make_mpf(lo)
    if real.isint(v):
        return int(v)
    return None


# --- the operations ----------------------------------------------------------

def _exp(ctx: Any, x: Any) -> Any:
    if _mag(ctx, x) > _MAX_EXP_MAG:
        raise NumericError(f"exp of an argument larger than {MAX_EXP_ARG:g} in absolute value")
    return ctx.exp(x)


def _log(ctx: Any, x: Any, base: Any = None) -> Any:
    if not _certainly_positive(ctx, x):
        raise NumericError("log of a number that is not (certainly) positive")
    out = ctx.log(x)
    if base is not None:
        out = out / _log(ctx, base)
    return out


def _pow(ctx: Any, base: Any, expo: Any, expo_int: int | None = None) -> Any:
    """base ** expo; ``expo_int`` is the exact exponent when it is an integer (then a
    negative base is fine); otherwise the base must be positive (or 0 with a
    positive exponent)."""
    s_lo, s_hi = _sign_range(ctx, base)
    if expo_int is not None:
        if expo_int < 0 and s_lo <= 0 <= s_hi:
            raise NumericError("division by zero (a negative power of 0)")
        if expo_int == 0:
            return ctx.mpf(1)
        if _mag(ctx, base) > 0 and \
                math.log2(abs(expo_int)) + math.log2(_mag(ctx, base)) > _MAX_EXP_MAG:
            raise NumericError("a power too large to compute")
        return ctx.power(base, expo_int) if not is_interval(ctx) else base ** expo_int
    e_lo, _ = _sign_range(ctx, expo)
    if s_lo > 0:
        log_base = ctx.log(base)
        if _mag(ctx, log_base) + _mag(ctx, expo) > _MAX_EXP_MAG:
            raise NumericError("a power too large to compute")
        return ctx.exp(expo * log_base)
    if s_lo == 0 and s_hi == 0 and e_lo > 0:
        return ctx.mpf(0)
    raise NumericError("a non-integer power of a number that is not (certainly) positive")


def _sqrt(ctx: Any, x: Any) -> Any:
    s_lo, _ = _sign_range(ctx, x)
    if s_lo < 0:
        raise NumericError("square root of a negative number")
    return ctx.sqrt(x)


def _round(ctx: Any, x: Any, up: bool) -> Any:
    fn = mpf_ceil if up else mpf_floor
    if is_interval(ctx):
        lo, hi = x._mpi_
        return ctx.make_mpf((fn(lo), fn(hi)))
    return ctx.make_mpf(fn(x._mpf_))


def _extreme(ctx: Any, args: tuple[Any, ...], largest: bool) -> Any:
    pick = max if largest else min
    if is_interval(ctx):
        los = [a._mpi_[0] for a in args]
        his = [a._mpi_[1] for a in args]
        key = functools.cmp_to_key(mpf_cmp)
        return ctx.make_mpf((pick(los, key=key), pick(his, key=key)))
    return pick(args)


def _abs(ctx: Any, x: Any) -> Any:
    return ctx.fabs(x) if not is_interval(ctx) else abs(x)


def _factorial(ctx: Any, x: Any) -> Any:
    s_lo, _ = _sign_range(ctx, x)
    if s_lo < 0:
        raise NumericError("factorial of a negative number")
    if _mag(ctx, x) > 50:
        raise NumericError("factorial of a number larger than 2**50")
    return ctx.factorial(x)


def _binomial(ctx: Any, n: Any, k: Any) -> Any:
    """binomial(n, k) at integers, as sympy defines it: 0 for k < 0 (and for
    k > n >= 0), and (-1)**k binomial(k - n - 1, k) for n < 0 (so
    binomial(-4, 3) = -20, the value sympy's symbolic steps see)."""
    if _mag(ctx, n) > 50 or _mag(ctx, k) > 50:
        raise NumericError("binomial of a number larger than 2**50")
    ni, ki = _integer_value(ctx, n), _integer_value(ctx, k)
    if ni is None or ki is None:
        raise NumericError("binomial is evaluated only at integers")
    if ki < 0 or 0 <= ni < ki:
        return ctx.mpf(0)
    if ni < 0:
        value = _binomial(ctx, ctx.mpf(ki - ni - 1), k)
        return -value if ki % 2 else value
    if ni > 1e15:
        raise NumericError("binomial of a number larger than 1e15")
    if ni <= 5000:
        return ctx.mpf(math.comb(ni, ki))
    # mpmath's interval context has no binomial; the factorial ratio works in both
    return ctx.factorial(n) / (ctx.factorial(k) * ctx.factorial(n - k))


def _catalan(ctx: Any, x: Any) -> Any:
    xi = _integer_value(ctx, x)
    if xi is None or xi < 0:
        raise NumericError("catalan is evaluated only at integers >= 0")
    return _binomial(ctx, 2 * x, x) / (x + 1)


def _gamma(ctx: Any, x: Any) -> Any:
    if not _certainly_positive(ctx, x):
        raise NumericError("gamma is evaluated only at positive numbers")
    if _mag(ctx, x) > 50:
        raise NumericError("gamma of a number larger than 2**50")
    return ctx.gamma(x)


#: name -> (operation(ctx, *args), min args, max args); names as the parser spells them
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "exp": (_exp, 1, 1),
    "log": (_log, 1, 2),
    "sqrt": (_sqrt, 1, 1),
    "floor": (lambda ctx, x: _round(ctx, x, up=False), 1, 1),
    "ceiling": (lambda ctx, x: _round(ctx, x, up=True), 1, 1),
    "Max": (lambda ctx, *a: _extreme(ctx, a, largest=True), 1, 64),
    "Min": (lambda ctx, *a: _extreme(ctx, a, largest=False), 1, 64),
    "Abs": (_abs, 1, 1),
    "factorial": (_factorial, 1, 1),
    "binomial": (_binomial, 2, 2),
    "catalan": (_catalan, 1, 1),
    "gamma": (_gamma, 1, 1),
}

_SYMPY_FUNCTIONS: dict[type, str] = {
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.floor: "floor",
    sympy.ceiling: "ceiling",
    sympy.Max: "Max",
    sympy.Min: "Min",
    sympy.Abs: "Abs",
    sympy.factorial: "factorial",
    sympy.binomial: "binomial",
    sympy.catalan: "catalan",
    sympy.gamma: "gamma",
}


def apply(ctx: Any, name: str, *args: Any) -> Any:
    """Apply the guarded operation ``name`` (a key of FUNCTIONS, or ``+ * pow``)."""
    if name == "+":
        out = args[0]
        for a in args[1:]:
            out = out + a
    elif name == "*":
        out = args[0]
        for a in args[1:]:
            out = out * a
    elif name == "/":
        s_lo, s_hi = _sign_range(ctx, args[1])
        if s_lo <= 0 <= s_hi:
            raise NumericError("division by zero")
        out = args[0] / args[1]
    elif name == "pow":
        out = _pow(ctx, *args)
    else:
        out = FUNCTIONS[name][0](ctx, *args)
    return _check_finite(ctx, out)


def to_number(ctx: Any, value: Any) -> Any:
    """A Python int, float, Fraction or sympy number as a value of ``ctx``
    (exact for ints and floats, an enclosure for rationals in ``iv``)."""
    if isinstance(value, Fraction):
        p, q = value.numerator, value.denominator
        return ctx.mpf(p) if q == 1 else ctx.mpf(p) / ctx.mpf(q)
    if isinstance(value, sympy.Basic):
        if value.is_Float:
            value = sympy.Rational(value)
        if value.is_Rational:
            p, q = int(value.p), int(value.q)
            return ctx.mpf(p) if q == 1 else ctx.mpf(p) / ctx.mpf(q)
        raise NumericError(f"{value} is not a number")
    if isinstance(value, int):
        return ctx.mpf(value)
    if isinstance(value, float):
        return ctx.mpf(value)
    return ctx.mpf(value)


def compile_expr(expr: sympy.Basic, ctx: Any) -> Callable[[Mapping[sympy.Symbol, Any]], Any]:
    """A function of converted values (Symbol -> number of ``ctx``) computing
    ``expr`` with the guarded operations: a tree of closures built once, so
    evaluating many points does not walk sympy objects again. No code is
    generated from text.

    Raises NumericError at build time for nodes this module does not know.
    """
    def build(node: sympy.Basic) -> Callable[[Mapping[sympy.Symbol, Any]], Any]:
        if node.is_Symbol:
            def symbol(values: Mapping[sympy.Symbol, Any], node: Any = node) -> Any:
                try:
                    return values[node]
                except KeyError:
                    raise NumericError(f"no value for the symbol {node}") from None
            return symbol
        if node.is_Number:
            if not (node.is_Rational or node.is_Float):
                raise NumericError(f"{node} is not a finite real number")
            const = to_number(ctx, node)
            return lambda values: const
        if node is sympy.pi or node is sympy.E:
            const = ctx.pi if node is sympy.pi else ctx.e
            return lambda values: const
        if node.is_Pow:
            base, expo = node.args
            fb = build(base)
            if expo.is_Integer:
                n = int(expo)
                if n == -1:
                    one = ctx.mpf(1)
                    return lambda values: apply(ctx, "/", one, fb(values))
                as_value = ctx.mpf(n)
                return lambda values: apply(ctx, "pow", fb(values), as_value, n)
            if expo == sympy.S.Half:
                return lambda values: apply(ctx, "sqrt", fb(values))
            fe = build(expo)

            def power(values: Mapping[sympy.Symbol, Any]) -> Any:
                # an exponent whose value is exactly an integer (an integer symbol's
                # value, 4/2) is an integer power: (-1)**d is defined at every d
                e = fe(values)
                return apply(ctx, "pow", fb(values), e, _integer_value(ctx, e))
            return power
        if node.is_Add or node.is_Mul:
            op = "+" if node.is_Add else "*"
            parts = [build(a) for a in node.args]
            return lambda values: apply(ctx, op, *[f(values) for f in parts])
        name = _SYMPY_FUNCTIONS.get(node.func)
        if name is None:
            raise NumericError(f"cannot evaluate {node.func} numerically")
        parts = [build(a) for a in node.args]
        return lambda values: apply(ctx, name, *[f(values) for f in parts])

    return build(expr)


def convert(values: Mapping[sympy.Symbol, Any], ctx: Any) -> dict[sympy.Symbol, Any]:
    """Point values (ints, floats, Fractions, sympy numbers) as numbers of ``ctx``."""
    return {sym: to_number(ctx, val) for sym, val in values.items()}


#: most bits (numerator plus denominator) of an exact power in :func:`exact_value`
MAX_EXACT_POWER_BITS = 100_000

_EXACT_FUNCTIONS: dict[type, Callable[..., Fraction]] = {
    sympy.floor: lambda x: Fraction(math.floor(x)),
    sympy.ceiling: lambda x: Fraction(math.ceil(x)),
    sympy.Abs: abs,
    sympy.Max: max,
    sympy.Min: min,
}


def exact_value(expr: sympy.Basic, values: Mapping[sympy.Symbol, Any]) -> Fraction | None:
    """The exact rational value of ``expr`` at ``values`` (Symbol -> int or
    Fraction), or None when it has none this function can compute: ``expr`` uses
    a node other than rational constants, ``+``, ``*``, powers with an
    integer-valued exponent, floor, ceiling, Abs, Max and Min; or divides by 0;
    or a power would hold more than :data:`MAX_EXACT_POWER_BITS` bits.

    Exact values decide ties that interval enclosures cannot (eps > 1/10**12 at
    eps = 1/10**12).

    >>> from fractions import Fraction
    >>> from pacdistill.bounds.symbols import d, eps
    >>> exact_value((-1)**d + eps / 3, {d: 3, eps: Fraction(1, 10)})
    Fraction(-29, 30)
    >>> exact_value(sympy.log(d), {d: 3}) is None
    True
    """
    def walk(node: sympy.Basic) -> Fraction | None:
        if node.is_Symbol:
            value = values.get(node)
            return Fraction(value) if isinstance(value, (int, Fraction)) else None
        if node.is_Rational:
            return Fraction(int(node.p), int(node.q))
        if node.is_Add or node.is_Mul:
            out = Fraction(0 if node.is_Add else 1)
            for arg in node.args:
                v = walk(arg)
                if v is None:
                    return None
                out = out + v if node.is_Add else out * v
            return out
        if node.is_Pow:
            base, expo = walk(node.base), walk(node.exp)
            if base is None or expo is None or expo.denominator != 1:
                return None
            n = expo.numerator
            if n < 0 and base == 0:
                return None
            if abs(base) == 1:
                return base ** (n % 2)
            bits = base.numerator.bit_length() + base.denominator.bit_length()
            if abs(n) > 1 and bits * abs(n) > MAX_EXACT_POWER_BITS:
                return None
            return base ** n
        fn = _EXACT_FUNCTIONS.get(node.func)
        if fn is None:
            return None
        args = [walk(a) for a in node.args]
        if any(a is None for a in args):
            return None
        return fn(*args)

    try:
        return walk(expr)
    except RecursionError:
        return None


def evaluate(expr: sympy.Basic, values: Mapping[sympy.Symbol, Any], ctx: Any) -> Any:
    """The value of ``expr`` at ``values`` (Symbol -> int, float or sympy number).

    Raises NumericError when the value is undefined, not real, too large, or
    uses a node this module does not know.

    >>> from pacdistill.bounds.symbols import d
    >>> float(evaluate(2**d + 1, {d: 10}, real_context(30)))
    1025.0
    """
    return compile_expr(expr, ctx)(convert(values, ctx))
