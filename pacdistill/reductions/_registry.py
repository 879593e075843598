"""Reduction, Result and the registering decorator (DESIGN "Reduction").

An edge F -> G of the reduction web is a plain function with a fixed shape::

    f(model, /, *, sampler=None, eps=None, delta=None, rng=None, **options) -> Result

wrapped by :func:`register` into a :class:`Reduction` that carries its
:class:`~pacdistill.bounds.guarantee.Guarantee`. The decorator checks its own
arguments when the module is imported: the classes must exist, the guarantee
must map between them, and every free symbol of the guarantee must be declared
(a source-class parameter, eps, delta, an OPT symbol or a named extra symbol).
The web is built from :data:`REGISTRY`; nothing else registers edges.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import sympy

from .._validation import check_bool, check_choice, is_sequence, param_error, show
from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..errors import InvalidCallError, InvalidParameterError, PacDistillError

__all__ = [
    "Result", "Reduction", "ReductionFamily", "REGISTRY", "FAMILIES", "register",
    "register_family",
    "register_barrier", "get", "CONFORMANCE_KEYS",
]


@dataclass(frozen=True)
class Result:
    """What running a reduction returns.

    Attributes
    ----------
    model : Model
        The output model (a member of the target class).
    report : dict
        At least ``samples_used`` and ``queries_used`` (ints) and ``seconds``
        (wall time); anything else the algorithm wants to tell (diagnostics,
        subsets tried, per-stage timings).
    """

    model: Any
    report: Mapping[str, Any] = field(default_factory=dict)


#: what an edge's algorithm needs of f (see Reduction.access)
ACCESS = ("examples", "queries", "representation")

#: name -> Reduction, in registration order
REGISTRY: dict[str, Reduction] = {}
#: the families registered into REGISTRY, by name (``learn_junta``)
FAMILIES: dict[str, ReductionFamily] = {}

# Symbols a guarantee may use besides its source class's parameters.
_ALWAYS_ALLOWED = {S.eps, S.delta, S.C}


def _call(name: str, func: Callable[..., Result], model: Any, kwargs: Mapping[str, Any]
          ) -> Result:
    """``func(model, **kwargs)``, with a missing or unexpected keyword reported as
    InvalidCallError (a PacDistillError and a TypeError) naming the algorithm's
    signature."""
    try:
        signature = inspect.signature(func)
        signature.bind(model, **kwargs)
    except TypeError as err:
        raise InvalidCallError(
            f"{name} cannot be called with the options {sorted(kwargs)}: {err}. "
            f"It takes {name}{signature}."
        ) from None
    return func(model, **kwargs)


@dataclass(frozen=True, eq=False)
class Reduction:
    """An edge of the reduction web.

    Attributes
    ----------
    name : str
        Unique name (``"junta_to_tree"``).
    source, target : str
        Class names, keys of ``pd.CLASSES``.
    guarantee : Guarantee
    func : callable or None
        The algorithm; None for barrier records, which cannot be run.
    doc : str
        One line describing the algorithm.
    access : str
        What the algorithm needs of f (one of ``ACCESS``): ``"examples"`` — only
        labelled examples (x, f(x)) with x ~ D, so it is also a *learning*
        algorithm (THEORY §2, §9 rule 2); ``"queries"`` — f's value at points of
        its choosing (needs the exact promise, THEORY §2.3, §6);
        ``"representation"`` — f's parameters or hidden activations (exact
        conversions, LRH probing). For barriers: the setting the hardness is
        about (``"examples"`` for learning lower bounds).
    efficient : bool
        Whether the time bound is polynomial in d, 1/eps, ln(1/delta) and the
        size parameters of source and target (a truth table's 2^k counts as a
        size: poly(d, 2^k) is efficient, d^k is not). For barriers: False.
    domain : Mapping[str, Any]
        The part of a class the edge is defined on, as bounds of that class's
        strategy in :mod:`pacdistill.checkers.strategies` (``{"max_w": 1}``:
        1-decision lists). It bounds the *source* of exact and agnostic edges
        and the *promise class* members of perfect edges. Empty: the whole
        class. Read by the conformance harness
        (:func:`pacdistill.checkers.check_reduction`).
    conformance : Mapping[str, Any]
        Options of the conformance harness for this edge (keys in
        :data:`CONFORMANCE_KEYS`; see :func:`pacdistill.checkers.check_reduction`),
        for edges whose sources or options it cannot draw by itself (an
        assumption such as the LRH, a required option). Empty by default.
    """

    name: str
    source: str
    target: str
    guarantee: Guarantee
    func: Callable[..., Result] | None = field(default=None, repr=False)
    doc: str = ""
    access: str = "representation"
    efficient: bool = True
    domain: Mapping[str, Any] = field(default_factory=dict, repr=False)
    conformance: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        return self.guarantee.kind

    def run(self, model: Any, /, **kwargs: Any) -> Result:
        """Execute the algorithm on ``model``; see the module's docstring."""
        if self.func is None:
            raise PacDistillError(
                f"{self.name} is a {self.kind} record ({self.source} -> {self.target}), "
                "not an algorithm; it cannot be run."
            )
        return _call(self.name, self.func, model, kwargs)

    def __call__(self, model: Any, /, **kwargs: Any) -> Result:
        return self.run(model, **kwargs)

    def __repr__(self) -> str:
        return f"<Reduction {self.name}: {self.source} -> {self.target} ({self.kind})>"


