"""Composed routes as edges of the conformance harness (private; THEORY §3, issue 7).

A route F -> ... -> G of the web (``pd.default_web().routes(F, G)``) is a
reduction too: ``route.run`` executes its steps and ``route.guarantee`` is the
composed Guarantee. :func:`route_edge` wraps a route as a
:class:`~pacdistill.reductions.Reduction` that
:func:`pacdistill.checkers.check_reduction` accepts (it does so itself when
given a route), so the composition algebra of THEORY §3 is held to the same
trials as an edge:

- the edge's ``domain`` is the promise step's (it bounds the promise members)
  or, without a promise, the first step's; the first step's domain bounds the
  sources when it is about them (:attr:`RouteEdge.source_domain`), and its
  ``conformance`` hooks (``sources``, ``opt``) are the route's when it is the
  promise step;
- the steps' required options are chosen per instance
  (:meth:`RouteEdge.instance_options`): a size the composition renamed
  (``k_2``, THEORY §3 note) is free (the promise member's size when its step
  holds the route's promise, else a random size in [1, min(d, 3)]); a size the
  composed guarantee ties to the input of its step (a first step's own ``k``
  on a k-literal conjunction) takes that value, as ``Route.run`` requires. The
  options are named as the composed guarantee names them, so the harness
  evaluates it at them;
- an OPT_C of the composed error is over the sizes of C that the agnostic
  step into C outputs (:meth:`RouteEdge.opt_params`), not the source's.

A route with a tied size is checked on sources equal to their promise member
everywhere only (rules 1-4 of :mod:`._sources`): a source drawn apart from its
promise member (rule 5) would tie the size to the source and promise the
member's, and the composed guarantee states no such run.

Counterexamples of a route have no shell command (a route is not a
module-level name); ``pd.checkers.replay(path, route)`` replays them.

>>> web = pd.default_web()
>>> route = web.routes("junta", "dnf", limit=1)[0]
>>> edge = route_edge(route)
>>> edge.name, edge.kind, edge.source, edge.target
('junta_to_tree -> tree_to_dnf', 'exact', 'junta', 'dnf')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..reductions._registry import Reduction

__all__ = ["RouteEdge", "route_edge", "is_route"]


def is_route(obj: Any) -> bool:
    """Whether ``obj`` is a route of a web (``pacdistill.web.Route``)."""
    from .._web.records import Route

    return isinstance(obj, Route)


@dataclass(frozen=True, eq=False)
class RouteEdge(Reduction):
    """A route wrapped as an edge (see the module docstring).

    Attributes
    ----------
    route : Route
    source_domain : Mapping
        Strategy bounds of the sources (the first step's ``domain``).
    tied : bool
        Whether a step's option is tied to a size of its input.
    """

    route: Any = field(default=None, repr=False)
    source_domain: Mapping[str, Any] = field(default_factory=dict, repr=False)
    tied: bool = False

    def _plan(self) -> list[tuple[int, Any, str, str]]:
        """(step index, step, option, name in the composed guarantee) of every
        required option of the steps."""
        from ._sources import required_options

        renamed = {(i, base): name for name, (i, _, base) in self.route.options.items()}
        return [(i, step, opt, renamed.get((i, opt), opt))
                for i, step in enumerate(self.route.steps, start=1)
                for opt in required_options(step)]

    def instance_options(self, f: Any, g: Any, rng: np.random.Generator, d: int
                         ) -> dict[str, int] | None:
        """The options of one run on source f with promise member g (None without
        a promise), keyed by their names in the composed guarantee; None when a
        tied size is outside the guarantee's domain (a source with k = 0: the
        symbol k is positive, so the guarantee states no run on it and
        ``Route.run`` refuses it), for the harness to draw another source."""
        from .._web.options import input_size, outside_domain
        from ..classes import CLASSES
        from ._sources import FEW_VARIABLES

        promise = self.guarantee.promise
        home = _promise_step(self.route)
        own = ({p.name for p in CLASSES[promise.cls].params} if promise is not None
               else set())
        sizes = dict(f.size())
        chosen: dict[str, int] = {}
        for i, step, opt, name in self._plan():
            tied = None
            if name == opt and _reads_input(step, opt):
                tied = input_size(self.route, i, opt, {**sizes, **chosen})
            if tied is not None:
                if outside_domain(opt, tied[0]):
                    return None
                chosen[name] = int(tied[0])
            elif g is not None and i == home and opt in own and opt in g.size():
                chosen[name] = max(int(g.size()[opt]), 1)
            else:
                chosen[name] = int(rng.integers(1, min(d, FEW_VARIABLES) + 1))
        return chosen

    def opt_params(self, cls: str, values: Mapping[str, Any]) -> dict[str, int] | None:
        """The sizes of the class ``cls`` that the route's OPT_cls is over: the
        output sizes of its last agnostic step into ``cls`` (the size maps of
        steps 1 .. i composed, at the instance's ``values``), or None when no
        step outputs ``cls``."""
        from ..bounds.compose import compose_all
        from .edge_checks import at_values

        steps = self.route.steps
        into = [i for i, step in enumerate(steps, start=1) if step.target == cls]
        if not into:
            return None
        agnostic = [i for i in into if steps[i - 1].kind == "agnostic"]
        index = (agnostic or into)[-1]
        head = compose_all([step.guarantee for step in steps[:index]])
        out = {}
        for key, expr in head.size_map.items():
            value = at_values(expr, values, f"size map entry {key} of steps 1-{index}")
            if value.is_integer:
                out[key.name] = int(value)
        return out

    def step_options(self, options: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]],
                                                                 dict[str, Any]]:
        """Split the run's options (named as in the composed guarantee) into
        Route.run's ``step_options`` and the options left for every step."""
        per_step: dict[str, dict[str, Any]] = {}
        rest = dict(options)
        for _, step, opt, name in self._plan():
            if name in rest:
                per_step.setdefault(step.name, {})[opt] = rest[name]
        for _, _, _, name in self._plan():
            rest.pop(name, None)
        return per_step, rest


def _promise_step(route: Any) -> int | None:
    """The index of the step whose promise is the route's (its first perfect step)."""
    for i, step in enumerate(route.steps, start=1):
        if step.guarantee.promise is not None:
            return i
    return None


def _reads_input(step: Any, opt: str) -> bool:
    """Whether the step's guarantee may read its option ``opt`` as a size of its
    input (a parameter of its source class that the guarantee uses; the rule of
    ``Route.run``, :func:`pacdistill._web.options.check_tied_options`, which
    then ties it when the source, or for a later step the earlier size maps,
    give that size a value)."""
    from ..classes import CLASSES

    used = {sym.name for sym in step.guarantee.free_symbols}
    inputs = {sym.name for sym in CLASSES[step.source].params}
    return opt in used and opt in inputs


def _source_domain(first: Any) -> dict[str, Any]:
    """The bounds of a route's sources: its first step's ``domain`` when that
    bounds the step's source (an exact or agnostic step, or a perfect one whose
    source is its promise class), else none."""
    promise = first.guarantee.promise
    if first.kind == "perfect" and promise is not None and first.source != promise.cls:
        return {}
    return dict(first.domain)


def route_edge(route: Any) -> RouteEdge:
    """The route as an edge the harness can check (module docstring)."""
    steps = route.steps
    home = _promise_step(route)
    first = steps[0]
    anchor = steps[home - 1] if home is not None else first
    conformance = {key: first.conformance[key] for key in ("sources", "opt")
                   if key in first.conformance and anchor is first}

    def run(model: Any, /, *, sampler: Any = None, eps: Any = None, delta: Any = None,
            rng: Any = None, **options: Any) -> Any:
        per_step, rest = edge.step_options(options)
        return route.run(model, sampler=sampler, eps=eps, delta=delta, rng=rng,
                         step_options=per_step or None, **rest)

    run.__module__ = __name__
    edge = RouteEdge(
        " -> ".join(route.names), route.source, route.target, route.guarantee, run,
        doc=f"the route {' -> '.join(route.classes)}", access=first.access,
        efficient=all(step.efficient for step in steps), domain=dict(anchor.domain),
        conformance=conformance, route=route, source_domain=_source_domain(first),
    )
    tied = any(name == opt and _reads_input(step, opt)
               for i, step, opt, name in edge._plan())
    object.__setattr__(edge, "tied", tied)
    return edge
