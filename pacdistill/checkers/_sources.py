"""Instances for the conformance harness: sources that satisfy an edge's promise,
distributions, and the options the edge needs (private; THEORY §2, §3).

For a statistical trial of an edge F -> G the harness needs a source f in F, a
distribution D and the run's options. For a *perfect* edge with promise class P
(THEORY §2.2-2.3) f must agree with some g* in P, everywhere or D-almost surely;
the first rule that applies draws it:

1. the edge's own hook ``conformance["sources"](rng, d)`` (f, or (f, g*));
2. F = P: f = g*, a random member of P (within the edge's ``domain``);
3. an exact path P -> ... -> F among the registered exact conversions
   (breadth-first, fewest steps): f is g* converted, equal to it everywhere
   (for ``relu_network -> junta`` with promise junta: junta -> decision_tree ->
   relu_network);
4. P has a *projection* (junta: the variables f reads and its table there;
   lookup table: f's table): f is a member of F that reads at most
   :data:`FEW_VARIABLES` variables, g* its projection, equal to f everywhere;
5. a distributional promise: f in F and g* in P drawn independently, and D
   conditioned on the points where they agree (a finite-support distribution),
   so f = g* D-almost surely.

Otherwise the edge is untestable without a hook. Agnostic edges take any f,
unless their guarantee has a promise (a composed route whose first step is a
perfect distiller, THEORY §3): then f is drawn as for a perfect edge.

Rules 2-4 give sources that equal g* on the whole cube, which is more than a
*distributional* promise says: a learner that ignores D (learning f under the
uniform distribution, say) is right on them. So for a distributional promise
every other trial draws by rule 5 instead (``weak=True`` in
:func:`draw_instance`; the harness alternates): f in F and g* in P independent
and D conditioned on {f = g*}, where f differs from g* off the support of D.

Sizes are kept small (d <= 12, juntas on <= 3 variables by default) so that
errors are computed exactly on the cube and brute-force OPT is cheap.

Random members are drawn with ``pd.CLASSES[name].random`` at parameters drawn
from bounds named as in :mod:`pacdistill.checkers.strategies` (``max_k``,
``max_depth``, ``max_w``, ...), the same names the edges' ``domain`` uses.
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import cube
from ..distributions import (
    Distribution,
    FiniteSupport,
    Mixture,
    Product,
    Subcube,
    Uniform,
)
from ..errors import InvalidParameterError, PacDistillError

__all__ = [
    "KINDS",
    "FEW_VARIABLES",
    "Instance",
    "Untestable",
    "random_distribution",
    "random_member",
    "few_variable_member",
    "minimal_junta",
    "PROJECTIONS",
    "exact_path",
    "convert",
    "restrict",
    "required_options",
    "draw_instance",
    "planted_networks",
]

#: the distribution kinds of the statistical trials, cycled through in order
KINDS = ("uniform", "product", "subcube", "finite_support", "mixture")
#: most variables a source drawn for a projection (rule 4) reads
FEW_VARIABLES = 3
#: arguments of the reduction shape that are never options
_STANDARD = {"sampler", "eps", "delta", "rng"}


class Untestable(PacDistillError):
    """The harness cannot draw instances for this edge without a hook."""


@dataclass(frozen=True)
class Instance:
    """One drawn instance of a statistical trial.

    Attributes
    ----------
    source : Model
        f, the input of the edge.
    promise_model : Model or None
        g* in the promise class that f agrees with (perfect edges).
    distribution : Distribution
        D.
    options : dict
        Keyword options of the run (``k``); JSON-safe values.
    how : str
        How f was drawn (one of the rules of the module docstring).
    """

    source: Any
    promise_model: Any
    distribution: Distribution
    options: Mapping[str, Any] = field(default_factory=dict)
    how: str = ""


# -- distributions ------------------------------------------------------------


def random_distribution(rng: np.random.Generator, d: int, kind: str) -> Distribution:
    """A random distribution of ``kind`` (one of :data:`KINDS`) on {-1,+1}^d."""
    if kind == "uniform":
        return Uniform(d)
    if kind == "product":
        # mostly inside (0.05, 0.95); a constant coordinate one time in five
        p = rng.uniform(0.05, 0.95, size=d)
        const = rng.random(d) < 0.2
        p[const] = rng.choice([0.0, 1.0], size=int(const.sum()))
        return Product(p)
    if kind == "subcube":
        n_fixed = int(rng.integers(1, max(1, d // 2) + 1))
        fixed = rng.choice(d, size=n_fixed, replace=False)
        return Subcube(d, {int(i): int(rng.choice([-1, 1])) for i in fixed})
    if kind == "finite_support":
        m = int(rng.integers(1, min(1 << d, 40) + 1))
        points = rng.choice(np.array([-1, 1], dtype=np.int8), size=(m, d))
        return FiniteSupport(points, rng.exponential(size=m) + 1e-3)
    if kind == "mixture":
        parts = [random_distribution(rng, d, str(rng.choice(KINDS[:4])))
                 for _ in range(int(rng.integers(2, 4)))]
        return Mixture(parts, rng.exponential(size=len(parts)) + 1e-3)
    raise InvalidParameterError(
        f"Unknown distribution kind {kind!r} for the conformance trials; known: {KINDS}."
    )


def restrict(D: Distribution, f: Any, g: Any) -> Distribution | None:
    """D conditioned on {x : f(x) = g(x)} (a FiniteSupport), or None when D puts
    no mass there."""
    X = cube.enumerate(D.d)
    mass = D.pmf_on_cube() * (f.predict(X) == g.predict(X))
    keep = mass > 0
    if not keep.any():
        return None
    return FiniteSupport(X[keep], mass[keep])


# -- random members -------------------------------------------------------------


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, max(lo, hi) + 1))


def _check_bounds(name: str, bounds: Mapping[str, Any]) -> dict[str, Any]:
    from .strategies import _BY_CLASS

    accepted = set(inspect.signature(_BY_CLASS[name]).parameters)
    unknown = sorted(set(bounds) - accepted)
    if unknown:
        raise InvalidParameterError(
            f"The bounds {unknown} are not bounds of the strategy for {name!r} "
            f"(accepted: {sorted(accepted)})."
        )
    return dict(bounds)


def _params(name: str, rng: np.random.Generator, d: int, b: Mapping[str, Any]) -> dict:
    """Class parameters for ``CLASSES[name].random`` at dimension d within bounds b."""
    if name in ("conjunction", "parity", "junta"):
        default = {"conjunction": 4, "parity": d, "junta": 3}[name]
        hi = min(d, b.get("max_k") if b.get("max_k") is not None else default)
        return {"k": _int(rng, min(b.get("min_k", 0), hi), hi)}
    if name == "decision_tree":
        return {"depth": _int(rng, 0, min(d, b.get("max_depth", 3)))}
    if name == "decision_list":
        w_hi = min(d, b.get("max_w", 2))
        return {"l": _int(rng, b.get("min_l", 0), min(b.get("max_l", 4), 6)),
                "w": _int(rng, min(b.get("min_w", 1), w_hi), w_hi)}
    if name in ("dnf", "cnf"):
        w_hi = min(d, b.get("max_w", 3))
        return {"s": _int(rng, max(b.get("min_s", 1), 1), b.get("max_s", 3)),
                "w": _int(rng, min(max(b.get("min_w", 1), 1), w_hi), w_hi)}
    if name == "relu_network":
        L = _int(rng, b.get("min_L", 1), min(b.get("max_L", 2), 2))
        return {"L": L, "m": _int(rng, L, L * b.get("max_width", 2))}
    return {}


def random_member(name: str, rng: np.random.Generator, d: int,
                  bounds: Mapping[str, Any] | None = None) -> Any:
    """A random member of the class ``name`` on {-1,+1}^d (``CLASSES[name].random``
    at parameters drawn within ``bounds``, strategy-style names)."""
    from ..classes import CLASSES

    b = _check_bounds(name, bounds or {})
    return CLASSES[name].random(rng, d=d, **_params(name, rng, d, b))


def few_variable_member(name: str, rng: np.random.Generator, d: int,
                        bounds: Mapping[str, Any] | None = None) -> Any | None:
    """A random member of ``name`` that reads at most :data:`FEW_VARIABLES`
    variables, or None for a class where this module has no such draw."""
    from ..classes import CLASSES
    from ..classes.halfspace import Halfspace
    from ..classes.relu_network import ReLUNetwork

    b = dict(_check_bounds(name, bounds or {}))
    few = min(FEW_VARIABLES, d)
    if name in ("conjunction", "parity", "junta"):
        b["max_k"] = min(few, b.get("max_k", few))
        return random_member(name, rng, d, b)
    if name == "decision_tree":  # a complete tree of depth r reads at most 2^r - 1 variables
        return CLASSES[name].random(rng, d=d, depth=_int(rng, 0, min(2, d)))
    if name == "decision_list":  # l one-literal rules read at most l variables
        return CLASSES[name].random(rng, d=d, l=_int(rng, 0, few), w=1)
    if name in ("dnf", "cnf"):
        s = _int(rng, 1, few)
        return CLASSES[name].random(rng, d=d, s=s, w=_int(rng, 1, max(1, few // s)))
    variables = rng.choice(d, size=_int(rng, 1, few), replace=False)
    if name == "halfspace":
        weights = np.zeros(d)
        weights[variables] = rng.choice([-3, -2, -1, 1, 2, 3], size=len(variables))
        reach = int(np.abs(weights).sum())
        return Halfspace(weights, float(_int(rng, -reach - 1, reach)) + 0.5)
    if name == "relu_network":
        small = CLASSES[name].random(rng, d=len(variables), m=_int(rng, 1, 3))
        W0 = np.zeros((small.weights[0].shape[0], d))
        W0[:, variables] = small.weights[0]
        return ReLUNetwork.from_arrays([W0, *small.weights[1:]], list(small.biases))
    return None


# -- projections into a promise class ---------------------------------------------


def minimal_junta(f: Any) -> Any:
    """The junta on exactly the variables f reads (computed on the whole cube),
    equal to f everywhere.

    >>> from pacdistill.checkers._sources import minimal_junta
    >>> minimal_junta(pd.Conjunction(5, [(3, 1), (1, -1)]))
    Junta(d=5, variables=(1, 3), table=[-1, 1, -1, -1])
    """
    from ..classes.junta import Junta

    d = f.n_inputs
    y = f.predict(cube.enumerate(d))
    index = np.arange(1 << d)
    relevant = [i for i in range(d) if (y != y[index ^ (1 << i)]).any()]  # loop over variables
    k = len(relevant)
    bits = (np.arange(1 << k)[:, None] >> np.arange(k)) & 1        # table row -> bits
    codes = (bits << np.asarray(relevant, dtype=np.int64)).sum(axis=1) if k else np.zeros(1, int)
    return Junta(d, relevant, y[codes])


def _lookup_table(f: Any) -> Any:
    from ..classes.lookup_table import LookupTable

    return LookupTable.from_model(f)


#: promise class -> exact projection of any f onto it (equal to f everywhere)
PROJECTIONS: dict[str, Callable[[Any], Any]] = {
    "junta": minimal_junta,
    "lookup_table": _lookup_table,
}


# -- exact paths --------------------------------------------------------------------


def exact_path(start: str, goal: str, registry: Mapping[str, Any] | None = None
               ) -> list[Any] | None:
    """The fewest registered exact conversions leading from class ``start`` to
    class ``goal`` (breadth-first, ties in registration order), or None.

    >>> [e.name for e in exact_path("junta", "dnf")]
    ['junta_to_tree', 'tree_to_dnf']
    """
    if registry is None:
        from ..reductions import REGISTRY as registry
    if start == goal:
        return []
    edges = [e for e in registry.values() if e.kind == "exact" and e.func is not None
             and e.source != e.target]
    previous: dict[str, Any] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for edge in edges:
            if edge.source == here and edge.target not in previous:
                previous[edge.target] = edge
                if edge.target == goal:
                    path = []
                    node = goal
                    while previous[node] is not None:
                        path.append(previous[node])
                        node = previous[node].source
                    return path[::-1]
                queue.append(edge.target)
    return None


def convert(model: Any, path: Sequence[Any]) -> Any:
    """``model`` carried along the exact conversions of ``path``."""
    for edge in path:
        model = edge.run(model).model
    return model


def planted_networks(rng: np.random.Generator, d: int, *, max_depth: int = 3
                     ) -> tuple[Any, Any]:
    """A ``conformance["sources"]`` hook for edges from ReLU networks that assume the
    LRH: a random complete tree T of depth <= min(max_depth, d) and its planted
    network (``tree_to_relu``: one hidden unit per node computes 1[AND_v], so
    LRH(T, 0, B) holds, THEORY §5). Returns (network, tree).

    >>> net, tree = planted_networks(np.random.default_rng(0), 5)
    >>> pd.checkers.equivalent(net, tree).equal, net.size()["m"] == tree.n_nodes
    (True, True)
    """
    from ..classes import CLASSES
    from ..reductions import REGISTRY

    tree = CLASSES["decision_tree"].random(rng, d=d, depth=_int(rng, 0, min(max_depth, d)))
    return REGISTRY["tree_to_relu"].run(tree).model, tree


# -- options -------------------------------------------------------------------------


def required_options(edge: Any) -> list[str]:
    """The keyword-only arguments of the edge's function that have no default,
    besides sampler, eps, delta and rng (``k`` for the junta learners)."""
    try:
        params = inspect.signature(edge.func).parameters.values()
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return []
    return [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY
            and p.default is inspect.Parameter.empty and p.name not in _STANDARD]


def _hook_options(edge: Any, model: Any, rng: np.random.Generator) -> dict[str, Any]:
    hook = edge.conformance.get("options")
    if hook is None:
        return {}
    value = hook(model, rng) if callable(hook) else hook
    return dict(value)


def _options(edge: Any, model: Any, rng: np.random.Generator, d: int) -> dict[str, Any]:
    """The run's options: the hook's, then required ones the harness can fill: a
    parameter of the promise class is the promise member's size (``model`` is
    g* when there is a promise, else f), a parameter of the target class a
    random size in [1, min(d, FEW_VARIABLES)]."""
    from ..classes import CLASSES

    options = _hook_options(edge, model, rng)
    missing = [name for name in required_options(edge) if name not in options]
    promise = edge.guarantee.promise
    sizes = model.size()
    own = {p.name for p in CLASSES[promise.cls].params} if promise is not None else set()
    target = {p.name for p in CLASSES[edge.target].params} - {"d"}
    for name in missing:
        if name in own and name in sizes:
            options[name] = max(int(sizes[name]), 1)
        elif name in target:
            options[name] = _int(rng, 1, min(d, FEW_VARIABLES))
    left = [name for name in missing if name not in options]
    if left:
        raise Untestable(
            f"{edge.name} needs the options {left}, which the harness cannot choose; give "
            "them with register(..., conformance={'options': {...}}) or a callable "
            "(model, rng) -> dict."
        )
    return options


# -- instances -----------------------------------------------------------------------


def _hook_sources(edge: Any, rng: np.random.Generator, d: int) -> tuple[Any, Any]:
    drawn = edge.conformance["sources"](rng, d)
    if isinstance(drawn, tuple):
        return drawn[0], drawn[1]
    promise = edge.guarantee.promise
    if promise is not None and promise.cls in PROJECTIONS:
        return drawn, PROJECTIONS[promise.cls](drawn)
    return drawn, None


def _conditioned_source(edge: Any, rng: np.random.Generator, d: int, D: Distribution
                        ) -> tuple[Any, Any, Distribution, str] | None:
    """Rule 5: f in F and g* in P drawn independently, D conditioned on {f = g*}
    (None when 20 draws found no pair that agrees anywhere in D's support)."""
    P, F = edge.guarantee.promise.cls, edge.source
    own = getattr(edge, "source_domain", None)      # a route's first step's domain
    for _ in range(20):
        f = random_member(F, rng, d, own if own is not None else
                          edge.domain if F == P else None)
        g = random_member(P, rng, d, edge.domain)
        restricted = restrict(D, f, g)
        if restricted is not None:
            return f, g, restricted, "D conditioned on {f = g*}"
    return None


def _perfect_source(edge: Any, rng: np.random.Generator, d: int, D: Distribution,
                    weak: bool = False) -> tuple[Any, Any, Distribution, str]:
    promise = edge.guarantee.promise
    P, F = promise.cls, edge.source
    if edge.conformance.get("sources") is not None:
        f, g = _hook_sources(edge, rng, d)
        return f, g, D, "the edge's conformance['sources']"
    if (weak and promise.mode == "distributional" and not edge.guarantee.assumptions
            and not getattr(edge, "tied", False)):
        drawn = _conditioned_source(edge, rng, d, D)
        if drawn is not None:
            return drawn
    if edge.guarantee.assumptions and not edge.domain:
        raise Untestable(
            f"{edge.name} assumes {', '.join(edge.guarantee.assumptions)}, which the harness "
            "cannot establish for random sources; declare the sources that satisfy it "
            "(register(..., conformance={'sources': callable(rng, d)})) or the domain."
        )
    if F == P:
        g = random_member(P, rng, d, edge.domain)
        return g, g, D, "a random member of the promise class"
    path = exact_path(P, F)
    if path is not None:
        g = random_member(P, rng, d, edge.domain)
        try:
            f = convert(g, path)
        except PacDistillError:
            f = None
        if f is not None:
            return f, g, D, "the promise member converted by " + " -> ".join(
                e.name for e in path)
    if P in PROJECTIONS:
        f = few_variable_member(F, rng, d)
        if f is not None:
            return f, PROJECTIONS[P](f), D, f"a {F} on few variables and its {P} projection"
    if promise.mode == "distributional":
        drawn = _conditioned_source(edge, rng, d, D)
        if drawn is None:
            raise Untestable(f"{edge.name}: no drawn source agreed with a promise member.")
        return drawn
    raise Untestable(
        f"{edge.name} promises f equals a {P} everywhere, and the harness finds no exact "
        f"path {P} -> {F} and no projection onto {P}; give "
        "register(..., conformance={'sources': callable(rng, d)})."
    )


#: sources a route's instance may redraw when a tied size falls outside its
#: guarantee's domain (:meth:`._routes.RouteEdge.instance_options`)
ROUTE_REDRAWS = 50


def draw_instance(edge: Any, rng: np.random.Generator, d: int, kind: str, *,
                  weak: bool = False) -> Instance:
    """One instance of a statistical trial of ``edge`` (perfect or agnostic) on
    {-1,+1}^d with a distribution of ``kind``; with ``weak``, a distributional
    promise is met only D-almost surely (rule 5 of the module docstring)."""
    chooser = getattr(edge, "instance_options", None)      # a route's (._routes)
    for _ in range(ROUTE_REDRAWS):
        D = random_distribution(rng, d, kind)
        if edge.guarantee.promise is not None:
            f, g, D, how = _perfect_source(edge, rng, d, D, weak)
        elif edge.conformance.get("sources") is not None:
            f, g = _hook_sources(edge, rng, d)
            how = "the edge's conformance['sources']"
        else:
            f, g, how = random_member(edge.source, rng, d, edge.domain), None, "any member"
        if chooser is None:
            return Instance(f, g, D, _options(edge, g if g is not None else f, rng, d), how)
        options = chooser(f, g, rng, d)
        if options is not None:     # None: a tied size outside the guarantee's domain
            return Instance(f, g, D, options, how)
    raise Untestable(f"{edge.name}: {ROUTE_REDRAWS} drawn sources in a row had a size the "
                     "route ties to a step's option outside the composed guarantee's domain "
                     "(such as k = 0).")
