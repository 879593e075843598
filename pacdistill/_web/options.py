"""A step's own sizes in a route (private; THEORY §3 note).

A reduction may take a size of its own (a junta learner's k, the depth r and
leaves s of ``lrh_tree``'s tree). Composition renames such a size of a later
step k -> k_i when the route's source has a parameter of that name
(:func:`pacdistill.bounds.compose.compose`; ``ComposedGuarantee.options``).
This module holds what the web does with them: the note of a route evaluated
with ``k_i`` read as the source's ``k`` (:func:`defaults_note`; the values come
from :func:`pacdistill._web.values.step_defaults`); the range check of the
renamed sizes at such values (:func:`size_violation`: ``k_2`` is the k of the
junta step 2 outputs, so ``k_2 <= d`` as for every junta); and the check of
``Route.run``'s options: which steps take an option (:func:`step_takes`,
:func:`distribute_options`), and :func:`check_tied_options`: a renamed size is
free and its value reported; an option the composed guarantee reads as a size
of the step's input must have that size's value.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import sympy

from .._validation import show
from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..classes import CLASSES
from ..errors import InvalidCallError, InvalidParameterError
from ..reductions._registry import Reduction

__all__ = ["defaults_note", "size_violation", "input_size", "outside_domain", "step_takes",
           "distribute_options", "check_tied_options"]


def defaults_note(guarantee: Guarantee, steps: Sequence[Reduction],
                  defaults: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The note of a route evaluated with renamed step sizes taken from the
    source's (:func:`pacdistill._web.values.step_defaults`)."""
    options = getattr(guarantee, "options", {})
    source = CLASSES.get(steps[0].source)
    source_params = {p.name for p in getattr(source, "params", ())}
    parts = []
    whose = set()
    for sym, (index, base) in sorted(options.items(), key=lambda kv: kv[0].name):
        if sym.name in defaults:
            # the source's parameter, or (a source without it, e.g. a network) the
            # value given for the shared symbol: an intermediate class's, or another
            # route's own size
            mine = base.name in source_params
            whose.add("the source's" if mine else f"the {base} given")
            parts.append(f"{sym.name} (the {base} of step {index}, {steps[index - 1].name}) "
                         f"taken = {base} = {values[base.name]}"
                         + ("" if mine else f" ({steps[0].source} has no {base})"))
    names = ", ".join(f"{name}=..." for name in defaults)
    return ("evaluated with " + "; ".join(parts) + f"; pass {names} to choose it apart "
            f"from {' and '.join(sorted(whose))} (THEORY §3: a step's own sizes are renamed)")


