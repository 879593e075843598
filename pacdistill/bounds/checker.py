"""The bound checker: is a claim about bounds proved, refuted or undecided?
(DESIGN, "Bounds checker"; THEORY §2-§4 for the bounds it is meant for.)

``check(claim, assume=...)`` tries, in order:

1. **symbolic sign** — for ``lhs <= rhs`` (``<``, ``>=``, ``>``, ``==``,
   ``!=``) it decides the sign of ``rhs - lhs`` under the assumptions with
   sympy: the assumption system (None is "unknown", never False), sound rewrites
   (``together``, ``factor``, ``expand``, ``expand_log``), and substitutions that
   make a bounded symbol's range visible (0 < eps < 1 becomes eps = 1/(1 + u)
   with u > 0; an integer d >= 1 becomes d = 1 + j with j >= 0; sqrt(x) is
   read through x = t**2). Only a definite answer of these sound steps gives
   "proved". An assumption that is not a bound on a single symbol is used when
   one side is a symbol (``k <= d`` becomes d = k + u with u >= 0, ``k == d``
   becomes d = k); others (``eps*d < 1``) are not used here (proving on a
   larger domain is still a proof) but do restrict the numeric search. A term
   c*Max(a, ...) or c*ceiling(x) with c >= 0 (c*Min, c*floor with c <= 0) may
   be replaced by c*a or c*x, which is smaller, to prove ">= 0" or "> 0".
2. **limit** — for asymptotic claims ``f = O(g)``, ``o(g)``, ``Omega(g)``,
   ``Theta(g)`` in a named limit, written ``"f = O(g) as d -> oo"`` (or
   ``"... as eps -> 0"``; a finite point is approached from above unless
   written ``"delta -> 1-"``) or passed as ``limit=("d", "oo")``. The limit
   must lie in the symbol's domain, or it is refused (InvalidParameterError): a
   finite point in the closure of the symbol's interval, approached from a side
   where the interval has points; ``oo`` (``-oo``) only for an interval
   unbounded above (below); an integer symbol only tends to an infinity. The
   verdict follows from L = lim f/g: O holds iff L is finite, o iff L = 0,
   Omega iff L != 0 (or infinite), Theta iff L is finite and nonzero (with g
   nonzero near the point; where g vanishes f must too). When sympy cannot
   compute L, or L's finiteness or vanishing depends on symbols in a way it
   cannot decide, the verdict is "undecided". A refutation by a limit has no
   pointwise counterexample (``counterexample`` is None; ``detail`` gives L),
   and is not reported when an assumption that is not a bound on one symbol
   (``2*d <= 10``) restricts the domain: the limit does not see it. The other
   symbols are held fixed and the claim must hold at each of their values: when
   they enter only through coefficients (``log(2/delta)/eps**2``), L is
   computed from limits in the limit variable alone and the coefficients'
   signs, exactly; otherwise sympy's limit with the other symbols as symbols
   is used, cross-checked by evaluating f/g along the approach at parameter
   values across the domain (a limit that evaluation contradicts -- sympy
   assumes a parameter's sign in ``lim (x**eps - x)/x`` -- is not used), and
   it proves a claim only when the bounding side cannot lose its leading term
   at a special value (``d**2 = O((eps - 0.37)**2*d**3 + d)`` fails at
   eps = 0.37, which no sampling finds). See
   :mod:`pacdistill.bounds._asymptotic`.
3. **numeric search** — seeded points of the domain covering its extremes
   (eps = 1e-12, delta near 0 and 1, d from 1 to 1e12, integers for integer
   symbols; in the last tenth of the points also far values: eps down to
   1e-300, delta the float below 1, d up to 10**300), evaluated with mpmath at
   50 digits; an apparent violation is
   reported only after exact rational or mpmath interval arithmetic has
   certified, at that exact point, that every assumption holds and the claim
   fails. A sampled float means the exact decimal it prints as (1e-12 is
   10**-12), so the counterexample reproduces when substituted as shown. It
   yields "refuted" (with the counterexample) or "undecided" (with the number
   of points tried), never "proved".

Every claim is read with every symbol other than a limit variable held fixed
(``k*d = O(d) as d -> oo`` is proved: the constant is k), at the points of the
domain where both sides are defined (real and finite): the numeric search
skips the others (``log(d, k)`` at k = 1). Contradictory assumptions are refused
(see Raises in :func:`check`) rather than answered with a vacuous "proved".

A symbolic proof is followed by a short numeric search as a self-check; a
certified counterexample then wins (a refutation, with the disagreement in
``detail``), since it can be verified independently.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
from sympy.core.relational import Relational

from .._validation import check_int, check_real, check_rng, is_sequence, show
from ..errors import InvalidParameterError, PacDistillError
from . import _asymptotic, _search, _symbolic
from ._deadline import Deadline, TimedOut, deadline
from ._domain import build_domain
from .parser import Asymptotic, Limit, parse_assumptions, parse_claim, parse_limit

__all__ = ["STATUSES", "Verdict", "check", "DEFAULT_TIMEOUT", "describe_domain"]

#: the three answers (STYLE 8: undecided is never read as either of the others)
STATUSES = ("proved", "refuted", "undecided")

#: seconds :func:`check` may spend by default (sympy can take minutes on a hard limit)
DEFAULT_TIMEOUT = 60.0

_SELF_CHECK_POINTS = 150
# sympy raises many exception types from deep inside its rewriting; any of them
# only means "this step did not decide the claim"
_SYMPY_FAILURES = (ValueError, TypeError, NotImplementedError, AttributeError,
                   ZeroDivisionError, RecursionError, sympy.PolynomialError)


@dataclass(frozen=True)
class Verdict:
    """The answer of :func:`check`.

    Attributes
    ----------
    status : str
        ``"proved"``, ``"refuted"`` or ``"undecided"``.
    method : str
        What decided it: ``"symbolic sign"``, ``"limit"`` or ``"numeric search"``
        (for an undecided claim: the last method tried).
    counterexample : dict or None
        For a refutation by the numeric search: ``{symbol name: value}`` (ints
        for integer symbols, floats otherwise). The certified point is exactly
        the decimals shown: a float stands for the exact decimal of its
        ``repr`` (1e-12 is 10**-12, not the nearest binary double), as
        ``sympy.Rational(repr(value))`` reads it. None otherwise.
    points_tried : int
        Points of the domain where the numeric search evaluated the claim.
    detail : str
        A human-readable account: the substitution used, the limit found, the
        values of both sides at the counterexample...
    timed_out : bool
        The time budget ran out (the status is then "undecided"; a numeric
        search stopped early reports the points it did try).
    domain : str
        The domain the claim was decided on: each symbol's interval, from its
        own assumptions and the simple bounds of ``assume`` (``t in [1, oo)
        integers``: the shared symbol t counts points, so it is an integer),
        and the other assumptions.
    """

    status: str
    method: str
    counterexample: dict[str, int | float] | None = None
    points_tried: int = 0
    detail: str = field(default="", compare=False)
    timed_out: bool = False
    domain: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.status} ({self.method})"
        if self.counterexample is not None:
            text += ": counterexample " + ", ".join(
                f"{k}={v!r}" for k, v in self.counterexample.items())
        elif self.status == "undecided":
            text += f": {self.points_tried} points tried"
            if self.timed_out:
                text += " before the time budget ran out"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the fields."""
        return {"status": self.status, "method": self.method,
                "counterexample": self.counterexample, "points_tried": self.points_tried,
                "detail": self.detail, "timed_out": self.timed_out, "domain": self.domain}


