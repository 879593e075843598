"""The reduction web: model classes as nodes, reductions as edges (DESIGN
"ReductionWeb"; THEORY §2, §3, §8, §9).

:class:`ReductionWeb` wraps an ``nx.MultiDiGraph`` (``web.graph``: node
attribute ``cls``, the ModelClass; edge key the reduction's name, edge attribute
``reduction``), so any networkx algorithm runs on it. ``pd.default_web()`` is
the web of every registered edge (THEORY §8).

Queries and the rules they use (THEORY §9; sound rules only, every answer with
its shortest derivation, one citation a step):

- ``routes(F, G)``: composable routes (rule 1, THEORY §3's table; barriers
  never compose), ranked by samples, time or queries at given values.
- ``status(F, G, setting=...)``: "efficient" (a route of efficient steps;
  for learning, a route whose first step uses labelled examples only, rule 2),
  "hard" (a barrier of that setting, direct or derived by rule 3), or
  "unknown".
- ``separations()``: distillation efficient, learning hard (rule 4).
- ``open_pairs()``, ``contradictions()``, ``compare(F, G)``, ``barriers()``.

Conventions (decided here; the tests check them):

- **Efficient** route: every step's ``efficient`` flag holds *and* its size map
  is polynomial in the size of its input (:mod:`pacdistill._web.measures`: an
  exact conversion Tree -> Junta with k = s - 1 is polynomial in its output but
  not in its input, so a route through it is not efficient). A step holds the
  sizes it chooses itself fixed; a later step's own size renamed k_2 (THEORY §3
  note) is read as the source's k, and the route's size map must then be
  polynomial in the source's size (Conjunction -> Halfspace -> Junta by queries
  makes a table of 2^k entries from d + k, as the direct step does).
- **Qualifying** route for the question "F into G" (the question ``status``
  answers: distil, or learn, f in F into G when f agrees D-almost surely with a
  member of G, THEORY §2.2; a route without promise whose error is
  OPT_G + eps answers the agnostic question of §2.4 as well). Say a class C
  *contains* F or G when C is F or G, or F (or G) converts into C by
  efficient exact conversions with polynomial size maps (every member is a
  member of C of polynomial size). A route qualifies when

  1. its promise class P, if any, contains G (then "f is in G" implies the
     promise) or F (then every f satisfies it); and
  2. every OPT_C in its error concerns a class C containing G or F.

  Rule 2 is THEORY §3's "agnostic then exact" row read with §1's definition of
  OPT: ERM over C followed by exact conversions C -> G has error OPT_C + eps,
  agnostic *against C*. If C contains G (G in C at the converted sizes), then
  OPT_C <= OPT_G, which is 0 under the promise "f is in G"; if C contains F,
  OPT_C(f) = 0 for every f in F. Otherwise OPT_C can be large while OPT_G is 0:
  a class C inside G has OPT_C >= OPT_G, so OPT_C + eps bounds nothing about
  OPT_G (ERM over juntas, then junta -> tree -> DNF, is no answer for
  halfspace -> DNF). Polynomial size is asked of the containment, as of rule
  3, so that an efficient step into C stays efficient in G's (or F's) size.
  The agnostic-then-agnostic row (OPT_H + 2 OPT_C + ...) qualifies under the
  same rule; it answers the realizable question, not the agnostic one (with
  C containing G its error is at best 3 OPT_G + eps). Routes that do not
  qualify are listed by ``routes`` with the reason (``Route.qualification``)
  but do not answer ``status``, ``separations``, ``compare``, ``open_pairs``
  or ``contradictions``.
- **Barriers** are stated for the realizable problem: ``F -> G`` hard means
  learning (or distilling) members of F that are in G is hard. Rule 3: if F'
  converts exactly into F (efficient, polynomial size) and F' -> G is hard
  under A, so is F -> G. By rule 4, barriers of the learning setting
  (``access="examples"``) never make distillation hard; the default web has
  no distillation barrier, so distillation status there is "efficient" or
  "unknown".
- **F = G**: distilling F into F is the identity, an exact conversion (THEORY
  §2.1) with no samples, queries or assumption. ``status(F, F)`` is
  "efficient" with the route ``identity[F]``; ``compare(F, F)`` puts the
  identity on the distillation side; ``separations()`` lists no pair F -> F
  (learning F from examples may be hard, but a distiller handed a member of F
  has nothing left to do); a distillation barrier F -> F contradicts the
  identity. ``routes(F, F)`` still lists the web's routes F -> ... -> F (the
  identity is not an edge). Learning F from F-labelled examples is a real
  question and keeps its status.
- **Contradiction**: for one pair and setting, an efficient qualifying route
  (for learning: a learning route) whose assumptions are a subset of a
  barrier's. A route under an extra assumption (the LRH) does not contradict a
  barrier that does not make it, and no route contradicts a barrier that
  restricts the algorithm (SQ: ``barriers.RESTRICTIONS``), since no route is
  known to be such an algorithm.

>>> web = pd.default_web()
>>> route = web.routes("junta", "dnf", at={"d": 100, "k": 4}, rank="time")[0]
>>> route.classes, route.cost
(('junta', 'decision_tree', 'dnf'), 1744.0)
>>> web.status("relu_network", "junta", setting="learning").answer
'hard'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import networkx as nx
import sympy

from ._io import read_json
from ._validation import (
    check_bool,
    check_choice,
    check_int,
    check_probability,
    is_sequence,
    param_error,
    unknown_name,
)
from ._web.costs import anchors, distillation_costs, learning_costs
from ._web.measures import SIZE_MEASURES
from ._web.options import defaults_note, size_violation
from ._web.records import (
    Comparison,
    Contradiction,
    Hardness,
    Route,
    Separation,
    Status,
)
from ._web.search import (
    iter_paths,
    opt_classes,
    path_assumptions,
    path_opt_classes,
    path_promise,
)
from ._web.values import field_value, is_approximate, rank_key, step_defaults, too_large_note
from .bounds.compose import compose_all
from .bounds.guarantee import Guarantee, Promise
from .errors import (
    ContradictionError,
    IncompatibleReductionError,
    InvalidParameterError,
)
from .reductions._registry import REGISTRY, Reduction, Result
from .reductions.barriers import RESTRICTIONS

__all__ = [
    "ReductionWeb", "default_web", "Route", "Status", "Hardness", "Separation",
    "Contradiction", "Comparison", "PROMISES", "RANKS", "TIE_BREAKS", "SETTINGS", "FORMATS",
]

#: what the user can promise about f (``routes(promise=...)``)
PROMISES = ("everywhere", "distributional", "none")
#: the fields routes can be ranked by
RANKS = ("samples", "time", "queries")
#: the fields that order routes of equal cost in the ranked field, in turn
#: (``routes`` docstring, "Ranking")
TIE_BREAKS = {"samples": ("queries", "time"), "queries": ("samples", "time"),
              "time": ("samples", "queries")}
#: field values a web keeps for later queries (ReductionWeb._field)
_VALUES_KEPT = 50000
#: the two settings of ``status``
SETTINGS = ("distillation", "learning")
#: export formats
FORMATS = ("json", "graphml", "dot")


class ReductionWeb:
    """The reduction web (see the module docstring).

    Parameters
    ----------
    reductions : iterable of Reduction
        The edges (barriers included).
    classes : iterable of str, optional
        The nodes (default: every class of ``pd.CLASSES``); the classes of the
        edges are added in any case.
    check : bool
        Raise :class:`~pacdistill.errors.ContradictionError` when the edges
        contradict each other (see :meth:`contradictions`).
    """

    def __init__(self, reductions: Iterable[Reduction] = (), *,
                 classes: Iterable[str] | None = None, check: bool = True) -> None:
        from .classes import CLASSES

        func = "ReductionWeb"
        if not is_sequence(reductions):
            raise param_error("reductions", func, "an iterable of Reductions", reductions)
        if classes is not None and not is_sequence(classes):
            raise param_error("classes", func, "None or an iterable of class names (keys "
                              "of pd.CLASSES)", classes)
        check = check_bool(check, "check", func)
        self.graph = nx.MultiDiGraph()
        self._edges: dict[str, Reduction] = {}
        self._cache: dict[Any, Any] = {}
        #: (route names, field, values) -> the field's value (:meth:`_field`)
        self._values: dict[tuple, Any] = {}
        for name in (CLASSES if classes is None else classes):
            self._add_node(name)
        for red in reductions:
            self._insert(red)
        if check:
            found = self.contradictions()
            if found:
                raise ContradictionError(
                    "The edges contradict each other:\n" + "\n".join(map(str, found)))

    # ------------------------------------------------------------- building
    @classmethod
    def from_registry(cls, registry: Mapping[str, Reduction] | None = None) -> ReductionWeb:
        """The web of a registry's edges (default: :data:`REGISTRY`, every edge
        registered by the modules ``pacdistill.reductions`` imports).

        >>> pd.ReductionWeb.from_registry(3)
        Traceback (most recent call last):
        ...
        pacdistill.errors.InvalidParameterError: The 'registry' parameter of ...
        """
        func = "ReductionWeb.from_registry"
        rule = "None or a mapping of edge names to Reductions (like REGISTRY)"
        if registry is None:
            registry = REGISTRY
        if not isinstance(registry, Mapping):
            raise param_error("registry", func, rule, registry)
        for name, red in registry.items():
            if not isinstance(red, Reduction):
                raise param_error("registry", func, rule, {name: red})
        return cls(list(registry.values()))

    def _add_node(self, name: str) -> None:
        from .classes import CLASSES

        if not isinstance(name, str):
            raise InvalidParameterError(f"A class of the web must be named by a string. "
                                        f"Got {name!r} instead.")
        if name not in self.graph:
            self.graph.add_node(name, cls=CLASSES.get(name))

    def _insert(self, red: Reduction) -> None:
        if not isinstance(red, Reduction):
            raise param_error("reduction", "ReductionWeb.add", "a Reduction (made by "
                              "@register or register_barrier)", red)
        if red.name in self._edges:
            raise InvalidParameterError(
                f"The web already has an edge named {red.name!r}; edge names are unique.")
        self._add_node(red.source)
        self._add_node(red.target)
        self.graph.add_edge(red.source, red.target, key=red.name, reduction=red)
        self._edges[red.name] = red
        self._cache.clear()
        self._values.clear()

    def _remove(self, name: str) -> None:
        red = self._edges.pop(name)
        self.graph.remove_edge(red.source, red.target, key=name)
        self._cache.clear()
        self._values.clear()

    def add(self, reduction: Reduction) -> None:
        """Add an edge; raise ContradictionError (and leave the web unchanged)
        when it creates a contradiction (:meth:`contradictions`).

        >>> from pacdistill.bounds.guarantee import Guarantee
        >>> from pacdistill.reductions._registry import Reduction
        >>> web = pd.ReductionWeb.from_registry()
        >>> claim = Reduction("magic", "dnf", "dnf", Guarantee(
        ...     "perfect", "dnf", "dnf", "nobody", promise=pd.bounds.Promise("dnf")),
        ...     access="examples")
        >>> web.add(claim)
        Traceback (most recent call last):
        ...
        pacdistill.errors.ContradictionError: Adding magic (dnf -> dnf) contradicts the web: ...
        >>> "magic" in web.reductions
        False
        """
        before = {c.key for c in self.contradictions()}
        self._insert(reduction)
        new = [c for c in self.contradictions() if c.key not in before]
        if new:
            self._remove(reduction.name)
            raise ContradictionError(
                f"Adding {reduction.name} ({reduction.source} -> {reduction.target}) "
                "contradicts the web: " + "; ".join(map(str, new)))

    @property
    def reductions(self) -> dict[str, Reduction]:
        """Every edge by name, in insertion order."""
        return dict(self._edges)

    @property
    def classes(self) -> list[str]:
        return list(self.graph.nodes)

    def edges(self, source: str | None = None, target: str | None = None, *,
              kind: str | None = None, access: str | None = None) -> list[Reduction]:
        """The edges, optionally only those from ``source``, into ``target``, of
        one ``kind`` (exact, perfect, agnostic, barrier) or ``access``."""
        from .bounds.guarantee import KINDS
        from .reductions._registry import ACCESS

        src = None if source is None else self._resolve(source, "source", "edges")
        tgt = None if target is None else self._resolve(target, "target", "edges")
        if kind is not None:
            check_choice(kind, "kind", "edges", KINDS)
        if access is not None:
            check_choice(access, "access", "edges", ACCESS)
        return [red for red in self._edges.values()
                if (src is None or red.source == src) and (tgt is None or red.target == tgt)
                and (kind is None or red.kind == kind) and (access is None or red.access == access)]

    # ------------------------------------------------------------ names
    def resolve(self, name: str) -> str:
        """The class name of the web that ``name`` denotes (its key, or its title
        in any case: ``"DecisionTree"`` -> ``"decision_tree"``); UnknownNameError
        with close matches otherwise.

        >>> pd.default_web().resolve("DecisionTree")
        'decision_tree'
        """
        return self._resolve(name, "name", "resolve")

    def _resolve(self, name: Any, param: str, func: str) -> str:
        """A class name of the web: its key, or its title / key in any case,
        with or without underscores (``"DecisionTree"``, ``"decision-tree"``)."""
        if isinstance(name, str) and name in self.graph:
            return name
        if isinstance(name, str):
            wanted = _normal(name)
            for node, data in self.graph.nodes(data=True):
                cls = data.get("cls")
                if wanted in (_normal(node), _normal(getattr(cls, "title", "") or "")):
                    return node
        if not isinstance(name, str):
            raise param_error(param, func, "a class name (a key of pd.CLASSES)", name)
        raise unknown_name(f"class (the {param!r} parameter of {func})", name, self.classes)

    # ---------------------------------------------------------- efficiency
    def _inefficiency(self, red: Reduction) -> str | None:
        """Why ``red`` is not an efficient step (None when it is)."""
        key = ("edge", red.name)
        if key not in self._cache:
            from ._web.measures import size_polynomial

            reason = None
            if not red.efficient:
                reason = (f"{red.name} is not efficient (its time is not polynomial in the "
                          "sizes: efficient=False)")
            elif not size_polynomial(red.source, red.target, dict(red.guarantee.size_map)):
                sizes = ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in sorted(
                    red.guarantee.size_map.items(), key=lambda kv: kv[0].name)) or "none"
                measure = SIZE_MEASURES.get(red.source)
                reason = (f"{red.name}: its size map ({sizes}) is not shown polynomial in the "
                          f"size of {red.source}"
                          + (f" (measure {sympy.sstr(measure.expr)})" if measure else ""))
            self._cache[key] = reason
        return self._cache[key]

    def _blowup(self, steps: tuple[Reduction, ...], guarantee: Guarantee) -> str | None:
        """Why a route of efficient steps is still not efficient (None when it is).

        Each step's check holds the sizes it chooses itself fixed (a junta
        learner's k is not a parameter of its input class). When a later step's
        own size was renamed (k_2: THEORY §3 note) because the route's source has
        a parameter of that name, its run reads it as the source's (k_2 = k, the
        default of ``at=``; a k-literal conjunction is a k_2-junta only for
        k_2 >= k), so the route's size map is checked with k_2 = k against the
        source's size: Conjunction -> Halfspace -> Junta then blows d + k up to
        a table of 2^k entries, as the direct Conjunction -> Junta step does."""
        cache_key = ("blowup", tuple(red.name for red in steps))
        if cache_key in self._cache:
            return self._cache[cache_key]
        from ._web.measures import size_polynomial

        used = set().union(*(value.free_symbols for value in guarantee.size_map.values()))
        renamed = {new: old for new, (_, old) in (getattr(guarantee, "options", None)
                                                  or {}).items() if new in used}
        sizes = {key: value.xreplace(renamed) for key, value in guarantee.size_map.items()}
        reason = None
        if renamed and not size_polynomial(steps[0].source, steps[-1].target, sizes):
            shown = ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in sorted(
                sizes.items(), key=lambda kv: kv[0].name))
            read = ", ".join(f"{new} = {old}" for new, old in sorted(
                renamed.items(), key=lambda kv: kv[0].name))
            reason = (f"the route's size map ({shown}, reading {read}: a later step's own "
                      f"size as the source's, THEORY §3 note) is not shown polynomial in the "
                      f"size of {steps[0].source}")
        self._cache[cache_key] = reason
        return reason

    def _conversions(self) -> dict[str, dict[str, tuple[Reduction, ...]]]:
        """F' -> {F: shortest route of efficient exact conversions F' -> F}."""
        if "conversions" not in self._cache:
            out: dict[str, dict[str, tuple[Reduction, ...]]] = {}
            for start in self.graph.nodes:
                found: dict[str, tuple[Reduction, ...]] = {start: ()}
                frontier = [start]
                while frontier:
                    nxt = []
                    for node in frontier:
                        for _, succ, data in self.graph.out_edges(node, data=True):
                            red = data["reduction"]
                            if (succ not in found and red.kind == "exact"
                                    and self._inefficiency(red) is None):
                                found[succ] = (*found[node], red)
                                nxt.append(succ)
                    frontier = nxt
                out[start] = found
            self._cache["conversions"] = out
        return self._cache["conversions"]

    def _contains(self, cls: str, source: str, target: str) -> bool:
        """Whether ``cls`` contains the target or the source class: it is one of
        them, or one of them converts into it by efficient exact conversions
        with polynomial size maps (so each member of that class is a member of
        ``cls`` of polynomial size)."""
        if cls in (source, target):
            return True
        conversions = self._conversions()
        return any(cls in conversions.get(name, {}) for name in (source, target))

    def _qualification(self, promise: Promise | None, opts: Iterable[str], source: str,
                       target: str) -> str:
        """Why a route with this promise and these OPT classes in its error does
        not answer "distil ``source`` into ``target``" ("" when it does; module
        docstring, "qualifying")."""
        if promise is not None and not self._contains(promise.cls, source, target):
            return (f"needs the promise 'f is a {promise.cls}', stronger than "
                    f"'f is a {target}'")
        foreign = sorted(c for c in opts if not self._contains(c, source, target))
        if foreign:
            terms = ", ".join(f"OPT_{c}" for c in foreign)
            return (f"its error is against {terms}, not OPT_{target}: agnostic into "
                    f"{' and '.join(foreign)}, which the web does not know to contain "
                    f"{target} or {source}, so the error need not be small when f is close "
                    f"to a {target} (THEORY §3, 'agnostic then exact')")
        return ""

    # ------------------------------------------------------------- routes
    def _compose(self, steps: tuple[Reduction, ...]) -> Guarantee | None:
        key = ("compose", tuple(red.name for red in steps))
        if key not in self._cache:
            try:
                self._cache[key] = compose_all([red.guarantee for red in steps])
            except (IncompatibleReductionError, InvalidParameterError):
                self._cache[key] = None  # not composable (compose_all is the authority)
        return self._cache[key]

    def _field(self, steps: tuple[Reduction, ...], guarantee: Guarantee, name: str,
               values: Mapping[str, Any]) -> Any:
        """``field_value(guarantee, name, values)`` of the route ``steps``, kept
        for the web's later queries at the same values (an evaluation is the
        costly part of a query: ``routes``, then ``compare`` at the same
        ``at``, evaluate each route once). At most _VALUES_KEPT are kept."""
        key = (tuple(red.name for red in steps), name,
               tuple(sorted((k, type(v).__name__, v) for k, v in values.items())))
        if key in self._values:
            return self._values[key]
        value = field_value(guarantee, name, values)  # raises: nothing kept
        if _VALUES_KEPT:  # 0 keeps nothing (bench_web's baseline)
            if len(self._values) >= _VALUES_KEPT:
                self._values.clear()
            self._values[key] = value
        return value

    def _route(self, steps: tuple[Reduction, ...], guarantee: Guarantee, *,
               rank: str = "samples", cost: Any = None) -> Route:
        notes = tuple(reason for reason in map(self._inefficiency, steps) if reason)
        if not notes:
            blowup = self._blowup(steps, guarantee)
            notes = (blowup,) if blowup else ()
        why = self._qualification(guarantee.promise, opt_classes(guarantee.error),
                                  steps[0].source, steps[-1].target)
        return Route(steps, guarantee, _route_derivation(steps, guarantee), rank=rank,
                     cost=cost, efficient=not notes, qualifies=not why, notes=notes,
                     qualification=why)

    def _identity(self, cls: str) -> Route:
        """The identity F -> F as a one-step exact route (THEORY §2.1: f is
        already a member of F, output it): no samples, queries or time."""
        key = ("identity", cls)
        if key not in self._cache:
            from .classes import CLASSES

            params = CLASSES[cls].params if cls in CLASSES else ()
            guarantee = Guarantee("exact", cls, cls, "THEORY §2.1 (the identity: output f "
                                  "itself)", size_map={p: p for p in params})
            red = Reduction(f"identity[{cls}]", cls, cls, guarantee, func=_identity_step,
                            doc="The identity: f is already a member of the class.",
                            access="representation", efficient=True)
            line = (f"1. the identity is an exact conversion {cls} -> {cls} (THEORY §2.1): "
                    "output f itself; no samples, no queries, no assumption")
            self._cache[key] = Route((red,), guarantee, (line,))
        return self._cache[key]

    def _paths(self, source: str, target: str, *, max_steps: int, efficient: bool,
               learning: bool) -> list[tuple[Reduction, ...]]:
        key = ("paths", source, target, max_steps, efficient, learning)
        if key not in self._cache:
            found = list(iter_paths(
                self.graph, source, target=target, max_steps=max_steps,
                edge_ok=(lambda red: self._inefficiency(red) is None) if efficient
                else (lambda red: True),
                first_ok=(lambda red: red.access == "examples") if learning
                else (lambda red: True), first_loop=learning))
            found.sort(key=lambda steps: (len(steps), len(path_assumptions(steps))))
            self._cache[key] = found
        return self._cache[key]

    def _best_route(self, source: str, target: str, *, learning: bool, promise: str | None,
                    efficient: bool, max_steps: int, distillation_access: bool = False,
                    within: Iterable[str] | None = None) -> Route | None:
        """The shortest qualifying route (fewest assumptions among the shortest)."""
        allowed = None if within is None else frozenset(within)
        for steps in self._paths(source, target, max_steps=max_steps, efficient=efficient,
                                 learning=learning):
            if not _promise_allowed(path_promise(steps), promise):
                continue
            if self._qualification(path_promise(steps), path_opt_classes(steps), source,
                                   target):
                continue
            if distillation_access and all(red.access == "examples" for red in steps):
                continue
            if allowed is not None and not path_assumptions(steps) <= allowed:
                continue
            guarantee = self._compose(steps)
            if guarantee is None:
                continue
            route = self._route(steps, guarantee)
            if efficient and not route.efficient:
                continue  # efficient steps, but the route's size map blows up (_blowup)
            return route
        return None

    def _unqualified_route(self, source: str, target: str, *, learning: bool,
                           promise: str | None, max_steps: int) -> Route | None:
        """The shortest composable route that does not qualify (a stronger
        promise, or an error against another class), for ``status`` to name
        when no route qualifies: what the web can do, and why it is no answer."""
        for steps in self._paths(source, target, max_steps=max_steps, efficient=False,
                                 learning=learning):
            if not _promise_allowed(path_promise(steps), promise):
                continue
            guarantee = self._compose(steps)
            if guarantee is not None:
                return self._route(steps, guarantee)
        return None

    def routes(self, source: str, target: str, *, promise: str | None = None,
               at: Mapping[str, Any] | None = None, rank: str = "samples",
               max_steps: int = 4, limit: int | None = 10,
               efficient_only: bool = False, qualifying_only: bool = False) -> list[Route]:
        """Composable routes from ``source`` to ``target``, best first.

        Parameters
        ----------
        source, target : str
            Class names (keys of ``pd.CLASSES``; titles such as
            ``"DecisionTree"`` are accepted too).
        promise : {None, "everywhere", "distributional", "none"}
            What you can promise about f. ``"distributional"`` (f agrees with a
            member of the promise class D-almost surely) excludes routes that
            need the exact promise (query algorithms, THEORY §2.3, §6);
            ``"everywhere"`` allows every route; ``"none"`` keeps only routes
            without a promise (exact and agnostic); None does not filter.
        at : mapping, optional
            Numbers for the symbols (``{"d": 100, "k": 4, "eps": 0.01,
            "delta": 0.05}``). Routes are ranked by ``rank`` evaluated there;
            routes whose ``rank`` field needs a symbol ``at`` lacks come last,
            with the missing names in their ``notes`` (an error if no route can
            be evaluated). Costs compare exactly at any size; a cost past the
            exact-integer range (counts) or the float range (time) is a 50-digit
            approximation, ranked after every exact one with a note saying so,
            and a cost that is no finite number there is ranked last with a note
            (neither aborts the query). Without ``at``: fewest steps first,
            efficient first.
        rank : {"samples", "time", "queries"}
            The field routes are ranked by, and only that field: "samples"
            counts the examples drawn from D, so a route that reads f's whole
            truth table by 2^d queries and draws no example ranks before any
            route that draws one (rank by "time", which counts every
            evaluation of f, THEORY §3, to weigh all access at once). Routes
            of *equal* cost in ``rank`` are ordered by the other two fields at
            ``at`` (:data:`TIE_BREAKS`: samples by queries then time, queries
            by samples then time, time by samples then queries), then fewer
            steps first, then efficient first.
        max_steps : int
            Longest route considered (simple paths: no class twice).
        limit : int or None
            At most this many routes.
        efficient_only : bool
            Only efficient routes: every step efficient and the route's size
            map polynomial in the source's size (module docstring).
        qualifying_only : bool
            Only routes whose promise "f is in the target class" implies (they
            answer "distil F into G"; module docstring).

        Returns
        -------
        list of Route (empty when there is none)

        Examples
        --------
        >>> web = pd.default_web()
        >>> r = web.routes("junta", "dnf", at={"d": 10, "k": 3, "eps": 0.1, "delta": 0.1})[0]
        >>> r.names, r.kind, r.cost
        (('junta_to_tree', 'tree_to_dnf'), 'exact', 0)
        """
        func = "routes"
        src = self._resolve(source, "source", func)
        tgt = self._resolve(target, "target", func)
        if promise is not None:
            check_choice(promise, "promise", func, PROMISES)
        check_choice(rank, "rank", func, RANKS)
        max_steps = check_int(max_steps, "max_steps", func, min=1, max=8)
        if limit is not None:
            limit = check_int(limit, "limit", func, min=1)
        efficient_only = check_bool(efficient_only, "efficient_only", func)
        qualifying_only = check_bool(qualifying_only, "qualifying_only", func)
        values = check_at(at, func, classes=self.classes, involved=(src, tgt))
        out = _break_ties(self._ranked(src, tgt, promise=promise, values=values, rank=rank,
                                       max_steps=max_steps, efficient_only=efficient_only,
                                       qualifying_only=qualifying_only, func=func),
                          rank, values, upto=limit, value=self._field)
        return out if limit is None else out[:limit]

    def _ranked(self, src: str, tgt: str, *, promise: str | None,
                values: Mapping[str, Any] | None, rank: str, max_steps: int,
                efficient_only: bool, qualifying_only: bool, func: str) -> list[Route]:
        """The routes of :meth:`routes` (arguments checked), ordered by cost,
        then fewer steps, then efficient first: routes of equal cost are not yet
        ordered by the other fields (:func:`_break_ties`). ``func`` is the query
        the user called, for the messages."""
        found = []
        for steps in self._paths(src, tgt, max_steps=max_steps, efficient=efficient_only,
                                 learning=False):
            if not _promise_allowed(path_promise(steps), promise):
                continue
            if qualifying_only and self._qualification(
                    path_promise(steps), path_opt_classes(steps), src, tgt):
                continue
            guarantee = self._compose(steps)
            if guarantee is None:
                continue
            if efficient_only and not self._route(steps, guarantee).efficient:
                continue  # efficient steps, but the route's size map blows up (_blowup)
            found.append((steps, guarantee))
        ranked = []
        refused: list[str] = []
        missing_all: dict[str, set[str]] = {}
        for order, (steps, guarantee) in enumerate(found):
            expr = getattr(guarantee, rank)
            cost: Any = expr
            note: tuple[str, ...] = ()
            if values is not None:
                defaults = step_defaults(guarantee, values)
                if defaults:
                    note = (defaults_note(guarantee, steps, defaults, values),)
                missing = {sym.name for sym in expr.free_symbols} - set(values) - set(defaults)
                violation = size_violation(steps, guarantee, values, defaults, self._compose)
                if violation is not None:  # a renamed size out of its class's range
                    cost = None
                    note = (f"not evaluated: these values describe no run of this route: "
                            f"{violation}",)
                    refused.append(violation)
                elif missing:
                    cost = None
                    note += (f"its {rank} needs values for {', '.join(sorted(missing))}",)
                    missing_all[" -> ".join(red.name for red in steps)] = missing
                else:
                    try:
                        cost = self._field(steps, guarantee, rank, values)
                    except InvalidParameterError as err:  # not a finite real number there
                        cost = None
                        note += (f"its {rank} cannot be evaluated at these values: {err}",)
                    if is_approximate(cost):
                        note += (too_large_note(rank, expr, cost),)
            route = self._route(steps, guarantee, rank=rank, cost=cost)
            if note:
                route = replace(route, notes=route.notes + note)
            ranked.append((order, route))
        if values is not None and ranked and len(refused) == len(ranked):
            raise InvalidParameterError(
                f"{func}({src!r}, {tgt!r}): the values of at= describe no run of any route: "
                f"{refused[0]}" + (f" (and {len(refused) - 1} more routes alike)"
                                   if len(refused) > 1 else "") + ".")
        if values is not None and ranked and len(missing_all) == len(ranked):
            counts: dict[str, int] = {}
            for names in missing_all.values():
                for name in names:
                    counts[name] = counts.get(name, 0) + 1
            shown = ", ".join(f"{name} ({count} of {len(ranked)} routes)"
                              for name, count in sorted(counts.items()))
            raise InvalidParameterError(
                f"{func}({src!r}, {tgt!r}) ranks by {rank} at the given values, but no "
                f"route's {rank} can be evaluated there; it needs values for {shown}: give "
                f"them in at= (Python) or --at (command line), "
                f"{','.join(f'{n}=...' for n in sorted(counts))}")

        def key(item: tuple[int, Route]) -> tuple:
            # exact values (ints compare exactly, whatever their size), then values
            # past the exact range by their 50-digit approximation, then the
            # routes that cannot be evaluated (pacdistill._web.values), then fewer
            # steps; equal costs are ordered by the other fields afterwards
            # (_break_ties), only where the caller looks
            order, route = item
            cost = rank_key(route.cost) if values is not None else (0, 0)
            return (*cost, len(route.steps), not route.efficient, order)

        ranked.sort(key=key)
        return [route for _, route in ranked]

    # ------------------------------------------------------------ barriers
    def _hardness(self) -> list[Hardness]:
        """Every barrier (direct) and every one derived by rule 3, shortest first."""
        if "hardness" not in self._cache:
            conversions = self._conversions()
            out = []
            for red in self._edges.values():
                if red.kind != "barrier":
                    continue
                setting = "learning" if red.access == "examples" else "distillation"
                assumptions = red.guarantee.assumptions
                for origin, path in conversions.get(red.source, {red.source: ()}).items():
                    out.append(Hardness(origin, red.target, setting, assumptions, red, path,
                                        _hardness_derivation(red, path, setting)))
            out.sort(key=lambda h: len(h.conversions))
            self._cache["hardness"] = out
        return self._cache["hardness"]

    def barriers(self, source: str | None = None, target: str | None = None, *,
                 setting: str | None = None, derived: bool = True) -> list[Hardness]:
        """Hardness statements: the barrier records and (``derived=True``) those
        rule 3 derives from them, each with its derivation; shortest first.

        >>> hard = pd.default_web().barriers("relu_network", "junta", setting="learning")
        >>> hard[0].derived, hard[0].names[0]
        (True, 'sq_learn_junta')
        """
        func = "barriers"
        src = None if source is None else self._resolve(source, "source", func)
        tgt = None if target is None else self._resolve(target, "target", func)
        if setting is not None:
            check_choice(setting, "setting", func, SETTINGS)
        derived = check_bool(derived, "derived", func)
        return [h for h in self._hardness()
                if (src is None or h.source == src) and (tgt is None or h.target == tgt)
                and (setting is None or h.setting == setting) and (derived or not h.derived)]

    # -------------------------------------------------------------- status
    def status(self, source: str, target: str, *, setting: str = "distillation",
               promise: str | None = None, max_steps: int = 4) -> Status:
        """Is ``setting`` (distillation or learning) of ``source`` into ``target``
        efficient, hard, or unknown? (THEORY §9; module docstring.)

        "efficient": a qualifying route of efficient steps (for learning, its
        first step uses labelled examples only, rule 2); distilling F into F
        is always efficient, by the identity (its route ``identity[F]``, an
        exact conversion with no assumption: module docstring, "F = G");
        "hard": a barrier of this setting, direct or derived by rule 3 (for
        distillation, learning barriers do not count: rule 4); otherwise
        "unknown", with the best known route and the reason it is not
        efficient, if any.

        >>> s = pd.default_web().status("relu_network", "junta", setting="learning")
        >>> s.answer, s.hardness.names[:2]
        ('hard', ('sq_learn_junta', 'junta_to_tree'))
        """
        func = "status"
        src = self._resolve(source, "source", func)
        tgt = self._resolve(target, "target", func)
        check_choice(setting, "setting", func, SETTINGS)
        if promise is not None:
            check_choice(promise, "promise", func, PROMISES)
        max_steps = check_int(max_steps, "max_steps", func, min=1, max=8)
        learning = setting == "learning"
        if src == tgt and not learning:
            route = self._identity(src)
            return Status("efficient", route.derivation, src, tgt, setting, route=route)
        hard = self.barriers(src, tgt, setting=setting)
        route = self._best_route(src, tgt, learning=learning, promise=promise, efficient=True,
                                 max_steps=max_steps)
        if route is not None:
            lines = list(route.derivation)
            lines.append(f"answer: efficient ({setting}"
                         + (", rule 2: only labelled examples of f are used" if learning else "")
                         + f"); promise {route.promise or 'none'}; assumptions "
                         f"{', '.join(route.assumptions) or 'none'}")
            for h in hard:
                lines.append(_beside_barrier_note(h, route))
            return Status("efficient", tuple(lines), src, tgt, setting, route=route)
        if hard:
            return Status("hard", hard[0].derivation, src, tgt, setting, hardness=hard[0])
        lines = [f"no barrier of the {setting} setting for {src} -> {tgt}, direct or derived "
                 "(THEORY §9 rule 3)"]
        if not learning:
            for h in self.barriers(src, tgt, setting="learning")[:1]:
                lines.append(f"learning {src} -> {tgt} is hard under {', '.join(h.assumptions)} "
                             f"({' + '.join(h.names)}); by THEORY §9 rule 4 that does not make "
                             "distillation hard")
        best = self._best_route(src, tgt, learning=learning, promise=promise, efficient=False,
                                max_steps=max_steps)
        if best is None:
            lines.append(f"no qualifying {'learning ' if learning else ''}route within "
                         f"{max_steps} steps")
            other = self._unqualified_route(src, tgt, learning=learning, promise=promise,
                                            max_steps=max_steps)
            if other is not None:
                lines.append("shortest route that does not answer the question: "
                             + " -> ".join(other.classes) + f" ({', '.join(other.names)}): "
                             + other.qualification)
        else:
            lines.append("best known route, not efficient: " + " -> ".join(best.classes)
                         + f" ({', '.join(best.names)})")
            lines += [f"  {note}" for note in best.notes]
        if learning:
            lines += [f"anchor: {a.task}, {a.setting}: {a.time} [{a.source}]"
                      for a in anchors(tgt)]
        return Status("unknown", tuple(lines), src, tgt, setting, route=best)

    # --------------------------------------------------- pairs of classes
    def separations(self, *, max_steps: int = 4) -> list[Separation]:
        """Pairs F -> G, F != G, where distillation is efficient (a qualifying
        route of efficient steps, using queries or the representation) and
        learning is hard (a learning barrier, direct or derived): THEORY §9
        rule 4. Each states both costs with their sources
        (:class:`~pacdistill._web.records.Cost`): the barrier's lower bound and
        THEORY §4's learning-time anchors, and the route's samples, queries and
        time.

        F -> F is never a separation: distilling F into F is the identity
        (module docstring, "F = G"), so there is nothing to compare; the
        separations of THEORY §6 and §5 are those from *another* representation
        (a network computing a k-junta or a tree) into G.

        >>> seps = {(s.source, s.target): s for s in pd.default_web().separations()}
        >>> ("relu_network", "junta") in seps, ("junta", "junta") in seps
        (True, False)
        >>> [c.bound for c in seps["relu_network", "junta"].learning_costs][1:]
        ['d^k (exhaustive search)', 'd^(omega k / (omega + 1))', 'about d^(0.6 k)']
        """
        max_steps = check_int(max_steps, "max_steps", "separations", min=1, max=8)
        out = []
        seen = set()
        for h in self._hardness():
            pair = (h.source, h.target)
            if h.setting != "learning" or pair in seen or h.source == h.target:
                continue
            seen.add(pair)
            route = self._best_route(*pair, learning=False, promise=None, efficient=True,
                                     max_steps=max_steps, distillation_access=True)
            if route is None:
                continue
            distill = Status("efficient", (*route.derivation, "answer: efficient distillation; "
                             f"promise {route.promise or 'none'}; assumptions "
                             f"{', '.join(route.assumptions) or 'none'}"),
                             *pair, "distillation", route=route)
            learn = Status("hard", h.derivation, *pair, "learning", hardness=h)
            out.append(Separation(*pair, distill, learn, learning_costs(h, h.target),
                                  distillation_costs(route)))
        order = {name: i for i, name in enumerate(self.graph.nodes)}
        out.sort(key=lambda s: (order[s.source], order[s.target]))
        return out

    def open_pairs(self, *, max_steps: int = 4) -> list[tuple[str, str]]:
        """Pairs (F, G), F != G, with no qualifying route (efficient or not)
        and no barrier of either setting: what the web does not know."""
        max_steps = check_int(max_steps, "max_steps", "open_pairs", min=1, max=8)
        hard = {(h.source, h.target) for h in self._hardness()}
        out = []
        for f in self.graph.nodes:
            for g in self.graph.nodes:
                if f == g or (f, g) in hard:
                    continue
                if self._best_route(f, g, learning=False, promise=None, efficient=False,
                                    max_steps=max_steps) is None:
                    out.append((f, g))
        return out

    def contradictions(self, *, max_steps: int = 4) -> list[Contradiction]:
        """Pairs with a hardness statement and an efficient qualifying route of
        the same setting (a learning route for learning barriers) that needs no
        assumption beyond the barrier's: the web itself would be wrong. A
        distillation barrier F -> F is contradicted by the identity. A barrier
        that restricts the algorithm (statistical queries:
        :data:`pacdistill.reductions.barriers.RESTRICTIONS`) is a theorem about
        that model, which no route of the web is known to belong to, so no
        route contradicts it (Gaussian elimination learns the parities no SQ
        algorithm learns efficiently)."""
        max_steps = check_int(max_steps, "max_steps", "contradictions", min=1, max=8)
        key = ("contradictions", max_steps)
        if key not in self._cache:
            out = []
            for h in self._hardness():
                if set(h.assumptions) & RESTRICTIONS:
                    continue  # a theorem about a restricted model; no route is known in it
                if h.setting == "distillation" and h.source == h.target:
                    out.append(Contradiction(h.source, h.target, h.setting,
                                             self._identity(h.source), h))
                    continue
                route = self._best_route(h.source, h.target, learning=h.setting == "learning",
                                         promise=None, efficient=True, max_steps=max_steps,
                                         within=h.assumptions)
                if route is not None:
                    out.append(Contradiction(h.source, h.target, h.setting, route, h))
            self._cache[key] = out
        return list(self._cache[key])

    # ------------------------------------------------------------- compare
    def compare(self, source: str, target: str, *, at: Mapping[str, Any] | None = None,
                rank: str = "time", max_steps: int = 4) -> Comparison:
        """Learning versus distillation of ``source`` into ``target`` side by
        side (THEORY §4, §6, §9 rule 4): the best qualifying learning route
        (first step from labelled examples) and the best qualifying route
        overall, ranked by ``rank`` at ``at``, their samples, queries and time
        (formulas and numbers), both statuses and the learning-time anchors of
        THEORY §4 for the target. For F -> F the distillation side is the
        identity (module docstring, "F = G"): compare a model computing a
        member of F in another representation (``relu_network`` into
        ``junta``) for the separations of THEORY §5, §6.

        >>> web = pd.default_web()
        >>> c = web.compare("relu_network", "junta", at={"d": 100, "k": 4, "m": 50,
        ...                 "L": 1, "eps": 0.01, "delta": 0.05})
        >>> c.distillation.names, c.learning_status.answer
        (('query_junta[relu_network]',), 'hard')
        >>> web.compare("junta", "junta", at={"d": 100, "k": 4}).distillation.names
        ('identity[junta]',)
        """
        func = "compare"
        src = self._resolve(source, "source", func)
        tgt = self._resolve(target, "target", func)
        check_choice(rank, "rank", func, RANKS)
        values = check_at(at, func, classes=self.classes, involved=(src, tgt))
        max_steps = check_int(max_steps, "max_steps", func, min=1, max=8)
        qualifying = self._ranked(src, tgt, promise=None, values=values, rank=rank,
                                  max_steps=max_steps, efficient_only=False,
                                  qualifying_only=True, func=func)
        # the first route and the first learning route of routes(...)'s order: only
        # the ties they are in are broken (an evaluation is the costly part)
        distillation = (_break_ties(qualifying, rank, values, upto=1, value=self._field)[0]
                        if qualifying else None)
        learning = _first(qualifying, lambda r: r.is_learning, rank, values, self._field)
        if src == tgt:  # the identity beats every route F -> F
            identity = self._identity(src)
            distillation = replace(identity, rank=rank, cost=getattr(identity.guarantee, rank)
                                   if values is None else field_value(identity.guarantee,
                                                                      rank, values))
        return Comparison(
            src, tgt, values, rank, learning, distillation,
            self.status(src, tgt, setting="learning", max_steps=max_steps),
            self.status(src, tgt, setting="distillation", max_steps=max_steps),
            anchors(tgt))

    # --------------------------------------------------- export / equality
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; :meth:`from_json` rebuilds an equal web."""
        from ._web.export import web_to_dict

        return web_to_dict(self)

    @classmethod
    def from_json(cls, data: Any) -> ReductionWeb:
        """Rebuild a web from :meth:`to_dict`'s form, a JSON string's path or a
        dict. Edges are rebound to the registered algorithm of the same name
        when the registered edge is the same; otherwise they are records that
        cannot run. Malformed input raises SerializationError."""
        from ._web.export import web_from_dict

        if isinstance(data, (str, os.PathLike)):
            data = read_json(data, "web file")
        return web_from_dict(cls, data)

    def export(self, path: str | os.PathLike, format: str = "json") -> None:
        """Write the web as JSON, GraphML or DOT (atomically: a temporary file in
        the same directory, then ``os.replace``)."""
        from ._web.export import export

        check_choice(format, "format", "export", FORMATS)
        export(self, path, format)

    def attribute_graph(self) -> nx.MultiDiGraph:
        """The graph with string attributes only (what GraphML holds): node
        attributes title, params, description; edge key the name and attributes
        kind, access, efficient, source, doc, promise, the guarantee's fields
        as sympy strings, size_map, assumptions, order."""
        from ._web.export import attribute_graph

        return attribute_graph(self)

    def draw(self, ax: Any = None, **options: Any) -> Any:
        """A matplotlib drawing (see :func:`pacdistill._web.draw.draw`); returns the axes."""
        from ._web.draw import draw

        return draw(self, ax=ax, **options)

    def _signature(self) -> tuple:
        return (set(self.graph.nodes),
                {name: (red.source, red.target, red.access, red.efficient, red.doc,
                        red.guarantee) for name, red in self._edges.items()})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReductionWeb):
            return NotImplemented
        return self._signature() == other._signature()

    __hash__ = None  # mutable (add)

    def __repr__(self) -> str:
        barriers = sum(red.kind == "barrier" for red in self._edges.values())
        return (f"<ReductionWeb: {self.graph.number_of_nodes()} classes, "
                f"{len(self._edges)} edges ({barriers} barriers)>")