def _class_params(name: str, func_name: str) -> tuple[sympy.Symbol, ...]:
    from ..classes import CLASSES

    if name not in CLASSES:
        from .._validation import unknown_name

        raise unknown_name(f"class in the registration of {func_name}", name, list(CLASSES))
    return CLASSES[name].params


def _check_guarantee(
    name: str, source: str, target: str, guarantee: Guarantee,
    extra_symbols: tuple[sympy.Symbol, ...],
) -> None:
    src_params = set(_class_params(source, name))
    tgt_params = set(_class_params(target, name))
    if guarantee.from_class != source or guarantee.to_class != target:
        raise InvalidParameterError(
            f"The guarantee of {name} maps {guarantee.from_class} -> {guarantee.to_class}, "
            f"but the reduction is registered as {source} -> {target}."
        )
    allowed = src_params | _ALWAYS_ALLOWED | set(extra_symbols)
    fields = {
        "error": guarantee.error, "failure": guarantee.failure,
        "samples": guarantee.samples, "queries": guarantee.queries, "time": guarantee.time,
    }
    fields.update({f"size_map[{key}]": value for key, value in guarantee.size_map.items()})
    for field_name, expr in fields.items():
        bad = {
            sym for sym in expr.free_symbols
            if sym not in allowed and not S.is_opt_symbol(sym)
        }
        if bad:
            raise InvalidParameterError(
                f"The guarantee of {name} uses undeclared symbols "
                f"{sorted(map(str, bad))} in {field_name}. Allowed: the parameters of "
                f"{source} {sorted(map(str, src_params))}, eps, delta, C, OPT_* and the "
                "extra_symbols given to register()." + _lookalike_hint(bad, allowed)
            )
    bad_keys = set(guarantee.size_map) - tgt_params
    if bad_keys:
        raise InvalidParameterError(
            f"The size map of {name} has keys {sorted(map(str, bad_keys))} that are not "
            f"parameters of {target} {sorted(map(str, tgt_params))}."
            + _lookalike_hint(bad_keys, tgt_params)
        )


def _lookalike_hint(bad: Any, allowed: Any) -> str:
    """The fix when a refused symbol has an allowed one's name: it was made with
    ``sympy.Symbol("k")``, whose assumptions differ from pacdistill's ``k``."""
    names = {sym.name for sym in allowed}
    twins = sorted(sym.name for sym in bad if sym.name in names)
    if not twins:
        return ""
    return (f" The symbols named {', '.join(twins)} were made outside pacdistill "
            "(sympy.Symbol, other assumptions); use pacdistill's own: from "
            f"pacdistill.bounds import symbols as S, then S.{twins[0]}.")


