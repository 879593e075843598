"""Composition of guarantees along a chain of reductions (THEORY §3).

``compose(g1, g2)`` is the guarantee of "run step 1 (F -> G), then step 2 (G -> H)
on its output". Row by row (THEORY §3 table):

=================  ===========  =======================  ===========================
step 1             step 2       composite kind           promise
=================  ===========  =======================  ===========================
exact              any          step 2's kind            step 2's (f = g pointwise)
perfect            exact        perfect                  step 1's
perfect            agnostic     agnostic                 step 1's
agnostic           exact        agnostic (against G)     step 1's (none)
agnostic           agnostic     agnostic                 step 1's (none)
not exact          has promise  refused                  step 2's promise can fail
barrier            any          refused                  hardness records never compose
=================  ===========  =======================  ===========================

("has promise" covers perfect steps and the agnostic composites that hold
under a promise.) The other coordinates, each stated in F's parameters:

- **error**: with e1 the bound of step 1 and e2 that of step 2, linear in the
  OPT symbols with nonnegative coefficients, the composite error is
  ``e2(sigma1) + (1 + c2) e1`` where c2 is the sum of e2's OPT coefficients. This
  is the triangle inequality of THEORY §3 in general form: err(f, h) <= err(f, g)
  + err(g, h) and OPT_X(g) <= OPT_X(f) + err(f, g) for every class X. It gives
  every row of the table: ``eps2`` (exact, perfect), ``eps1`` (perfect, exact),
  ``OPT_H + 2 eps1 + eps2`` (perfect, agnostic), ``OPT_H + 2 (OPT_G + eps1) +
  eps2`` (agnostic, agnostic), ``OPT_H + eps2`` (exact, agnostic), ``OPT_G +
  eps1`` (agnostic, exact).
- **failure** ``delta1 + delta2`` (union bound); **samples**
  ``ceiling(n1) + ceiling(n2)`` (fresh samples per step, each step drawing
  the whole number ceiling(n_i) of its own bound; a plain ``n1 + n2`` is one
  short per extra sampling step when both are fractional); **queries** add
  likewise (step 2's queries go to the intermediate model, so this
  over-counts the queries to f: still a valid bound). The ceiling is taken
  per step, before the fold, so the fold is a plain sum and stays associative.
- **time** ``T1 + T2(sigma1)``. Convention (the project's; see docs/THEORY.md
  §3): an edge's ``time`` includes every evaluation it makes of its input
  (a learner's n evaluations of f, a query algorithm's queries, each at
  ``CLASSES[F].eval_time``), so a single edge's time is honest on its own. THEORY
  §3's ``T2(sigma1) + n2 * eval_G(sigma1)`` states T2 without those
  evaluations; the two agree, and adding the term again here would count the
  intermediate evaluations twice.
- **size map** ``sigma2 o sigma1`` by simultaneous substitution; a parameter
  missing from a size map is carried over unchanged (identity) while folding,
  and the composite's map keeps only the target class's parameters when the
  target is a known class. Every step-2 field is substituted by sigma1 too.
- **a step's own sizes**: a symbol of step i >= 2 that is not a parameter of
  its input class is the step's own choice (a junta learner's k, the depth r
  of the tree ``lrh_tree`` extracts). When the chain's source class has a
  parameter of that name, an earlier step already uses it, or an intermediate
  class has it (a key of an earlier size map, which the fold carries on), the
  step's choice is renamed ``k_i`` (:func:`pacdistill.bounds.symbols.step_option`)
  before the fold, so "the conjunction's k literals" and "the learner's k"
  stay two symbols; ``ComposedGuarantee.options`` lists the renamings. The
  first step's symbols are never renamed: its own choices and its input's
  parameters share names on purpose (a k-junta learner on a k-literal
  conjunction).
- **assumptions**: the union; **order**: True if any step's is (C then stands
  for the largest of the steps' constants, which keeps the sum a valid bound);
  **source**: "derived here: THEORY §3" with the steps' sources.

Budget split and associativity
------------------------------
The composite is stated in its own ``eps`` and ``delta``. Step i's ``eps`` and
``delta`` are first renamed to per-step budgets ``eps_i``, ``delta_i``
(:func:`pacdistill.bounds.symbols.step_eps`), and the chain is folded pairwise
with the rules above. That fold is associative exactly (the tests check every
field symbolically over random chains). The budget split -- which eps_i and
delta_i to use for a target (eps, delta) -- is then applied **once, over the
flattened chain**: a :class:`ComposedGuarantee` remembers its atomic ``steps``,
and composing it again re-splits the whole chain. Splitting pairwise would not
be associative: for three agnostic steps, splitting ((a b) c) gives eps/16,
eps/8, eps/2 while (a (b c)) gives eps/4, eps/8, eps/4. So
``compose(compose(a, b), c) == compose(a, compose(b, c))`` holds field by field,
and an inner composite's split is not kept (the split belongs to the chain).

The default split (THEORY §3): the error is ``OPT terms + sum_i c_i eps_i``;
each of the m steps whose eps_i appears gets an equal share, eps_i =
eps / (m c_i) (for 2 eps_1 + eps_2: eps/4 and eps/2). Likewise delta is split
evenly between the steps that have a failure probability. A budget that appears
in no error (failure) term -- an exact step, a step with error 0 -- is set to
eps (delta): its value does not change the composite's error. ``split=`` takes
an explicit mapping instead, or ``"none"`` to keep the per-step budgets;
``optimize=True`` with numeric values ``at=`` minimises the total samples (or
``objective="queries"``/``"time"``) over the shares numerically and records the
shares in ``split_info``.

>>> from pacdistill.bounds import symbols as S
>>> from pacdistill.bounds.guarantee import Guarantee
>>> learn = Guarantee("agnostic", "junta", "junta", "THEORY §4",
...                   error=S.OPT("junta") + S.eps, failure=S.delta,
...                   samples=2 * (S.k * sympy.log(S.d) + sympy.log(2 / S.delta)) / S.eps**2)
>>> to_tree = Guarantee("exact", "junta", "decision_tree", "THEORY §8", time=2**S.k,
...                     size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k})
>>> both = compose(learn, to_tree)
>>> both.error, both.failure
(OPT_junta + eps, delta)
>>> both.size_map[S.s]
2**k
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy

from .._record import is_tagged
from .._validation import check_bool, is_sequence, param_error, show
from ..errors import IncompatibleReductionError, InvalidParameterError, SerializationError
from . import symbols as _sym
from ._floatfn import float_function as _float_function
from .guarantee import FIELDS, Guarantee, Promise, _expr, _fields_from_dict, _numeric_values

__all__ = ["ComposedGuarantee", "compose", "compose_all", "default_split", "OBJECTIVES"]

#: what ``optimize=True`` may minimise
OBJECTIVES = ("samples", "queries", "time")


@dataclass(frozen=True, repr=False)
class ComposedGuarantee(Guarantee):
    """The guarantee of a chain of reductions (what :func:`compose` returns).

    Its Guarantee fields are the composite's, stated in ``eps`` and ``delta``
    after the budget split. It also records

    Attributes
    ----------
    steps : tuple of Guarantee
        The atomic guarantees of the chain, in order (never composites).
    split : Mapping[sympy.Symbol, sympy.Expr]
        The budget split: per-step budget ``eps_i`` / ``delta_i`` -> its value in
        the composite's ``eps`` / ``delta`` (empty for ``split="none"``).
    split_info : Mapping[str, Any]
        JSON-safe notes on the split: ``method`` (``"default"``,
        ``"explicit"``, ``"optimized"`` or ``"none"``); for optimized splits
        also ``objective``, ``at``, ``shares``, ``value`` and ``default_value``.
    """

    steps: tuple[Guarantee, ...] = ()
    split: Mapping[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    split_info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        steps = tuple(self.steps)
        if len(steps) < 2 or not all(
            isinstance(g, Guarantee) and not isinstance(g, ComposedGuarantee) for g in steps
        ):
            raise InvalidParameterError(
                "A ComposedGuarantee needs at least two atomic (non-composed) steps."
            )
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "split", dict(self.split))
        object.__setattr__(self, "split_info", dict(self.split_info))

    def __hash__(self) -> int:
        return hash((super().__hash__(), len(self.steps)))

    @property
    def options(self) -> dict[sympy.Symbol, tuple[int, sympy.Symbol]]:
        """The steps' own sizes renamed by the fold (module docstring):
        ``{k_2: (2, k)}`` says that the composite's ``k_2`` is step 2's ``k``.

        >>> from pacdistill.bounds import symbols as S
        >>> to_list = Guarantee("exact", "conjunction", "decision_list", "x",
        ...                     size_map={S.d: S.d, S.l: S.k})
        >>> learn = Guarantee("agnostic", "decision_list", "junta", "y",
        ...                   error=S.OPT("junta") + S.eps, failure=S.delta,
        ...                   samples=S.k * S.d / S.eps**2, size_map={S.d: S.d, S.k: S.k})
        >>> both = compose(to_list, learn)
        >>> both.options, both.samples, both.size_map[S.k]
        ({k_2: (2, k)}, ceiling(d*k_2/eps**2), k_2)
        """
        known = self.__dict__.get("_options")  # set by compose_all, else computed once
        if known is None:
            known = {new: (index, old) for new, index, old in _rename_options(self.steps)[1]}
            if _PREFIX_STEPS:  # 0: nothing stored (the plain path, bench_web's baseline)
                object.__setattr__(self, "_options", known)
        return dict(known)

    @property
    def unsplit(self) -> Guarantee:
        """The composite before the budget split: every field in the per-step
        budgets eps_1, delta_1, eps_2, ... (an atomic Guarantee)."""
        return _chain_guarantee(_fold(self.steps))

    def _repr_fields(self) -> list[str]:
        parts = super()._repr_fields()
        parts.append(f"steps={list(self.steps)!r}")
        if self.split:
            from .guarantee import _REBUILD

            items = sorted(self.split.items(), key=lambda kv: kv[0].name)
            parts.append("split={" + ", ".join(
                f"{_REBUILD.doprint(k)}: {_REBUILD.doprint(v)}" for k, v in items) + "}")
        parts.append(f"split_info={dict(self.split_info)!r}")
        return parts

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines.append(f"  steps ({len(self.steps)}): " + " -> ".join(
            [self.steps[0].from_class] + [f"[{g.kind}] {g.to_class}" for g in self.steps]))
        if self.split:
            lines.append(f"  split ({self.split_info.get('method', '?')}): " + ", ".join(
                f"{k} = {sympy.sstr(v)}" for k, v in
                sorted(self.split.items(), key=lambda kv: _budget_key(kv[0]))))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form: the Guarantee fields plus ``steps``, ``split`` and
        ``split_info``; :meth:`from_dict` rebuilds an equal object (and checks
        that the stored fields are those the steps and split give)."""
        from ._serialize import to_tree

        data = super().to_dict()
        data["type"] = "ComposedGuarantee"
        data["steps"] = [g.to_dict() for g in self.steps]
        data["split"] = [[k.name, to_tree(v)] for k, v in
                         sorted(self.split.items(), key=lambda kv: _budget_key(kv[0]))]
        data["split_info"] = dict(self.split_info)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ComposedGuarantee:
        """Rebuild from :meth:`to_dict`'s form (strict; SerializationError otherwise)."""
        from ._serialize import from_tree, symbol_from_name

        if not is_tagged(data, "ComposedGuarantee"):
            raise SerializationError("Expected a document of type 'ComposedGuarantee'.")
        stored = _fields_from_dict(data, {"steps", "split", "split_info"})
        if not isinstance(data["steps"], list) or not isinstance(data["split"], list) \
                or not isinstance(data["split_info"], Mapping):
            raise SerializationError(
                "A ComposedGuarantee document needs lists 'steps' and 'split' and an object "
                "'split_info'."
            )
        steps = []
        for item in data["steps"]:
            if not is_tagged(item, "Guarantee"):
                raise SerializationError("Each step of a ComposedGuarantee must be a Guarantee.")
            steps.append(Guarantee.from_dict(item))
        split: dict[sympy.Symbol, sympy.Expr] = {}
        for pair in data["split"]:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise SerializationError(
                    f"A split entry must be [name, expression]. Got {show(pair)}.")
            key = symbol_from_name(pair[0])
            if key is None or not _sym.is_budget_symbol(key) or key in split:
                raise SerializationError(f"Unknown or repeated split key {pair[0]!r}.")
            split[key] = from_tree(pair[1])
        try:
            rebuilt = compose_all(steps, split=split if split else "none")
        except (InvalidParameterError, IncompatibleReductionError) as err:
            raise SerializationError(f"Invalid ComposedGuarantee document: {err}") from err
        for name in FIELDS:
            if not _same(getattr(rebuilt, name), stored[name]):
                raise SerializationError(
                    f"The {name} stored in the ComposedGuarantee document "
                    f"({sympy.sstr(stored[name])}) is not what its steps and split give "
                    f"({sympy.sstr(getattr(rebuilt, name))})."
                )
        try:
            return cls(**{**stored, "steps": rebuilt.steps, "split": rebuilt.split,
                          "split_info": dict(data["split_info"])})
        except InvalidParameterError as err:
            raise SerializationError(f"Invalid ComposedGuarantee document: {err}") from err


