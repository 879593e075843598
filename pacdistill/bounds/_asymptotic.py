"""Asymptotic claims of the bound checker: f = O(g), o(g), Omega(g), Theta(g) in
a named limit (private; see :func:`pacdistill.bounds.check`).

The claims are read as the checker's docstring says: the limit variable x tends
to its point and **every other symbol is held fixed**; the claim must hold for
each fixed value of the others in the domain, with a constant that may depend on
them (``k*d = O(d)`` as d -> oo is true: the constant is k).

Two methods, in order:

1. **Leading terms, exactly** (when the other symbols enter only through
   coefficients). Each side is expanded into terms c_i(p) psi_i(x), where the
   coefficient c_i depends only on the other symbols p and psi_i only on x.
   Limits of ratios psi_i/psi_j involve x alone, so they do not depend on p; they
   give each side's dominant part psi* and its leading coefficient
   c(p) = sum_i c_i(p) lim psi_i/psi*, with side/psi* -> c(p) for *every* p.
   The verdict then needs only the sign facts ``prove_sign`` can establish
   about c_f and c_g on the domain: f = O(g) holds when lim psi_f/psi_g is finite
   and c_g(p) != 0 for every p (where c_g vanishes, g is of lower order and the
   claim can fail: ``1/eps = O(log(1/delta)/eps**2)`` is false at delta = 1,
   where g = 0).
2. **sympy's limit of f/g** with the other symbols as symbols. sympy treats
   them as generic: it can silently assume a sign (``lim (x**eps - x)/x`` is -1,
   true only for eps < 1) or a nonzero coefficient (``lim d**2/((eps - 0.37)**2
   d**3 + d)`` is 0, but it is oo at eps = 0.37). Against the first, every limit
   is cross-checked numerically (:func:`_limit_contradicted`: f/g evaluated with
   interval arithmetic along the approach at parameter values spread over their
   domain; a contradicted limit is not used). Against the second, which no
   sampling can catch (it happens at single points), a proof by this method
   needs the bounding side to be *stable* (:func:`_stable`; g for O and o, f
   for Omega, both for Theta): built from parts whose leading behaviour is the
   same at every parameter value -- expressions of x alone, parameter-only
   factors provably nonzero, sums c(p) psi(x) whose leading coefficient is
   provably nonzero (as in 1), products, powers, exp, gamma, binomial(n(x),
   m(p)), floor/ceiling of a sum tending to infinity, and sums of such terms
   that are all provably positive (or all negative), so that no cancellation
   can lower their order. Otherwise the verdict is "undecided" with the reason.
   The remaining risk of this method is sympy assuming a sign over a whole
   range of parameter values; the cross-check samples each parameter's domain
   widely (at 0, 1, 2, 3, 10 and from 1e-3 to 1e3) to catch it.

sympy's univariate limits are trusted but cross-checked the same way; they get
Catalan numbers wrong (``limit(catalan(x)*x**(3/2)/4**x, x, oo)`` is 0, not
1/sqrt(pi)), so those are rewritten with gamma first. The cross-check can only
withhold a verdict, never produce one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from . import _numeric
from ._domain import Interval, default_interval
from ._symbolic import (
    MAX_SYMBOLIC_DEGREE,
    _log_split,
    _show_case,
    _small,
    prove_sign,
    substitute,
    substitution_cases,
    symbolically_costly,
)
from .parser import Asymptotic, BigO, BigOmega, BigTheta, Limit, LittleO

__all__ = ["asymptotic"]

#: the limit variable is evaluated at 2**(2**j) (or limit.point -/+ 2**-(2**j)) for
#: these j in :func:`_limit_contradicted`: exact binary numbers from 256 to
#: 2**(2**40), far enough out for slowly converging ratios such as log(d)**100/d
_APPROACH_EXPONENTS = (3, 4, 5, 6, 7, 8, 10, 13, 16, 20, 24, 28, 32, 40)
#: parameter samples per limit in :func:`_limit_contradicted`
_PARAMETER_SAMPLES = 8
#: a value of f/g is used only when its enclosure is this tight (relative)
_TIGHT = 1e-12


def _approach(ctx: Any, limit: Limit) -> list[Any]:
    """Points (values of the interval context ``ctx``) tending to the limit point."""
    def power_of_two(e: int) -> Any:
        raw = (0, 1, e, 1)
        return ctx.make_mpf((raw, raw))

    js = _APPROACH_EXPONENTS
    if limit.point == sympy.oo:
        return [power_of_two(2**j) for j in js]
    if limit.point == -sympy.oo:
        return [-power_of_two(2**j) for j in js]
    point = _numeric.to_number(ctx, limit.point)
    sign = 1 if limit.direction == "+" else -1
    return [point + sign * power_of_two(-(2**j)) for j in js]


def _parameter_samples(
    params: list[sympy.Symbol], others: Mapping[sympy.Symbol, Interval],
) -> list[dict[sympy.Symbol, Any]]:
    """A few points of the parameters' domain, spread over each one's special
    values along staggered diagonals; values of moderate size (0 and 1e-3 to
    1e3 in absolute value) when the domain has some, since at k = 1e12 no
    evaluable point shows that log(d)**k = o(d)."""
    from ._search import _exact, _specials

    if not params:
        return [{}]
    specials = {}
    for sym in params:
        vals = _specials(others.get(sym) or default_interval(sym))
        moderate = [v for v in vals if v == 0 or 1e-3 <= abs(v) <= 1e3]
        specials[sym] = moderate or vals
    out = []
    for i in range(_PARAMETER_SAMPLES):
        point = {}
        for shift, sym in enumerate(params):
            vals = specials[sym]
            j = (i + 3 * shift) % _PARAMETER_SAMPLES
            point[sym] = vals[round(j * (len(vals) - 1) / (_PARAMETER_SAMPLES - 1))]
        out.append(_exact(point))
    return out


def _tight(ctx: Any, x: Any) -> Any:
    """The midpoint of the enclosure ``x`` (of the interval context ``ctx``) as a
    real mpf, or None when the enclosure is wide."""
    real = _numeric.real_context(ctx.dps)
    lo, hi = (real.make_mpf(end) for end in x._mpi_)
    mid = (lo + hi) / 2
    if hi - lo > _TIGHT * abs(mid) and hi != lo:
        return None
    return mid


def _limit_contradicted(
    ratio: sympy.Expr, value: sympy.Expr, var: sympy.Symbol, limit: Limit,
    others: Mapping[sympy.Symbol, Interval],
) -> str | None:
    """A reason to distrust ``value`` = lim ratio, or None.

    f/g is evaluated with mpmath interval arithmetic (60 digits; a value is kept
    only when its enclosure is tight, so cancellation cannot fake one) at
    points tending to the limit (2**8, 2**16, ..., 2**(2**40) for oo), at a
    few parameter values spread over their domain. Wherever at least three of
    these are defined, the values r_1, r_2, ... must not clearly contradict the
    limit L: for infinite L, |r| must grow (|r_last| > |r_first|) and not have
    settled (the last three within 1e-9 relative of each other); for finite L,
    r must end within 1e-6 (relative to max(1, |L|)) of L, or approach it
    (|r_last - L| < |r_first - L|) without having settled. Points where f/g is
    undefined or cannot be evaluated are skipped: only a contradiction counts.
    """
    ctx = _numeric.interval_context(60)
    params = sorted(ratio.free_symbols - {var}, key=str)
    infinite = value in (sympy.oo, -sympy.oo, sympy.zoo) or value.is_infinite is True
    try:
        f = _numeric.compile_expr(ratio, ctx)
        lim_value = None if infinite else _numeric.compile_expr(value, ctx)
    except _numeric.NumericError:
        return None
    points = _approach(ctx, limit)
    small = 10.0 ** -9
    for sample in _parameter_samples(params, others):
        try:
            at = _numeric.convert(sample, ctx)
            big_l = None if lim_value is None else _tight(ctx, lim_value(at))
        except _numeric.NumericError:
            continue
        if lim_value is not None and big_l is None:
            continue
        rs = []
        for x in points:
            try:
                r = _tight(ctx, f({**at, var: x}))
            except _numeric.NumericError:
                continue
            if r is not None:
                rs.append(r)
        if len(rs) < 3:
            continue
        first, last = rs[0], rs[-1]
        settled = all(abs(a - b) <= small * abs(last)
                      for a, b in zip(rs[-3:-1], rs[-2:], strict=True))
        if big_l is None:
            wrong = abs(last) <= abs(first) or settled
        else:
            gap_last, gap_first = abs(last - big_l), abs(first - big_l)
            wrong = gap_last > 1e-6 * max(1, abs(big_l)) and (gap_last >= gap_first or settled)
        if wrong:
            where = ", ".join(f"{k} = {float(v):.6g}" for k, v in sample.items())
            show = _numeric.real_context(15).nstr
            return (f"f/g = {show(first, 6)} ... {show(last, 6)} along {_plain(var)} -> "
                    f"{limit.point}" + (f" at {where}" if where else ""))
    return None


_LIMIT_FAILURES = (NotImplementedError, ValueError, TypeError, ZeroDivisionError,
                   AttributeError, RecursionError, sympy.PolynomialError)
#: most terms per side for the leading-term method (each costs a few limits)
_MAX_LEADING_TERMS = 12


def _plain(expr: Any) -> Any:
    """``expr`` for a verdict's detail: its Dummy variables (the limit variable, the
    domain substitutions' k_u) as plain symbols of the same name (a Dummy prints
    as _d)."""
    dummies = getattr(expr, "atoms", lambda *_: set())(sympy.Dummy)
    return expr.xreplace({u: sympy.Symbol(u.name) for u in dummies}) if dummies else expr


def _is_infinite(value: sympy.Expr) -> bool:
    return value in (sympy.oo, -sympy.oo, sympy.zoo) or value.is_infinite is True


def _limit_value(
    expr: sympy.Expr, var: sympy.Symbol, limit: Limit,
    others: Mapping[sympy.Symbol, Interval],
) -> tuple[sympy.Expr | None, str]:
    """(lim expr, shown) as var -> limit.point, or (None, why not): sympy's value,
    kept only when it is determined and no numeric evaluation contradicts it."""
    # sympy's limit gets Catalan numbers wrong (0 for catalan(x)*x**(3/2)/4**x);
    # their gamma form it gets right
    expr = expr.xreplace({c: c.rewrite(sympy.gamma) for c in expr.atoms(sympy.catalan)})
    try:
        value = sympy.limit(expr, var, limit.point, limit.direction)
    except _LIMIT_FAILURES as err:
        return None, f"sympy could not compute the limit ({type(err).__name__})"
    if value.has(sympy.Limit) or value.has(sympy.AccumBounds) or value.has(sympy.nan):
        return None, f"the limit as {limit} is not determined (sympy gives {_plain(value)})"
    contradiction = _limit_contradicted(expr, value, var, limit, others)
    if contradiction is not None:
        return None, (f"sympy gives the limit {_plain(value)} as {limit}, but a numeric evaluation "
                      f"contradicts it ({contradiction}): not used")
    return value, str(value)


def _limit_status(
    marker: Asymptotic, ratio: sympy.Expr, var: sympy.Symbol, limit: Limit,
    others: Mapping[sympy.Symbol, Interval],
) -> tuple[str, str]:
    """Classify lim ratio (var -> limit.point) for the marker's claim."""
    value, why = _limit_value(ratio, var, limit, others)
    if value is None:
        return "undecided", f"lim f/g: {why}"
    shown = f"lim f/g = {_plain(value)} as {limit}"
    infinite = _is_infinite(value)
    if not infinite and value.is_finite is not True:
        return "undecided", f"{shown}: finiteness unknown"
    zero = True if value == 0 else (False if infinite else None)
    if zero is None and prove_sign(value, "!=0", others)[0]:
        zero = False
    if isinstance(marker, BigO):
        return ("refuted" if infinite else "proved"), shown
    if isinstance(marker, BigOmega) and infinite:
        return "proved", shown
    if isinstance(marker, BigTheta) and infinite:
        return "refuted", shown
    if zero is None:
        return "undecided", f"{shown}: cannot tell whether it is 0"
    if isinstance(marker, LittleO):
        return ("proved" if zero else "refuted"), shown
    assert isinstance(marker, (BigOmega, BigTheta))
    return ("refuted" if zero else "proved"), shown