# ---------------------------------------------------------------- helpers
def _tie_breaker(group: list[Route], rank: str, values: Mapping[str, Any],
                 value: Callable[..., Any]) -> Callable[[Route], tuple]:
    """The key that orders ``group``, routes of one equal ``rank`` cost (from a
    run of :func:`_tied_runs`), by the fields of :data:`TIE_BREAKS` at
    ``values`` (``routes`` docstring, ``rank``), each as
    :func:`~pacdistill._web.values.rank_key` orders it (a field that cannot be
    evaluated there comes after every number); ``value`` is
    :meth:`ReductionWeb._field`. A field is evaluated only for routes still
    tied when it is reached (an evaluation is the costly part of a query)."""
    keys: dict[int, list[Any]] = {id(r): [] for r in group}
    groups = [group] if len(group) > 1 else []
    for name in TIE_BREAKS[rank]:
        split: list[list[Route]] = []
        for tied in groups:
            found: dict[tuple, list[Route]] = {}
            for route in tied:
                try:
                    got = rank_key(value(route.steps, route.guarantee, name, values))
                except InvalidParameterError:  # not a finite real number there
                    got = rank_key(None)
                keys[id(route)].extend(got)
                found.setdefault(got, []).append(route)
            split += [again for again in found.values() if len(again) > 1]
        groups = split
    # a route whose tie is resolved by the first field has a shorter key; it
    # never meets a longer one at the same position (their first fields differ)
    return lambda route: tuple(keys[id(route)])