# --------------------------------------------------------------------- the fold
@dataclass(frozen=True)
class _Chain:
    """A composite before its split: fields in per-step budgets (private)."""

    kind: str
    from_class: str
    to_class: str
    promise: Promise | None
    error: sympy.Expr
    failure: sympy.Expr
    samples: sympy.Expr
    queries: sympy.Expr
    time: sympy.Expr
    size_map: Mapping[sympy.Symbol, sympy.Expr]
    assumptions: frozenset[str]
    order: bool
    nsteps: int
    sources: tuple[str, ...]
    #: (new symbol, step index, the step's symbol) for each renamed step choice
    options: tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...] = ()


def _lift(g: Guarantee, index: int = 1) -> _Chain:
    """Step ``index`` of a chain: g with eps, delta renamed eps_index, delta_index."""
    if not isinstance(g, Guarantee):
        raise InvalidParameterError(f"compose needs Guarantee objects. Got {show(g)}.")
    if g.kind == "barrier":
        raise IncompatibleReductionError(
            f"The {g.from_class} -> {g.to_class} guarantee is a barrier (a hardness record "
            f"under {', '.join(g.assumptions) or 'an assumption'}), not an algorithm; "
            "barrier edges never compose (THEORY §3, §8)."
        )
    used = {sym.name for sym in g.free_symbols if _sym.is_budget_symbol(sym)}
    if used:
        raise InvalidParameterError(
            f"The {g.from_class} -> {g.to_class} guarantee already uses per-step budgets "
            f"{sorted(used)}; compose atomic guarantees stated in eps and delta."
        )
    rename = {_sym.eps: _sym.step_eps(index), _sym.delta: _sym.step_delta(index)}
    sub = _substituter(rename)
    return _Chain(
        kind=g.kind, from_class=g.from_class, to_class=g.to_class, promise=g.promise,
        error=sub(g.error), failure=sub(g.failure), samples=_whole(sub(g.samples)),
        queries=_whole(sub(g.queries)), time=sub(g.time),
        size_map={key: sub(value) for key, value in g.size_map.items()},
        assumptions=frozenset(g.assumptions), order=g.order,
        nsteps=1, sources=(g.source,),
    )