# --- input normalisation -----------------------------------------------------------

def _claim_parts(claim: Any) -> list[Relational]:
    if claim is sympy.true or claim is sympy.false or isinstance(claim, bool):
        raise InvalidParameterError(
            f"The 'claim' parameter of check must be a relation. Got {show(claim)} instead: "
            "sympy already evaluated it. Pass the claim as text, or build it with "
            "evaluate=False."
        )
    if isinstance(claim, sympy.And):
        parts = list(claim.args)
    else:
        parts = [claim]
    for part in parts:
        if not isinstance(part, Relational):
            raise InvalidParameterError(
                "The 'claim' parameter of check must be a relation such as "
                f"'log(2/delta)/eps <= d/eps'. Got {show(claim)} instead."
            )
    return parts


def _assumptions(assume: Any) -> list[Relational]:
    if assume is None:
        return []
    if isinstance(assume, str):
        return parse_assumptions(assume)
    if isinstance(assume, (Relational, sympy.And)) or assume is sympy.true \
            or assume is sympy.false:  # not ``in``: an array's == is elementwise
        assume = [assume]
    if not is_sequence(assume):
        raise InvalidParameterError(
            "The 'assume' parameter of check must be a text like '0 < eps < 1, d >= 1' or "
            f"a list of sympy relations. Got {show(assume)} instead."
        )
    out: list[Relational] = []
    for item in assume:
        if isinstance(item, str):
            out.extend(parse_assumptions(item))
        elif item is sympy.true:
            continue
        elif item is sympy.false:
            raise InvalidParameterError(
                "The 'assume' parameter of check holds an assumption sympy evaluated to "
                "False: the domain is empty. Fix the assumptions."
            )
        elif isinstance(item, sympy.And):
            out.extend(_assumptions(list(item.args)))
        elif isinstance(item, Relational):
            if isinstance(item.rhs, Asymptotic) or isinstance(item.lhs, Asymptotic):
                raise InvalidParameterError("An assumption cannot be asymptotic (O, Omega...).")
            out.append(item)
        else:
            raise InvalidParameterError(
                "The 'assume' parameter of check must hold relations. Got "
                f"{show(item)} (of type {type(item).__name__}) instead."
            )
    return out


