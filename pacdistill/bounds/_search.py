"""Numeric counterexample search for the bound checker (private).

Points are drawn from the domain's intervals, seeded: first the "corners" (every
combination of each symbol's extreme and middle values: eps = 1e-12, delta near
0 and near 1, d = 1..10 and up to 1e12, ...), then points mixing special values
with random ones (log-uniform over many decades, uniform, close to each finite
end), the last tenth of them moved to far values (:func:`_extremes`: 1e-300
from a finite end, 10**300 along an infinite side). Integer symbols get
integer values. A point counts only when every
assumption holds there; the claim is evaluated with mpmath at 50 digits.

A sampled float stands for the exact decimal it prints as (``repr``): 1e-12 is
10**-12, not the binary double just below it. That decimal is what is screened,
certified and reported, so a counterexample substituted exactly as shown (as a
user, :meth:`Guarantee.at` or the parser's literals read decimals) reproduces.

A point where the claim holds at 50 digits only because both sides agree to 40
of them (10**400 + 1 <= 10**400, eps + 1e-80 <= eps) is a *near-tie*: a few of
those are certified too, since the screening cannot see such a difference.

An apparent violation is only a *candidate*: before it is reported, the claim and
every assumption are re-evaluated at that exact point, by exact rational
arithmetic where a side is a rational function of the point (with floor,
ceiling, Abs, Max, Min and integer powers: this decides ties such as
eps > 1e-12 at eps = 1e-12) and otherwise with mpmath's interval arithmetic (at
60, then 150 digits); the point is a counterexample only when this proves that
the assumptions hold and the claim fails. Rounding can therefore never produce
a false refutation; at worst a true violation too small to certify is not
reported (the verdict is then "undecided"). Numeric evidence never proves
anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from mpmath.libmp import mpf_cmp

from . import _numeric
from ._deadline import Deadline, TimedOut
from ._domain import Interval, sign_relations
from .symbols import is_budget_symbol

__all__ = ["SearchResult", "search", "holds_at"]

_SCREEN_DPS = 50
_CERTIFY_DPS = (60, 150)
_BATCH = 250
_MAX_CORNERS = 400
_MAX_CERTIFY = 24
#: sides agreeing to within this (relative) at the screening precision are a near-tie
_TIE = 1e-40
#: near-ties certified per search (exactly, or by interval arithmetic)
_MAX_TIE_CERTIFY = 8

_UNIT_SPECIALS = (1e-12, 1e-9, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99,
                  1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12)
_POS_SPECIALS = (1e-12, 1e-6, 1e-3, 0.1, 0.5, 1.0, 2.0, 3.0, 10.0, 100.0, 1e3, 1e6,
                 1e9, 1e12)
_INT_JUMPS = (10, 100, 1000, 10**4, 10**6, 10**9, 10**12)

_NEGATE = {"<=": ">", "<": ">=", ">=": "<", ">": "<=", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class SearchResult:
    """What the search found: a certified counterexample or none."""

    counterexample: dict[str, int | float] | None
    points_tried: int
    skipped: int
    uncertified: int
    detail: str
    #: the time budget ran out before the points did (the counts are partial)
    timed_out: bool = False
    #: of the skipped points, those inside the assumptions where the claim could
    #: not be evaluated (undefined there, or outside the numeric evaluator's reach)
    undefined: int = 0


# --- sampling -------------------------------------------------------------------

def _floats(iv: Interval) -> tuple[float, float]:
    lo = float(iv.lo) if iv.lo.is_finite else -math.inf
    hi = float(iv.hi) if iv.hi.is_finite else math.inf
    return lo, hi


def _specials(iv: Interval) -> list[int | float]:
    lo, hi = _floats(iv)
    if iv.integer:
        a = int(iv.lo) if iv.lo.is_finite else None
        b = int(iv.hi) if iv.hi.is_finite else None
        if a is None:  # unbounded below: mirror around the upper end or 0
            top = b if b is not None else 0
            vals = [top - i for i in range(10)] + [top - j for j in _INT_JUMPS]
            if b is None:
                vals += [i for i in range(10)] + list(_INT_JUMPS)
        else:
            vals = [a + i for i in range(10)] + [a + j for j in _INT_JUMPS]
            if b is not None:
                vals += [b - i for i in range(5)]
        return sorted({v for v in vals if (a is None or v >= a) and (b is None or v <= b)})
    vals: list[float] = []
    if math.isfinite(lo) and math.isfinite(hi):
        vals = [lo + (hi - lo) * t for t in _UNIT_SPECIALS]
    elif math.isfinite(lo):
        vals = [lo + s for s in _POS_SPECIALS]
    elif math.isfinite(hi):
        vals = [hi - s for s in _POS_SPECIALS]
    else:
        vals = [0.0] + [s for s in _POS_SPECIALS] + [-s for s in _POS_SPECIALS]
    if iv.is_point:
        vals = [lo]
    if not iv.lo_open and math.isfinite(lo):
        vals.append(lo)
    if not iv.hi_open and math.isfinite(hi):
        vals.append(hi)
    return sorted(set(vals))


#: far values for the random phase only (the corners keep the specials above):
#: claims false only past 1e12 or below 1e-12 (log(1/eps) <= 30, d <= 10**13) were
#: undecided with every sampled point on the near side
_FAR_SMALL = (1e-30, 1e-100, 1e-300)
_FAR_LARGE = (1e15, 1e30, 1e100, 1e300)
_FAR_INT = (10**15, 10**30, 10**100, 10**300)


def _extremes(iv: Interval) -> list[int | float]:
    """Values of the interval farther out than :func:`_specials` reaches: near a
    finite end (down to 1e-300 from it, or the float next to it) and far along an
    infinite side (up to 1e300); ints for integer intervals.

    >>> from pacdistill.bounds._domain import build_domain
    >>> from pacdistill.bounds.symbols import eps
    >>> _extremes(build_domain([eps], pd.bounds.parse_assumptions("eps < 1"))[0][eps])
    [1e-300, 1e-100, 1e-30, 0.9999999999999999]
    """
    if iv.is_point:
        return []
    lo, hi = _floats(iv)
    if iv.integer:
        out = []
        if math.isfinite(lo) and not math.isfinite(hi):
            out += [int(iv.lo) + j for j in _FAR_INT]
        if math.isfinite(hi) and not math.isfinite(lo):
            out += [int(iv.hi) - j for j in _FAR_INT]
        if not math.isfinite(lo) and not math.isfinite(hi):
            out += [j for j in _FAR_INT] + [-j for j in _FAR_INT]
        return out
    vals: list[float] = []
    if math.isfinite(lo):
        vals += [lo + (hi - lo) * t if math.isfinite(hi) else lo + t for t in _FAR_SMALL]
        if lo != 0:  # above 0 the 1e-300 is near enough (the next float is 5e-324)
            vals.append(math.nextafter(lo, math.inf))
    if math.isfinite(hi):
        vals += [hi - (hi - lo) * t if math.isfinite(lo) else hi - t for t in _FAR_SMALL]
        vals.append(math.nextafter(hi, -math.inf))
    if not math.isfinite(hi):
        vals += [(lo if math.isfinite(lo) else 0.0) + t for t in _FAR_LARGE]
    if not math.isfinite(lo):
        vals += [(hi if math.isfinite(hi) else 0.0) - t for t in _FAR_LARGE]
    return sorted({v for v in vals if lo <= v <= hi and math.isfinite(v)
                   and (v > lo or not iv.lo_open) and (v < hi or not iv.hi_open)})


def _randoms(iv: Interval, rng: np.random.Generator, size: int) -> list[int | float]:
    lo, hi = _floats(iv)
    if iv.is_point:
        return [int(iv.lo) if iv.integer else lo] * size
    if iv.integer:
        base = int(iv.lo) if iv.lo.is_finite else (int(iv.hi) if iv.hi.is_finite else 0)
        sign = 1 if iv.lo.is_finite else -1
        small = rng.integers(0, 30, size=size)
        large = np.floor(10.0 ** rng.uniform(0, 12, size=size)).astype(np.int64)
        pick = rng.random(size) < 0.5
        steps = np.where(pick, small, large)
        vals = [base + sign * int(s) for s in steps]
        if iv.lo.is_finite and iv.hi.is_finite:
            a, b = int(iv.lo), int(iv.hi)
            vals = [min(max(v, a), b) for v in vals]
            uniform = rng.integers(a, b + 1, size=size)
            vals = [v if rng.random() < 0.5 else int(u) for v, u in zip(vals, uniform, strict=True)]
        return vals
    if math.isfinite(lo) and math.isfinite(hi):
        kind = rng.integers(0, 3, size=size)
        u = rng.random(size)
        near = 10.0 ** rng.uniform(-12, 0, size=size)
        t = np.where(kind == 0, u, np.where(kind == 1, near, 1.0 - near))
        return [float(v) for v in lo + (hi - lo) * t]
    s = 10.0 ** rng.uniform(-12, 12, size=size)
    if math.isfinite(lo):
        return [float(v) for v in lo + s]
    if math.isfinite(hi):
        return [float(v) for v in hi - s]
    signs = np.where(rng.random(size) < 0.5, -1.0, 1.0)
    return [float(v) for v in signs * s]


def _points(
    intervals: Mapping[sympy.Symbol, Interval], budget: int, rng: np.random.Generator,
) -> list[dict[sympy.Symbol, int | float]]:
    syms = sorted(intervals, key=str)
    if not syms:
        return [{}]
    specials = {s: _specials(intervals[s]) for s in syms}
    reps = {}
    for s in syms:
        vals = specials[s]
        picks = {vals[0], vals[len(vals) // 2], vals[-1]}
        if intervals[s].integer and len(vals) > 1:
            picks.add(vals[1])
        reps[s] = sorted(picks)
    n_corners = math.prod(len(reps[s]) for s in syms)
    out: list[dict[sympy.Symbol, int | float]] = []
    if n_corners <= _MAX_CORNERS:
        grids = np.indices([len(reps[s]) for s in syms]).reshape(len(syms), -1).T
    else:
        grids = np.stack([rng.integers(0, len(reps[s]), size=_MAX_CORNERS) for s in syms], 1)
    for row in grids[:budget]:
        out.append({s: reps[s][int(j)] for s, j in zip(syms, row, strict=True)})
    rest = budget - len(out)
    if rest > 0:
        columns = {}
        for s in syms:
            rand = _randoms(intervals[s], rng, rest)
            use_special = rng.random(rest) < 0.4
            idx = rng.integers(0, len(specials[s]), size=rest)
            columns[s] = [specials[s][int(i)] if sp else r
                          for sp, i, r in zip(use_special, idx, rand, strict=True)]
        out.extend({s: columns[s][i] for s in syms} for i in range(rest))
    # the last tenth of the random points, drawn last so that every point before
    # them is as it was: each coordinate moved to a far value (_extremes) with
    # probability 1/2. They come last, so a claim refuted nearer in is refuted
    # by the same point as before.
    far = {s: _extremes(intervals[s]) for s in syms}
    n_far = min(rest, budget // 10) if rest > 0 else 0
    if n_far and any(far.values()):
        for point in out[len(out) - n_far:]:
            for s in syms:
                if far[s] and rng.random() < 0.5:
                    point[s] = far[s][int(rng.integers(0, len(far[s])))]
    return out


# --- evaluation ---------------------------------------------------------------------

def _compare_real(op: str, a: Any, b: Any) -> bool:
    if op == "<=":
        return bool(a <= b)
    if op == "<":
        return bool(a < b)
    if op == ">=":
        return bool(a >= b)
    if op == ">":
        return bool(a > b)
    if op == "==":
        return bool(a == b)
    return bool(a != b)


def _certainly(op: str, a: Any, b: Any) -> bool:
    """Whether intervals a, b certainly satisfy ``a op b``."""
    a_lo, a_hi = a._mpi_
    b_lo, b_hi = b._mpi_
    if op == "<=":
        return mpf_cmp(a_hi, b_lo) <= 0
    if op == "<":
        return mpf_cmp(a_hi, b_lo) < 0
    if op == ">=":
        return mpf_cmp(a_lo, b_hi) >= 0
    if op == ">":
        return mpf_cmp(a_lo, b_hi) > 0
    if op == "==":
        return a_lo == a_hi == b_lo == b_hi
    return mpf_cmp(a_hi, b_lo) < 0 or mpf_cmp(a_lo, b_hi) > 0  # '!='


def holds_at(rel: Any, point: Mapping[sympy.Symbol, Any], ctx: Any) -> bool | None:
    """Whether relation ``rel`` holds at ``point`` in context ``ctx``: for the
    interval context True/False mean *certainly*; None when it is undefined there
    (or, for intervals, not certain either way)."""
    try:
        a = _numeric.evaluate(rel.lhs, point, ctx)
        b = _numeric.evaluate(rel.rhs, point, ctx)
    except _numeric.NumericError:
        return None
    op = rel.rel_op
    if _numeric.is_interval(ctx):
        if _certainly(op, a, b):
            return True
        if _certainly(_NEGATE[op], a, b):
            return False
        return None
    return _compare_real(op, a, b)


class _Compiled:
    """A relation compiled for the real context (both sides as closures)."""

    def __init__(self, rel: Any, ctx: Any) -> None:
        self.rel, self.op, self.ctx = rel, rel.rel_op, ctx
        try:
            self.lhs = _numeric.compile_expr(rel.lhs, ctx)
            self.rhs = _numeric.compile_expr(rel.rhs, ctx)
            self.error = ""
        except _numeric.NumericError as err:
            self.error = str(err)

    def sides(self, values: Mapping[sympy.Symbol, Any]) -> tuple[Any, Any] | None:
        if self.error:
            return None
        try:
            return self.lhs(values), self.rhs(values)
        except _numeric.NumericError:
            return None

    def holds(self, values: Mapping[sympy.Symbol, Any]) -> bool:
        sides = self.sides(values)
        return sides is not None and _compare_real(self.op, *sides)

    def screen(self, values: Mapping[sympy.Symbol, Any]) -> tuple[str, float, str] | None:
        """None when undefined, else (verdict, relative violation, 'lhs = .., rhs = ..')
        with verdict 'fails', 'holds' or 'tie': it holds at the screening precision
        but the sides agree to within :data:`_TIE` relative, so a difference the
        screening cannot see could flip it (10**400 + 1 <= 10**400 at 50 digits)."""
        sides = self.sides(values)
        if sides is None:
            return None
        a, b = sides
        scale = max(abs(a), abs(b))
        text = f"lhs = {self.ctx.nstr(a, 12)}, rhs = {self.ctx.nstr(b, 12)}"
        if _compare_real(self.op, a, b):
            tie = abs(a - b) <= _TIE * scale
            return ("tie" if tie else "holds"), 0.0, text
        size = float(abs(a - b) / scale) if scale else 0.0
        return "fails", size, text


def _exact_holds(rel: Any, point: Mapping[sympy.Symbol, Any]) -> bool | None:
    """Whether ``rel`` holds at ``point`` by exact rational arithmetic; None when
    a side has no exact rational value there (see :func:`_numeric.exact_value`)."""
    a = _numeric.exact_value(rel.lhs, point)
    b = _numeric.exact_value(rel.rhs, point) if a is not None else None
    return None if b is None else _compare_real(rel.rel_op, a, b)


def _certify(
    parts: Sequence[Any], index: int, filters: Sequence[Any], point: Mapping[sympy.Symbol, Any],
) -> str | None:
    """How ``point`` (ints and Fractions) was proved to satisfy every filter and
    violate ``parts[index]`` ('exact rational arithmetic' or 'interval arithmetic
    at N digits', each relation exactly where it has an exact rational value);
    None if it cannot be proved."""
    relations = [*filters, parts[index]]
    wanted = [True] * len(filters) + [False]
    exact = [_exact_holds(rel, point) for rel in relations]
    if any(e is not None and e != want for e, want in zip(exact, wanted, strict=True)):
        return None
    if all(e is not None for e in exact):
        return "exact rational arithmetic"
    for dps in _CERTIFY_DPS:
        ctx = _numeric.interval_context(dps)
        if all(e is not None or holds_at(rel, point, ctx) is want
               for rel, e, want in zip(relations, exact, wanted, strict=True)):
            return f"interval arithmetic at {dps} digits"
    return None


def _exact(point: Mapping[sympy.Symbol, Any]) -> dict[sympy.Symbol, Any]:
    """The point a sampled point is shown as: ints as they are, each float as the
    exact decimal of its ``repr`` (Fraction(10**-12) for 1e-12)."""
    return {s: Fraction(*Decimal(repr(float(v))).as_integer_ratio())
            if isinstance(v, (float, np.floating)) else v for s, v in point.items()}


def _show(point: Mapping[sympy.Symbol, Any]) -> dict[str, int | float]:
    return {str(s): (int(v) if isinstance(v, (int, np.integer)) else float(v))
            for s, v in sorted(point.items(), key=lambda kv: str(kv[0]))}


def _found(part: Any, point: Mapping[sympy.Symbol, Any], text: str, how: str, tried: int,
           skipped: int, uncertified: int) -> SearchResult:
    shown = _show(point)
    where = " at " + ", ".join(f"{k}={v!r}" for k, v in shown.items()) if shown else ""
    return SearchResult(shown, tried, skipped, uncertified,
                        f"{part} fails{where}: {text} (certified by {how})"
                        + _unbounded_note(shown))


def _unbounded_note(shown: Mapping[str, int | float]) -> str:
    """A reminder when a counterexample puts eps or delta (or a step's budget) at
    1 or more: their own assumptions say only positive, and a claim meant for
    probabilities needs the bound in its domain."""
    past = [f"{name}={value!r}" for name, value in shown.items()
            if (name in ("eps", "delta") or is_budget_symbol(sympy.Symbol(name)))
            and value >= 1]
    if not past:
        return ""
    verb = "is" if len(past) == 1 else "are"
    return (f". Note: {', '.join(past)} {verb} not below 1; eps and delta are only assumed "
            "positive unless the domain bounds them (assume '0 < eps < 1, 0 < delta < 1')")


def search(
    parts: Sequence[Any], assumptions: Sequence[Any],
    intervals: Mapping[sympy.Symbol, Interval], *, budget: int, rng: np.random.Generator,
    deadline: Deadline | None = None,
) -> SearchResult:
    """Look for a certified point where the assumptions hold and a claim part fails,
    stopping early (``timed_out``) when ``deadline`` expires."""
    filters = list(assumptions)
    for sym in intervals:
        filters.extend(sign_relations(sym))
    ctx = _numeric.real_context(_SCREEN_DPS)
    screen_filters = [_Compiled(f, ctx) for f in filters]
    screen_parts = [_Compiled(p, ctx) for p in parts]
    tried = skipped = undefined = uncertified = attempts = 0
    candidates: list[tuple[float, int, dict[sympy.Symbol, Any], str]] = []
    ties: list[tuple[int, dict[sympy.Symbol, Any], str]] = []
    tie_attempts = 0
    points = _points(intervals, budget, rng)
    timed_out = False
    try:
        for start in range(0, len(points), _BATCH):
            if deadline is not None and deadline.expired():
                timed_out = True
                break
            for point in points[start:start + _BATCH]:
                values = _numeric.convert(_exact(point), ctx)
                if not all(f.holds(values) for f in screen_filters):
                    skipped += 1
                    continue
                screened = [p.screen(values) for p in screen_parts]
                if any(x is None for x in screened):
                    skipped += 1
                    undefined += 1
                    continue
                tried += 1
                for j, (verdict, size, text) in enumerate(screened):  # type: ignore[misc]
                    if verdict == "fails":
                        candidates.append((size, j, point, text))
                    elif verdict == "tie" and len(ties) < _MAX_TIE_CERTIFY - tie_attempts:
                        ties.append((j, point, text))
            candidates.sort(key=lambda c: -c[0])
            while candidates and attempts < _MAX_CERTIFY:
                size, j, point, text = candidates.pop(0)
                attempts += 1
                how = _certify(parts, j, filters, _exact(point))
                if how is not None:
                    return _found(parts[j], point, text, how, tried, skipped, uncertified)
                uncertified += 1
            candidates.clear()
            # near-ties: certified exactly like violations, on a small budget of their
            # own (most are true equalities, and none counts as an apparent violation)
            while ties and tie_attempts < _MAX_TIE_CERTIFY:
                j, point, text = ties.pop(0)
                tie_attempts += 1
                how = _certify(parts, j, filters, _exact(point))
                if how is not None:
                    return _found(parts[j], point, text, how, tried, skipped, uncertified)
            ties.clear()
    except TimedOut:
        timed_out = True
    detail = f"no violation at {tried} points of the domain"
    if timed_out:
        detail = f"the time budget ran out: {detail} (of {len(points)} planned)"
    if skipped:
        parts_shown = [f"{skipped - undefined} outside the assumptions" if skipped > undefined
                       else "", f"{undefined} where the claim could not be evaluated"
                       if undefined else ""]
        detail += (f" ({skipped} sampled points skipped: "
                   + ", ".join(p for p in parts_shown if p) + ")")
    if uncertified:
        detail += (f"; {uncertified} apparent violations could not be certified by exact or "
                   "interval arithmetic (rounding noise, or violations too small to certify)")
    return SearchResult(None, tried, skipped, uncertified, detail, timed_out, undefined)
