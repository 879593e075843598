"""The deterministic parts of a guarantee, checked on one run of an edge (THEORY §2).

Whatever its kind, a run of an edge F -> G on an instance must deliver

- an output of the target class G whose sizes are within the declared size map
  sigma evaluated at the instance's parameters (d equal; every other size at
  most its value; THEORY §2.1);
- a report whose ``samples_used`` and ``queries_used`` are within the declared
  ``samples`` and ``queries`` formulas at the instance's parameters, eps and
  delta (unless the guarantee holds only up to the constant C, ``order=True``);

and an exact conversion must moreover equal its source on the whole cube. These
checks are shared by the conformance harness
(:func:`pacdistill.checkers.check_reduction`) and the test battery of the exact
conversions; each failure raises :class:`~pacdistill.errors.GuaranteeViolation`
with a message saying what was declared and what was delivered.

The instance's parameters are the source's sizes (``model.size()``), plus, for
a perfect edge, the sizes of the promise-class member f agrees with (the k of a
k-junta promise), plus the options given to the run (``k=3``). The symbols are
positive integers (:mod:`pacdistill.bounds.symbols`), so a guarantee is a
formula for parameters >= 1; a model with a size 0 (the empty DNF, a 0-junta)
is a member of its class at size 1 as well (sizes are upper bounds,
``ModelClass.contains``), so sizes are read as max(p, 1).

Examples
--------
>>> from pacdistill.reductions import REGISTRY
>>> edge = REGISTRY["junta_to_tree"]
>>> j = pd.Junta(5, [0, 3], [1, -1, -1, 1])
>>> declared_sizes(edge, j)
{'d': 5, 'r': 2, 's': 4}
>>> check_exact(edge, j).model.size()
{'d': 5, 'r': 2, 's': 4}
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import sympy

from ..bounds import symbols as S
from ..errors import GuaranteeViolation, PacDistillError

__all__ = [
    "EXACT_MAX_D",
    "source_params",
    "instance_values",
    "missing_values",
    "at_values",
    "declared_sizes",
    "check_output_class",
    "check_output_json",
    "check_output_cube",
    "check_size_map",
    "declared_counts",
    "check_counts",
    "check_equal_on_cube",
    "check_exact",
]

#: Largest d on which an exact conversion's output is compared with its source
#: point by point (2^d evaluations of each).
EXACT_MAX_D = 16


def source_params(model: Any) -> dict[str, int]:
    """The model's size parameters, each at least 1 (see the module docstring).

    >>> source_params(pd.DNF(3, []))
    {'d': 3, 's': 1, 'w': 1}
    """
    return {name: max(int(value), 1) for name, value in model.size().items()}


def instance_values(source: Any, *, promise_model: Any = None,
                    options: Mapping[str, Any] | None = None) -> dict[str, int]:
    """The parameters of an instance by symbol name: the source's sizes, then the
    promise member's sizes (they win: in ``learn_junta[conjunction]`` the symbol
    k is the junta's), then integer options named like a symbol (``k=2``).
    Only names of :mod:`pacdistill.bounds.symbols` are kept.

    >>> instance_values(pd.Conjunction(6, [(0, 1)]), options={"k": 2, "t": None})
    {'d': 6, 'k': 2}
    """
    values = dict(source_params(source))
    if promise_model is not None:
        values.update(source_params(promise_model))
    for name, value in dict(options or {}).items():
        if isinstance(value, int) and not isinstance(value, bool):
            values[name] = max(int(value), 1)
    return {name: value for name, value in values.items() if _is_size_name(name)}


def _is_size_name(name: str) -> bool:
    """A symbol of :mod:`pacdistill.bounds.symbols`, or a step's renamed size
    ``k_2`` of a composed guarantee (THEORY §3 note)."""
    if name in S.SYMBOLS:
        return True
    sym = S.step_symbol(name)
    return sym is not None and S.is_step_option(sym)


def missing_values(edge: Any, values: Mapping[str, Any]) -> list[str]:
    """The symbols of the edge's guarantee that ``values`` gives no number for,
    besides eps, delta and OPT_* (which the harness supplies) and the symbols of
    counts stated up to the constant C (which are not checked). A guarantee with
    one cannot be checked at the instance.

    >>> from pacdistill.reductions import REGISTRY
    >>> missing_values(REGISTRY["learn_junta[dnf]"], {"d": 5, "s": 2, "w": 2})
    ['k']
    """
    g = edge.guarantee
    exprs = [g.error, g.failure, *g.size_map.values()]
    exprs += [expr for expr in (g.samples, g.queries) if S.C not in expr.free_symbols]
    names = {sym.name for expr in exprs for sym in expr.free_symbols
             if sym not in (S.eps, S.delta) and not S.is_opt_symbol(sym)}
    return sorted(names - set(values))


def at_values(expr: sympy.Expr, values: Mapping[str, Any], what: str = "expression"
              ) -> sympy.Expr:
    """``expr`` with the integer parameters substituted exactly (no floating
    point: ``2**k`` stays an integer). Raises GuaranteeViolation when a symbol
    has no value."""
    subs = {sym: sympy.Integer(values[sym.name]) for sym in expr.free_symbols
            if isinstance(values.get(sym.name), int) and not isinstance(values[sym.name], bool)}
    number = expr.xreplace(subs)
    if not number.is_number:
        missing = sorted(str(sym) for sym in number.free_symbols)
        raise GuaranteeViolation(
            f"The {what} {expr} cannot be evaluated at the instance's parameters "
            f"{dict(values)}: no value for {missing}."
        )
    return number


def _name(edge: Any) -> str:
    return getattr(edge, "name", repr(edge))


def declared_sizes(edge: Any, values: Any) -> dict[str, sympy.Expr]:
    """The edge's size map at ``values`` (a mapping of parameters, or a source
    model whose :func:`source_params` are used), exactly."""
    if not isinstance(values, Mapping):
        values = source_params(values)
    return {key.name: at_values(expr, values, f"size map entry {key.name} of {_name(edge)}")
            for key, expr in edge.guarantee.size_map.items()}


def check_output_class(edge: Any, output: Any) -> None:
    """The output is a member of the edge's target class (its model type)."""
    from ..classes import CLASSES

    expected = CLASSES[edge.target].model_type
    if not isinstance(output, expected):
        raise GuaranteeViolation(
            f"{_name(edge)} must output a {expected.__name__} (its target class "
            f"{edge.target!r}). Got {type(output).__name__} instead."
        )


