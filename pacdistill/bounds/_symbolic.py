"""The symbolic methods of the bound checker (private).

``prove_sign`` decides, when it can, that an expression is >= 0 (or > 0, or
== 0, or != 0) on a domain of intervals. It only answers True when a sound sympy
step says so: the assumption system (``is_nonnegative`` and friends, where None
means unknown and is never read as False), equivalence-preserving rewrites
(``together``, ``factor``, ``expand``, ``expand_log`` without ``force``), and
substitutions that map a positive variable onto exactly a symbol's interval so
that sympy can see the sign:

- ``x in (a, oo)``: x = a + u, u > 0 (u >= 0 for a closed end);
- ``x in (a, b)``: x = a + (b - a)/(1 + u), u > 0 (so 0 < eps < 1 gives
  eps = 1/(1 + u) and 1 - eps = u/(1 + u));
- integer ``x >= a``: x = a + j with j a nonnegative integer;
- closed finite ends are split into cases (each case must be proved).

Asymptotic claims (limits) live in :mod:`pacdistill.bounds._asymptotic`.

Rewrites that can blow up (``expand`` of a high power, ``factor`` of a large
polynomial) are skipped when the expression is past small size limits, so a
check returns in bounded time; skipping only makes the answer "undecided".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from typing import Any

import sympy

from . import _numeric
from ._domain import Interval, default_interval
from .parser import MAX_MAGNITUDE, MAX_SYMBOLIC_DEGREE, huge_degree, symbolically_costly

__all__ = ["prove_sign", "substitution_cases", "substitute", "huge_degree",
           "MAX_SYMBOLIC_DEGREE", "symbolically_costly", "shield_binomials",
           "expand_small_binomials"]

_MAX_OPS = 400  # count_ops past which rewrites are skipped
_MAX_POWER = 12  # largest integer power of a sum that expand may multiply out
_MAX_CASES = 16


_MAX_TERMS = 400  # most terms expand may produce
_MAX_FACTOR_TERMS = 60  # most terms of a polynomial handed to factor
_MAX_FACTOR_DEGREE = 10
_MAX_FACTOR_COEFF_BITS = 256  # largest numerator/denominator of a coefficient to factor


def _expanded_terms(expr: sympy.Basic) -> int:
    """An upper estimate of the number of terms of ``expand(expr)`` (capped)."""
    cap = 10**9
    if expr.is_Add:
        return min(cap, sum(_expanded_terms(a) for a in expr.args))
    if expr.is_Mul:
        out = 1
        for a in expr.args:
            out = min(cap, out * _expanded_terms(a))
        return out
    if expr.is_Pow and expr.base.is_Add and expr.exp.is_Integer and int(expr.exp) > 0:
        t, n = _expanded_terms(expr.base), int(expr.exp)
        if t > 1000 or n > 1000:
            return cap
        return min(cap, math.comb(n + t - 1, t - 1))
    return 1


def _small(expr: sympy.Basic) -> bool:
    if sympy.count_ops(expr) > _MAX_OPS:
        return False
    for p in expr.atoms(sympy.Pow):
        if p.base.is_Add and p.exp.is_Integer and abs(int(p.exp)) > _MAX_POWER:
            return False
        if p.exp.is_Rational and not p.exp.is_Integer and p.exp.q > _MAX_POWER:
            return False
    for f in expr.atoms(sympy.binomial, sympy.factorial, sympy.catalan):
        if any(a.is_Integer and abs(int(a)) > 50 for a in f.args):
            return False
    return _expanded_terms(expr) <= _MAX_TERMS


def _factorable(expr: sympy.Expr) -> bool:
    """Whether ``factor`` is cheap enough to try on ``expr``."""
    if not (_small(expr) and expr.free_symbols and expr.is_polynomial()):
        return False
    if _expanded_terms(expr) > _MAX_FACTOR_TERMS:
        return False
    # huge coefficients send factor's prime search (Wang's algorithm) far out:
    # factor(d - 10**-999) does not return
    if any(max(int(r.p).bit_length(), int(r.q).bit_length()) > _MAX_FACTOR_COEFF_BITS
           for r in expr.atoms(sympy.Rational)):
        return False
    try:
        return sympy.Poly(expr).total_degree() <= _MAX_FACTOR_DEGREE
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False


# --- substitutions --------------------------------------------------------------

def _cases_for(sym: sympy.Symbol, iv: Interval) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Substitution cases whose union of images is exactly the interval of ``sym``."""
    lo, hi = iv.lo, iv.hi
    if iv.is_point:
        return [{sym: lo}]
    name = f"{sym.name}_u"
    if iv.integer and lo.is_finite:
        if hi.is_finite and hi - lo <= 8:
            return [{sym: sympy.Integer(v)} for v in range(int(lo), int(hi) + 1)]
        if not hi.is_finite:
            j = sympy.Dummy(name, integer=True, nonnegative=True)
            return [{sym: lo + j}]
        # a long finite integer range: prove on the real interval containing it
    lo_fin, hi_fin = bool(lo.is_finite), bool(hi.is_finite)
    if lo_fin and not hi_fin:
        if lo == 0 and iv.lo_open and sym.is_positive:
            return [{}]
        if lo == 0 and not iv.lo_open and sym.is_nonnegative:
            return [{}]
        u = sympy.Dummy(name, positive=True) if iv.lo_open else \
            sympy.Dummy(name, nonnegative=True)
        return [{sym: lo + u}]
    if hi_fin and not lo_fin:
        u = sympy.Dummy(name, positive=True) if iv.hi_open else \
            sympy.Dummy(name, nonnegative=True)
        return [{sym: hi - u}]
    if not lo_fin and not hi_fin:
        return [{}]
    width = hi - lo
    if iv.lo_open and iv.hi_open:
        u = sympy.Dummy(name, positive=True)
        return [{sym: lo + width / (1 + u)}]
    u = sympy.Dummy(name, nonnegative=True)
    if iv.hi_open:  # [lo, hi): u = 0 gives lo
        return [{sym: hi - width / (1 + u)}]
    if iv.lo_open:  # (lo, hi]: u = 0 gives hi
        return [{sym: lo + width / (1 + u)}]
    return [{sym: lo + width / (1 + u)}, {sym: lo}]  # [lo, hi]