def _substituter(mapping: Mapping[sympy.Symbol, sympy.Expr]):
    """Simultaneous substitution of symbols (xreplace replaces every occurrence
    of each key at once and never rewrites inside an inserted value)."""
    mapping = dict(mapping)

    def sub(expr: sympy.Expr) -> sympy.Expr:
        return expr.xreplace(mapping) if mapping else expr

    return sub


def _shift(chain: _Chain, offset: int) -> _Chain:
    """Renumber a chain's budgets eps_i -> eps_{i+offset} (and delta)."""
    if offset == 0:
        return chain
    found: set[sympy.Symbol] = set()
    for expr in (chain.error, chain.failure, chain.samples, chain.queries, chain.time,
                 *chain.size_map.values()):
        found |= {sym for sym in expr.free_symbols if _sym.is_budget_symbol(sym)}
    rename = {}
    for sym in found:
        head, index = sym.name.rsplit("_", 1)
        maker = _sym.step_eps if head == "eps" else _sym.step_delta
        rename[sym] = maker(int(index) + offset)
    sub = _substituter(rename)
    return _Chain(
        kind=chain.kind, from_class=chain.from_class, to_class=chain.to_class,
        promise=chain.promise, error=sub(chain.error), failure=sub(chain.failure),
        samples=sub(chain.samples), queries=sub(chain.queries), time=sub(chain.time),
        size_map={key: sub(value) for key, value in chain.size_map.items()},
        assumptions=chain.assumptions, order=chain.order,
        nsteps=chain.nsteps, sources=chain.sources, options=chain.options,
    )


def _kind_and_promise(x: _Chain, y: _Chain) -> tuple[str, Promise | None]:
    """THEORY §3 table: the composite's kind and promise, or a refusal."""
    if x.to_class != y.from_class:
        raise IncompatibleReductionError(
            f"Cannot compose {x.from_class} -> {x.to_class} with {y.from_class} -> "
            f"{y.to_class}: step 1 outputs a {x.to_class} but step 2 takes a {y.from_class}."
        )
    if x.kind == "exact":
        return y.kind, y.promise  # f = g everywhere, so step 2's promise transfers
    if y.promise is not None:
        mode = y.promise.mode
        detail = (
            "it needs its input to equal a member of {cls} on all of X, and an approximate "
            "output need not, even where D puts no mass" if mode == "everywhere" else
            "it needs its input to agree D-almost surely with a member of {cls}, and an "
            "output that is only close to f need not"
        ).format(cls=y.promise.cls)
        raise IncompatibleReductionError(
            f"Cannot compose step 1 ({x.kind}, {x.from_class} -> {x.to_class}) with step 2 "
            f"({y.kind}, {y.from_class} -> {y.to_class}, promise {y.promise}): step 1's "
            f"output is only close to f, so step 2's promise can fail ({detail}). "
            "Only an exact conversion may precede a step with a promise (THEORY §3)."
        )
    if y.kind == "exact":
        return x.kind, x.promise
    return "agnostic", x.promise  # y agnostic: agnostic under step 1's promise, if any


def _composite_error(e1: sympy.Expr, e2: sympy.Expr) -> sympy.Expr:
    """e2 + (1 + c2) e1, c2 the sum of e2's OPT coefficients (module docstring)."""
    opts = [sym for sym in e2.free_symbols if _sym.is_opt_symbol(sym)]
    c2 = sympy.Integer(0)
    for opt in opts:
        coeff = sympy.diff(e2, opt)
        if any(_sym.is_opt_symbol(sym) for sym in coeff.free_symbols):
            raise InvalidParameterError(
                f"The error bound {sympy.sstr(e2)} is not linear in {opt}; composition "
                "(THEORY §3) needs error bounds linear in the OPT symbols."
            )
        if coeff.is_nonnegative is not True:
            raise InvalidParameterError(
                f"The error bound {sympy.sstr(e2)} has coefficient {sympy.sstr(coeff)} on "
                f"{opt}, not provably >= 0; composition (THEORY §3) needs nonnegative ones."
            )
        c2 += coeff
    return e2 + (1 + c2) * e1