# --- method 1: leading terms with parameter-only coefficients -----------------------

def _terms(expr: sympy.Expr, var: sympy.Symbol) -> dict[sympy.Expr, sympy.Expr] | None:
    """{psi(x): c(p)} with expr = sum c(p) psi(x), psi free of every other symbol
    and c free of x; None when expr does not split so (or is too large to expand)."""
    if not _small(expr):
        return None
    expanded = sympy.expand(_log_split(expr))
    if not _small(expanded):
        return None
    groups: dict[sympy.Expr, sympy.Expr] = {}
    for term in sympy.Add.make_args(expanded):
        coeff, part = term.as_independent(var, as_Add=False)
        if part.free_symbols - {var} or var in coeff.free_symbols:
            return None
        groups[part] = groups.get(part, sympy.Integer(0)) + coeff
    groups = {part: c for part, c in groups.items() if c != 0}
    if not groups or len(groups) > _MAX_LEADING_TERMS:
        return None
    return groups


def _leading(
    groups: dict[sympy.Expr, sympy.Expr], var: sympy.Symbol, limit: Limit,
) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(c(p), psi*) with side/psi* -> c(p) for every p: psi* is a part every other
    part is O of (limits in x alone), c = sum c_i lim psi_i/psi*. None when a
    limit is not determined."""
    parts = sorted(groups, key=sympy.default_sort_key)
    best = parts[0]
    for part in parts[1:]:
        value, _ = _limit_value(part / best, var, limit, {})
        if value is None:
            return None
        if _is_infinite(value):
            best = part
    coefficient = sympy.Integer(0)
    for part in parts:
        value, _ = (sympy.Integer(1), "") if part == best else \
            _limit_value(part / best, var, limit, {})
        if value is None or _is_infinite(value) or value.free_symbols:
            return None
        coefficient += groups[part] * value
    return coefficient, best


def _separable(
    marker: Asymptotic, f: sympy.Expr, g: sympy.Expr, var: sympy.Symbol, limit: Limit,
    others: Mapping[sympy.Symbol, Interval],
) -> tuple[str, str] | None:
    """The verdict of the leading-term method (module docstring, 1), or None when
    it does not apply or decides nothing."""
    f_terms, g_terms = _terms(f, var), _terms(g, var)
    if f_terms is None or g_terms is None:
        return None
    lead_f, lead_g = _leading(f_terms, var, limit), _leading(g_terms, var, limit)
    if lead_f is None or lead_g is None:
        return None
    (c_f, psi_f), (c_g, psi_g) = lead_f, lead_g
    ratio, _ = _limit_value(psi_f / psi_g, var, limit, {})
    if ratio is None:
        return None
    infinite, zero = _is_infinite(ratio), ratio == 0

    nz_f, nz_g = _nonzero(c_f, others), _nonzero(c_g, others)
    x = var.name
    c_f, psi_f, c_g, psi_g = (_plain(e) for e in (c_f, psi_f, c_g, psi_g))
    shown = (f"f ~ ({c_f})*{psi_f} and g ~ ({c_g})*{psi_g} as {limit}, "
             f"lim ({psi_f})/({psi_g}) = {ratio} (limits in {x} alone)")
    if isinstance(marker, BigO):
        proved, refuted = not infinite and nz_g, infinite and nz_f and nz_g
    elif isinstance(marker, LittleO):
        proved, refuted = zero and nz_g, not zero and nz_f and nz_g
    elif isinstance(marker, BigOmega):
        proved, refuted = not zero and nz_f, zero and nz_f and nz_g
    else:
        proved = not zero and not infinite and nz_f and nz_g
        refuted = (zero or infinite) and nz_f and nz_g
    if proved:
        return "proved", shown
    if refuted:
        return "refuted", f"{shown}, with leading coefficients nonzero everywhere"
    return None


# --- method 2: sympy's limit of f/g, and when a proof by it can be trusted ---------

def _nonzero(expr: sympy.Expr, domain: Mapping[sympy.Symbol, Interval]) -> bool:
    if not expr.free_symbols:
        return expr.is_zero is False
    return prove_sign(expr, "!=0", domain)[0]


def _positive_terms(expr: sympy.Expr, domain: Mapping[sympy.Symbol, Interval]) -> bool:
    """Every term of the sum provably > 0 on the domain (or every one < 0): no
    cancellation between them, and none of them vanishes."""
    terms = sympy.Add.make_args(expr)
    return all(prove_sign(t, ">0", domain)[0] for t in terms) or \
        all(prove_sign(-t, ">0", domain)[0] for t in terms)


def _stable(expr: sympy.Expr, var: sympy.Symbol, limit: Limit,
            domain: Mapping[sympy.Symbol, Interval], depth: int = 0) -> bool:
    """Whether the leading behaviour of ``expr`` as x -> the limit point cannot
    collapse at special values of the other symbols (module docstring, 2): a
    conservative check. Stable are expressions of x alone; parameter-only factors
    provably nonzero; sums of terms c(p) psi(x) whose leading coefficient is
    provably nonzero; products and powers of stable factors (a parameter-only
    base provably positive); sums of stable terms all of one sign; exp, gamma,
    factorial (no zeros); binomial(n(x), m(p)); log(h) with h != 1."""
    if not expr.free_symbols - {var}:
        return True
    if var not in expr.free_symbols:
        return _nonzero(expr, domain)
    if depth > 8 or not _small(expr):
        return False
    others = {s: iv for s, iv in domain.items() if s != var}
    terms = _terms(expr, var)
    if terms is not None:
        lead = _leading(terms, var, limit)
        if lead is not None and _nonzero(lead[0], others):
            return True
    if expr.is_Mul:
        return all(_stable(a, var, limit, domain, depth + 1) for a in expr.args)
    if expr.is_Pow:
        base = expr.base
        if var not in base.free_symbols:
            return prove_sign(base, ">0", domain)[0]
        return _stable(base, var, limit, domain, depth + 1)
    if expr.is_Add:
        return _positive_terms(expr, domain) and \
            all(_stable(a, var, limit, domain, depth + 1) for a in expr.args)
    if isinstance(expr, (sympy.exp, sympy.factorial, sympy.gamma)):
        return True
    if isinstance(expr, sympy.Abs):
        return _stable(expr.args[0], var, limit, domain, depth + 1)
    if isinstance(expr, sympy.binomial):
        n, m = expr.args
        return var not in m.free_symbols and not n.free_symbols - {var}
    if isinstance(expr, sympy.log):
        return prove_sign(expr.args[0] - 1, "!=0", domain)[0]
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        # floor(h) ~ h when h ~ c(p) psi(x) with c(p) != 0 and psi -> oo
        inner = _terms(expr.args[0], var)
        lead = None if inner is None else _leading(inner, var, limit)
        if lead is None or not _nonzero(lead[0], others):
            return False
        value, _ = _limit_value(lead[1], var, limit, {})
        return value is not None and _is_infinite(value)
    return False


def _generic(
    marker: Asymptotic, f: sympy.Expr, g: sympy.Expr, var: sympy.Symbol, limit: Limit,
    intervals: Mapping[sympy.Symbol, Interval], others: Mapping[sympy.Symbol, Interval],
) -> tuple[str, str]:
    """sympy's limit of f/g (module docstring, 2), on the domain as sympy sees it
    and then once per domain substitution of the other symbols."""
    ratio = f / g
    params = ratio.free_symbols - {var}
    status, shown = _limit_status(marker, ratio, var, limit, others)
    if status != "proved":
        cases = [c for c in substitution_cases(params, others) if c]
        if cases:
            results = []
            for case in cases:
                case_ratio = substitute(ratio, case)
                results.append(("undecided", "a substitution would need a huge constant")
                               if case_ratio is None else
                               _limit_status(marker, case_ratio, var, limit, {}))
            refuting = [(r, case) for r, case in zip(results, cases, strict=True)
                        if r[0] == "refuted"]
            on_domain = "; on the assumed domain: " + "; ".join(
                f"{r[1]} ({_show_case(case)})" for r, case in zip(results, cases, strict=True))
            if all(r[0] == "proved" for r in results):
                status = "proved"
                shown += on_domain
            elif refuting:
                r, case = refuting[0]
                return "refuted", f"{r[1]} (on the assumed domain, {_show_case(case)})"
            else:
                shown += on_domain
    if status != "proved" or not params:
        return status, shown
    # a proof with parameters needs the bounding side(s) stable (module docstring, 2)
    domain = {**intervals}
    needs = [("g", g)] if isinstance(marker, (BigO, LittleO)) else \
        [("f", f)] if isinstance(marker, BigOmega) else [("f", f), ("g", g)]
    for name, side in needs:
        if not _stable(_log_split(side), var, limit, domain):
            return "undecided", (
                f"{shown}; not used as a proof: sympy computes this limit for generic "
                f"values of {', '.join(sorted(map(str, params)))}, and {name} = {_plain(side)} "
                "may lose its leading term at special values (a coefficient that can "
                "vanish, or terms that can cancel), where the claim can fail")
    return status, shown


def asymptotic(
    rel: Any, limit: Limit, intervals: Mapping[sympy.Symbol, Interval],
    residual: Any = (),
) -> tuple[str, str]:
    """('proved' | 'refuted' | 'undecided', detail) for Eq(f, Marker(g)) at ``limit``.

    ``residual`` are the assumptions that are not bounds on one symbol; neither
    method sees them, so a refutation is only reported without them (``2*d <=
    10`` bounds d, and then d = O(1) holds). A proof ignoring them is a proof on
    a larger domain.
    """
    status, detail = _asymptotic(rel, limit, intervals)
    if status == "refuted" and residual:
        return "undecided", (f"{detail}; not a refutation: the assumptions "
                             f"{', '.join(map(str, residual))} restrict the domain in a way "
                             "the limit does not take into account")
    return status, detail


def _asymptotic(
    rel: Any, limit: Limit, intervals: Mapping[sympy.Symbol, Interval],
) -> tuple[str, str]:
    f, marker = rel.lhs, rel.rhs
    assert isinstance(marker, Asymptotic)
    g = marker.args[0]
    if _too_costly_for_limits(f) or _too_costly_for_limits(g):
        return "undecided", (f"a power of a symbol with an exponent past {MAX_SYMBOLIC_DEGREE}, or "
                             "a floor, ceiling, Abs, Max or Min too large to simplify, is not "
                             "given to sympy's limit")
    x = limit.symbol
    if x not in f.free_symbols | g.free_symbols:
        return "undecided", f"neither side depends on the limit variable {x}"
    var = sympy.Dummy(x.name, positive=True) if x.is_positive or x.is_nonnegative \
        else sympy.Dummy(x.name, real=True)
    f, g = f.xreplace({x: var}), g.xreplace({x: var})
    others = {s: iv for s, iv in intervals.items() if s != x}
    domain = {**others, var: intervals.get(x) or default_interval(x)}
    params = sorted((f.free_symbols | g.free_symbols) - {var}, key=str)
    if params:
        separable = _separable(marker, f, g, var, limit, others)
        if separable is not None:
            status, shown = separable
            return status, f"{shown}; {_held_fixed(params)}"
    status, shown = _generic(marker, f, g, var, limit, domain, others)
    return status, (f"{shown}; {_held_fixed(params)}" if params else shown)


def _too_costly_for_limits(expr: sympy.Expr) -> bool:
    """Whether ``expr`` is :func:`symbolically_costly` for a reason that also makes
    sympy's limit slow. A power past the degree limit whose base is no sum
    (``log(d)**100``, ``k**100``) is not: a limit works on its logarithm (100
    log(log(d))), and it takes sympy a tenth of a second, where a sum raised to
    it ((d + 1)**100) is a dense polynomial. Before, ``log(d)**100 = o(d)`` and
    ``2**k = O(k**100)`` were undecided without a try."""
    if not symbolically_costly(expr):
        return False
    cheap = {}
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.base.free_symbols and node.exp.is_number \
                and not any(a.is_Add for a in sympy.Mul.make_args(node.base)):
            cheap[node] = sympy.Dummy("power", positive=True)
    return not cheap or symbolically_costly(expr.xreplace(cheap))


def _held_fixed(params: list[sympy.Symbol]) -> str:
    names = ", ".join(map(str, params))
    return (f"{names} held fixed: the claim is read for each fixed value, with a constant "
            "that may depend on it")