def _symbols(parts: list[Relational], assumptions: list[Relational]) -> set[sympy.Symbol]:
    syms: set[sympy.Symbol] = set()
    for rel in [*parts, *assumptions]:
        syms |= rel.free_symbols
    for sym in syms:
        if not sym.is_extended_real:
            raise InvalidParameterError(
                f"The claim's symbol {sym} must be real: declare it with "
                f"sympy.Symbol({sym.name!r}, real=True) (or positive=True), or use the "
                "shared symbols of pd.bounds.symbols."
            )
        extra = _unmodeled_facts(sym)
        if extra:
            raise InvalidParameterError(
                f"The claim's symbol {sym} carries the assumption(s) "
                f"{', '.join(f'{k}={v}' for k, v in extra)}, which the checker's domain cannot "
                "represent (it knows real, integer, rational, sign and nonzero): the numeric "
                "search would sample values the symbol excludes. Declare the symbol without "
                "them and state its range with 'assume', or use the shared symbols of "
                "pd.bounds.symbols."
            )
    return syms


#: the assumptions a claim's symbol may state: the domain (bounds/_domain.py) and the
#: sampler represent exactly these (every sampled value is a rational number)
_MODELED_FACTS = ("real", "extended_real", "finite", "commutative", "integer", "rational",
                  "algebraic", "positive", "nonnegative", "negative", "nonpositive", "nonzero")


def _unmodeled_facts(sym: sympy.Symbol) -> list[tuple[str, bool]]:
    """The assumptions of ``sym`` beyond what the modeled ones imply (``prime``,
    ``even``, ``irrational``...): a symbol declared prime would be sampled at 1
    and 'p >= 2' refuted there. Before the check a nonzero=True symbol was refuted
    at 0; nonzero is now modeled (bounds/_domain.sign_relations)."""
    facts = sym.assumptions0
    base = {k: True for k in _MODELED_FACTS if facts.get(k) is True}
    reference = sympy.Symbol("reference", **base).assumptions0
    return sorted((k, v) for k, v in facts.items() if reference.get(k) != v)


def _target(rel: Relational) -> tuple[sympy.Expr, str]:
    """(expression, wanted sign) equivalent to the relation."""
    op, lhs, rhs = rel.rel_op, rel.lhs, rel.rhs
    if op == "<=":
        return rhs - lhs, ">=0"
    if op == "<":
        return rhs - lhs, ">0"
    if op == ">=":
        return lhs - rhs, ">=0"
    if op == ">":
        return lhs - rhs, ">0"
    if op == "==":
        return lhs - rhs, "==0"
    return lhs - rhs, "!=0"