@functools.lru_cache(maxsize=4096)
def _whole(count: sympy.Expr) -> sympy.Expr:
    """A step's samples or queries as the whole number it draws: ceiling(count)
    (sympy leaves an integer-valued count as it is). Cached: the web lifts the
    same edges into hundreds of routes, and building a ceiling costs sympy a
    factorisation of its argument."""
    return count if count == 0 else sympy.ceiling(count)


def _pair(x: _Chain, y: _Chain) -> _Chain:
    """Compose two chains (y's budgets are renumbered after x's)."""
    kind, promise = _kind_and_promise(x, y)
    return _join(x, _shift(y, x.nsteps), kind, promise)


def _join(x: _Chain, y: _Chain, kind: str, promise: Promise | None) -> _Chain:
    """:func:`_pair` once y's budgets are renumbered after x's."""
    sub = _substituter(x.size_map)
    size_map = {key: sub(value) for key, value in y.size_map.items()}
    for key, value in x.size_map.items():
        size_map.setdefault(key, value)  # missing from sigma2: carried over unchanged
    return _Chain(
        kind=kind, from_class=x.from_class, to_class=y.to_class, promise=promise,
        error=_composite_error(x.error, sub(y.error)),
        failure=x.failure + sub(y.failure),
        samples=x.samples + sub(y.samples),
        queries=x.queries + sub(y.queries),
        time=x.time + sub(y.time),
        size_map=size_map,
        assumptions=x.assumptions | y.assumptions,
        order=x.order or y.order,
        nsteps=x.nsteps + y.nsteps,
        sources=x.sources + y.sources,
        options=x.options + y.options,
    )


def _class_params(name: str) -> frozenset[sympy.Symbol] | None:
    """The parameters of a known class, None for a name pd.CLASSES lacks."""
    from ..classes import CLASSES

    cls = CLASSES.get(name)
    params = getattr(cls, "params", None)
    return None if params is None else frozenset(params)


def _integer_symbols(g: Guarantee) -> frozenset[sympy.Symbol]:
    return _facts(g)[0]


def _size_keys(g: Guarantee) -> frozenset[sympy.Symbol]:
    return frozenset(key for key in g.size_map if key.name in _sym.INTEGER_SYMBOLS)


def _facts(g: Guarantee) -> tuple[frozenset[sympy.Symbol], tuple[str, ...]]:
    """A step's integer symbols and the renamed step sizes it already uses
    (read from every field; stored per step, see :func:`_stored`)."""
    def make() -> tuple[frozenset[sympy.Symbol], tuple[str, ...]]:
        free = g.free_symbols
        return (frozenset(sym for sym in free if sym.name in _sym.INTEGER_SYMBOLS),
                tuple(sorted(sym.name for sym in free if _sym.is_step_option(sym))))

    return _stored(_FACTS, (id(g),), g, make)


def _rename_options(steps: Sequence[Guarantee]
                    ) -> tuple[list[Guarantee], tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...]]:
    """The steps with each step's own sizes renamed k -> k_i where the chain
    already means something by k (module docstring), and the renamings.

    Step i's own sizes are its integer symbols that are not parameters of its
    input class. "Already means something": a parameter of the chain's source
    class, a symbol of step 1, an own size of an earlier step, or a key of an
    earlier step's size map (an intermediate class's parameter: the fold
    carries those keys on, so a later step's own r would otherwise be
    substituted by the r of a tree two steps back). A step whose
    input class is unknown (not in pd.CLASSES) is not renamed, and all its
    integer symbols count as taken. The renaming depends on the flattened chain
    only, so the fold over the renamed steps stays associative. A step that
    already uses a renamed size (k_2, written by hand) is refused: the fold's
    k_2 would silently become the same symbol."""
    _refuse_renamed_sizes(steps)
    taken = _taken_by_first(steps[0])
    out = [steps[0]]
    renamings: list[tuple[sympy.Symbol, int, sympy.Symbol]] = []
    for index, step in enumerate(steps[1:], start=2):
        step, new, taken = _rename_step(step, index, taken)
        out.append(step)
        renamings += new
    return out, tuple(renamings)


def _refuse_renamed_sizes(steps: Sequence[Guarantee]) -> None:
    for step in steps:
        used = list(_facts(step)[1])
        if used:
            raise InvalidParameterError(
                f"The {step.from_class} -> {step.to_class} guarantee already uses renamed "
                f"step sizes {used}; compose atomic guarantees stated in the shared size "
                "symbols (the composition renames a later step's own sizes itself, THEORY §3)."
            )


def _taken_by_first(first: Guarantee) -> frozenset[sympy.Symbol]:
    """What the chain means by its symbols after step 1 (never renamed)."""
    return frozenset(set(_class_params(first.from_class) or ()) | _integer_symbols(first)
                     | _size_keys(first))


def _rename_step(step: Guarantee, index: int, taken: frozenset[sympy.Symbol]
                 ) -> tuple[Guarantee, tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...],
                            frozenset[sympy.Symbol]]:
    """Step ``index`` (>= 2) with its own sizes renamed apart from ``taken``,
    its renamings, and what the chain means by its symbols after it
    (:func:`_rename_options`; a function of steps 1 .. index only)."""
    renamings, after = _renaming(step, index, taken)
    return _renamed(step, renamings), renamings, after


def _renaming(step: Guarantee, index: int, taken: frozenset[sympy.Symbol]
              ) -> tuple[tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...],
                         frozenset[sympy.Symbol]]:
    """The renamings of step ``index``'s own sizes and the symbols taken after it."""
    inputs = _class_params(step.from_class)
    if inputs is None:
        return (), taken | _integer_symbols(step) | _size_keys(step)
    own = _integer_symbols(step) - inputs
    clash = sorted(own & taken, key=str)
    renamings = tuple((_sym.step_option(sym, index), index, sym) for sym in clash)
    own = (own - set(clash)) | {new for new, _, _ in renamings}
    return renamings, taken | own | _size_keys(step)  # renaming keeps the size-map keys