def _tied_runs(routes: list[Route], values: Mapping[str, Any] | None
               ) -> list[tuple[int, int]]:
    """(start, stop) of each run of two or more consecutive routes of equal
    cost in a list ordered by cost (none without ``values``: nothing was
    evaluated, and the order is fewest steps first)."""
    if values is None:
        return []
    out = []
    start = 0
    while start < len(routes):
        stop = start + 1
        if routes[start].cost is not None:
            cost = rank_key(routes[start].cost)
            while stop < len(routes) and routes[stop].cost is not None \
                    and rank_key(routes[stop].cost) == cost:
                stop += 1
        if stop - start > 1:
            out.append((start, stop))
        start = stop
    return out


def _break_ties(routes: list[Route], rank: str, values: Mapping[str, Any] | None, *,
                value: Callable[..., Any], upto: int | None = None) -> list[Route]:
    """``routes`` (ordered by cost, then fewer steps, then efficient first) with
    each run of equal cost reordered by the other fields (:data:`TIE_BREAKS`;
    a stable sort, so fewer steps and efficiency still decide among routes
    equal in every field); only the runs that begin before position ``upto``
    (every run when None): the others are past what the caller shows."""
    out = list(routes)
    for start, stop in _tied_runs(out, values):
        if upto is not None and start >= upto:
            break
        group = out[start:stop]
        out[start:stop] = sorted(group, key=_tie_breaker(group, rank, values, value))
    return out


