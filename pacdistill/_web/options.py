"""A step's own sizes in a route (private; THEORY §3 note).

A reduction may take a size of its own (a junta learner's k, the depth r and
leaves s of ``lrh_tree``'s tree). Composition renames such a size of a later
step k -> k_i when the route's source has a parameter of that name
(:func:`pacdistill.bounds.compose.compose`; ``ComposedGuarantee.options``).
This module holds what the web does with them: the note of a route evaluated
with ``k_i`` read as the source's ``k`` (:func:`defaults_note`; the values come
from :func:`pacdistill._web.values.step_defaults`), and the check of
``Route.run``'s options (:func:`check_tied_options`): a renamed size is free
and its value reported; an option the composed guarantee reads as a size of
the step's input must have that size's value.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import sympy

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes import CLASSES
from ..errors import InvalidParameterError
from ..reductions._registry import Reduction

__all__ = ["defaults_note", "input_size", "check_tied_options"]


def defaults_note(guarantee: Guarantee, steps: Sequence[Reduction],
                  defaults: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The note of a route evaluated with renamed step sizes taken from the
    source's (:func:`pacdistill._web.values.step_defaults`)."""
    options = getattr(guarantee, "options", {})
    parts = []
    for sym, (index, base) in sorted(options.items(), key=lambda kv: kv[0].name):
        if sym.name in defaults:
            parts.append(f"{sym.name} (the {base} of step {index}, {steps[index - 1].name}) "
                         f"taken = {base} = {values[base.name]}")
    names = ", ".join(f"{name}=..." for name in defaults)
    return ("evaluated with " + "; ".join(parts) + f"; pass {names} to choose it apart "
            "from the source's (THEORY §3: a step's own sizes are renamed)")


def input_size(route: Any, index: int, name: str, values: Mapping[str, Any]
               ) -> tuple[Any, str] | None:
    """The value the composed guarantee gives the size ``name`` of step
    ``index``'s input, and its formula: the source's own value for step 1, else
    the size maps of steps 1 .. index-1 at ``values`` (None when they do not
    give it as a number there)."""
    if index == 1:
        return (values[name], name) if name in values else None
    from ..bounds.compose import compose_all

    head = compose_all([red.guarantee for red in route.steps[:index - 1]])
    expr = head.size_map.get(S.SYMBOLS.get(name))
    if expr is None:
        return None
    given = {sym: values[sym.name] for sym in expr.free_symbols if sym.name in values}
    ints = {sym: sympy.Integer(int(value)) for sym, value in given.items()
            if isinstance(value, numbers.Integral) and not isinstance(value, bool)}
    value = expr.xreplace(ints)
    if value.free_symbols or not value.is_Integer:
        return None
    return int(value), sympy.sstr(expr)


def check_tied_options(route: Any, model: Any, options: Mapping[str, Any],
                        per_step: Mapping[str, Mapping[str, Any]], func: str) -> dict[str, Any]:
    """The values of the route's renamed step sizes that the options set
    (``{"k_2": 2}``), after refusing an option that the composed guarantee ties
    to another value. A step's option is tied when its guarantee reads it as a
    size of the step's input: as the source's parameter of that name for the
    first step (a k-junta learner on a k-literal conjunction), as the value the
    earlier steps' size maps give for a later step (a k-junta learner on the
    parity a parity learner output: k = d). A later step's own size of a name
    the source also has was renamed by the composition (k -> k_i, THEORY §3),
    so it is free, and its value is returned."""
    sizes = model.size() if callable(getattr(model, "size", None)) else {}
    renamed = {(index, base): name for name, (index, _, base) in route.options.items()}
    chosen: dict[str, Any] = {}
    for index, red in enumerate(route.steps, start=1):
        if red.kind == "exact":
            continue
        given = {name: (value, None) for name, value in options.items()}
        given.update({name: (value, red.name)
                      for name, value in per_step.get(red.name, {}).items()})
        used = {sym.name for sym in red.guarantee.free_symbols}
        inputs = {sym.name for sym in getattr(CLASSES.get(red.source), "params", ())}
        for name, (value, step) in given.items():
            if (index, name) in renamed:
                chosen[renamed[(index, name)]] = value
                continue
            if name not in used or isinstance(value, bool) or (
                    index > 1 and name not in inputs):
                continue
            tied = input_size(route, index, name, {**sizes, **chosen})
            if tied is None or value == tied[0]:
                continue
            where = f"step_options[{step!r}]" if step is not None else "options"
            whose = (f"the route's source ({route.source}) has {name} = {tied[0]}"
                     if index == 1 else
                     f"the size maps of steps 1-{index - 1} make the {name} of its input "
                     f"({red.source}) {tied[1]} = {tied[0]}")
            raise InvalidParameterError(
                f"The {where} of {func} give step {index} ({red.name}) {name} = "
                f"{value!r}, but its guarantee reads {name} as the size of its input, and "
                f"{whose}: the route's composed guarantee describes only the run with "
                f"{name} = {tied[0]} there. Pass that value (or leave it out; "
                "step_options={name of a step: {...}} reaches one step only), or run the "
                "steps one by one (reduction.run) to use another."
            )
    return chosen