def _renamed(step: Guarantee, renamings: tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...]
             ) -> Guarantee:
    """``step`` with each renamed symbol replaced in every field."""
    if not renamings:
        return step
    sub = _substituter({old: new for new, _, old in renamings})
    return step.evolve(
        error=sub(step.error), failure=sub(step.failure), samples=sub(step.samples),
        queries=sub(step.queries), time=sub(step.time),
        size_map={key: sub(value) for key, value in step.size_map.items()})


#: folded prefixes of chains (see :func:`_prefix_fold`), keyed by the ids of
#: their steps; each entry holds its steps, so no id is reused while it lives
_PREFIXES: dict[tuple[int, ...], tuple[tuple[Guarantee, ...], _Chain,
                                       frozenset[sympy.Symbol], tuple]] = {}
#: steps renamed, lifted and renumbered for a position in a chain (see
#: :func:`_step_chain`), keyed by (id of the step, position, renamings); each
#: entry holds its step
_STEP_CHAINS: dict[tuple[int, int, tuple], tuple[Guarantee, _Chain]] = {}
#: steps lifted (:func:`_lift`) with their own sizes renamed, keyed by (id of
#: the step, renamings)
_LIFTS: dict[tuple, tuple[Guarantee, _Chain]] = {}
#: each step's integer symbols and renamed sizes used (:func:`_facts`)
_FACTS: dict[tuple, tuple[Guarantee, Any]] = {}
#: prefixes longer than this are folded on without being stored; 0 stores
#: nothing at all: the plain fold, step by step, as before the stores
#: (benchmarks/bench_web.py's baseline)
_PREFIX_STEPS = 12
#: entries kept before a store is emptied (a web query fills a few hundred)
_STORE_ENTRIES = 10000


#: terms of composite fields with a budget split substituted (:func:`_split_substituter`)
_SPLIT_TERMS: dict[tuple, sympy.Expr] = {}


def _split_substituter(mapping: Mapping[sympy.Symbol, sympy.Expr]):
    """:func:`_substituter` for the budget split, term by term with the terms
    stored: routes share terms (the same edge at the same position, its eps_i
    given the same share), while each route's whole field is new.

    ``expr.xreplace(rule)`` rebuilds a sum from its terms each replaced
    (``Add(*[term.xreplace(rule)])``, or returns ``expr`` itself when no term
    holds a key), and a term's replacement reads only the keys that occur in
    it (the keys are symbols), so the result is the same expression."""
    mapping = dict(mapping)
    if not mapping or not _PREFIX_STEPS:
        return _substituter(mapping)
    keys = set(mapping)

    def term(part: sympy.Expr) -> sympy.Expr:
        used = part.atoms(sympy.Symbol) & keys
        if not used:
            return part
        rule = tuple(sorted(((sym, mapping[sym]) for sym in used), key=lambda kv: kv[0].name))
        found = _SPLIT_TERMS.get((part, rule))
        if found is None:
            found = part.xreplace(dict(rule))
            if len(_SPLIT_TERMS) >= _STORE_ENTRIES:
                _SPLIT_TERMS.clear()
            _SPLIT_TERMS[(part, rule)] = found
        return found

    def sub(expr: sympy.Expr) -> sympy.Expr:
        if not expr.is_Add:
            return term(expr)
        parts = [term(part) for part in expr.args]
        if all(new is old for new, old in zip(parts, expr.args, strict=True)):
            return expr
        return expr.func(*parts)

    return sub


def _stored(store: dict, key: tuple, owner: Guarantee, make: Any) -> Any:
    """``make()``, stored in ``store`` under ``key`` (which starts with
    ``id(owner)``): the entry holds ``owner``, so its id is not reused while
    the entry lives, and an entry is used only for that very object (a
    Guarantee is frozen). Nothing is stored when ``_PREFIX_STEPS`` is 0."""
    if not _PREFIX_STEPS:
        return make()
    entry = store.get(key)
    if entry is not None and entry[0] is owner:
        return entry[1]
    value = make()
    if len(store) >= _STORE_ENTRIES:
        store.clear()
    store[key] = (owner, value)
    return value


#: the pd.CLASSES the stored prefixes were renamed with (:func:`_classes_token`)
_CLASSES_SEEN: list[Any] = [None]


def _classes_token() -> tuple:
    """What the renamings read of pd.CLASSES: each class's name and parameters
    (a class added or changed later empties the stored prefixes)."""
    from ..classes import CLASSES

    return tuple((name, getattr(cls, "params", None)) for name, cls in CLASSES.items())


def _step_chain(step: Guarantee, index: int,
                renamings: tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...]) -> _Chain:
    """Step ``index`` of a chain as the fold adds it: its own sizes renamed
    (``renamings``), lifted, its budgets renumbered eps_index, delta_index
    (``_shift(_lift(renamed step), index - 1)``, the very operations of
    :func:`_pair`). Stored: the web puts one edge at the same position of many
    routes."""
    def make() -> _Chain:
        lifted = _stored(_LIFTS, (id(step), renamings), step,
                         lambda: _lift(_renamed(step, renamings)))
        return _shift(lifted, index - 1) if index > 1 else lifted

    return _stored(_STEP_CHAINS, (id(step), index, renamings), step, make)


def _prefix_fold(steps: tuple[Guarantee, ...]
                 ) -> tuple[_Chain, tuple[tuple[sympy.Symbol, int, sympy.Symbol], ...]]:
    """The left fold of ``steps`` (renamed by :func:`_rename_options`) before
    its ``options`` are set, and the renamings: the same operations on the
    same operands as folding the renamed chain from scratch, so the same
    expressions.

    Routes of the web share prefixes (every route junta -> decision_tree -> ...
    starts with the same step), and step i's renaming and the fold of steps
    1 .. i depend on steps 1 .. i only, so the fold of a prefix is stored and
    a longer chain continues from it. A prefix is reused only for the very same
    guarantee objects (keyed by identity; Guarantee is frozen), so two
    equal-looking guarantees never share an entry; the budget split, which
    depends on the whole chain and on the caller's options, is never stored."""
    token = _classes_token()
    if token != _CLASSES_SEEN[0]:  # renamings read the classes' parameters
        _PREFIXES.clear()
        _CLASSES_SEEN[0] = token
    ids = tuple(map(id, steps))
    start = 0
    state = None
    while start < min(len(steps), _PREFIX_STEPS):
        entry = _PREFIXES.get(ids[:start + 1])
        if entry is None or entry[0][-1] is not steps[start]:
            break
        state = entry[1:]
        start += 1
    for index in range(start, len(steps)):
        step = steps[index]
        if state is None:  # step 1: never renamed
            state = (_step_chain(step, 1, ()), _taken_by_first(step), ())
        else:
            chain, taken, renamings = state
            new, taken = _renaming(step, index + 1, taken)
            y = _step_chain(step, index + 1, new)  # refuses a barrier, as _lift does
            kind, promise = _kind_and_promise(chain, y)
            state = (_join(chain, y, kind, promise), taken, renamings + new)
        if index < _PREFIX_STEPS:
            if len(_PREFIXES) >= _STORE_ENTRIES:
                _PREFIXES.clear()
            _PREFIXES[ids[:index + 1]] = (steps[:index + 1], *state)
    chain, _, renamings = state
    return chain, renamings