def _first(routes: list[Route], wanted: Any, rank: str, values: Mapping[str, Any] | None,
           value: Callable[..., Any]) -> Route | None:
    """The first route with ``wanted(route)`` in ``_break_ties(routes, ...)``'s
    order, breaking only the tie it is in."""
    index = next((i for i, route in enumerate(routes) if wanted(route)), None)
    if index is None:
        return None
    for start, stop in _tied_runs(routes, values):
        if start <= index < stop:
            group = [route for route in routes[start:stop] if wanted(route)]
            return min(group, key=_tie_breaker(group, rank, values, value))  # first of the minima
    return routes[index]


def _normal(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _promise_allowed(promise: Promise | None, allowed: str | None) -> bool:
    if allowed is None or allowed == "everywhere":
        return True
    if allowed == "none":
        return promise is None
    return promise is None or promise.mode != "everywhere"


def check_at(at: Mapping[str, Any] | None, func: str, *,
             classes: Iterable[str] | None = None,
             involved: Iterable[str] = ()) -> dict[str, Any] | None:
    """Validate ``at``: known symbol names and real numbers in their ranges;
    ``OPT_<class>`` only for a class of ``classes`` (when given); and the
    parameter constraints of the ``involved`` classes (k <= d for a junta, ...:
    :mod:`pacdistill._web.constraints`)."""
    import numbers

    from ._web.constraints import check_constraints
    from .bounds._serialize import symbol_from_name
    from .bounds.guarantee import _numeric_values
    from .bounds.symbols import NAME_FORMS, is_opt_symbol
    from .bounds.symbols import is_budget_symbol as _budget_symbol

    def _is_budget(name: str) -> bool:
        return _budget_symbol(symbol_from_name(name))

    if at is None:
        return None
    if not isinstance(at, Mapping):
        raise param_error("at", func, "a mapping of symbol names to numbers, e.g. "
                          "{'d': 100, 'eps': 0.01}", at)
    out = {}
    for name, value in at.items():
        if not isinstance(name, str) or symbol_from_name(name) is None:
            raise unknown_name(f"symbol in the 'at' parameter of {func}", str(name),
                               list(NAME_FORMS))
        if classes is not None and is_opt_symbol(symbol_from_name(name)) \
                and name[len("OPT_"):] not in classes:
            raise unknown_name(f"OPT symbol in the 'at' parameter of {func}", name,
                               [f"OPT_{cls}" for cls in classes])
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise param_error(name, func, "a real number", value)
        if name in ("eps", "delta") or _is_budget(name):
            check_probability(value, name, func)
        out[name] = value
    _numeric_values(out, func)  # integers where the symbol is one, positivity, OPT in [0, 1]
    check_constraints(out, involved, func)
    return out


def _size_text(red: Reduction) -> str:
    return ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in sorted(
        red.guarantee.size_map.items(), key=lambda kv: kv[0].name)) or "none"


