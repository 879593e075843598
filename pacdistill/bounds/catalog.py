"""The bounds catalog (THEORY §4-§7): named sample (and query) bounds.

``catalog[name]`` is a :class:`CatalogEntry`: the bound as a sympy formula for
the number of samples n (``entry.formula``), whether it holds only up to an
unknown constant (``order=True``, with the explicit symbol ``C``), whether it
is an upper bound (n samples suffice) or a lower bound (fewer cannot suffice),
its source and the parameters it needs. ln is the natural log.

=====================  ===================================================  =====
name                   n                                                    order
=====================  ===================================================  =====
hoeffding              ln(2/delta) / (2 eps^2)  (estimate one error to eps)  no
realizable_finite      (ln|G| + ln(1/delta)) / eps                          no
realizable_vc          max((4/eps) log2(2/delta), (8v/eps) log2(13/eps))    no
realizable_optimal     C (v + ln(1/delta)) / eps                            yes
realizable_lower       C (v + ln(1/delta)) / eps  (lower bound)             yes
agnostic_finite        2 (ln|G| + ln(2/delta)) / eps^2                      no
agnostic_vc            C (v + ln(1/delta)) / eps^2                          yes
pareto_frontier        2 (ln|G_S| + ln(2S/delta)) / eps^2                   no
lrh_dp                 2 ((2s-1) ln N + s ln 2 + ln(4/delta)) / eps^2       no
                       (DP samples independent of the probing samples)
lrh_trees              2 ((s-1) ln d + (s+1) ln 2 + ln Catalan(s-1)         no
                       + ln(4/delta)) / eps^2  (DP on the probing samples)
query_junta            queries (k+1) 2^k t + k ceil(log2 d) + 2^k, with     no
                       t = ceil(2^k ln(2 (k+1) 2^k / delta))
=====================  ===================================================  =====

:func:`samples_needed` evaluates a bound (rounded up); :func:`eps_achievable`
inverts it in eps (a closed form from ``sympy.solve`` where sympy finds one,
bisection otherwise). Finite-class bounds take ``log_size`` (ln|G|), VC bounds
``vc`` (or ``v``); both can instead come from a model class of ``pd.CLASSES``
(``cls="parity", d=20``), whose ``log_size``/``vc_dim`` are the one source of
truth for class sizes (:func:`class_sizes` lists them). Learning-time anchors
of THEORY §4 are records, not formulas: :data:`LEARNING_TIME_ANCHORS`.

>>> import math
>>> pd.bounds.samples_needed("realizable_finite", eps=0.01, delta=0.05,
...                          log_size=20 * math.log(2))
1686
>>> pd.bounds.catalog["realizable_finite"].formula
(log_size + log(1/delta))/eps
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from .._validation import check_probability, param_error, unknown_name
from ..errors import InvalidParameterError, MissingValueError
from . import symbols as S
from ._floatfn import float_function
from .guarantee import _count, _evaluate, _latex, _numeric_values

__all__ = [
    "CatalogEntry", "catalog", "samples_needed", "eps_achievable",
    "ClassSize", "class_sizes", "LearningTimeAnchor", "LEARNING_TIME_ANCHORS",
]

_ALIASES = {"vc": "v"}


@dataclass(frozen=True)
class CatalogEntry:
    """One bound of the catalog.

    Attributes
    ----------
    name : str
    formula : sympy.Expr
        The number of samples (queries for ``resource="queries"``) in ``eps``,
        ``delta`` and ``params``.
    order : bool
        True when the bound holds up to the unknown constant ``C`` (Theta/O/Omega).
    source : str
        Paper, or "derived here: THEORY §x".
    params : tuple of str
        Symbol names the formula needs besides eps and delta (``"log_size"``,
        ``"v"``, ``"C"``, ...).
    description : str
    direction : str
        ``"upper"``: n samples suffice; ``"lower"``: fewer samples cannot suffice.
    resource : str
        ``"samples"`` or ``"queries"``.
    extras : Mapping[str, sympy.Expr]
        Auxiliary formulas (query_junta's points per restriction ``t``).
    """

    name: str
    formula: sympy.Expr
    order: bool
    source: str
    params: tuple[str, ...]
    description: str
    direction: str = "upper"
    resource: str = "samples"
    extras: Mapping[str, sympy.Expr] = field(default_factory=dict)

    @functools.cached_property
    def eps_formula(self) -> sympy.Expr | None:
        """eps as a closed form of n (the formula solved for eps by sympy), or
        None when sympy cannot solve it (then :func:`eps_achievable` bisects)."""
        if S.eps not in self.formula.free_symbols or self.formula.has(
                sympy.Max, sympy.Min, sympy.ceiling, sympy.floor):
            return None
        try:
            roots = sympy.solve(sympy.Eq(self.formula, S.n), S.eps)
        except (NotImplementedError, ValueError, TypeError):  # pragma: no cover
            return None
        # eps > 0 is assumed by solve; drop roots that are provably not positive
        # (sympy cannot prove the others positive: that needs delta < 1)
        roots = [root for root in roots if root.is_positive is not False]
        return roots[0] if len(roots) == 1 else None

    def evaluate(self, *, cls: str | None = None, **values: Any) -> int:
        """The bound (samples or queries) at the given values, rounded up.

        >>> pd.bounds.catalog["query_junta"].evaluate(delta=0.05, k=3, d=100)
        1885
        """
        return _evaluate_entry(self, cls, dict(values))

    def evaluate_extra(self, name: str, *, cls: str | None = None, **values: Any) -> int:
        """An auxiliary formula of ``extras`` at the given values, rounded up.

        >>> pd.bounds.catalog["query_junta"].evaluate_extra("t", delta=0.05, k=3, d=100)
        58
        """
        if not isinstance(name, str):
            known = ", ".join(sorted(self.extras)) or "none"
            raise param_error("name", f"catalog[{self.name!r}].evaluate_extra",
                              f"the name of one of its auxiliary formulas ({known})", name)
        if name not in self.extras:
            raise unknown_name(f"auxiliary formula of {self.name}", name, list(self.extras))
        return _evaluate_entry(self, cls, dict(values), self.extras[name])

    def needs(self) -> tuple[str, ...]:
        """Every symbol name the formula needs, eps and delta included."""
        return tuple(sorted(sym.name for sym in self.formula.free_symbols))

    def __str__(self) -> str:
        kind = "lower bound" if self.direction == "lower" else "upper bound"
        const = ", up to the constant C" if self.order else ""
        return (f"{self.name}: {self.resource} n = {sympy.sstr(self.formula)} "
                f"({kind}{const}) [{self.source}]")

    def _repr_latex_(self) -> str:
        r"""``n \ge`` the formula, saying whether that many suffice (an upper bound)
        or are necessary (a lower bound), with the symbols typeset as Guarantee
        does (``\varepsilon``, ``\ln|G|``).

        >>> print(pd.bounds.catalog["realizable_finite"]._repr_latex_())
        $n \ge \frac{\ln|G| + \log{...}}{\varepsilon} \quad \text{(suffices)}$
        >>> print(pd.bounds.catalog["realizable_lower"]._repr_latex_())
        $n \ge \frac{C ...}{\varepsilon} \quad \text{(necessary, up to the unknown constant C)}$
        """
        lhs = "q" if self.resource == "queries" else "n"
        role = "necessary" if self.direction == "lower" else "suffices"
        const = ", up to the unknown constant C" if self.order else ""
        return rf"${lhs} \ge {_latex(self.formula)} \quad \text{{({role}{const})}}$"


def _log2(x: sympy.Expr) -> sympy.Expr:
    return sympy.log(x) / sympy.log(2)


_t_junta = sympy.ceiling(2**S.k * sympy.log(2 * (S.k + 1) * 2**S.k / S.delta))

_ENTRIES = (
    CatalogEntry(
        "hoeffding", sympy.log(2 / S.delta) / (2 * S.eps**2), False,
        "Hoeffding 1963, doi:10.1080/01621459.1963.10500830 (two-sided)", (),
        "estimate the error of one fixed model within eps (THEORY §4 calls it t) "
        "with probability >= 1 - delta",
    ),
    CatalogEntry(
        "realizable_finite", (S.log_size + sympy.log(1 / S.delta)) / S.eps, False,
        "Blumer, Ehrenfeucht, Haussler, Warmuth 1987, 'Occam's razor', "
        "doi:10.1016/0020-0190(87)90114-1", ("log_size",),
        "a consistent learner over a finite class G (log_size = ln|G|) errs <= eps",
    ),
    CatalogEntry(
        "realizable_vc",
        sympy.Max(4 / S.eps * _log2(2 / S.delta), 8 * S.v / S.eps * _log2(13 / S.eps)), False,
        "Blumer, Ehrenfeucht, Haussler, Warmuth 1989, doi:10.1145/76359.76371", ("v",),
        "a consistent learner over a class of VC dimension v errs <= eps",
    ),
    CatalogEntry(
        "realizable_optimal", S.C * (S.v + sympy.log(1 / S.delta)) / S.eps, True,
        "Hanneke 2016, 'The optimal sample complexity of PAC learning', JMLR 17(38), "
        "arXiv:1507.00473",
        ("v", "C"), "optimal realizable PAC learning, Theta((v + ln(1/delta))/eps)",
    ),
    CatalogEntry(
        "realizable_lower", S.C * (S.v + sympy.log(1 / S.delta)) / S.eps, True,
        "Ehrenfeucht, Haussler, Kearns, Valiant 1989, 'A general lower bound on the number "
        "of examples needed for learning', Inf. Comput. 82(3), "
        "doi:10.1016/0890-5401(89)90002-3",
        ("v", "C"), "no realizable learner succeeds with fewer samples, "
        "Omega((v + ln(1/delta))/eps): an asymptotic statement, for eps and delta below "
        "absolute constants and classes of VC dimension v >= 2 (the paper states the "
        "constants and the range; at eps or delta near 1 it says nothing)",
        direction="lower",
    ),
    CatalogEntry(
        "agnostic_finite", 2 * (S.log_size + sympy.log(2 / S.delta)) / S.eps**2, False,
        "Hoeffding + union bound (THEORY §4); e.g. Shalev-Shwartz and Ben-David 2014, "
        "Understanding Machine Learning, Cor. 4.6", ("log_size",),
        "ERM over a finite class G errs <= OPT_G + eps",
    ),
    CatalogEntry(
        "agnostic_vc", S.C * (S.v + sympy.log(1 / S.delta)) / S.eps**2, True,
        "Vapnik and Chervonenkis 1971, doi:10.1137/1116025; Talagrand 1994, 'Sharper bounds "
        "for Gaussian and empirical processes', Ann. Probab. 22(1), "
        "doi:10.1214/aop/1176988847, for the log-free upper bound", ("v", "C"),
        "agnostic learning of a class of VC dimension v, Theta((v + ln(1/delta))/eps^2)",
    ),
    CatalogEntry(
        "pareto_frontier", 2 * (S.log_size + sympy.log(2 * S.S / S.delta)) / S.eps**2, False,
        "derived here: THEORY §7 (Hoeffding on every member of G_S, union bound over "
        "the S levels)", ("log_size", "S"),
        "ERM at every level of G_1 ... G_S (log_size = ln|G_S|) is within eps of the "
        "distillation frontier at every level at once",
    ),
    CatalogEntry(
        "lrh_dp",
        2 * ((2 * S.s - 1) * sympy.log(S.N) + S.s * sympy.log(2) + sympy.log(4 / S.delta))
        / S.eps**2, False,
        "derived here: THEORY §5 (uniform convergence over the N^(2s-1) 2^s candidate "
        "trees of the dynamic program)", ("s", "N"),
        "LRH tree distillation: the DP over N kept ANDs finds a tree with s leaves "
        "within eps of the best candidate, when its samples are independent of those "
        "that chose the ANDs (THEORY §5 correction; else use lrh_trees)",
    ),
    CatalogEntry(
        "lrh_trees",
        2 * ((S.s - 1) * sympy.log(S.d) + (S.s + 1) * sympy.log(2)
             + sympy.log(sympy.catalan(S.s - 1)) + sympy.log(4 / S.delta)) / S.eps**2, False,
        "derived here: THEORY §5 correction (uniform convergence over every tree with at "
        "most s leaves on d variables, at most 2 d^(s-1) 2^s Catalan(s-1) of them, THEORY "
        "§4; half of delta for the probes)", ("s", "d"),
        "LRH tree distillation with the DP on the samples that chose the ANDs: the tree "
        "with at most s leaves it finds is within eps of the best candidate",
    ),
    CatalogEntry(
        "query_junta",
        (S.k + 1) * 2**S.k * _t_junta + S.k * sympy.ceiling(_log2(S.d)) + 2**S.k, False,
        "derived here: THEORY §6", ("k", "d"),
        "queries of query junta distillation: output equals f everywhere w.p. >= 1 - delta "
        "under the exact promise that f is a k-junta",
        resource="queries", extras={"t": _t_junta},
    ),
)


class _Catalog(Mapping[str, CatalogEntry]):
    """Read-only name -> CatalogEntry; unknown names list the close matches."""

    def __init__(self, entries: tuple[CatalogEntry, ...]) -> None:
        self._entries = {entry.name: entry for entry in entries}

    def __getitem__(self, name: str) -> CatalogEntry:
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise unknown_name("catalog entry", name, list(self._entries)) from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._entries

    def get(self, name: str, default: Any = None) -> Any:
        return self._entries.get(name, default) if isinstance(name, str) else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<bounds catalog: {', '.join(self._entries)}>"


#: name -> CatalogEntry (read-only)
catalog: Mapping[str, CatalogEntry] = _Catalog(_ENTRIES)


# ----------------------------------------------------------------- evaluation
def _values(entry: CatalogEntry, func: str, given: Mapping[str, Any], cls: str | None,
            fixed: Mapping[str, float]) -> dict[sympy.Symbol, sympy.Expr]:
    """Validated values for every symbol of ``entry.formula`` (and its class)."""
    params = {_ALIASES.get(key, key): value for key, value in given.items()}
    clash = [key for key in given if key in _ALIASES and _ALIASES[key] in given]
    if clash:
        raise InvalidParameterError(f"{func} got both {clash[0]!r} and "
                                    f"{_ALIASES[clash[0]]!r}; give one.")
    allowed = set(entry.params)
    derived: dict[str, sympy.Expr] = {}
    if cls is not None:
        derived, class_params = _from_class(entry, func, cls)
        allowed |= class_params
        allowed -= set(derived)
        used = {sym.name for expr in derived.values() for sym in expr.free_symbols}
        narrowing = sorted(name for name in params if name in class_params - used)
        if entry.direction == "lower" and narrowing:
            # the class's v is that of all its members over the parameters v uses (all
            # parities on d variables: d); for the members of a given k it is only an
            # upper bound (parities on 2 of 20 variables: at most log2 C(20, <=2) < 8),
            # and a lower bound stated with an upper bound on v is false
            raise InvalidParameterError(
                f"{func}({entry.name!r}) is a lower bound: it needs the VC dimension of "
                f"the class itself, and the {cls!r} class's v = {derived.get('v')} does not "
                f"depend on {', '.join(narrowing)}: it is the VC dimension of all its "
                f"members (every {', '.join(narrowing)} together), only an upper bound for "
                "those with "
                f"{', '.join(f'{name}={params[name]!r}' for name in narrowing)}. Pass the "
                "VC dimension of that subclass as vc=... instead of cls."
            )
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidParameterError(
            f"{func}({entry.name!r}) does not take {', '.join(map(repr, unknown))}. "
            f"It takes eps, delta and {', '.join(sorted(allowed)) or 'nothing else'}"
            + (f" (with cls={cls!r}, which supplies {', '.join(derived)})" if derived else "")
            + "."
        )
    try:
        numeric = _numeric_values({**params, **fixed}, f"{func}({entry.name!r})")
    except InvalidParameterError as err:  # name the value as it was given: vc=0, not 'v'
        typed = [key for key in given if key in _ALIASES and
                 f"The {_ALIASES[key]!r} parameter" in str(err)]
        if not typed:
            raise
        raise InvalidParameterError(str(err).replace(
            f"The {_ALIASES[typed[0]]!r} parameter",
            f"The {typed[0]!r} parameter ({_ALIASES[typed[0]]}, the VC dimension)", 1)) from None
    if cls is not None:  # values no member of the class has (k = 5 of d = 3 variables)
        from .._web.constraints import check_constraints

        check_constraints({sym.name: value for sym, value in numeric.items()}, [cls],
                          f"{func}({entry.name!r}, cls={cls!r})")
    for name, expr in derived.items():
        missing = sorted(str(sym) for sym in expr.free_symbols if sym not in numeric)
        if missing:
            raise MissingValueError(
                f"{func}({entry.name!r}, cls={cls!r}) needs the class parameters "
                f"{', '.join(missing)} to compute {name}.", names=tuple(missing)
            )
        numeric[S.SYMBOLS[name]] = _evaluate(expr, numeric, f"{name} of {cls}")
    needed = [sym for sym in entry.formula.free_symbols if sym not in numeric]
    if needed:
        names = sorted(sym.name for sym in needed)
        hint = ""
        if "C" in names:
            hint = (f" {entry.name} holds only up to an unknown constant (order=True): pass "
                    "C=... to evaluate it (C=1 shows the shape, not a guarantee).")
        if "log_size" in names:
            hint += " log_size is ln|G|; or pass cls=<class name> and its parameters."
        if "v" in names:
            hint += " v is the VC dimension (vc=...); or pass cls=<class name>."
        raise MissingValueError(
            f"{func}({entry.name!r}) needs {', '.join(names)}.{hint}", names=tuple(names)
        )
    return numeric


def _from_class(entry: CatalogEntry, func: str, cls: str) -> tuple[dict[str, sympy.Expr],
                                                                     set[str]]:
    from ..classes import CLASSES

    if not isinstance(cls, str) or cls not in CLASSES:  # [] is unhashable
        raise unknown_name("class", cls, list(CLASSES))
    model_class = CLASSES[cls]
    derived = {}
    for name, attr in (("log_size", "log_size"), ("v", "vc_dim")):
        if name in entry.params:
            expr = getattr(model_class, attr)
            if expr is None:
                raise MissingValueError(
                    f"{func}({entry.name!r}, cls={cls!r}): the class {cls!r} declares no "
                    f"{attr} (THEORY §4); pass {name}=... instead.", names=(name,)
                )
            derived[name] = expr
    if not derived:
        raise InvalidParameterError(
            f"{func}({entry.name!r}) takes no class size, so cls={cls!r} has no use here."
        )
    return derived, {sym.name for sym in model_class.params}


def _entry(name: str) -> CatalogEntry:
    if not isinstance(name, str):
        raise InvalidParameterError(f"A catalog entry name must be a string. Got {name!r}.")
    return catalog[name]


def samples_needed(name: str, *, eps: float, delta: float, cls: str | None = None,
                   **params: Any) -> int:
    """The number of samples the catalog bound ``name`` asks for: the least
    integer n >= the formula at the exact arguments (a float argument means the
    decimal its repr spells), also when n has more digits than a float holds.

    Parameters
    ----------
    name : str
        A key of :data:`catalog`.
    eps, delta : float
        In (0, 1).
    cls : str, optional
        A class name of ``pd.CLASSES`` supplying ``log_size`` (ln|G|) or the VC
        dimension ``v``, evaluated at the class parameters given in ``params``.
    **params
        The entry's parameters by symbol name (``log_size=...``, ``vc=...`` or
        ``v=...``, ``C=...`` for order bounds, ``S``, ``s``, ``N``...).

    Examples
    --------
    >>> pd.bounds.samples_needed("agnostic_finite", eps=0.1, delta=0.05, cls="parity", d=20)
    3511
    >>> pd.bounds.samples_needed("realizable_optimal", eps=0.1, delta=0.05, vc=10)
    Traceback (most recent call last):
    ...
    pacdistill.errors.MissingValueError: samples_needed('realizable_optimal') needs C. ...
    """
    entry = _entry(name)
    if entry.resource != "samples":
        raise InvalidParameterError(
            f"{name} bounds {entry.resource}, not samples (it needs no samples from D); "
            f"evaluate it with pd.bounds.catalog[{name!r}].evaluate(...) or "
            f"`pacdistill bound samples {name}`."
        )
    eps = check_probability(eps, "eps", "samples_needed")
    delta = check_probability(delta, "delta", "samples_needed")
    values = _values(entry, "samples_needed", params, cls, {"eps": eps, "delta": delta})
    return _count(entry.formula, values, f"formula of {name}")


def _evaluate_entry(entry: CatalogEntry, cls: str | None, values: dict[str, Any],
                    expr: sympy.Expr | None = None) -> int:
    func = f"catalog[{entry.name!r}].evaluate"
    unused = [key for key in ("eps", "delta")
              if key in values and S.SYMBOLS[key] not in entry.formula.free_symbols]
    if unused:  # accepted and ignored before: query_junta(eps=0.1) looked eps-dependent
        raise InvalidParameterError(
            f"{func} does not take {unused[0]}: the {entry.name} bound does not depend on "
            f"{unused[0]} (it needs {', '.join(entry.needs())}). Got {unused[0]}="
            f"{values[unused[0]]!r}; leave it out."
        )
    fixed = {key: check_probability(values.pop(key), key, func)
             for key in ("eps", "delta") if key in values}
    numeric = _values(entry, func, values, cls, fixed)
    target = entry.formula if expr is None else expr
    return _count(target, numeric, f"formula of {entry.name}")


def eps_achievable(name: str, *, n: int, delta: float, cls: str | None = None,
                   **params: Any) -> float:
    """The smallest eps for which the bound ``name`` asks for at most n samples.

    Uses the closed form ``entry.eps_formula`` when sympy could solve the bound
    for eps, and bisection in eps otherwise (every catalog bound decreases in
    eps). Either estimate is then settled on the float grid with the very
    evaluation :func:`samples_needed` performs (the float read as its exact
    decimal, the formula at 50 digits, rounded up): the result is the smallest
    float eps with ``samples_needed(name, eps=eps, ...) <= n``, so the two
    invert each other. (A rounded closed form alone lands a hair below the
    exact root about half the time, where the bound asks for n + 1.) A value
    >= 1 means the bound says nothing for this n. For a lower bound
    (``direction == "lower"``, realizable_lower) the value is not achievable
    by the bound's account: it is the smallest eps the bound does not rule out,
    since no learner reaches a smaller one with n samples.

    Examples
    --------
    >>> round(pd.bounds.eps_achievable("realizable_finite", n=1686, delta=0.05,
    ...                                log_size=20 * 0.6931471805599453), 6)
    0.009999
    >>> round(pd.bounds.eps_achievable("realizable_vc", n=10_000, delta=0.05, vc=3), 4)
    0.0221
    """
    from .._validation import check_int

    entry = _entry(name)
    if S.eps not in entry.formula.free_symbols:
        raise InvalidParameterError(f"{name} does not depend on eps; nothing to solve for.")
    n = check_int(n, "n", "eps_achievable", min=1)
    delta = check_probability(delta, "delta", "eps_achievable")
    values = _values(entry, "eps_achievable", params, cls, {"delta": delta, "eps": 0.5})
    del values[S.eps]
    closed = entry.eps_formula
    if closed is not None:
        guess = float(_evaluate(closed, {**values, S.n: sympy.Integer(n)}, f"eps of {name}"))
    else:
        guess = _bisect_eps(entry, values, n)

    def fits(eps: float) -> bool:  # samples_needed(eps) <= n, computed as it computes it
        at = {**values, S.eps: sympy.Rational(repr(eps))}
        return _count(entry.formula, at, f"formula of {name}") <= n

    return _smallest_fitting(fits, guess)


def _float_index(x: float) -> int:
    """The position of a float >= 0 on the float grid (consecutive floats differ by 1)."""
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _float_at(index: int) -> float:
    return struct.unpack("<d", struct.pack("<q", index))[0]


def _smallest_fitting(fits: Callable[[float], bool], guess: float) -> float:
    """The smallest positive float x with ``fits(x)``, for ``fits`` false below some
    point and true above it, searched outward from ``guess`` (galloping, then
    bisection on the float grid): a few evaluations when ``guess`` is within a
    few ulps."""
    top = _float_index(math.inf)
    if not guess > 0 or not math.isfinite(guess):
        guess = 1.0
    lo = hi = _float_index(guess)
    step = 1
    if fits(guess):  # walk down to a float that does not fit (or to 0)
        while True:
            lo = max(hi - step, 0)
            if lo == 0 or not fits(_float_at(lo)):
                break
            hi, step = lo, 2 * step
    else:  # walk up to a float that fits
        while True:
            hi = min(lo + step, top - 1)
            if fits(_float_at(hi)):
                break
            if hi == top - 1:
                raise InvalidParameterError(  # pragma: no cover - the bounds fall to 0
                    "No finite eps makes the bound ask for so few samples.")
            lo, step = hi, 2 * step
    while hi - lo > 1:  # invariant: fits(hi), not fits(lo) (or lo = 0)
        mid = (lo + hi) // 2
        if fits(_float_at(mid)):
            hi = mid
        else:
            lo = mid
    return _float_at(hi)


def _bisect_eps(entry: CatalogEntry, values: Mapping[sympy.Symbol, sympy.Expr], n: int) -> float:
    func = float_function(entry.formula.xreplace(dict(values)), [S.eps])

    def too_many(eps: float) -> bool:
        return func({S.eps: eps}) > n

    hi = 1.0
    while too_many(hi):
        hi *= 2.0
        if hi > 1e12:
            raise InvalidParameterError(
                f"{entry.name} asks for more than n={n} samples at every eps <= 1e12."
            )
    lo = hi / 2.0
    while not too_many(lo):
        lo /= 2.0
        if lo < 1e-300:  # pragma: no cover - the bounds grow as eps -> 0
            return lo
    for _ in range(200):  # invariant: too_many(lo) and not too_many(hi)
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if too_many(mid):
            lo = mid
        else:
            hi = mid
    return hi


# ------------------------------------------------------------------ class sizes
@dataclass(frozen=True)
class ClassSize:
    """ln|G| and the VC dimension of a model class, with sources (THEORY §4)."""

    name: str
    log_size: sympy.Expr | None
    log_size_source: str
    vc_dim: sympy.Expr | None
    vc_dim_source: str


def class_sizes() -> dict[str, ClassSize]:
    """The class-size table of THEORY §4, read from ``pd.CLASSES`` (the one
    source of truth: each ModelClass declares its ``log_size`` and ``vc_dim``).

    >>> pd.bounds.class_sizes()["parity"].log_size
    d*log(2)
    """
    from ..classes import CLASSES

    return {
        name: ClassSize(name, cls.log_size, cls.log_size_source, cls.vc_dim,
                        cls.vc_dim_source)
        for name, cls in CLASSES.items()
    }


# ------------------------------------------------------- learning-time anchors
@dataclass(frozen=True)
class LearningTimeAnchor:
    """A known learning-time result (THEORY §4): a record, not a formula."""

    task: str
    setting: str
    time: str
    source: str


#: THEORY §4's learning-time anchors
LEARNING_TIME_ANCHORS: tuple[LearningTimeAnchor, ...] = (
    LearningTimeAnchor("k-juntas", "uniform random examples", "d^k (exhaustive search)",
                       "folklore (THEORY §4)"),
    LearningTimeAnchor("k-juntas", "uniform random examples", "d^(omega k / (omega + 1))",
                       "Mossel, O'Donnell, Servedio 2003, doi:10.1145/780542.780574"),
    LearningTimeAnchor("k-juntas", "uniform random examples", "about d^(0.6 k)",
                       "G. Valiant 2012, 'Finding correlations in subquadratic time, with "
                       "applications to learning parities and juntas', FOCS 2012, pp. 11-20; "
                       "journal version J. ACM 62(2) 2015, doi:10.1145/2728167"),
    LearningTimeAnchor("k-juntas", "membership queries", "poly(d, 2^k)",
                       "THEORY §4, §6"),
    LearningTimeAnchor("decision trees of size s", "random examples", "d^O(log s)",
                       "Ehrenfeucht and Haussler 1989, doi:10.1016/0890-5401(89)90001-1"),
    LearningTimeAnchor("parities", "random examples", "poly(d) (Gaussian elimination)",
                       "folklore (THEORY §4)"),
    LearningTimeAnchor("k-parities", "statistical queries", "d^Omega(k)",
                       "Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994, "
                       "doi:10.1145/195058.195147"),
)