# --- the checker ------------------------------------------------------------------------

def check(
    claim: Any, *, assume: Any = None, limit: Any = None, points: int = 2000, rng: Any = 0,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Verdict:
    """Decide a claim about bounds: proved, refuted (with a counterexample) or undecided.

    Parameters
    ----------
    claim : str or sympy relation
        Text through :func:`pacdistill.bounds.parse` (``"log(2/delta)/eps <=
        d/eps"``; a chain ``"a <= b <= c"`` claims both), optionally ending with
        a limit clause for asymptotic claims (``"d**2 = O(d**3) as d -> oo"``);
        or a sympy relation (or ``And`` of relations).
    assume : str or list of sympy relations, optional
        The domain: ``"0 < eps < 1, 0 < delta < 1, d >= 1"``. The symbols' own
        assumptions (positive, integer) always apply.
    limit : tuple, optional
        ``(symbol, point)`` or ``(symbol, point, direction)`` for an asymptotic
        claim given without a limit clause, e.g. ``("d", "oo")``.
    points : int
        Budget of sampled points for the numeric search.
    rng : int or numpy.random.Generator
        Seed of the numeric search (the default 0 makes ``check`` deterministic).
    timeout : float or None
        Seconds the checker may spend deciding (default :data:`DEFAULT_TIMEOUT`,
        60; None: no limit). sympy can take minutes on a hard limit or
        simplification; when the budget runs out the verdict is "undecided"
        with ``timed_out=True`` (never proved or refuted on that account).
        The budget interrupts sympy where the platform allows it (POSIX, main
        thread, SIGALRM unused); elsewhere it is checked between steps.

    Returns
    -------
    Verdict

    Raises
    ------
    UnsafeExpressionError, ExpressionSyntaxError
        When a text does not parse (see :mod:`pacdistill.bounds.parser`).
    InvalidParameterError
        When the claim is not a relation, an asymptotic claim has no limit (or
        a limit is given for a non-asymptotic claim), the limit point lies
        outside the symbol's domain (``eps -> oo`` under ``eps < 1``; an integer
        symbol tending to a finite point), or the assumptions describe an empty
        domain: they leave a symbol no value (``eps > 1, eps < 1/2``), or one of
        them provably fails wherever the others hold (``k >= 5, d <= 3, k <=
        d``). Every claim holds vacuously on an empty domain; the checker refuses
        it rather than report a "proved" that would be misread. When emptiness
        is not provable and no sampled point satisfies the assumptions, the
        verdict's detail says so.

    Examples
    --------
    >>> pd.bounds.check("log(2/delta)/eps <= 2*log(2/delta)/eps",
    ...                 assume="0 < eps < 1, 0 < delta < 1").status
    'proved'
    >>> v = pd.bounds.check("log(2/delta)/eps <= d/eps", assume="0 < delta < 1")
    >>> v.status, v.method
    ('refuted', 'numeric search')
    >>> pd.bounds.check("d**2 = O(d**3) as d -> oo").status
    'proved'
    >>> pd.bounds.check("log(d) <= sqrt(d)").status
    'undecided'
    """
    points = check_int(points, "points", "check", min=1, max=10**6)
    if timeout is not None:
        timeout = check_real(timeout, "timeout", "check", low=0, low_open=True)
    generator = check_rng(rng, "check")
    text_limit: Limit | None = None
    if isinstance(claim, str):
        claim, text_limit = parse_claim(claim)
    if limit is not None and text_limit is not None:
        raise InvalidParameterError(
            "The 'limit' parameter of check must be None when the claim text has a limit "
            "clause ('as ... -> ...'). Give the limit once."
        )
    lim = text_limit if limit is None else _parse_limit(limit)
    parts = _claim_parts(claim)
    assumptions = _assumptions(assume)
    symbols = _symbols(parts, assumptions)
    intervals, residual = build_domain(symbols, assumptions)
    domain = describe_domain(intervals, residual)

    try:
        with deadline(timeout) as budget:
            verdict = _decide(claim, parts, assumptions, intervals, residual, lim, points,
                              generator, budget)
            return dataclasses.replace(verdict, domain=domain)
    except TimedOut:
        pass
    return Verdict("undecided", "time budget", None, 0,
                   f"the time budget of {timeout:g} s ran out before any method decided "
                   "the claim (pass a larger timeout, or timeout=None)", timed_out=True,
                   domain=domain)


def describe_domain(intervals: Any, residual: list[Relational]) -> str:
    """The domain a claim is decided on, for :attr:`Verdict.domain`: every
    symbol's interval (its own assumptions narrowed by the simple bounds of
    ``assume``), then the other assumptions.

    >>> from pacdistill.bounds._domain import build_domain
    >>> from pacdistill.bounds import symbols as S
    >>> describe_domain(*build_domain([S.eps, S.t, S.k, S.d],
    ...                               pd.bounds.parse_assumptions("eps < 1, k <= d")))
    'd in [1, oo) integers, eps in (0, 1), k in [1, oo) integers, t in [1, oo) integers; and k <= d'
    """
    text = ", ".join(f"{sym} in {iv}" for sym, iv in
                     sorted(intervals.items(), key=lambda kv: kv[0].name)) or "no symbols"
    if residual:
        text += "; and " + ", ".join(map(str, residual))
    return text


def _decide(claim: Any, parts: list[Relational], assumptions: list[Relational],
            intervals: Any, residual: Any, lim: Limit | None, points: int,
            generator: np.random.Generator, budget: Deadline) -> Verdict:
    """The three methods of the module docstring, in order."""
    _refuse_empty_domain(intervals, residual)
    budget.check()
    asymptotic = [p for p in parts if isinstance(p.rhs, Asymptotic)
                  or isinstance(p.lhs, Asymptotic)]
    if asymptotic:
        rel = asymptotic[0]
        if len(parts) != 1 or rel.rel_op != "==" or not isinstance(rel.rhs, Asymptotic):
            raise InvalidParameterError(
                "An asymptotic claim must be a single relation 'f = O(g)' (or o, Omega, "
                f"Theta). Got {claim} instead."
            )
        if lim is None:
            raise InvalidParameterError(
                f"The asymptotic claim {claim} needs a limit: end the text with "
                "'as d -> oo' (or 'as eps -> 0'), or pass limit=('d', 'oo')."
            )
        _check_limit(lim, intervals, assumptions)
        try:
            status, detail = _asymptotic.asymptotic(rel, lim, intervals, residual)
        except _SYMPY_FAILURES as err:
            status, detail = "undecided", f"sympy failed on the limit ({type(err).__name__})"
        return Verdict(status, "limit", None, 0, detail)
    if lim is not None:
        raise InvalidParameterError(
            "The 'limit' parameter of check applies only to asymptotic claims "
            f"(f = O(g), o, Omega, Theta). Got the claim {claim} instead."
        )

    proved, how = _prove(parts, intervals, residual)
    budget.check()
    if proved:
        sanity = _search.search(parts, assumptions, intervals, budget=_SELF_CHECK_POINTS,
                                rng=np.random.default_rng(0))
        if sanity.counterexample is not None:  # pragma: no cover - a sympy bug
            return Verdict("refuted", "numeric search", sanity.counterexample,
                           sanity.points_tried,
                           f"{sanity.detail}; the symbolic step ({how}) disagreed, which "
                           "points to a bug in it: please report it")
        if sanity.points_tried == 0 and residual:
            how += f" ({_NO_POINT})"
        return Verdict("proved", "symbolic sign", None, 0, how)

    found = _search.search(parts, assumptions, intervals, budget=points, rng=generator,
                           deadline=budget)
    if found.counterexample is not None:
        return Verdict("refuted", "numeric search", found.counterexample,
                       found.points_tried, found.detail)
    detail = f"symbolic sign: not decided; numeric search: {found.detail}"
    if found.points_tried == 0 and found.skipped:
        detail += f" ({_NO_POINT if not found.undefined else _NO_VALUE})"
    return Verdict("undecided", "numeric search", None, found.points_tried, detail,
                   timed_out=found.timed_out)


#: the note added when no sampled point satisfies the assumptions
_NO_POINT = ("note: no sampled point satisfies the assumptions; if they are "
             "contradictory, every claim holds on their empty domain vacuously")

#: the note added when sampled points satisfy the assumptions but the claim has no
#: numeric value at any of them
_NO_VALUE = ("note: the claim could not be evaluated at any sampled point of the domain "
             "(undefined there, or a function the numeric search evaluates only at "
             "integers, such as binomial), so the search says nothing about it")

_NEGATED = {"<=": ">", "<": ">=", ">=": "<", ">": "<=", "==": "!=", "!=": "=="}


def _refuse_empty_domain(intervals: Any, residual: list[Relational]) -> None:
    """Raise InvalidParameterError when the assumptions provably describe an empty
    domain: a residual assumption (one that is not a bound on a single symbol;
    those are checked by build_domain) whose negation the symbol bounds and the
    other residual assumptions prove (``k >= 5, d <= 3, k <= d``). Every claim
    would hold vacuously there, which a "proved" would hide. Emptiness this step
    cannot prove is noted in the verdict's detail when no sampled point satisfies
    the assumptions."""
    for rel in residual:
        if rel.rel_op not in _NEGATED:
            continue
        negation = sympy.core.relational.Relational(rel.lhs, rel.rhs, _NEGATED[rel.rel_op])
        expr, want = _target(negation)
        others = [r for r in residual if r is not rel]
        try:
            empty, how = _symbolic.prove_sign(expr, want, intervals, others)
        except _SYMPY_FAILURES:
            empty, how = False, ""
        if empty:
            raise InvalidParameterError(
                f"The 'assume' parameter of check describes an empty domain: under the other "
                f"assumptions, {rel} never holds ({negation} holds everywhere: {how}). Every "
                "claim would hold there vacuously. Fix the assumptions."
            )


def _check_limit(lim: Limit, intervals: Any, assumptions: list[Relational]) -> None:
    """Refuse a limit point outside the closure of its symbol's domain (or one its
    domain cannot approach from the given side); see the module docstring."""
    sym, point = lim.symbol, lim.point
    iv = intervals.get(sym)
    if iv is None:  # the limit variable is not in the claim
        iv = build_domain({sym}, assumptions)[0][sym]
    hint = ""
    if point == sympy.oo:
        ok = not iv.hi.is_finite
        why = "its domain is bounded above"
    elif point == -sympy.oo:
        ok = not iv.lo.is_finite
        why = "its domain is bounded below"
    elif iv.integer:
        ok = False
        why = ("it is an integer symbol: it has no finite limit point, only oo (or -oo "
               "when unbounded below)")
    else:
        above = lim.direction == "+"
        ok = bool(iv.lo <= point < iv.hi) if above else bool(iv.lo < point <= iv.hi)
        why = (f"its domain has no points {'above' if above else 'below'} {point}" if ok is False
               and bool(iv.lo <= point <= iv.hi) else f"{point} is outside its domain")
        other = bool(iv.lo < point <= iv.hi) if above else bool(iv.lo <= point < iv.hi)
        if other:
            hint = f" Approach it from the other side: '{sym} -> {point}{'-' if above else '+'}'."
    if not ok:
        raise InvalidParameterError(
            f"The limit {lim} is outside the domain of {sym}: under the symbol's own "
            f"assumptions and 'assume', {sym} ranges over {iv}, and {why}.{hint}"
        )


def _parse_limit(limit: Any) -> Limit:
    try:
        return parse_limit(limit)
    except PacDistillError as err:
        raise InvalidParameterError(
            f"The 'limit' parameter of check is invalid: {err}"
        ) from None


def _prove(parts: list[Relational], intervals: Any, residual: Any) -> tuple[bool, str]:
    hows = []
    for rel in parts:
        expr, want = _target(rel)
        try:
            ok, how = _symbolic.prove_sign(expr, want, intervals, residual)
        except _SYMPY_FAILURES:
            ok, how = False, ""
        if not ok:
            return False, ""
        hows.append(f"{rel}: {how}")
    return True, "; ".join(hows)