def _step_line(i: int, red: Reduction) -> str:
    g = red.guarantee
    if red.kind == "exact":
        rule = "exact conversion (THEORY §2.1, §8)"
    elif red.access == "examples":
        rule = (f"rule 2 (THEORY §9, §2): a learner for {red.target} from labelled examples "
                "is a distiller from every evaluable class")
    elif g.promise is not None and g.promise.mode == "everywhere":
        rule = f"{red.access}-access distillation under the exact promise (THEORY §2.3)"
    else:
        rule = f"{red.access}-access {red.kind} distillation (THEORY §2)"
    extra = ""
    if g.promise is not None:
        extra += f"; promise {g.promise}"
    if g.assumptions:
        extra += f"; assumes {', '.join(g.assumptions)}"
    return (f"{i}. {red.source} -> {red.target} by {red.name} ({red.kind}, access "
            f"{red.access}): {rule}{extra} [{g.source}]")


def _route_derivation(steps: tuple[Reduction, ...], guarantee: Guarantee) -> tuple[str, ...]:
    lines = [_step_line(i, red) for i, red in enumerate(steps, start=1)]
    if len(steps) > 1:
        split = getattr(guarantee, "split", {}) or {}
        shown = ", ".join(f"{k} = {sympy.sstr(v)}" for k, v in sorted(
            split.items(), key=lambda kv: (kv[0].name.startswith("delta"), kv[0].name))
            if (v.free_symbols or v != 0))
        lines.append(
            f"rule 1 (THEORY §9, §3): steps 1-{len(steps)} compose into "
            f"{'an' if guarantee.kind[0] in 'aeiou' else 'a'} {guarantee.kind} "
            f"route {steps[0].source} -> {steps[-1].target}; promise "
            f"{guarantee.promise or 'none'}; assumptions "
            f"{', '.join(guarantee.assumptions) or 'none'}"
            + (f"; budget split {shown}" if shown else ""))
    return tuple(lines)


