"""The answers of the web's queries (value objects; re-exported by
:mod:`pacdistill.web`): Route, Status, Hardness, Separation, Contradiction,
Comparison."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from .._validation import check_probability, check_rng, param_error, unknown_name
from ..bounds import symbols as S
from ..bounds.guarantee import FIELDS, Guarantee, Promise
from ..reductions._registry import Reduction, Result
from .options import check_tied_options, distribute_options, size_violation
from .values import FIELD_ORDER, evaluate_fields, format_value, json_value, step_defaults

__all__ = ["Route", "Status", "Hardness", "Separation", "Cost", "Contradiction",
           "Comparison", "evaluate_fields", "format_value", "FIELD_ORDER"]


def _budget(expr: sympy.Expr | None, eps: float | None, delta: float | None,
            default: float | None) -> float | None:
    if expr is None:
        return default
    values = {}    # the floats' exact values: eps/4 of a float is a float again
    if eps is not None:
        values[S.eps] = sympy.Rational(float(eps))
    if delta is not None:
        values[S.delta] = sympy.Rational(float(delta))
    value = expr.xreplace(values)
    if value.free_symbols:
        return None
    # rounded toward zero, so the steps' budgets never sum past the route's
    # (THEORY §3); float() rounds to nearest and could overshoot by an ulp
    # (an optimized split's eps/3)
    out = float(value)
    return math.nextafter(out, 0.0) if sympy.Rational(out) > value else out


@dataclass(frozen=True, eq=False)
class Route:
    """A composable route F -> ... -> G of the web (THEORY §3, §9 rule 1).

    Attributes
    ----------
    steps : tuple of Reduction
    guarantee : Guarantee
        The composed guarantee (a ComposedGuarantee for two or more steps; the
        edge's own for one), stated in the composite's eps and delta.
    derivation : tuple of str
        One line per step (the edge, the rule it uses, its citation), then the
        composition (rule 1).
    rank : str
        The field the routes were ranked by (samples, time or queries).
    cost : number, sympy.Expr or None
        That field at the ``at`` values of the query (a formula without them):
        an int (counts) or float (time), or a 50-digit ``sympy.Float``
        approximation when it is past the exact-integer or float range (a note
        says so; :mod:`pacdistill._web.values`); None when it cannot be
        evaluated there (a note says why).
    efficient : bool
        Every step efficient with a polynomial size map (see ``notes``).
    qualifies : bool
        The route answers the question "distil F into G" (the web's rule,
        :mod:`pacdistill.web` "qualifying"): its promise (if any) and every
        OPT_C of its error concern a class C containing G or F. Otherwise it
        answers a narrower question (a stronger promise, or error against a
        smaller class), said in ``qualification``.
    notes : tuple of str
        Why the route is not efficient, when it is not; then, for a route
        of ``routes(at=...)``, what its cost at those values rests on: a
        renamed step size read as the source's, the values its ``rank`` field
        lacks, a cost past the exact range, or values that describe no run.
    qualification : str
        Why the route does not qualify ("" when it does).
    """

    steps: tuple[Reduction, ...]
    guarantee: Guarantee
    derivation: tuple[str, ...]
    rank: str = "samples"
    cost: Any = None
    efficient: bool = True
    qualifies: bool = True
    notes: tuple[str, ...] = ()
    qualification: str = ""

    @property
    def source(self) -> str:
        return self.steps[0].source

    @property
    def target(self) -> str:
        return self.steps[-1].target

    @property
    def classes(self) -> tuple[str, ...]:
        return (self.steps[0].source, *(red.target for red in self.steps))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(red.name for red in self.steps)

    @property
    def kind(self) -> str:
        return self.guarantee.kind

    @property
    def promise(self) -> Promise | None:
        return self.guarantee.promise

    @property
    def assumptions(self) -> tuple[str, ...]:
        return self.guarantee.assumptions

    @property
    def access(self) -> tuple[str, ...]:
        """The access mode of each step."""
        return tuple(red.access for red in self.steps)

    @property
    def options(self) -> dict[str, tuple[int, str, str]]:
        """The steps' own sizes that the composed guarantee renamed apart from
        the source's parameters (THEORY §3; :mod:`pacdistill.bounds.compose`):
        ``{"k_2": (2, "erm_junta[decision_list]", "k")}`` says the guarantee's
        ``k_2`` is the ``k`` option of step 2. Empty for a single step."""
        renamed = getattr(self.guarantee, "options", {}) or {}
        return {sym.name: (index, self.steps[index - 1].name, base.name)
                for sym, (index, base) in sorted(renamed.items(), key=lambda kv: kv[0].name)}

    @property
    def is_learning(self) -> bool:
        """Whether only labelled examples of f are used: the first step has
        ``access="examples"`` (later steps act on its output, not on f)."""
        return self.steps[0].access == "examples"

    def values(self, at: Mapping[str, Any] | None) -> dict[str, Any]:
        """samples, queries, time, error, failure at ``at``: None where a value is
        missing, and every one None when ``at`` puts a renamed step size out of
        its class's range (``k_2 > d``: no run has those values;
        :func:`pacdistill._web.options.size_violation` says why, and so does the
        route's note in ``routes(at=...)``).

        ``at`` is checked as ``routes(at=...)`` checks it (None or a mapping of
        symbol names to numbers; :func:`pacdistill.web.check_at`).

        >>> route = pd.default_web().routes("junta", "dnf")[0]
        >>> route.values({"d": 10, "k": 3})["time"]
        136.0
        >>> route.values(3)
        Traceback (most recent call last):
        ...
        pacdistill.errors.InvalidParameterError: The 'at' parameter of Route.values must be ...
        """
        return self._values(at, "Route.values")

    def _values(self, at: Mapping[str, Any] | None, func: str) -> dict[str, Any]:
        from ..web import check_at

        at = check_at(at, func, involved=(self.source, self.target))
        if at is not None and size_violation(
                self.steps, self.guarantee, at, step_defaults(self.guarantee, at)) is not None:
            return {name: None for name in FIELD_ORDER}
        return evaluate_fields(self.guarantee, at)

    def budgets(self, eps: float | None, delta: float | None
                ) -> list[tuple[float | None, float | None]]:
        """The per-step (eps_i, delta_i) of the composite's budget split
        (THEORY §3) at the composite's (eps, delta): each None or in (0, 1)."""
        eps = None if eps is None else check_probability(eps, "eps", "Route.budgets")
        delta = None if delta is None else check_probability(delta, "delta", "Route.budgets")
        if len(self.steps) == 1:
            return [(eps, delta)]
        split = dict(getattr(self.guarantee, "split", {}) or {})
        return [(_budget(split.get(S.step_eps(i)), eps, delta, eps),
                 _budget(split.get(S.step_delta(i)), eps, delta, delta))
                for i in range(1, len(self.steps) + 1)]

    def run(self, model: Any, /, *, sampler: Any = None, eps: float | None = None,
            delta: float | None = None, rng: Any = None,
            step_options: Mapping[str, Mapping[str, Any]] | None = None,
            **options: Any) -> Result:
        """Execute the route on ``model`` (THEORY §3: fresh samples per step).

        Parameters
        ----------
        model : Model
            A member of the route's source class.
        sampler : Distribution, optional
            D; every step that samples draws its own fresh points from it.
        eps, delta : float, optional
            The composite's targets; step i runs with the split's (eps_i,
            delta_i) (:meth:`budgets`). Exact conversions need neither.
        rng : seed or Generator, optional
            One Generator, advanced by every step in turn.
        step_options : mapping, optional
            ``{reduction name: {option: value}}`` for one step (wins over a
            keyword option there).
        **options
            Each passed to every step whose algorithm takes it (names it as a
            keyword parameter, ``k=3`` for a junta learner, ``max_d`` for
            ``to_lookup_table``; a step outside pacdistill taking
            ``**options`` gets them unless it is an exact conversion).

        Returns
        -------
        Result
            The last step's model. The report sums ``samples_used``,
            ``queries_used`` and ``seconds``; lists every step's report under
            ``"steps"`` with its ``eps``, ``delta`` and ``"options"`` (what the
            step ran with); gives under ``"options"`` the values of the
            guarantee's renamed step sizes this run used (``{"k_2": 2}``;
            :attr:`options`), to read the guarantee of this very run at
            (``guarantee.at(**model.size(), **report["options"], ...)``); and
            under ``"step_options"`` every step's options that were not empty,
            ``{reduction name: {option: value}}`` (the shape of
            ``step_options``: it replays the run).

        Raises
        ------
        InvalidParameterError
            A keyword option no step takes, or a step option its step does
            not take (the message lists what each step takes); ``eps``,
            ``delta``, ``sampler`` or ``rng`` in ``step_options``; or an
            option reaching a step whose guarantee reads it as a size of the
            step's input (the source's parameter of that name for the first
            step, whose own sizes are not renamed; the earlier size maps'
            value for a later one) with another value: the composed
            guarantee would not describe the run.
        """
        from ..classes import CLASSES

        func = "Route.run"
        cls = CLASSES.get(self.source)
        if cls is not None and not isinstance(model, cls.model_type):
            raise param_error("model", func, f"a {cls.title} (the route starts at "
                              f"{self.source})", type(model).__name__)
        eps = None if eps is None else check_probability(eps, "eps", func)
        delta = None if delta is None else check_probability(delta, "delta", func)
        gen = check_rng(rng, func)
        if step_options is not None and not isinstance(step_options, Mapping):
            raise param_error("step_options", func, "None or a mapping of reduction name to "
                              "a dict of options", step_options)
        per_step = dict(step_options or {})
        for key, value in per_step.items():
            if key not in self.names:
                raise unknown_name(f"step in the step_options of {func}", key, list(self.names))
            if not isinstance(value, Mapping):
                raise param_error("step_options", func, "a mapping of reduction name to a "
                                  "dict of options", {key: value})
        sizes = model.size() if callable(getattr(model, "size", None)) else {}
        step_opts = distribute_options(self, options, per_step, func, sizes)
        chosen = check_tied_options(self, model, step_opts, options, per_step, func)
        start = time.perf_counter()
        reports = []
        current = model
        for i, (red, (eps_i, delta_i), opts) in enumerate(
                zip(self.steps, self.budgets(eps, delta), step_opts, strict=True), start=1):
            result = red.run(current, sampler=sampler, eps=eps_i, delta=delta_i, rng=gen, **opts)
            reports.append({"step": i, "reduction": red.name, "eps": eps_i, "delta": delta_i,
                            **dict(result.report), "options": dict(opts)})
            current = result.model
        report = {
            "samples_used": int(sum(r.get("samples_used", 0) for r in reports)),
            "queries_used": int(sum(r.get("queries_used", 0) for r in reports)),
            "seconds": time.perf_counter() - start,
            "route": list(self.names), "eps": eps, "delta": delta, "steps": reports,
            "options": chosen,
            "step_options": {red.name: dict(opts) for red, opts in
                             zip(self.steps, step_opts, strict=True) if opts},
        }
        return Result(current, report)

    def to_dict(self, at: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A JSON-safe summary (formulas as sympy strings, numbers at ``at``:
        None or a mapping of symbol names to numbers, as for :meth:`values`)."""
        values = (None if at is None else
                  {name: json_value(v) for name, v in self._values(at, "Route.to_dict").items()})
        g = self.guarantee
        return {
            "classes": list(self.classes), "steps": list(self.names),
            "kind": g.kind, "promise": None if g.promise is None else str(g.promise),
            "assumptions": list(g.assumptions), "efficient": self.efficient,
            "qualifies": self.qualifies, "qualification": self.qualification,
            "notes": list(self.notes),
            "options": {name: {"step": index, "reduction": red, "option": base}
                        for name, (index, red, base) in self.options.items()},
            "rank": self.rank,
            "cost": json_value(self.cost) if self.cost is None or isinstance(
                self.cost, (int, float, sympy.Float)) else sympy.sstr(self.cost),
            "formulas": {name: sympy.sstr(getattr(g, name)) for name in FIELDS},
            "size_map": {key.name: sympy.sstr(value) for key, value in
                         sorted(g.size_map.items(), key=lambda kv: kv[0].name)},
            "values": values,
            "split": {key.name: sympy.sstr(value) for key, value in
                      sorted((getattr(g, "split", {}) or {}).items(),
                             key=lambda kv: kv[0].name)},
            "derivation": list(self.derivation),
        }

    def __str__(self) -> str:
        head = " -> ".join(self.classes)
        promise = "none" if self.promise is None else str(self.promise)
        lines = [f"route {head} ({self.kind}; promise {promise}; "
                 f"{'efficient' if self.efficient else 'not efficient'})"]
        lines += [f"  {line}" for line in self.derivation]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Route {' -> '.join(self.classes)} via {', '.join(self.names)}>"


@dataclass(frozen=True)
class Hardness:
    """A hardness statement: a barrier record, or one derived from it by THEORY
    §9 rule 3 through the exact conversions ``conversions`` (F' -> ... -> F).

    ``setting`` is "learning" for barriers about labelled examples, else
    "distillation"."""

    source: str
    target: str
    setting: str
    assumptions: tuple[str, ...]
    barrier: Reduction = field(compare=False)
    conversions: tuple[Reduction, ...] = field(default=(), compare=False)
    derivation: tuple[str, ...] = field(default=(), compare=False)

    @property
    def derived(self) -> bool:
        return bool(self.conversions)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.barrier.name, *(red.name for red in self.conversions))

    def __str__(self) -> str:
        how = "derived (THEORY §9 rule 3)" if self.derived else "barrier record"
        lines = [f"{self.setting} {self.source} -> {self.target} is hard under "
                 f"{', '.join(self.assumptions)} ({how})"]
        return "\n".join(lines + [f"  {line}" for line in self.derivation])


@dataclass(frozen=True)
class Status:
    """The answer of :meth:`ReductionWeb.status`.

    Attributes
    ----------
    answer : str
        "efficient", "hard" or "unknown".
    derivation : tuple of str
        The shortest derivation, one citation a step.
    source, target, setting : str
    route : Route or None
        The efficient route (answer "efficient").
    hardness : Hardness or None
        The barrier, direct or derived (answer "hard").
    """

    answer: str
    derivation: tuple[str, ...]
    source: str = ""
    target: str = ""
    setting: str = "distillation"
    route: Route | None = field(default=None, compare=False)
    hardness: Hardness | None = field(default=None, compare=False)

    @property
    def assumptions(self) -> tuple[str, ...]:
        if self.route is not None:
            return self.route.assumptions
        if self.hardness is not None:
            return self.hardness.assumptions
        return ()

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "setting": self.setting,
                "answer": self.answer, "assumptions": list(self.assumptions),
                "route": None if self.route is None else list(self.route.names),
                "barrier": None if self.hardness is None else list(self.hardness.names),
                "derivation": list(self.derivation)}

    def __str__(self) -> str:
        lines = [f"{self.setting} {self.source} -> {self.target}: {self.answer}"]
        return "\n".join(lines + [f"  {line}" for line in self.derivation])


@dataclass(frozen=True)
class Cost:
    """One cost statement of a separation, with its sources.

    Attributes
    ----------
    setting : str
        "learning" or "distillation".
    what : str
        The resource: "time", "samples", "queries" or "statistical queries".
    bound : str
        The bound as shown: a formula (sympy text; ``C`` an unknown constant
        > 0 where said), a record's text ("about d^(0.6 k)"), or for a route's
        time "poly(sizes, 1/eps, log(1/delta))".
    kind : str
        "upper" (an algorithm achieves it) or "lower" (no algorithm of the
        setting does better, under ``under``).
    sources : tuple of str
        The citations (paper, or "derived here: THEORY §x"), one per result used.
    under : str
        The access or assumption it holds under ("uniform random examples",
        "SQ", "junta (everywhere)", "LRH(tau, B)"); "" for none.
    formula : str
        The exact formula behind ``bound`` when there is one ("" for records).
    derivation : str
        How the web obtained it from the sources (THEORY §9 rules), "" when
        it is a source's own statement.
    """

    setting: str
    what: str
    bound: str
    kind: str
    sources: tuple[str, ...]
    under: str = ""
    formula: str = ""
    derivation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"setting": self.setting, "what": self.what, "bound": self.bound,
                "kind": self.kind, "under": self.under, "formula": self.formula,
                "sources": list(self.sources), "derivation": self.derivation}

    def __str__(self) -> str:
        word = "at least" if self.kind == "lower" else "at most"
        under = f" ({self.under})" if self.under else ""
        how = f"; {self.derivation}" if self.derivation else ""
        return (f"{self.setting} {self.what} {word} {self.bound}{under} "
                f"[{'; '.join(self.sources)}{how}]")


@dataclass(frozen=True)
class Separation:
    """A pair F -> G, F != G, where distillation is efficient and learning is
    hard (THEORY §9 rule 4: the paper's headline, made queryable), with both
    derivations and both costs: ``learning_costs`` (the barrier's lower bound
    and THEORY §4's learning-time anchors for G) and ``distillation_costs`` (the
    route's samples and queries formulas and its time), each with its source."""

    source: str
    target: str
    distillation: Status
    learning: Status
    learning_costs: tuple[Cost, ...] = ()
    distillation_costs: tuple[Cost, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target,
                "distillation": self.distillation.to_dict(), "learning": self.learning.to_dict(),
                "distillation_costs": [c.to_dict() for c in self.distillation_costs],
                "learning_costs": [c.to_dict() for c in self.learning_costs]}

    def __str__(self) -> str:
        return (f"separation {self.source} -> {self.target}\n"
                + "\n".join(f"  {cost}" for cost in
                             (*self.distillation_costs, *self.learning_costs)) + "\n"
                + "\n".join("  " + line for line in str(self.distillation).splitlines())
                + "\n" + "\n".join("  " + line for line in str(self.learning).splitlines()))


@dataclass(frozen=True)
class Contradiction:
    """An efficient route and a hardness statement for the same pair and
    setting, the route needing no assumption beyond the barrier's: the web
    itself would be wrong."""

    source: str
    target: str
    setting: str
    route: Route
    hardness: Hardness

    @property
    def key(self) -> tuple:
        return (self.source, self.target, self.setting, self.route.names, self.hardness.names)

    def __str__(self) -> str:
        return (f"contradiction in {self.setting} {self.source} -> {self.target}: the route "
                f"{' -> '.join(self.route.classes)} ({', '.join(self.route.names)}) is "
                f"efficient under {{{', '.join(self.route.assumptions)}}}, but "
                f"{' + '.join(self.hardness.names)} says it is hard under "
                f"{{{', '.join(self.hardness.assumptions)}}}")


@dataclass(frozen=True)
class Comparison:
    """Learning versus distillation for one pair (THEORY §4, §6, §9 rule 4): the
    best learning route (first step from labelled examples) and the best route
    overall, with formulas and numbers, the statuses and the learning-time
    anchors of THEORY §4 for the target class."""

    source: str
    target: str
    at: Mapping[str, Any] | None
    rank: str
    learning: Route | None
    distillation: Route | None
    learning_status: Status
    distillation_status: Status
    anchors: tuple[Any, ...] = ()

    def rows(self) -> list[list[str]]:
        """[quantity, learning formula, learning value, distillation formula,
        distillation value] for samples, queries and time."""
        rows = []
        sides = [self.learning, self.distillation]
        values = [None if r is None else r.values(self.at) for r in sides]
        for name in ("samples", "queries", "time"):
            row = [name]
            for route, vals in zip(sides, values, strict=True):
                if route is None:
                    row += ["-", "-"]
                else:
                    row += [sympy.sstr(getattr(route.guarantee, name)),
                            format_value(vals[name]) if vals is not None else "-"]
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target,
            "at": None if self.at is None else dict(self.at), "rank": self.rank,
            "learning": None if self.learning is None else self.learning.to_dict(self.at),
            "distillation": None if self.distillation is None
            else self.distillation.to_dict(self.at),
            "learning_status": self.learning_status.to_dict(),
            "distillation_status": self.distillation_status.to_dict(),
            "anchors": [{"task": a.task, "setting": a.setting, "time": a.time,
                         "source": a.source} for a in self.anchors],
        }

    def __str__(self) -> str:
        lines = [f"learning vs distillation, {self.source} -> {self.target}"]
        for label, route in (("learning", self.learning), ("distillation", self.distillation)):
            lines.append(f"  best {label} route: " + (
                "none" if route is None else
                f"{' -> '.join(route.classes)} ({', '.join(route.names)})"))
        for row in self.rows():
            lines.append(f"  {row[0]}: learning {row[1]} = {row[2]}; "
                         f"distillation {row[3]} = {row[4]}")
        lines.append(f"  learning status: {self.learning_status.answer}; "
                     f"distillation status: {self.distillation_status.answer}")
        for anchor in self.anchors:
            lines.append(f"  anchor: {anchor.task}, {anchor.setting}: {anchor.time} "
                         f"[{anchor.source}]")
        return "\n".join(lines)