def _fold(steps: Sequence[Guarantee]) -> _Chain:
    steps = tuple(steps)
    _refuse_renamed_sizes(steps)
    chain, options = _prefix_fold(steps)
    return dataclasses.replace(chain, options=options) if options else chain


def _flatten(guarantees: Iterable[Guarantee], name: str = "guarantees",
             func: str = "compose_all") -> tuple[Guarantee, ...]:
    """The chain's steps, composites expanded; ``name`` and ``func`` name the
    parameter in the error when ``guarantees`` is not a sequence of Guarantees."""
    if not is_sequence(guarantees):
        raise param_error(name, func, "a sequence of Guarantee objects", guarantees)
    steps: list[Guarantee] = []
    for index, g in enumerate(guarantees):
        if isinstance(g, ComposedGuarantee):
            steps.extend(g.steps)
        elif isinstance(g, Guarantee):
            steps.append(g)
        else:
            raise param_error(name, func, f"a sequence of Guarantee objects (item {index} "
                              "is not)", g)
    return tuple(steps)


def _target_size_map(chain: _Chain) -> dict[sympy.Symbol, sympy.Expr]:
    """The chain's size map restricted to the target class's parameters when the
    target is a known class: intermediate classes' keys, carried through the
    fold so that later steps can substitute them, say nothing about the output."""
    from ..classes import CLASSES

    cls = CLASSES.get(chain.to_class)
    if cls is None or not hasattr(cls, "params"):
        return dict(chain.size_map)
    return {key: value for key, value in chain.size_map.items() if key in set(cls.params)}


def _chain_guarantee(chain: _Chain) -> Guarantee:
    return Guarantee(
        kind=chain.kind, from_class=chain.from_class, to_class=chain.to_class,
        source=_source(chain), promise=chain.promise,
        error=chain.error, failure=chain.failure, samples=chain.samples,
        queries=chain.queries, time=chain.time, size_map=_target_size_map(chain),
        assumptions=tuple(chain.assumptions), order=chain.order,
    )


def _source(chain: _Chain) -> str:
    return ("derived here: THEORY §3, composing " + str(chain.nsteps) + " steps: "
            + "; ".join(f"({i}) {src}" for i, src in enumerate(chain.sources, start=1)))


# -------------------------------------------------------------------- the split
def _budget_key(sym: sympy.Symbol) -> tuple[int, bool]:
    head, index = sym.name.rsplit("_", 1)
    return int(index), head == "delta"


def _budgets(chain: _Chain) -> list[sympy.Symbol]:
    found: set[sympy.Symbol] = set()
    for expr in (chain.error, chain.failure, chain.samples, chain.queries, chain.time,
                 *chain.size_map.values()):
        found |= {sym for sym in expr.free_symbols if _sym.is_budget_symbol(sym)}
    return sorted(found, key=_budget_key)


def _coefficients(expr: sympy.Expr, budgets: Sequence[sympy.Symbol],
                  what: str) -> dict[sympy.Symbol, sympy.Expr]:
    """Linear coefficient of each budget in expr (must be budget-free and > 0)."""
    out = {}
    for sym in budgets:
        if sym not in expr.free_symbols:
            continue
        coeff = sympy.diff(expr, sym)
        if any(_sym.is_budget_symbol(s) for s in coeff.free_symbols) or \
                coeff.is_positive is not True:
            raise InvalidParameterError(
                f"The default budget split needs the composite {what} to be linear in "
                f"{sym} with a positive coefficient. Got {sympy.sstr(expr)}; pass "
                "split={...} explicitly."
            )
        out[sym] = coeff
    return out


def _default_split_of(chain: _Chain) -> dict[sympy.Symbol, sympy.Expr]:
    budgets = _budgets(chain)
    eps_budgets = [b for b in budgets if b.name.startswith("eps_")]
    delta_budgets = [b for b in budgets if b.name.startswith("delta_")]
    split: dict[sympy.Symbol, sympy.Expr] = {}
    for total, group, expr, what in ((_sym.eps, eps_budgets, chain.error, "error"),
                                     (_sym.delta, delta_budgets, chain.failure, "failure")):
        coeffs = _coefficients(expr, group, what)
        for sym in group:
            split[sym] = total / (len(coeffs) * coeffs[sym]) if sym in coeffs else total
    return split


def default_split(chain: Sequence[Guarantee]) -> dict[sympy.Symbol, sympy.Expr]:
    """The default budget split of a chain (THEORY §3): per-step budget -> value.

    >>> from pacdistill.bounds import symbols as S
    >>> from pacdistill.bounds.guarantee import Guarantee
    >>> a = Guarantee("agnostic", "junta", "junta", "x", error=S.OPT("junta") + S.eps,
    ...               failure=S.delta)
    >>> b = Guarantee("agnostic", "junta", "parity", "y", error=S.OPT("parity") + S.eps,
    ...               failure=S.delta)
    >>> default_split([a, b])
    {eps_1: eps/4, eps_2: eps/2, delta_1: delta/2, delta_2: delta/2}
    """
    steps = _flatten(chain, "chain", "default_split")
    if not steps:
        raise param_error("chain", "default_split", "a non-empty sequence of Guarantee "
                          "objects", chain)
    return dict(sorted(_default_split_of(_fold(steps)).items(),
                       key=lambda kv: (kv[0].name.startswith("delta"), _budget_key(kv[0]))))