def _hardness_derivation(barrier: Reduction, path: tuple[Reduction, ...],
                         setting: str) -> tuple[str, ...]:
    g = barrier.guarantee
    bound = f"; lower bound {sympy.sstr(g.time)} (C > 0 unknown)" if g.time != 0 else ""
    lines = [f"1. barrier {barrier.name}: {setting} {barrier.source} -> {barrier.target} is "
             f"hard under {', '.join(g.assumptions)}{bound}: {barrier.doc} [{g.source}]"]
    for i, red in enumerate(path, start=2):
        lines.append(f"{i}. {red.source} -> {red.target} by {red.name} (exact conversion, "
                     f"efficient, size map {_size_text(red)} polynomial in the size of "
                     f"{red.source}) [{red.guarantee.source}]")
    if path:
        origin, final = barrier.source, path[-1].target
        steps = "step 2" if len(path) == 1 else f"steps 2-{len(path) + 1}, rule 1"
        lines.append(
            f"rule 3 (THEORY §9): every {origin} is a {final} of polynomial size ({steps}), "
            f"so {setting} {final} -> {barrier.target} is hard under "
            f"{', '.join(g.assumptions)}")
    return tuple(lines)


def _beside_barrier_note(hardness: Hardness, route: Route) -> str:
    """The note of an efficient status that a barrier of the pair does not
    contradict: the route needs an assumption the barrier does not make, or
    the barrier restricts the algorithm (SQ) and the route is not known to be
    such an algorithm (``contradictions``)."""
    names = " + ".join(hardness.names)
    restricted = sorted(set(hardness.assumptions) & RESTRICTIONS)
    if restricted:
        return (f"note: {names} makes it hard for statistical-query algorithms "
                f"({', '.join(restricted)}: a restriction on the algorithm, not a "
                "conjecture); this route is not known to be one, so both hold")
    return (f"note: {names} makes it hard under {', '.join(hardness.assumptions)}, which "
            f"this route does not assume (it needs {', '.join(route.assumptions) or 'none'})")


def _identity_step(model: Any, /, **options: Any) -> Result:
    """The identity's algorithm: return f itself (options are ignored)."""
    return Result(model, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})


_DEFAULT: dict[str, Any] = {"key": None, "web": None}


def default_web() -> ReductionWeb:
    """The web of every registered edge (THEORY §8), built once and cached
    (rebuilt when the registry changes). It is shared: build a private one with
    ``ReductionWeb.from_registry()`` to add edges of your own.

    >>> web = pd.default_web()
    >>> web is pd.default_web(), "junta_to_tree" in web.reductions
    (True, True)
    """
    key = tuple(REGISTRY)
    if _DEFAULT["key"] != key:
        _DEFAULT["web"] = ReductionWeb.from_registry(REGISTRY)
        _DEFAULT["key"] = key
    return _DEFAULT["web"]