def _check_registration(func: str, name: Any, source: Any, target: Any, guarantee: Any,
                        access: Any, extra_symbols: Any, registry: Any
                        ) -> tuple[dict[str, Reduction], tuple[sympy.Symbol, ...]]:
    """The checks register and register_barrier share (``func`` names the caller):
    the registry to write to and the extra symbols as a tuple."""
    if not isinstance(name, str) or not name:
        raise param_error("name", func, "a non-empty string (the edge's unique name)", name)
    where = f"{func}({name!r})"
    for param, value in (("source", source), ("target", target)):
        if not isinstance(value, str):
            raise param_error(param, where, "a class name (a key of pd.CLASSES)", value)
    if not isinstance(guarantee, Guarantee):
        raise param_error("guarantee", where, "a Guarantee", guarantee)
    check_choice(access, "access", where, ACCESS)
    if not is_sequence(extra_symbols) or not all(
            isinstance(sym, sympy.Symbol) for sym in extra_symbols):
        raise param_error("extra_symbols", where, "a sequence of sympy symbols (from "
                          "pacdistill.bounds import symbols as S; (S.k,))", extra_symbols)
    if registry is not None and not isinstance(registry, MutableMapping):
        raise param_error("registry", where, "None or a dict (name -> Reduction)", registry)
    return (REGISTRY if registry is None else registry), tuple(extra_symbols)


#: keys a Reduction's ``conformance`` mapping may hold (see check_reduction)
CONFORMANCE_KEYS = ("sources", "strategy", "options", "opt", "min_d", "max_d", "trials",
                    "eps", "delta", "distributions")


def _check_hooks(name: str, domain: Any, conformance: Any
                 ) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """Validate the optional ``domain`` and ``conformance`` mappings of an edge."""
    out = []
    for label, value in (("domain", domain), ("conformance", conformance)):
        if value is None:
            out.append(MappingProxyType({}))
            continue
        if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
            raise InvalidParameterError(
                f"The {label!r} parameter of register({name!r}) must be a mapping with "
                f"string keys or None. Got {show(value)} instead."
            )
        out.append(MappingProxyType(dict(value)))  # read-only, like the Reduction holding it
    unknown = sorted(set(out[1]) - set(CONFORMANCE_KEYS))
    if unknown:
        raise InvalidParameterError(
            f"The 'conformance' parameter of register({name!r}) has unknown keys {unknown}. "
            f"Known keys: {', '.join(CONFORMANCE_KEYS)}."
        )
    return out[0], out[1]


def _check_callable(name: str, func: Any) -> None:
    if not callable(func):
        raise InvalidParameterError(
            f"register(name={name!r}, ...) decorates the algorithm, a function "
            f"(algorithm(source, /, **options) -> Result). Got {show(func)}."
        )