def check_output_json(edge: Any, output: Any) -> Any:
    """The model the output's JSON form describes (``output.to_dict()`` read back
    by the target class's model type), after checking that it computes the
    output's function on the whole cube.

    The harness checks, saves and replays the output as that JSON form (read
    back as the target class's own model type); an
    object whose ``predict`` says something else (a subclass overriding it, a
    model consulting another one, the source included) is not the member of
    the target class it claims to be, and raises GuaranteeViolation (field
    ``"class"``). Returns the rebuilt model, which the later checks measure.

    >>> from pacdistill.reductions import REGISTRY
    >>> edge = REGISTRY["learn_parity[parity]"]
    >>> check_output_json(edge, pd.Parity(3, [0]))
    Parity(d=3, variables=(0,))
    >>> lying = pd.Parity(3, [0])
    >>> object.__setattr__(lying, "_predict", lambda X: -pd.Parity(3, [0])._predict(X))
    >>> check_output_json(edge, lying)
    Traceback (most recent call last):
    ...
    pacdistill.errors.GuaranteeViolation: learn_parity[parity]: its output (a Parity) computes ...
    """
    from ..classes import CLASSES
    from .agreement import equivalent

    name = type(output).__name__
    try:  # the target class's own type (model_from_dict would build a registered subclass)
        rebuilt = CLASSES[edge.target].model_type.from_dict(output.to_dict())
    except PacDistillError as err:
        raise GuaranteeViolation(
            f"{_name(edge)}: its output (a {name}) cannot be rebuilt from its JSON form "
            f"(to_dict, then pd.model_from_dict): {err}",
            counterexample={"field": "class"},
        ) from None
    if output.n_inputs > EXACT_MAX_D:
        return rebuilt
    try:
        same = equivalent(output, rebuilt)
    except Exception as err:  # the output's own predict failed: the edge's defect
        raise GuaranteeViolation(
            f"{_name(edge)}: evaluating its output (a {name}) on the cube raised "
            f"{type(err).__name__}: {err}",
            counterexample={"field": "class"},
        ) from None
    if not same.equal:
        x = same.witness
        raise GuaranteeViolation(
            f"{_name(edge)}: its output (a {name}) computes a different function from "
            f"the {type(rebuilt).__name__} its JSON form describes (at x = {x.tolist()}: "
            f"{int(output.predict(x[None])[0])}, its JSON form "
            f"{int(rebuilt.predict(x[None])[0])}). The harness checks, saves and replays "
            "the JSON form: return a plain member of the target class, not a subclass "
            "overriding predict or a model that consults another.",
            counterexample={"field": "class", "x": x.tolist()},
        )
    return rebuilt