def size_violation(steps: Sequence[Reduction], guarantee: Guarantee,
                   values: Mapping[str, Any], defaults: Mapping[str, Any] = MappingProxyType({}),
                   compose: Callable[[tuple[Reduction, ...]], Guarantee | None] | None = None
                   ) -> str | None:
    """Why ``values`` describe no run of the route ``steps`` (None when they may).

    A renamed size (``k_2``, :func:`pacdistill.bounds.symbols.step_option`) is a
    parameter of the class its step outputs (a junta learner's k is its
    junta's), so it obeys that class's constraints
    (:data:`pacdistill._web.constraints.CONSTRAINTS`: ``k_2 <= d``), and so do
    the sizes later classes of the route derive from it. For every step, the
    constraints of its output class are read through the size map of steps
    1 .. i (``compose`` composes them; default ``compose_all``) at ``values``
    (with ``defaults``, the renamed sizes taken from the source's: they are
    named as such); only constraints whose size-map formulas involve a renamed
    size are checked here (``check_at`` checks the source's and target's own).

    >>> from pacdistill.reductions import REGISTRY
    >>> steps = (REGISTRY["conjunction_to_decision_list"], REGISTRY["erm_junta[decision_list]"])
    >>> g = pd.bounds.compose(steps[0].guarantee, steps[1].guarantee)
    >>> print(size_violation(steps, g, {"d": 10, "k": 3, "k_2": 50}))  # doctest: +ELLIPSIS
    k_2 = 50 must be <= d = 10 (step 2, erm_junta[decision_list]'s k: a junta reads k of ...)
    >>> size_violation(steps, g, {"d": 10, "k": 3, "k_2": 10}) is None
    True
    """
    from ..bounds.compose import compose_all
    from .constraints import CONSTRAINTS

    renamed = dict(getattr(guarantee, "options", {}) or {})
    if not renamed:
        return None
    given = {**defaults, **values}
    ints = _integers({sym: given.get(sym.name) for sym in renamed})
    if not ints:
        return None
    plain = _integers({sym: value for name, value in given.items()
                       if (sym := S.SYMBOLS.get(name)) is not None})
    first = min(index for index, _ in renamed.values())
    for j in range(first, len(steps) + 1):
        cons = CONSTRAINTS.get(steps[j - 1].target, ())
        if not cons:
            continue
        head = steps[:j]
        composed = (guarantee if j == len(steps) else
                    compose(head) if compose is not None else
                    compose_all([red.guarantee for red in head]))
        if composed is None:
            continue
        size_map = composed.size_map
        for con in cons:
            exprs = {name: size_map.get(S.SYMBOLS[name]) for name in (con.name, *con.needs)}
            if any(expr is None for expr in exprs.values()) or not any(
                    expr.free_symbols & set(renamed) for expr in exprs.values()):
                continue
            at = {name: expr.xreplace({**plain, **ints}) for name, expr in exprs.items()}
            if not all(value.is_Integer for value in at.values()):
                continue
            numbers_ = {name: int(value) for name, value in at.items()}
            if con.holds(numbers_):
                continue
            return _violation_text(steps, renamed, j, con, exprs, numbers_, defaults)
    return None


def _integers(values: Mapping[sympy.Symbol, Any]) -> dict[sympy.Symbol, sympy.Integer]:
    """The entries of ``values`` that are integers (bools excluded), as exact sympy
    Integers ready for ``xreplace``; the others (floats, None) are left out."""
    return {sym: sympy.Integer(int(value)) for sym, value in values.items()
            if isinstance(value, numbers.Integral) and not isinstance(value, bool)}


def _violation_text(steps: Sequence[Reduction], renamed: Mapping[sympy.Symbol, Any], j: int,
                    con: Any, exprs: Mapping[str, sympy.Expr], at: Mapping[str, int],
                    defaults: Mapping[str, Any]) -> str:
    expr = exprs[con.name]
    if expr in renamed:
        index, base = renamed[expr]
        head = f"{expr.name} = {at[con.name]}"
        where = f"step {index}, {steps[index - 1].name}'s {base}"
    else:
        head = f"the {con.name} of step {j}'s {steps[j - 1].target}, {sympy.sstr(expr)} = " \
               f"{at[con.name]},"
        where = f"step {j}, {steps[j - 1].name}"
    bound = (f"{con.bound} = {at[con.bound]}" if con.bound in at else
             f"{con.bound} ({', '.join(f'{n} = {at[n]}' for n in con.needs)})")
    text = f"{head} must be {con.op} {bound} ({where}: {con.why})"
    taken = sorted(sym.name for sym in renamed if sym.name in defaults
                   and sym in {s for e in exprs.values() for s in e.free_symbols})
    if taken:
        text += ("; " + ", ".join(f"{name} was taken = {renamed[S.step_symbol(name)][1]} "
                                  "(the source's)" for name in taken)
                 + f" by default: pass {', '.join(f'{name}=...' for name in taken)} within "
                 "the range")
    return text


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
    value = expr.xreplace(_integers({sym: values.get(sym.name) for sym in expr.free_symbols}))
    if value.free_symbols or not value.is_Integer:
        return None
    return int(value), sympy.sstr(expr)


#: keywords Route.run gives every step itself (not options)
RUN_KEYWORDS = ("sampler", "eps", "delta", "rng")