def register(
    *, name: str, source: str, target: str, guarantee: Guarantee,
    access: str = "representation", efficient: bool = True,
    extra_symbols: tuple[sympy.Symbol, ...] = (),
    registry: dict[str, Reduction] | None = None,
    domain: Mapping[str, Any] | None = None,
    conformance: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Result]], Reduction]:
    """Decorator turning an algorithm into a registered :class:`Reduction`.

    ``registry`` defaults to the global :data:`REGISTRY`; pass your own dict to
    build a private web (tests, notebooks) without touching the default one.
    ``domain`` and ``conformance`` (optional) tell the conformance harness which
    members the edge is defined on and how to test it (:class:`Reduction`).

    >>> from pacdistill.bounds.guarantee import Guarantee
    >>> from pacdistill.bounds import symbols as S
    >>> mine = {}
    >>> @register(name="tree_identity", source="decision_tree", target="decision_tree",
    ...           guarantee=Guarantee("exact", "decision_tree", "decision_tree",
    ...                               "derived here", time=S.s,
    ...                               size_map={S.d: S.d, S.r: S.r, S.s: S.s}),
    ...           registry=mine)
    ... def tree_identity(model, /, **kwargs):
    ...     return Result(model, {"samples_used": 0, "queries_used": 0})
    >>> tree_identity
    <Reduction tree_identity: decision_tree -> decision_tree (exact)>
    """

    def decorate(func: Callable[..., Result]) -> Reduction:
        target_registry, extra = _check_registration(
            "register", name, source, target, guarantee, access, extra_symbols, registry)
        _check_callable(name, func)
        check_bool(efficient, "efficient", f"register({name!r})")
        hooks = _check_hooks(name, domain, conformance)
        if guarantee.kind == "barrier":
            raise InvalidParameterError(
                f"{name}: barriers have no algorithm; use register_barrier."
            )
        _check_guarantee(name, source, target, guarantee, extra)
        if name in target_registry:
            raise InvalidParameterError(f"A reduction named {name!r} is already registered.")
        doc = (func.__doc__ or "").strip().splitlines()
        red = Reduction(name, source, target, guarantee, func, doc[0] if doc else "",
                        access=access, efficient=bool(efficient),
                        domain=hooks[0], conformance=hooks[1])
        target_registry[name] = red
        return red

    return decorate


@dataclass(frozen=True, eq=False)
class ReductionFamily:
    """One algorithm registered as an edge from each of several source classes
    (THEORY §9 rule 2: a learner for G, or a query distiller into G, works for
    every evaluable F). Calling it runs the algorithm; ``edges`` maps each source
    class name to its registered :class:`Reduction`."""

    name: str
    target: str
    edges: Mapping[str, Reduction]
    func: Callable[..., Result] = field(repr=False)

    def run(self, model: Any, /, **kwargs: Any) -> Result:
        return _call(self.name, self.func, model, kwargs)

    def __call__(self, model: Any, /, **kwargs: Any) -> Result:
        return _call(self.name, self.func, model, kwargs)

    def __repr__(self) -> str:
        return f"<ReductionFamily {self.name}: {len(self.edges)} sources -> {self.target}>"


def register_family(
    *, name: str, target: str, guarantee: Callable[[str], Guarantee],
    sources: tuple[str, ...] | None = None,
    access: str = "examples", efficient: bool = True,
    extra_symbols: tuple[sympy.Symbol, ...] = (),
    registry: dict[str, Reduction] | None = None,
    domain: Mapping[str, Any] | Callable[[str], Mapping[str, Any] | None] | None = None,
    conformance: Mapping[str, Any] | Callable[[str], Mapping[str, Any] | None] | None = None,
) -> Callable[[Callable[..., Result]], ReductionFamily]:
    """Decorator registering one algorithm as the edges ``F -> target`` for every
    F in ``sources`` (default: every class of ``pd.CLASSES``: all are evaluable).

    ``guarantee(source_name)`` builds each edge's Guarantee (its time usually
    includes n evaluations of the source, ``CLASSES[source].eval_time``). Edge
    names are ``f"{name}[{source}]"``. ``domain`` and ``conformance`` are given
    to every edge (a mapping) or per source (a callable of the source name); see
    :class:`Reduction`.
    """

    def decorate(func: Callable[..., Result]) -> ReductionFamily:
        from ..classes import CLASSES

        if not isinstance(name, str) or not name:
            raise param_error("name", "register_family", "a non-empty string (the family's "
                              "name; its edges are name[source])", name)
        where = f"register_family({name!r})"
        _check_callable(name, func)
        names = (tuple(CLASSES) if sources is None else
                 tuple(sources) if is_sequence(sources) else ())
        if not names or not all(isinstance(src, str) for src in names):
            raise param_error("sources", where, "None or a non-empty sequence of class "
                              "names (keys of pd.CLASSES)", sources)
        if not callable(guarantee):
            raise param_error("guarantee", where, "a callable guarantee(source_name) -> "
                              "Guarantee", guarantee)
        if registry is not None and not isinstance(registry, MutableMapping):
            raise param_error("registry", where, "None or a dict (name -> Reduction)", registry)
        target_registry = REGISTRY if registry is None else registry
        edges: dict[str, Reduction] = {}
        staged: dict[str, Reduction] = {}  # all edges or none reach the registry
        for src in names:
            edge = f"{name}[{src}]"
            if edge in target_registry:
                raise InvalidParameterError(f"A reduction named {edge!r} is already registered.")
            edges[src] = register(
                name=edge, source=src, target=target,
                guarantee=guarantee(src), access=access, efficient=efficient,
                extra_symbols=extra_symbols, registry=staged,
                domain=domain(src) if callable(domain) else domain,
                conformance=conformance(src) if callable(conformance) else conformance,
            )(func)
        target_registry.update(staged)
        family = ReductionFamily(name, target, edges, func)
        if registry is None:
            FAMILIES[name] = family
        return family

    return decorate