def check_output_cube(edge: Any, source: Any, output: Any) -> None:
    """The output lives on the source's cube (same d), so the two can be compared."""
    d_in, d_out = source.n_inputs, getattr(output, "n_inputs", None)
    if d_out != d_in:
        raise GuaranteeViolation(
            f"{_name(edge)}: the output is a model on d = {d_out} variables, its source "
            f"on d = {d_in}; an exact conversion keeps the cube (size map d -> d).",
            counterexample={"field": "size"},
        )


def check_size_map(edge: Any, values: Any, output: Any) -> dict[str, int]:
    """The output's sizes are within the size map at ``values`` (the same d;
    every other declared size at most its value). Returns the output's size."""
    bound = declared_sizes(edge, values)
    size = output.size()
    d = values["d"] if isinstance(values, Mapping) else values.size()["d"]
    missing = sorted(set(bound) - set(size))
    if missing:
        raise GuaranteeViolation(
            f"{_name(edge)}: the size map declares {missing}, which the output's size() "
            f"{size} lacks."
        )
    if "d" in bound and not size["d"] == bound["d"] == d:
        raise GuaranteeViolation(
            f"{_name(edge)}: the output has d = {size['d']}, the size map declares "
            f"{bound['d']} and the source has d = {d}; an edge keeps the cube."
        )
    over = {key: (size[key], int(value) if value.is_integer else float(value))
            for key, value in bound.items() if not bool(size[key] <= value)}
    if over:
        detail = ", ".join(f"{key} = {got} > {want}" for key, (got, want) in over.items())
        raise GuaranteeViolation(
            f"{_name(edge)}: output sizes past the declared map ({detail}) at the "
            f"instance's parameters {dict(values) if isinstance(values, Mapping) else size}."
        )
    return size


def declared_counts(edge: Any, values: Mapping[str, Any], *, eps: Any = None,
                    delta: Any = None) -> dict[str, int | None]:
    """``{"samples": n, "queries": q}``: the guarantee's counts at the instance
    (rounded up), or None for a count that holds only up to the constant C
    (``order=True``) or that needs eps/delta when they are not given."""
    g = edge.guarantee
    out: dict[str, int | None] = {}
    for field in ("samples", "queries"):
        expr = getattr(g, field)
        names = {sym.name for sym in expr.free_symbols}
        if S.C in expr.free_symbols or ("eps" in names and eps is None) or (
                "delta" in names and delta is None):
            out[field] = None
            continue
        known = {name: value for name, value in values.items() if name in names}
        if eps is not None and "eps" in names:
            known["eps"] = eps
        if delta is not None and "delta" in names:
            known["delta"] = delta
        try:
            out[field] = getattr(g.at(fields=[field], **known), field)
        except PacDistillError as err:
            raise GuaranteeViolation(
                f"{_name(edge)}: the declared {field} {expr} cannot be evaluated at the "
                f"instance's parameters {dict(values)}: {err}"
            ) from err
    return out