def step_takes(red: Reduction) -> frozenset[str] | None:
    """The options ``red``'s algorithm takes: its keyword parameters other than
    :data:`RUN_KEYWORDS` (``{"k", "n"}`` for ``erm_junta``; none for an exact
    conversion). None when it may take any: a function outside pacdistill with
    ``**options`` (pacdistill's own refuse the options they do not name).

    >>> from pacdistill.reductions import REGISTRY
    >>> sorted(step_takes(REGISTRY["erm_junta[decision_list]"]))
    ['k', 'n']
    >>> step_takes(REGISTRY["junta_to_tree"])
    frozenset()
    """
    func = red.func
    if func is None:
        return frozenset()
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):  # no signature to read: let the step decide
        return None
    if any(p.kind is p.VAR_KEYWORD for p in params) and not str(
            getattr(func, "__module__", "")).startswith("pacdistill."):
        return None
    named = [p for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if named and named[0].kind is named[0].POSITIONAL_OR_KEYWORD:
        named = named[1:]  # the model
    return frozenset(p.name for p in named if p.name not in RUN_KEYWORDS)


def _takes_text(route: Any) -> str:
    parts = []
    for index, red in enumerate(route.steps, start=1):
        takes = step_takes(red)
        shown = ("any option (its algorithm takes **options)" if takes is None else
                 ", ".join(sorted(takes)) or "none")
        parts.append(f"step {index} ({red.name}): {shown}")
    return "; ".join(parts)


def distribute_options(route: Any, options: Mapping[str, Any],
                       per_step: Mapping[str, Mapping[str, Any]], func: str,
                       sizes: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The options each step of ``route`` runs with: a keyword option of
    ``Route.run`` reaches every step that names it (:func:`step_takes`; a step
    taking any option gets it unless it is an exact conversion),
    ``step_options[name]`` its step only (and wins there). Refuses an option no
    step takes, a step option its step does not take, and the keywords
    Route.run gives each step itself (eps, delta: the budget split), each with
    the options the steps do take."""
    for name in options:
        if not any(_reaches(red, name) for red in route.steps):
            raise InvalidCallError(
                f"The option {name}={show(options[name])} of {func} reaches no step: no step of "
                f"the route {' -> '.join(route.names)} takes it. The steps take: "
                f"{_takes_text(route)}.")
    out = []
    for red in route.steps:
        opts = {name: value for name, value in options.items() if _reaches(red, name)}
        mine = dict(per_step.get(red.name, {}))
        for name in mine:
            if name in RUN_KEYWORDS:
                raise InvalidCallError(
                    f"The step_options[{red.name!r}] of {func} set {name}, which {func} gives "
                    f"every step itself ({name} is the step's share of the composite's, "
                    f"Route.budgets; sampler and rng are shared). Pass {name}= to {func}.")
            if not _takes(red, name):
                takes = step_takes(red)
                raise InvalidCallError(
                    f"The step_options[{red.name!r}] of {func} set {name}={show(mine[name])}, "
                    f"but {red.name} takes " + (", ".join(sorted(takes or ())) or "no options")
                    + f". The steps take: {_takes_text(route)}.")
        opts.update(mine)
        out.append(opts)
    _check_required(route, out, func, sizes or {})
    return out


def _required(red: Reduction) -> tuple[str, ...]:
    """The options ``red``'s algorithm cannot run without (keyword parameters
    other than :data:`RUN_KEYWORDS` without a default)."""
    try:
        params = inspect.signature(red.func).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in params if p.kind is p.KEYWORD_ONLY
                 and p.default is p.empty and p.name not in RUN_KEYWORDS)


def _check_required(route: Any, step_opts: Sequence[Mapping[str, Any]], func: str,
                    sizes: Mapping[str, Any]) -> None:
    """Refuse, before any step runs, a step that would miss an option it needs
    (a junta learner's k), naming the guarantee's symbol for it, or the one
    value the composed guarantee allows when it reads the option as a size of
    the step's input (``sizes``: the source model's; :func:`check_tied_options`)."""
    renamed = {(index, base): name for name, (index, _, base) in route.options.items()}
    for index, (red, opts) in enumerate(zip(route.steps, step_opts, strict=True), start=1):
        if red.func is None:
            continue
        missing = [name for name in _required(red) if name not in opts]
        if missing:
            tied = {name: _tied_value(route, index, name, sizes) for name in missing}
            shown = ", ".join(
                name + (f" (the composed guarantee's {renamed[(index, name)]})"
                        if (index, name) in renamed else
                        f" (the composed guarantee reads it as the {name} of its input "
                        f"({red.source}), {tied[name][1]} = {tied[name][0]} here)"
                        if tied[name] is not None else "") for name in missing)
            raise InvalidCallError(
                f"Step {index} of the route ({red.name}) needs the option{'s' * (len(missing) > 1)}"
                f" {shown}, which {func} did not get. Pass "
                + ", ".join(f"{name}={tied[name][0] if tied[name] is not None else '...'}"
                            for name in missing)
                + f" (every step that takes {'it' if len(missing) == 1 else 'them'}) or "
                f"step_options={{{red.name!r}: {{...}}}}; no step ran.")


def _tied_value(route: Any, index: int, name: str, sizes: Mapping[str, Any]
                ) -> tuple[Any, str] | None:
    """The value the composed guarantee gives step ``index``'s option ``name``
    when it reads it as a size of the step's input (the source's for step 1,
    the earlier size maps' for a later step; None when it does not, or when
    it is no number here), with its formula."""
    red = route.steps[index - 1]
    inputs = {sym.name for sym in getattr(CLASSES.get(red.source), "params", ())}
    if name not in inputs or name not in {sym.name for sym in red.guarantee.free_symbols}:
        return None
    if (index, name) in {(i, base) for i, _, base in route.options.values()}:
        return None
    tied = input_size(route, index, name, sizes)
    return None if tied is None or outside_domain(name, tied[0]) else tied


def _takes(red: Reduction, name: str) -> bool:
    takes = step_takes(red)
    return takes is None or name in takes


def _reaches(red: Reduction, name: str) -> bool:
    """Whether Route.run's keyword option ``name`` reaches step ``red``: the step
    names it, or it takes any option and is not an exact conversion (an exact
    conversion takes none by THEORY §2.1's shape; its own options go through
    step_options)."""
    takes = step_takes(red)
    return red.kind != "exact" if takes is None else name in takes


def check_tied_options(route: Any, model: Any, step_opts: Sequence[Mapping[str, Any]],
                       options: Mapping[str, Any], per_step: Mapping[str, Mapping[str, Any]],
                       func: str) -> dict[str, Any]:
    """The values of the route's renamed step sizes that the steps run with
    (``{"k_2": 2}``), after refusing an option that the composed guarantee ties
    to another value. ``step_opts`` are the options of each step
    (:func:`distribute_options`); ``options`` and ``per_step`` are Route.run's
    keyword options and ``step_options`` (to say where a value came from).

    A step's option is tied when its guarantee reads it as a size of the step's
    input: as the source's parameter of that name for the first step (a
    k-junta learner on a k-literal conjunction: a first step's own sizes are
    not renamed, THEORY §3 note, so the composed guarantee's one ``k`` is both),
    as the value the earlier steps' size maps give for a later step (a k-junta
    learner on the parity a parity learner output: k = d). A later step's own
    size of a name the source also has was renamed by the composition (k ->
    k_i, THEORY §3), so it is free, and its value is returned."""
    sizes = model.size() if callable(getattr(model, "size", None)) else {}
    renamed = {(index, base): name for name, (index, _, base) in route.options.items()}
    chosen: dict[str, Any] = {}
    for index, (red, given) in enumerate(zip(route.steps, step_opts, strict=True), start=1):
        used = {sym.name for sym in red.guarantee.free_symbols}
        inputs = {sym.name for sym in getattr(CLASSES.get(red.source), "params", ())}
        for name, value in given.items():
            if (index, name) in renamed:
                chosen[renamed[(index, name)]] = value
                continue
            if name not in used or isinstance(value, bool) or (
                    index > 1 and name not in inputs):
                continue
            tied = input_size(route, index, name, {**sizes, **chosen})
            if tied is None:
                continue
            if outside_domain(name, tied[0]):
                raise InvalidParameterError(_outside_text(route, index, name, tied, func))
            if value == tied[0]:
                continue
            raise InvalidParameterError(_tied_text(route, index, name, value, tied, options,
                                                   per_step, step_opts, func))
    return chosen


def outside_domain(name: str, value: Any) -> bool:
    """Whether ``value`` lies outside the domain of the size symbol ``name``: a
    size symbol is positive (pacdistill.bounds.symbols), so a tied size of 0 (a
    parity of no variables) is a value no guarantee in it speaks of.

    >>> outside_domain("k", 0), outside_domain("k", 3)
    (True, False)
    """
    sym = S.SYMBOLS.get(name)
    return sym is not None and bool(sym.is_positive) and not value > 0


def _outside_text(route: Any, index: int, name: str, tied: tuple[Any, str], func: str) -> str:
    """A tied size outside the composed guarantee's domain (a source with k = 0:
    the symbol k is positive, so the guarantee describes no such run)."""
    red = route.steps[index - 1]
    where = (f"the route's source ({route.source}) has {name} = {tied[0]}" if index == 1 else
             f"the size maps of steps 1-{index - 1} make the {name} of its input "
             f"({red.source}) {tied[1]} = {tied[0]}")
    return (f"{func} cannot run this route on this model: step {index} ({red.name}) reads "
            f"its option {name} as the size of its input, and {where}, outside the "
            f"composed guarantee's domain ({name} is a positive integer, "
            "pacdistill.bounds.symbols), so the guarantee describes no run on it. Run the "
            f"steps one by one (reduction.run) with a {name} >= 1 of your choice.")


def _tied_text(route: Any, index: int, name: str, value: Any, tied: tuple[Any, str],
               options: Mapping[str, Any], per_step: Mapping[str, Mapping[str, Any]],
               step_opts: Sequence[Mapping[str, Any]], func: str) -> str:
    red = route.steps[index - 1]
    glob = name not in per_step.get(red.name, {})
    where = "options" if glob else f"step_options[{red.name!r}]"
    if index == 1:
        whose = (f"the route's source ({route.source}) has {name} = {tied[0]}. A first "
                 "step's own sizes are not renamed (THEORY §3 note): the composed "
                 f"guarantee's one symbol {name} is both the source's {name} and this step's "
                 f"option, so it describes only the run with {name} = {tied[0]}.")
    else:
        whose = (f"the size maps of steps 1-{index - 1} make the {name} of its input "
                 f"({red.source}) {tied[1]} = {tied[0]}: the route's composed guarantee "
                 f"describes only the run with {name} = {tied[0]} there.")
    text = (f"The {where} of {func} give step {index} ({red.name}) {name} = {show(value)}, but its "
            f"guarantee reads {name} as the size of its input, and {whose}")
    if glob:
        reach = [f"{i} ({r.name})" for i, (r, opts) in
                 enumerate(zip(route.steps, step_opts, strict=True), start=1)
                 if name in opts and name not in per_step.get(r.name, {})]
        if len(reach) > 1:
            text += (f" The keyword {name}= reaches every step that takes it (steps "
                     f"{', '.join(reach)}); step_options={{name of a step: {{{name!r}: ...}}}} "
                     "reaches one step only.")
    text += (f" Pass {name}={tied[0]} for step {index}, or run the steps one by one "
             "(reduction.run) to use another value.")
    return text