def _root_case(sym: sympy.Symbol, iv: Interval) -> list[dict[sympy.Symbol, sympy.Expr]] | None:
    """x = t**2 with t running over the interval of the square roots (sqrt(lo),
    sqrt(hi)), substituted as :func:`_cases_for` does: for x in [lo, oo) with lo
    >= 0, x = (sqrt(lo) + u)**2, which turns sqrt(x) into sqrt(lo) + u; for
    0 < eps < 1, eps = (1/(1 + u))**2 and sqrt(eps) = 1/(1 + u) (the square maps
    the roots' interval onto exactly the interval of x). Before, only [lo, oo)
    had it, and sqrt(eps) >= eps on (0, 1) was undecided."""
    if iv.is_point or not (iv.lo.is_finite and iv.lo >= 0):
        return None
    t = sympy.Dummy(f"{sym.name}_t", positive=True) if iv.lo_open else \
        sympy.Dummy(f"{sym.name}_t", nonnegative=True)
    hi = sympy.sqrt(iv.hi) if iv.hi.is_finite else sympy.oo
    roots = Interval(sympy.sqrt(iv.lo), hi, iv.lo_open, iv.hi_open, False)
    return [{sym: case.get(t, t) ** 2} for case in _cases_for(t, roots)]


def _has_half_power(expr: sympy.Basic, sym: sympy.Symbol) -> bool:
    return any(p.base == sym and p.exp.is_Rational and p.exp.q == 2
               for p in expr.atoms(sympy.Pow))