def check_counts(edge: Any, values: Mapping[str, Any], report: Mapping[str, Any], *,
                 eps: Any = None, delta: Any = None,
                 witnessed: Mapping[str, int] | None = None
                 ) -> dict[str, tuple[int, int | None]]:
    """``samples_used`` and ``queries_used`` of the report are within the declared
    formulas at the instance. Returns ``{field: (used, bound)}``.

    ``witnessed`` holds the counts the caller observed itself (``{"samples": n}``:
    points drawn from the distribution it handed over; ``{"queries": q}``: points
    at which it saw f evaluated). A report claiming fewer than were witnessed is
    a violation (field ``"report"``), and the larger of the two is held to the
    declared formula: a reduction cannot pass by under-reporting."""
    bounds = declared_counts(edge, values, eps=eps, delta=delta)
    witnessed = dict(witnessed or {})
    out = {}
    for field, bound in bounds.items():
        key = f"{field}_used"
        if key not in report:
            raise GuaranteeViolation(f"{_name(edge)}: its report has no {key!r}.",
                                     counterexample={"field": "report"})
        used = report[key]
        if isinstance(used, bool) or not isinstance(used, numbers.Integral) or used < 0:
            raise GuaranteeViolation(
                f"{_name(edge)}: report[{key!r}] must be a count (an integer >= 0). "
                f"Got {used!r}.",
                counterexample={"field": "report"},
            )
        used = int(used)
        seen = witnessed.get(field)
        if seen is not None and used < seen:
            what = "points drawn from D" if field == "samples" else "points where f was evaluated"
            raise GuaranteeViolation(
                f"{_name(edge)} reported {key} = {used}, but the harness saw it use "
                f"{seen} {field} ({what}).",
                counterexample={"field": "report", "used": seen, "bound": bound},
            )
        if bound is not None and used > bound:
            raise GuaranteeViolation(
                f"{_name(edge)} used {used} {field}, more than the declared "
                f"{getattr(edge.guarantee, field)} = {bound} at the instance's parameters "
                f"{dict(values)}, eps = {eps}, delta = {delta}.",
                counterexample={"field": field, "used": used, "bound": bound},
            )
        out[field] = (used, bound)
    return out


def check_equal_on_cube(edge: Any, source: Any, output: Any) -> None:
    """The output equals the source on every point of the cube (d <= EXACT_MAX_D)."""
    from .agreement import equivalent

    d = source.n_inputs
    if d > EXACT_MAX_D:
        raise PacDistillError(
            f"check_equal_on_cube walks the whole cube; d = {d} is past {EXACT_MAX_D}."
        )
    same = equivalent(source, output)
    if not same.equal:
        x = same.witness
        raise GuaranteeViolation(
            f"{_name(edge)}: the output is a different function from its source: at "
            f"x = {x.tolist()} the source gives {int(source.predict(x[None])[0])} and the "
            f"output {int(output.predict(x[None])[0])}.",
            counterexample={"x": x.tolist()},
        )


def check_exact(edge: Any, source: Any, **kwargs: Any) -> Any:
    """Run the exact conversion ``edge`` on ``source`` and check it delivers what
    it declares (THEORY §2.1): an output of the target class, equal to the
    source on the whole cube, within the size map at the source's parameters,
    with no samples and at most the declared queries. Returns the Result;
    raises GuaranteeViolation otherwise."""
    result = edge.run(source, **kwargs)
    check_output_class(edge, result.model)
    check_output_cube(edge, source, result.model)
    output = check_output_json(edge, result.model)
    check_equal_on_cube(edge, source, output)
    values = source_params(source)
    check_size_map(edge, values, output)
    check_counts(edge, values, result.report)
    if result.report.get("samples_used", 0) != 0:
        raise GuaranteeViolation(f"{_name(edge)} is exact but used samples from D.")
    return result
