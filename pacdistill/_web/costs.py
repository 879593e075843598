"""The two costs of a separation, with their sources (private; THEORY §4, §9 rule 4).

For a separation F -> G (distillation efficient, learning hard):

- **learning**: the barrier's lower bound (its ``time`` formula with the
  unknown constant C > 0, or "no polynomial-time algorithm"), counted in
  statistical queries when the barrier is about SQ algorithms, with the
  barrier's source and the rule-3 conversions that carry it to F; then THEORY
  §4's learning-time anchors for G from random examples (exhaustive d^k,
  about d^(0.6 k) best known, ...), each with its source;
- **distillation**: the route's samples and queries formulas (those that are
  not 0) with the sources of its steps, and its time: polynomial in the sizes
  of F and G (:mod:`pacdistill._web.measures`), since every step is efficient
  with a polynomial size map, with the time formula itself.
"""

from __future__ import annotations

from typing import Any

import sympy

from .measures import SIZE_MEASURES
from .records import Cost, Hardness, Route

__all__ = ["learning_costs", "distillation_costs", "ANCHOR_TASKS", "anchors"]

#: learning-time anchors of THEORY §4 that concern each target class
ANCHOR_TASKS = {
    "junta": ("k-juntas",),
    "decision_tree": ("decision trees of size s",),
    "parity": ("parities", "k-parities"),
}


def anchors(target: str) -> tuple[Any, ...]:
    """THEORY §4's learning-time anchors about the class ``target``."""
    from ..bounds.catalog import LEARNING_TIME_ANCHORS

    tasks = ANCHOR_TASKS.get(target, ())
    return tuple(a for a in LEARNING_TIME_ANCHORS if a.task in tasks)


def learning_costs(hardness: Hardness, target: str) -> tuple[Cost, ...]:
    """The barrier's lower bound, then the anchors for ``target`` from examples."""
    g = hardness.barrier.guarantee
    sq = "SQ" in hardness.assumptions
    derivation = ""
    if hardness.derived:
        derivation = (f"carried from {hardness.barrier.source} to {hardness.source} by "
                      "THEORY §9 rule 3 through "
                      + ", ".join(red.name for red in hardness.conversions))
    formula = sympy.sstr(g.time) if g.time != 0 else ""
    bound = f"{formula} (some C > 0)" if formula else "no polynomial-time algorithm"
    out = [Cost("learning", "statistical queries" if sq else "time", bound, "lower",
                (g.source,), ", ".join(hardness.assumptions), formula, derivation)]
    out += [Cost("learning", "time", a.time, "upper", (a.source,), a.setting)
            for a in anchors(target) if "examples" in a.setting]
    return tuple(out)


def _with_options(expr: sympy.Expr, route: Route) -> str:
    """``expr`` as text, followed by what its renamed step sizes are (``s_2``:
    the s of step 2, lrh_tree's own leaf count; THEORY §3 note), so that a
    bound shown alone still says what each symbol is."""
    text = sympy.sstr(expr)
    names = {sym.name for sym in expr.free_symbols}
    said = [f"{name} is the {base} of step {index}, {red}'s own"
            for name, (index, red, base) in sorted(route.options.items()) if name in names]
    return f"{text} ({'; '.join(said)})" if said else text


def distillation_costs(route: Route) -> tuple[Cost, ...]:
    """The route's samples and queries (when not 0) and its time, with sources."""
    g = route.guarantee
    under = "; ".join(([str(g.promise)] if g.promise is not None else [])
                      + list(g.assumptions))
    sources = tuple(dict.fromkeys(red.guarantee.source for red in route.steps))
    composed = ("the steps " + ", ".join(route.names) + " composed by THEORY §3 (§9 rule 1)"
                if len(route.steps) > 1 else "")
    out = [Cost("distillation", name, _with_options(getattr(g, name), route), "upper",
                sources, under, sympy.sstr(getattr(g, name)), composed)
           for name in ("samples", "queries") if getattr(g, name) != 0]
    # the source's size in its own parameters, the target's through the route's
    # size map (a DNF's s terms and its tree's s_2 leaves are two sizes)
    size_map = dict(g.size_map)
    sizes = [sympy.sstr(SIZE_MEASURES[cls].expr if cls == route.source else
                        SIZE_MEASURES[cls].expr.xreplace(size_map))
             for cls in dict.fromkeys((route.source, route.target)) if cls in SIZE_MEASURES]
    time = sympy.sstr(g.time)
    if route.efficient and sizes:
        # efficient steps (time polynomial in their sizes, 1/eps, log(1/delta)) with
        # polynomial size maps: the whole route is polynomial in the sizes of F and G
        bound = f"poly({', '.join(sizes)}, 1/eps, log(1/delta))"
        how = "; ".join(filter(None, [composed, "every step efficient with a polynomial "
                                      "size map (pacdistill.web, THEORY §9)"]))
    else:
        bound, how = time, composed
    out.append(Cost("distillation", "time", bound, "upper", sources, under, time, how))
    return tuple(out)