def substitution_cases(
    symbols: Any, intervals: Mapping[sympy.Symbol, Interval], *, roots: Any = (),
) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Every combination of the symbols' cases (at most a small number of them);
    symbols in ``roots`` get the square substitution of :func:`_root_case`."""
    per_symbol = []
    for sym in sorted(symbols, key=str):
        if sym not in intervals:
            continue
        root = _root_case(sym, intervals[sym]) if sym in roots else None
        per_symbol.append(root or _cases_for(sym, intervals[sym]))
    cases = []
    for combo in itertools.product(*per_symbol):
        merged: dict[sympy.Symbol, sympy.Expr] = {}
        for part in combo:
            merged.update(part)
        cases.append(merged)
        if len(cases) > _MAX_CASES:
            return []
    return cases


def substitute(expr: sympy.Expr, case: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
    """``expr.xreplace(case)``, or None when it would turn a sub-expression into a
    constant too large for sympy to compute quickly (``factorial(10**6*k)`` at
    k = 3, ``2**(10**999*k)``): such constants are sized first with the guarded
    numeric evaluator, under the parser's magnitude limit."""
    numbers = {k: v for k, v in case.items() if v.is_number}
    if numbers:
        ctx = _numeric.real_context(30)
        for node in sympy.preorder_traversal(expr):
            free = node.free_symbols
            if node.is_Symbol or not free or not free <= numbers.keys():
                continue
            try:
                value = _numeric.evaluate(node, numbers, ctx)
            except _numeric.NumericError:
                return None
            if value and abs(float(ctx.log10(abs(value)))) > MAX_MAGNITUDE:
                return None
            if isinstance(node, (sympy.factorial, sympy.binomial, sympy.catalan)) and \
                    value and abs(value) > 10**MAX_MAGNITUDE:
                return None
    return expr.xreplace(case)


# --- sign decisions -----------------------------------------------------------