def register_barrier(
    *, name: str, source: str, target: str, guarantee: Guarantee, doc: str,
    access: str = "examples",
    extra_symbols: tuple[sympy.Symbol, ...] = (),
    registry: dict[str, Reduction] | None = None,
) -> Reduction:
    """Register a hardness record (kind ``barrier``, THEORY §8): an edge that
    says distilling/learning ``source -> target`` is hard under the guarantee's
    assumptions. It has no algorithm. ``access`` says the setting the hardness
    is about: ``"examples"`` (learning from labelled examples, the usual case:
    THEORY §9 rule 4 says it does not make *distilling* hard)."""
    target_registry, extra = _check_registration(
        "register_barrier", name, source, target, guarantee, access, extra_symbols, registry)
    if not isinstance(doc, str):
        raise param_error("doc", f"register_barrier({name!r})", "a string (one line on the "
                          "hardness result)", doc)
    if guarantee.kind != "barrier":
        raise InvalidParameterError(
            f"register_barrier needs a guarantee of kind 'barrier'. Got {guarantee.kind!r}."
        )
    if not guarantee.assumptions:
        raise InvalidParameterError(f"The barrier {name} must name its assumption.")
    _check_guarantee(name, source, target, guarantee, extra)
    if name in target_registry:
        raise InvalidParameterError(f"A reduction named {name!r} is already registered.")
    red = Reduction(name, source, target, guarantee, None, doc, access=access, efficient=False)
    target_registry[name] = red
    return red


def get(name: str) -> Reduction:
    """The registered reduction called ``name`` (with close matches if unknown).

    >>> get("learn_junta[juntaa]")
    Traceback (most recent call last):
    ...
    pacdistill.errors.UnknownNameError: Unknown reduction 'learn_junta[juntaa]'. Did you mean ...
    """
    if not isinstance(name, str) or name not in REGISTRY:
        raise unknown_reduction(name)
    return REGISTRY[name]


def unknown_reduction(name: str) -> Exception:
    """The UnknownNameError for a reduction name not in the registry: close matches
    among the edges, each family (``learn_junta[F]`` for every F) listed once, or
    among a family's own edges when ``name`` starts with the family's name."""
    from .._validation import unknown_name

    families = {edge.split("[", 1)[0] for edge in REGISTRY if "[" in edge}
    head = name.split("[", 1)[0] if isinstance(name, str) else None
    if head in families:  # a family's edge from a class it has no edge from
        return unknown_name("reduction", name,
                            sorted(edge for edge in REGISTRY if edge.startswith(head + "[")))
    names = {edge if "[" not in edge else edge.split("[", 1)[0] + "[<class>]"
             for edge in REGISTRY}
    return unknown_name("reduction", name, sorted(names | families))