def _explicit_split(chain: _Chain, split: Mapping[Any, Any]) -> dict[sympy.Symbol, sympy.Expr]:
    from ._serialize import symbol_from_name

    out: dict[sympy.Symbol, sympy.Expr] = {}
    for key, value in split.items():
        sym = symbol_from_name(key) if isinstance(key, str) else key
        if not isinstance(sym, sympy.Symbol) or not _sym.is_budget_symbol(sym):
            raise InvalidParameterError(
                f"The 'split' parameter of compose must map per-step budgets (eps_1, "
                f"delta_1, ...) to values. Got the key {key!r} instead."
            )
        try:
            expr = _expr(value)
        except InvalidParameterError as err:
            raise InvalidParameterError(
                f"The value of {sym} in the 'split' parameter of compose must be a sympy "
                f"expression or a number. Got {show(value)} instead."
            ) from err
        if any(_sym.is_budget_symbol(s) for s in expr.free_symbols):
            raise InvalidParameterError(
                f"The value of {sym} in the split must not use per-step budgets. Got {expr}."
            )
        out[sym] = expr
    needed = _budgets(chain)
    missing = [str(sym) for sym in needed if sym not in out]
    extra = [str(sym) for sym in out if sym not in needed]
    if missing or extra:
        raise InvalidParameterError(
            f"The 'split' parameter of compose must give a value to exactly the chain's "
            f"budgets {[str(s) for s in needed]}. Missing {missing}, not in the chain {extra}."
        )
    return out


def _optimized_split(chain: _Chain, at: Mapping[str, Any], objective: str
                     ) -> tuple[dict[sympy.Symbol, sympy.Expr], dict[str, Any]]:
    """Minimise the objective over the eps and delta shares at numeric values."""
    import numpy as np
    from scipy.optimize import minimize

    default = _default_split_of(chain)
    if at is None or not isinstance(at, Mapping):
        raise InvalidParameterError(
            "compose(..., optimize=True) needs at={...}: numeric values of eps, delta and "
            "of the parameters the objective uses (e.g. at={'d': 100, 'eps': 0.01, "
            "'delta': 0.05})."
        )
    numeric = _numeric_values(dict(at), "compose")
    target = getattr(chain, objective)
    budgets = _budgets(chain)
    groups = []
    for total, prefix, expr, what in ((_sym.eps, "eps_", chain.error, "error"),
                                      (_sym.delta, "delta_", chain.failure, "failure")):
        group = [b for b in budgets if b.name.startswith(prefix)]
        coeffs = _coefficients(expr, group, what)
        free = [b for b in coeffs if b in target.free_symbols]  # shares worth moving
        if len(free) >= 2:
            groups.append((total, coeffs, free))
    base = {sym: value.xreplace(numeric) for sym, value in default.items()}
    plain = target.xreplace(numeric)
    missing = sorted(str(s) for s in plain.xreplace(base).free_symbols)
    if missing:
        raise InvalidParameterError(
            f"compose(..., optimize=True) needs values in at= for {', '.join(missing)}."
        )

    budget_syms = sorted(base, key=_budget_key)
    func = _float_function(plain, budget_syms)
    # the search runs on the objective without its per-step ceilings: the counts
    # are step functions of the shares, flat almost everywhere, and Nelder-Mead
    # stalled on their plateaus (two steps at d = 100: 42,527 samples where 42,466
    # suffice); dropping a ceiling moves a count by less than 1 per step
    smooth = _float_function(_without_rounding(plain), budget_syms)
    base_values = {sym: float(value) for sym, value in base.items()}
    scales = [{sym: float((total / coeffs[sym]).xreplace(numeric)) for sym in free}
              for total, coeffs, free in groups]

    def cost(z: np.ndarray, func: Any = func) -> float:
        values = dict(base_values)
        pos = 0
        for (_, coeffs, free), scale in zip(groups, scales, strict=True):
            logits = np.concatenate([z[pos:pos + len(free) - 1], [0.0]])
            pos += len(free) - 1
            weights = np.exp(logits - logits.max())
            weights = weights / weights.sum() * len(free) / len(coeffs)  # their default mass
            for sym, share in zip(free, weights, strict=True):
                values[sym] = float(share) * scale[sym]
        try:
            out = func(values)
        except (ArithmeticError, ValueError, TypeError):
            return float("inf")
        return out if np.isfinite(out) else float("inf")

    dims = sum(len(free) - 1 for _, _, free in groups)
    default_value = cost(np.zeros(dims))
    info: dict[str, Any] = {"method": "optimized", "objective": objective,
                            "at": {k: _plain_number(v) for k, v in at.items()},
                            "default_value": default_value}
    if dims == 0:
        info.update(shares={}, value=default_value,
                    note="no budget share changes the objective; default split kept")
        return default, info
    start = np.zeros(dims)
    for _ in range(3):  # restarts: a simplex collapsed far from the optimum regrows
        result = minimize(lambda z: cost(z, smooth), start, method="Nelder-Mead",
                          options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 2000 * dims})
        start = result.x
    split, shares = _shares_split(default, groups, start)
    final = {sym: float(value.xreplace(numeric)) for sym, value in split.items()}
    try:
        value = func(final)
    except (ArithmeticError, ValueError, TypeError):  # pragma: no cover - defensive
        value = float("inf")
    if not value <= default_value:  # never worse than the default (rounded shares included)
        split, value = dict(default), default_value
        shares = {str(sym): 1 / len(coeffs) for _, coeffs, free in groups for sym in free}
    info.update(shares=shares, value=value)
    return split, info