def _log_split(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite log(a) as log(factor(a)) and expand the logs of products (sound:
    expand_log without force uses only the positivity sympy can prove)."""
    def factor_arg(arg: sympy.Expr) -> sympy.Expr:
        if arg.is_Add and _factorable(arg):
            return sympy.factor(arg)
        return arg

    logs = {lg: sympy.log(factor_arg(lg.args[0])) for lg in expr.atoms(sympy.log)}
    return sympy.expand_log(expr.xreplace(logs))


def _forms(expr: sympy.Expr) -> Iterator[sympy.Expr]:
    yield expr
    if not _small(expr):
        return
    split = _log_split(expr)
    yield split
    together = sympy.together(split)
    yield together
    if _small(together):
        yield sympy.expand(split)


def _sign_of(expr: sympy.Expr) -> str | None:
    """'+', '0+' (nonnegative), '-', '0-' (nonpositive), '0' or None (unknown)."""
    if expr.is_zero:
        return "0"
    if expr.is_positive:
        return "+"
    if expr.is_negative:
        return "-"
    if expr.is_nonnegative:
        return "0+"
    if expr.is_nonpositive:
        return "0-"
    if expr.is_Add:
        # sympy's Add sees log(17) - log(10) + log(1 + u) as terms of mixed signs; the
        # constant terms taken together are one number whose sign it can decide
        const = [a for a in expr.args if not a.free_symbols]
        if const and len(const) < len(expr.args):
            rest = sympy.Add(*[a for a in expr.args if a.free_symbols])
            return _sum_sign(_sign_of(sympy.Add(*const)), _sign_of(rest))
    return None


def _sum_sign(a: str | None, b: str | None) -> str | None:
    """The sign of x + y from the signs of x and y (None when it is not determined)."""
    for plus, weak in (("+", "0+"), ("-", "0-")):
        if a in (plus, weak, "0") and b in (plus, weak, "0"):
            return plus if plus in (a, b) else ("0" if a == b == "0" else weak)
    return None


def _product_sign(expr: sympy.Expr) -> str | None:
    """Sign of a product from the signs of its factors (after ``factor``)."""
    if _factorable(expr):
        try:
            expr = sympy.factor(expr)
        except (sympy.PolynomialError, NotImplementedError):
            pass
    factors = expr.args if expr.is_Mul else (expr,)
    negative = False
    zero_possible = False
    for f in factors:
        if f.is_Pow and f.exp.is_Integer and int(f.exp) % 2 == 0 and f.base.is_extended_real:
            sign = "0" if f.base.is_zero else ("+" if f.base.is_nonzero else "0+")
        else:
            sign = _sign_of(f)
            if sign is None and f.is_Add and _small(f):
                sign = _sign_of(sympy.expand(f))
        if sign is None:
            return None
        if sign == "0":
            return "0"
        if sign in ("-", "0-"):
            negative = not negative
        if sign in ("0+", "0-"):
            zero_possible = True
    if negative:
        return "0-" if zero_possible else "-"
    return "0+" if zero_possible else "+"


def _decide_sign(expr: sympy.Expr) -> str | None:
    for form in _forms(expr):
        sign = _sign_of(form)
        if sign is not None:
            return sign
        num, den = sympy.fraction(form)
        if den != 1:
            s_num, s_den = _sign_of(num) or _product_sign(num), _sign_of(den) or \
                _product_sign(den)
            if s_num and s_den in ("+", "-"):
                flip = {"+": "-", "-": "+", "0+": "0-", "0-": "0+", "0": "0"}
                return s_num if s_den == "+" else flip[s_num]
        else:
            sign = _product_sign(form)
            if sign is not None:
                return sign
    return None


def _is_identically_zero(expr: sympy.Expr) -> bool:
    for form in _forms(expr):
        if form == 0 or form.is_zero:
            return True
    if _small(expr):
        return sympy.cancel(sympy.together(_log_split(expr))) == 0
    return False


def _relation_substitution(
    relations: Any, intervals: Mapping[sympy.Symbol, Interval],
) -> tuple[dict[sympy.Symbol, sympy.Expr], list[str]]:
    """Substitutions from assumptions ``small <= big`` where one side is a symbol:
    big = small + u (u >= 0, or > 0 for '<'); and from ``x == e`` (either side a
    symbol): x = e (before, 'k == d' was ignored and 'k <= d' undecided under it).
    The image of each substitution contains every point where the relation
    holds, so a proof after it is a proof on (a superset of) the domain."""
    sub: dict[sympy.Symbol, sympy.Expr] = {}
    notes: list[str] = []
    for rel in relations:
        op = rel.rel_op
        if op not in ("<", "<=", ">", ">=", "=="):
            continue
        small, big = (rel.lhs, rel.rhs) if op in ("<", "<=", "==") else (rel.rhs, rel.lhs)
        small, big = small.xreplace(sub), big.xreplace(sub)
        if op == "==" and isinstance(small, sympy.Symbol) and small in intervals and \
                intervals[small] == default_interval(small) != intervals.get(big):
            small, big = big, small  # replace the symbol the domain says less about
        strict = op in ("<", ">")
        if isinstance(big, sympy.Symbol) and big in intervals and big not in small.free_symbols \
                and small.free_symbols:
            target, other, sign = big, small, 1
        elif isinstance(small, sympy.Symbol) and small in intervals \
                and small not in big.free_symbols and big.free_symbols:
            target, other, sign = small, big, -1
        else:
            continue
        integer = bool(target.is_integer and other.is_integer)
        if op == "==":
            gap = sympy.Integer(0)
        elif integer:
            u = sympy.Dummy(f"{target.name}_u", integer=True, nonnegative=True)
            gap = u + 1 if strict else u
        else:
            u = sympy.Dummy(f"{target.name}_u", positive=True) if strict else \
                sympy.Dummy(f"{target.name}_u", nonnegative=True)
            gap = u
        value = other + sign * gap
        sub = {k: v.xreplace({target: value}) for k, v in sub.items()}
        sub[target] = value
        notes.append(f"{_show_case({target: value})} (from {rel})")
    return sub, notes


_MAX_EXPANDED_BINOMIAL = 12  # largest literal m of binomial(n, m) written as a product


def expand_small_binomials(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each binomial(n, m) whose m is a literal integer in
    [0, 12] written as n (n - 1) ... (n - m + 1) / m!.

    This is an identity for every n (sympy's binomial with a nonnegative integer
    m is that falling factorial over m!, and it is 0 for an integer n in [0, m)),
    so a proof of the rewritten claim is a proof of the claim; it lets the sign
    methods see that binomial(d, 2) <= d**2/2.

    >>> from pacdistill.bounds.symbols import d
    >>> expand_small_binomials(sympy.binomial(d, 2))
    d*(d - 1)/2
    """
    found = [b for b in expr.atoms(sympy.binomial)
             if b.args[1].is_Integer and 0 <= int(b.args[1]) <= _MAX_EXPANDED_BINOMIAL]
    if not found:
        return expr
    return expr.xreplace({
        b: sympy.Mul(*[b.args[0] - i for i in range(int(b.args[1]))])
        / sympy.factorial(int(b.args[1]))
        for b in found
    })


def shield_binomials(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each binomial(n, m) replaced by a fresh symbol that carries only
    the sign facts true of it: nonnegative when n, m are integers and n >= 0, m < 0
    or m even, else merely real (integer when n and m are).

    sympy's own binomial states a false sign (sympy 1.14,
    ``binomial._eval_is_nonnegative``): for an odd m and an n of unknown sign it
    answers "not nonnegative", so ``binomial(d - 5, 2*k + 1).is_negative`` is
    True although binomial(5, 3) = 10; the checker proved
    ``binomial(d - 5, 3) < 0`` on it (its numeric self-check caught it). Replacing
    a sub-expression by a symbol with true facts only generalises the claim, so a
    proof stays a proof.

    >>> from pacdistill.bounds.symbols import d, k
    >>> shield_binomials(sympy.binomial(d - 5, 2*k + 1)).is_negative is None
    True
    >>> shield_binomials(sympy.binomial(d, k)).is_nonnegative
    True
    """
    found = expr.atoms(sympy.binomial)
    if not found:
        return expr
    replacement = {}
    for b in found:
        n, m = b.args
        facts = {"real": True}
        if n.is_integer and m.is_integer:
            facts["integer"] = True
            if n.is_nonnegative or m.is_negative or m.is_even:
                facts["nonnegative"] = True
        replacement[b] = sympy.Dummy("binomial", **facts)
    return expr.xreplace(replacement)


#: most smaller expressions tried per level, and levels, in :func:`_lower_bounds`
_MAX_RELAXATIONS = 8
_MAX_RELAXATION_DEPTH = 3


def _lower_bounds(expr: sympy.Expr, nonnegative: Any = None) -> list[sympy.Expr]:
    """Expressions <= ``expr`` wherever ``expr`` is defined, each with one top-level
    term c*F relaxed: F = Max(a_1, ...) to a_i and F = ceiling(x) to x where the
    factor c is provably >= 0; F = Min(a_1, ...) to a_i and F = floor(x) to x where
    c is provably <= 0. (Max(a, b) >= a, ceiling(x) >= x, Min(a, b) <= a, floor(x)
    <= x; the relaxed expression is defined wherever ``expr`` is.) So ``expr >= 0``
    (or > 0) follows from the same for one of them. ``nonnegative(c)`` proves c >= 0
    on the domain where the symbols' own assumptions do not.

    >>> from pacdistill.bounds.symbols import d, k
    >>> _lower_bounds(sympy.Max(d, k) - d)
    [0, -d + k]
    """
    out: list[sympy.Expr] = []
    for term in sympy.Add.make_args(expr):
        factors = sympy.Mul.make_args(term)
        for i, factor in enumerate(factors):
            if not isinstance(factor, (sympy.Max, sympy.Min, sympy.ceiling, sympy.floor)):
                continue
            rest = sympy.Mul(*factors[:i], *factors[i + 1:])
            # (sympy's binomial states false signs: shield it as prove_sign does)
            sign = _sign_of(shield_binomials(expand_small_binomials(rest)))
            up = sign in ("+", "0+", "0")  # c >= 0: a lower bound of F gives one of c*F
            down = sign in ("-", "0-", "0")
            if sign is None and nonnegative is not None:
                up = nonnegative(rest)
                down = not up and nonnegative(-rest)
            if isinstance(factor, sympy.Max) and up or isinstance(factor, sympy.Min) and down:
                smaller = list(factor.args)
            elif isinstance(factor, sympy.ceiling) and up or \
                    isinstance(factor, sympy.floor) and down:
                smaller = [factor.args[0]]
            else:
                continue
            out.extend(expr - term + rest * a for a in smaller)
    return out[:_MAX_RELAXATIONS]


def prove_sign(
    expr: sympy.Expr, want: str, intervals: Mapping[sympy.Symbol, Interval],
    relations: Any = (),
) -> tuple[bool, str]:
    """Whether ``expr`` is certainly ``want`` ('>=0', '>0', '==0', '!=0') on the domain.

    ``relations`` are the assumptions that are not single-symbol bounds; those of
    the form ``x <= e`` / ``e <= x`` with a symbol on one side are used as
    substitutions. Returns (proved, how) where ``how`` describes the step.
    For '>=0' and '>0' an expression with a Max, Min, ceiling or floor term is
    also proved through a smaller one (:func:`_lower_bounds`): Max(a, b) >= a
    and ceiling(x) >= x were undecided.
    """
    return _prove_sign(expr, want, intervals, relations, 0)


def _prove_sign(
    expr: sympy.Expr, want: str, intervals: Mapping[sympy.Symbol, Interval],
    relations: Any, depth: int,
) -> tuple[bool, str]:
    proved, how = _prove_sign_direct(expr, want, intervals, relations)
    if proved or want not in (">=0", ">0") or depth >= _MAX_RELAXATION_DEPTH \
            or symbolically_costly(expr):
        return proved, how
    def nonnegative(factor: sympy.Expr) -> bool:
        return _prove_sign_direct(factor, ">=0", intervals, relations)[0]

    for lower in _lower_bounds(expr, nonnegative):
        proved, how = _prove_sign(lower, want, intervals, relations, depth + 1)
        if proved:
            return True, (f"through the smaller {sympy.sstr(lower)} (Max(a, ...) >= a, "
                          f"ceiling(x) >= x, Min(a, ...) <= a, floor(x) <= x): {how}")
    return False, ""


def _prove_sign_direct(
    expr: sympy.Expr, want: str, intervals: Mapping[sympy.Symbol, Interval],
    relations: Any = (),
) -> tuple[bool, str]:
    """:func:`prove_sign` without the relaxation of Max, Min, ceiling and floor."""
    def holds(e: sympy.Expr) -> bool:
        e = shield_binomials(expand_small_binomials(e))
        if want == "==0":
            return _is_identically_zero(e)
        sign = _decide_sign(e)
        if want == ">=0":
            return sign in ("+", "0+", "0")
        if want == ">0":
            return sign == "+"
        return sign in ("+", "-")  # '!=0'

    what = {"==0": "identity", "!=0": "nonzero"}.get(want, "sign")
    if symbolically_costly(expr):
        return False, ""
    if holds(expr):
        return True, f"{what} from the symbols' own assumptions"
    attempts = [(expr, [], set())]
    rel_sub, notes = _relation_substitution(relations, intervals)
    if rel_sub:
        attempts.append((expr.xreplace(rel_sub), notes, set(rel_sub)))
    for base, base_notes, replaced in attempts:
        free = {s for s in base.free_symbols if s in intervals and s not in replaced}
        roots = {s for s in free if _has_half_power(base, s)}
        variants = [substitution_cases(free, intervals)]
        if roots:
            variants.append(substitution_cases(free, intervals, roots=roots))
        for cases in variants:
            if not cases or (cases == [{}] and not base_notes):
                continue
            substituted = [substitute(base, case) for case in cases]
            if all(e is not None and holds(e) for e in substituted):
                steps = list(base_notes)
                if any(cases):
                    steps.append("the domain (" + "; ".join(
                        _show_case(case) or "as is" for case in cases) + ")")
                return True, f"{what} after substituting " + ", then ".join(steps)
    return False, ""


def _show_case(case: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """A substitution case for a verdict's detail: its variables named plainly
    (a sympy Dummy prints as ``_delta_u``) with the range each one runs over.

    >>> from pacdistill.bounds.symbols import delta
    >>> u = sympy.Dummy("delta_u", positive=True)
    >>> _show_case({delta: 1 / (1 + u)})
    'delta = 1/(delta_u + 1) with delta_u > 0'
    """
    parts = []
    for sym, value in case.items():
        dummies = sorted(value.atoms(sympy.Dummy), key=lambda x: x.name)
        plain = {u: sympy.Symbol(u.name) for u in dummies}
        ranges = [f"{u.name} {'>' if u.is_positive else '>='} 0"
                  + (" (an integer)" if u.is_integer else "") for u in dummies]
        parts.append(f"{sym} = {sympy.sstr(value.xreplace(plain))}"
                     + (f" with {', '.join(ranges)}" if ranges else ""))
    return " and ".join(parts)