def _without_rounding(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with every ceiling and floor replaced by its argument."""
    return expr.replace(lambda node: isinstance(node, (sympy.ceiling, sympy.floor)),
                        lambda node: node.args[0])


def _shares_split(default: Mapping[sympy.Symbol, sympy.Expr], groups: Sequence[Any],
                  best: Any) -> tuple[dict[sympy.Symbol, sympy.Expr], dict[str, float]]:
    """The split of the softmax logits ``best`` (one group after the other), as
    exact rational shares in millionths, and the shares by budget name."""
    import numpy as np

    split = dict(default)
    shares = {}
    pos = 0
    for total, coeffs, free in groups:
        logits = np.concatenate([best[pos:pos + len(free) - 1], [0.0]])
        pos += len(free) - 1
        weights = np.exp(logits - logits.max())
        weights = weights / weights.sum()
        # exact rational shares (6 digits) that sum to the group's default mass,
        # so the composite error (failure) stays exactly eps (delta)
        # (in millionths, each at least one, the largest absorbing the rounding)
        mass = sympy.Rational(len(free), len(coeffs))
        millionths = [max(1, round(float(wt) * 10**6)) for wt in weights]
        millionths[int(np.argmax(millionths))] += 10**6 - sum(millionths)
        for sym, part in zip(free, millionths, strict=True):
            share = sympy.Rational(part, 10**6)
            split[sym] = mass * share * total / coeffs[sym]
            shares[str(sym)] = float(mass * share)
    return split, shares


def _plain_number(value: Any) -> int | float:
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    if a == b:
        return True
    try:
        return sympy.simplify(a - b) == 0
    except (TypeError, ValueError):  # pragma: no cover - defensive
        return False


# ------------------------------------------------------------------ public API
def compose_all(
    guarantees: Iterable[Guarantee], *, split: Mapping[Any, Any] | str | None = None,
    optimize: bool = False, at: Mapping[str, Any] | None = None, objective: str = "samples",
) -> Guarantee:
    """Compose a chain of guarantees g1, g2, ..., (F1 -> F2 -> ...), THEORY §3.

    Composites in the chain are flattened to their steps; the budget split is
    applied once over the whole chain (see the module docstring). A chain of one
    atomic guarantee is returned unchanged (there is nothing to split).

    Parameters
    ----------
    guarantees : iterable of Guarantee
    split : None, "none" or mapping, optional
        None: the default split of THEORY §3. "none": keep the per-step budgets
        eps_i, delta_i in the fields. A mapping: budget (symbol or its name,
        ``"eps_1"``) -> value (an expression in eps/delta or a number), for
        exactly the budgets the chain uses.
    optimize : bool
        Minimise ``objective`` over the budget shares numerically at ``at``
        (scipy Nelder-Mead over softmax shares, started from the default split
        and restarted twice, on the objective with the steps' ceilings dropped;
        the shares are then rounded to millionths, which keeps them exact
        rationals summing to 1, and the result, ceilings included, is never
        worse than the default split there: it falls back to it otherwise).
        Shares that do not change the objective keep their default value (the
        minimum is over the others: shrinking a share the objective does not
        read would lower it without bound on that step's other costs).
    at : mapping of str to number, optional
        Numeric values for ``optimize=True`` (eps, delta and the parameters).
    objective : {"samples", "queries", "time"}

    Returns
    -------
    ComposedGuarantee (or the single guarantee given)

    Raises
    ------
    IncompatibleReductionError
        Classes that do not meet, a promise that can fail, a barrier.
    """
    from .._validation import check_choice

    steps = _flatten(guarantees)
    if not steps:
        raise param_error("guarantees", "compose_all", "a non-empty sequence of Guarantee "
                          "objects", guarantees)
    check_choice(objective, "objective", "compose", OBJECTIVES)
    optimize = check_bool(optimize, "optimize", "compose")
    if len(steps) == 1:
        _lift(steps[0])  # refuses barriers
        return steps[0]
    chain = _fold(steps)
    if optimize:
        if split is not None:
            raise InvalidParameterError(
                "The 'split' and 'optimize' parameters of compose cannot both be given."
            )
        chosen, info = _optimized_split(chain, at, objective)
    elif split is None:
        chosen, info = _default_split_of(chain), {"method": "default"}
    elif isinstance(split, str):
        if split != "none":
            raise InvalidParameterError(
                "The 'split' parameter of compose must be None, 'none' or a mapping. "
                f"Got {show(split)} instead."
            )
        chosen, info = {}, {"method": "none"}
    elif isinstance(split, Mapping):
        chosen, info = _explicit_split(chain, split), {"method": "explicit"}
    else:
        raise InvalidParameterError(
            "The 'split' parameter of compose must be None, 'none' or a mapping. "
            f"Got {show(split)} instead."
        )
    sub = _split_substituter(chosen)
    out = ComposedGuarantee(
        kind=chain.kind, from_class=chain.from_class, to_class=chain.to_class,
        source=_source(chain), promise=chain.promise,
        error=sub(chain.error), failure=sub(chain.failure), samples=sub(chain.samples),
        queries=sub(chain.queries), time=sub(chain.time),
        size_map={key: sub(value) for key, value in _target_size_map(chain).items()},
        assumptions=tuple(chain.assumptions), order=chain.order,
        steps=steps, split=chosen, split_info=info,
    )
    if _PREFIX_STEPS:
        object.__setattr__(out, "_options", {new: (index, old)
                                             for new, index, old in chain.options})
    return out


def compose(
    g1: Guarantee, g2: Guarantee, *, split: Mapping[Any, Any] | str | None = None,
    optimize: bool = False, at: Mapping[str, Any] | None = None, objective: str = "samples",
) -> ComposedGuarantee:
    """The guarantee of running g1 (F -> G) then g2 (G -> H), THEORY §3.

    See :func:`compose_all` for the parameters and the module docstring for the
    rules. Associative: ``compose(compose(a, b), c) == compose(a, compose(b, c))``.

    Examples
    --------
    >>> from pacdistill.bounds import symbols as S
    >>> from pacdistill.bounds.guarantee import Guarantee, Promise
    >>> perfect = Guarantee("perfect", "dnf", "junta", "p", promise=Promise("junta"),
    ...                     error=S.eps, failure=S.delta, samples=S.k / S.eps)
    >>> agnostic = Guarantee("agnostic", "junta", "parity", "q", error=S.OPT("parity") + S.eps,
    ...                      failure=S.delta, samples=S.d / S.eps**2)
    >>> g = compose(perfect, agnostic)
    >>> g.kind, str(g.promise), g.error
    ('agnostic', 'junta (distributional)', OPT_parity + eps)
    >>> g.unsplit.error
    OPT_parity + 2*eps_1 + eps_2
    >>> g.samples
    ceiling(4*d/eps**2) + ceiling(4*k/eps)
    >>> compose(agnostic, perfect.evolve(from_class="parity"))
    Traceback (most recent call last):
    ...
    pacdistill.errors.IncompatibleReductionError: Cannot compose step 1 (agnostic, ...
    """
    for name, g in (("g1", g1), ("g2", g2)):
        if not isinstance(g, Guarantee):
            raise param_error(name, "compose", "a Guarantee", g)
    return compose_all([g1, g2], split=split, optimize=optimize, at=at,
                       objective=objective)  # type: ignore[return-value]
