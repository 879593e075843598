"""Guarantee conformance: run an edge on drawn instances and try to break the
Guarantee it declares (THEORY §2; DESIGN "property-test a new reduction").

:func:`check_reduction` reads the edge's kind and checks what that kind promises:

- **exact** (THEORY §2.1): hypothesis draws sources from the source class's
  strategy (:mod:`pacdistill.checkers.strategies`, within the edge's ``domain``,
  d <= ``max_d``); every output must be a member of the target class, equal to
  the source on the whole cube, within the size map at the source's parameters,
  with no samples and at most the declared queries. A failure is shrunk by
  hypothesis to a minimal source.
- **perfect** (THEORY §2.2-2.3): seeded trials; each draws a source that
  satisfies the promise (see :mod:`._sources`: from the promise class, through
  the web's exact conversions, by projection, or with D conditioned on
  agreement) and a distribution D (uniform, product, subcube, finite support,
  mixture in turn), runs the edge at (eps, delta) -- eps alternating between
  0.1 and 0.25 by default -- and measures err_D(f, output)
  *exactly* on the cube. A trial fails when the error exceeds the declared
  error at the instance (eps; 0 for exact-promise query edges) or the run raises.
- **agnostic** (THEORY §2.4): the same with any source and the declared error
  ``OPT_G + eps``, OPT computed by brute force on the cube (:mod:`._opt`:
  juntas, conjunctions, parities, lookup tables; an edge may give its own
  ``conformance["opt"]``).

Every kind: the output is in the target class and within the size map, and
the report's ``samples_used`` and ``queries_used`` are within the declared
formulas at the instance's parameters (:mod:`.edge_checks`; the parameters of
a promise, such as the k of a k-junta, are the drawn promise member's sizes).
These are deterministic claims: one violation fails the check.

**Two eps.** The declared sample sizes are upper bounds, often loose at small
eps: a learner given a tenth of its samples may still succeed at eps = 0.1 on
small cubes, and be wrong most of the time at eps = 0.25, where the bound is
smallest. So by default the trials alternate between eps = 0.1 and 0.25; each
trial is tested against its own eps, and the binomial test below is unchanged
(every trial fails with probability at most delta, whatever its eps).

**The binomial test.** The trials are independent given their seeds and, when
the guarantee holds, each fails with probability at most delta (the declared
failure at the instance), so the number X of failed trials among T is
stochastically dominated by Binomial(T, delta). The check rejects when
p = P[Binomial(T, delta) >= X] < ``level`` (scipy's exact survival function),
so a correct edge is rejected with probability below ``level`` (1e-6 by
default) whatever its true failure rate below delta. Power, at the defaults
delta = 0.01 and T = 40: the test rejects from X = 7 failures on (rate 0.175),
and a failure rate of 0.39 or more is caught with probability >= 0.999; at
delta = 0.1 and T = 40 it rejects from X = 16 (a rate of 0.63 is caught with
probability >= 0.999).

Failures carry a :class:`Counterexample` (source and distribution as JSON, the
run's seed, options, measured error and bound), saved as a JSON file, with a
one-line command replaying it (``pacdistill check module:attr --replay FILE``);
:func:`replay` reruns it in process. For statistical kinds the counterexample
is the failed trial with the smallest instance (d, then the source's sizes); a
single failed trial is allowed by the guarantee (probability delta), so the
replay reproduces *that trial's* failure, and the evidence against the
guarantee is the failure count.

Examples
--------
>>> from pacdistill.reductions import REGISTRY
>>> report = check_reduction(REGISTRY["junta_to_tree"], trials=10)
>>> report.passed, report.kind, report.trials
(True, 'exact', 10)
>>> report = check_reduction(REGISTRY["learn_parity[parity]"], trials=8, max_d=6)
>>> report.passed, report.failures, report.samples_used <= report.samples_bound
(True, 0, True)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_int, check_probability, param_error
from ..errors import GuaranteeViolation, InvalidParameterError, PacDistillError
from . import _sources
from ._sources import KINDS, Instance, Untestable, planted_networks
from ._witness import CountingSampler, counting_queries
from .edge_checks import (
    check_counts,
    check_equal_on_cube,
    check_output_class,
    check_output_cube,
    check_size_map,
    declared_sizes,
    instance_values,
    source_params,
)

__all__ = [
    "DEFAULT_EPS",
    "DEFAULT_EPS_VALUES",
    "DEFAULT_DELTA",
    "DEFAULT_TRIALS",
    "DEFAULT_EXAMPLES",
    "DEFAULT_MAX_D",
    "ERROR_TOLERANCE",
    "Counterexample",
    "ConformanceReport",
    "ReplayResult",
    "check_reduction",
    "check_family",
    "replay",
    "planted_networks",
    "assert_conforms",
    "conformance_test",
    "binomial_p_value",
    "spec_of",
]

#: eps and delta of the statistical trials unless given (or set by the edge):
#: the trials alternate between the values of DEFAULT_EPS_VALUES (module docstring)
DEFAULT_EPS = 0.1
DEFAULT_EPS_VALUES = (DEFAULT_EPS, 0.25)
DEFAULT_DELTA = 0.01
#: statistical trials, and hypothesis examples for exact edges, unless given
DEFAULT_TRIALS = 40
DEFAULT_EXAMPLES = 50
#: largest d of a drawn instance unless given; the smallest of a statistical trial
DEFAULT_MAX_D = 8
DEFAULT_MIN_D = 2
#: an error counts as above its bound only past this (float sums of masses)
ERROR_TOLERANCE = 1e-9
#: where counterexamples are saved unless told (or $PACDISTILL_COUNTEREXAMPLES)
COUNTEREXAMPLE_DIR_ENV = "PACDISTILL_COUNTEREXAMPLES"


# ------------------------------------------------------------------ value objects


@dataclass(frozen=True)
class Counterexample:
    """One run that did not deliver the declared guarantee, replayable from JSON.

    Attributes
    ----------
    reduction : str
        The edge's name.
    kind : str
        The edge's kind.
    violation : str
        What failed: ``"error"`` (err_D above the declared bound), ``"exception"``
        (the run raised), ``"equality"`` (an exact output differs from its
        source), ``"size"``, ``"samples"``, ``"queries"`` or ``"class"``.
    message : str
        One line saying what was declared and what was delivered.
    source, promise_model : dict or None
        The models as JSON (``model.to_dict()``); the promise member f agrees with.
    distribution : dict or None
        D as JSON (``D.to_dict()``); None for exact edges.
    seed : int or None
        The ``rng`` of the run (statistical kinds).
    eps, delta : float or None
    options : dict
        The run's keyword options (``{"k": 2}``).
    values : dict
        The instance's parameters the guarantee was evaluated at.
    measured_error, bound, opt : float or None
        err_D(f, output), the declared bound, OPT (agnostic).
    trial : int or None
        The trial's index in its check.
    spec : str or None
        How ``pacdistill check`` finds the edge (:func:`spec_of`).
    path : str or None
        Where the JSON was saved.
    """

    reduction: str
    kind: str
    violation: str
    message: str
    source: Mapping[str, Any]
    promise_model: Mapping[str, Any] | None = None
    distribution: Mapping[str, Any] | None = None
    seed: int | None = None
    eps: float | None = None
    delta: float | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)
    measured_error: float | None = None
    bound: float | None = None
    opt: float | None = None
    trial: int | None = None
    spec: str | None = None
    path: str | None = None

    @property
    def command(self) -> str | None:
        """The one-line shell command that replays this counterexample, or None
        when it was not saved or the edge cannot be found from a shell."""
        if self.spec is None or self.path is None:
            return None
        return f"pacdistill check {shlex.quote(self.spec)} --replay {shlex.quote(self.path)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (``{"type": "Counterexample", "version": 1, ...}``)."""
        return {"type": "Counterexample", "version": 1, **_plain(asdict(self))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Counterexample:
        """Rebuild from :meth:`to_dict`'s form."""
        from ..errors import SerializationError

        if not isinstance(data, Mapping) or data.get("type") != "Counterexample":
            raise SerializationError(
                "A counterexample file must hold a JSON object with \"type\": "
                f"\"Counterexample\". Got {str(data)[:80]!r}."
            )
        names = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - names - {"type", "version"})
        if data.get("version") != 1 or unknown:
            raise SerializationError(
                f"Unknown counterexample version {data.get('version')!r} or keys {unknown}."
            )
        try:
            return cls(**{key: value for key, value in data.items() if key in names})
        except TypeError as err:
            raise SerializationError(f"Malformed counterexample: {err}") from err

    def save(self, path: str | os.PathLike) -> Counterexample:
        """Write the JSON to ``path``; returns a copy that knows its path."""
        import dataclasses

        from .._io import atomic_write

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = dataclasses.replace(self, path=str(path))
        atomic_write(path, json.dumps(saved.to_dict(), indent=1), func="Counterexample.save")
        return saved

    @classmethod
    def load(cls, path: str | os.PathLike) -> Counterexample:
        """Read a counterexample saved by :meth:`save`."""
        from .._io import read_json

        return cls.from_dict(read_json(path, "counterexample file"))


@dataclass(frozen=True)
class ConformanceReport:
    """What :func:`check_reduction` found.

    Attributes
    ----------
    reduction, kind : str
    status : str
        ``"passed"``, ``"failed"`` or ``"untestable"`` (the harness cannot draw
        instances without a hook; ``reason`` says which).
    passed : bool
        ``status == "passed"``.
    trials : int
        Trials run (hypothesis examples for exact edges).
    failures : int
        Failed trials (for statistical kinds: err above the bound or an
        exception; for exact kinds 0 or 1, the shrunk failure).
    exceptions : int
        Of the failures, runs that raised.
    p_value : float or None
        P[Binomial(trials, failure) >= failures] for statistical kinds.
    level : float
        The rejection threshold of the p-value (the false-alarm probability).
    eps, delta, failure : float, tuple of float, or None
        The trials' eps (a tuple when they alternate between several values,
        trial t using ``eps[(t // k) % len(eps)]`` for k kinds of D) and
        delta, and the declared
        failure probability (the largest over the trials).
    samples_used, samples_bound, queries_used, queries_bound : int or None
        The largest count a run reported and the declared bound at that run's
        instance (None: not checked, e.g. a guarantee up to the constant C).
    seconds : float
    reason : str
        One line: what failed, why untestable, or a summary.
    counterexample : Counterexample or None
    notes : tuple of str
        How the sources were drawn, counts not checked, a stop at the deadline.
    """

    reduction: str
    kind: str
    status: str
    passed: bool
    trials: int
    failures: int
    exceptions: int
    p_value: float | None
    level: float
    eps: float | tuple[float, ...] | None
    delta: float | None
    failure: float | None
    samples_used: int | None
    samples_bound: int | None
    queries_used: int | None
    queries_bound: int | None
    seconds: float
    reason: str
    counterexample: Counterexample | None = None
    notes: tuple[str, ...] = ()

    @property
    def replay_command(self) -> str | None:
        """The counterexample's replay command (None when there is none)."""
        return None if self.counterexample is None else self.counterexample.command

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        out = _plain(asdict(self))
        out["counterexample"] = (None if self.counterexample is None
                                 else self.counterexample.to_dict())
        return out

    def __str__(self) -> str:
        head = f"{self.reduction} ({self.kind}): {self.status.upper()}: {self.reason}"
        lines = [head]
        if self.counterexample is not None:
            cx = self.counterexample
            lines.append(f"  counterexample ({cx.violation}): {cx.message}")
            if cx.command:
                lines.append(f"  replay: {cx.command}")
            elif cx.path:
                lines.append(f"  saved to {cx.path} (no replay command: the reduction is not "
                             "a module-level name; replay it with pd.checkers.replay(path, "
                             "reduction))")
        return "\n".join(lines)


@dataclass(frozen=True)
class ReplayResult:
    """What :func:`replay` found: whether the counterexample's failure happened again.

    Attributes
    ----------
    reproduced : bool
    violation : str or None
        The kind of failure found on the rerun (None when it passed).
    message : str
    measured_error, bound : float or None
    """

    reproduced: bool
    violation: str | None
    message: str
    measured_error: float | None = None
    bound: float | None = None

    def __str__(self) -> str:
        state = "REPRODUCED" if self.reproduced else "not reproduced"
        return f"{state}: {self.message}"


@dataclass
class _Outcome:
    """One run checked (internal)."""

    violation: str | None = None      # a deterministic violation
    failed: bool = False              # the statistical failure event (error or exception)
    exception: bool = False
    message: str = ""
    error: float | None = None
    bound: float | None = None
    opt: float | None = None
    failure: float | None = None
    counts: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def bad(self) -> bool:
        return self.violation is not None or self.failed


# ------------------------------------------------------------------------ helpers


def _plain(value: Any) -> Any:
    """Numpy scalars and arrays, tuples and mappings as plain JSON values."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def binomial_p_value(failures: int, trials: int, rate: float) -> float:
    """P[Binomial(trials, rate) >= failures], exactly (1.0 when failures = 0).

    >>> binomial_p_value(7, 40, 0.01) < 1e-6 < binomial_p_value(6, 40, 0.01)
    True
    """
    from scipy.stats import binom

    if failures <= 0:
        return 1.0
    return float(binom.sf(failures - 1, trials, min(max(rate, 0.0), 1.0)))


def spec_of(edge: Any) -> str | None:
    """How ``pacdistill check`` finds ``edge``: its name when it is a registered
    edge of pacdistill's own, else ``path/to/module.py:attribute`` for the
    module-level attribute holding it (or its family), else None.

    >>> from pacdistill.reductions import REGISTRY
    >>> spec_of(REGISTRY["learn_junta[junta]"])
    'learn_junta[junta]'
    """
    import sys

    from ..reductions import REGISTRY

    module_name = getattr(edge.func, "__module__", "") or ""
    if REGISTRY.get(edge.name) is edge and module_name.startswith("pacdistill."):
        return edge.name  # found by name in any process that imports pacdistill
    module = sys.modules.get(module_name, None)
    path = getattr(module, "__file__", None)
    if module is None or path is None:
        return None
    for attr, value in vars(module).items():
        edges = getattr(value, "edges", None)
        if value is edge or (isinstance(edges, Mapping) and edge in edges.values()):
            where = Path(path).resolve()
            try:
                where = where.relative_to(Path.cwd())
            except ValueError:
                pass
            return f"{where}:{attr}"
    return None


def _counterexample_dir(save_dir: Any) -> Path:
    if save_dir is not None:
        return Path(save_dir)
    env = os.environ.get(COUNTEREXAMPLE_DIR_ENV)
    return Path(env) if env else Path(tempfile.gettempdir()) / "pacdistill-counterexamples"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def _resolve(reduction: Any, func: str) -> Any:
    from ..reductions import Reduction, ReductionFamily, get

    if isinstance(reduction, str):
        reduction = get(reduction)
    if isinstance(reduction, ReductionFamily):
        raise param_error("reduction", func, "one Reduction (an edge)", reduction,
                          fix="For a family use check_family(family) or pick an edge: "
                              "family.edges['junta'].")
    if not isinstance(reduction, Reduction):
        raise param_error("reduction", func, "a Reduction (made by @register) or the name "
                          "of a registered edge", reduction)
    if reduction.func is None:
        raise InvalidParameterError(
            f"{reduction.name} is a {reduction.kind} record, not an algorithm; there is "
            "nothing to run."
        )
    return reduction


def _setting(explicit: Any, edge: Any, key: str, default: Any) -> Any:
    if explicit is not None:
        return explicit
    value = edge.conformance.get(key)
    return default if value is None else value


# ---------------------------------------------------------------- one run, checked


def _exact_run(edge: Any, source: Any) -> _Outcome:
    """Run an exact edge on ``source`` and check everything it declares."""
    out = _Outcome(values=source_params(source))
    try:
        with _witness_queries(edge, source) as queries:
            result = edge.run(source)
    except Exception as err:  # a run that raises is a failure; KeyboardInterrupt passes
        out.violation, out.exception = "exception", True
        out.message = f"{edge.name} raised {type(err).__name__}: {err}"
        return out
    witnessed = {} if queries is None else {"queries": queries[0]}
    steps = (
        ("result", lambda: _check_result(edge, result)),
        ("class", lambda: check_output_class(edge, result.model)),
        ("size", lambda: check_output_cube(edge, source, result.model)),
        ("equality", lambda: check_equal_on_cube(edge, source, result.model)),
        ("size", lambda: check_size_map(edge, out.values, result.model)),
        ("counts", lambda: out.counts.update(check_counts(edge, out.values, result.report,
                                                          witnessed=witnessed))),
    )
    for label, step in steps:
        try:
            step()
        except GuaranteeViolation as err:
            if label == "counts":
                label = (err.counterexample or {}).get("field", "counts")
            out.violation, out.message = label, str(err)
            return out
    if result.report.get("samples_used", 0):
        out.violation = "samples"
        out.message = f"{edge.name} is exact but used {result.report['samples_used']} samples."
    return out


@contextlib.contextmanager
def _witness_queries(edge: Any, f: Any) -> Iterator[list[int] | None]:
    """Count f's evaluations during the run of an edge with query access (its
    declared queries are then held to what was seen, not only to its report)."""
    if edge.access != "queries":
        yield None
        return
    with counting_queries(f) as queries:
        yield queries


def _check_result(edge: Any, result: Any) -> None:
    """The run returned a Result (a model and a report dict), as the contract says."""
    from ..reductions import Result

    if not isinstance(result, Result) or not isinstance(result.report, Mapping):
        raise GuaranteeViolation(
            f"{edge.name} returned {type(result).__name__}, not a "
            "pacdistill.reductions.Result(model, report); a reduction must return one "
            "(DESIGN, Reduction).",
            counterexample={"field": "result"},
        )


def _opt_value(edge: Any, symbol: Any, f: Any, D: Any, values: Mapping[str, Any]) -> float:
    from ._opt import OPT_SOLVERS, opt

    cls = symbol.name[len("OPT_"):]
    params = {key: int(value) for key, value in declared_sizes(edge, values).items()
              if value.is_integer} if cls == edge.target else dict(values)
    hook = edge.conformance.get("opt")
    if hook is not None:
        return float(hook(f, D, params))
    if cls not in OPT_SOLVERS:
        raise Untestable(
            f"{edge.name} declares an error with OPT over {cls!r}, which the harness "
            f"cannot compute by brute force (it can for {sorted(OPT_SOLVERS)}); give "
            "register(..., conformance={'opt': callable(f, D, params)})."
        )
    return opt(cls, f, D, params)


def _statistical_run(edge: Any, inst: Instance, eps: float, delta: float, seed: int
                     ) -> _Outcome:
    """Run a perfect/agnostic edge on one instance and check it."""
    from ..bounds import symbols as S
    from .agreement import disagreement

    g = edge.guarantee
    f, D = inst.source, inst.distribution
    values = instance_values(f, promise_model=inst.promise_model, options=inst.options)
    out = _Outcome(values=values)
    opt_values = {sym.name: _opt_value(edge, sym, f, D, values)
                  for sym in g.error.free_symbols if S.is_opt_symbol(sym)}
    out.opt = next(iter(opt_values.values()), None)
    at = g.at(fields=["error", "failure"], eps=eps, delta=delta, **values, **opt_values)
    out.bound, out.failure = at.error, at.failure
    sampler = CountingSampler(D)
    try:
        with _witness_queries(edge, f) as queries:
            result = edge.run(f, sampler=sampler, eps=eps, delta=delta, rng=seed,
                              **inst.options)
    except Exception as err:  # a run that raises is in the failure event
        out.failed, out.exception = True, True
        out.message = f"{edge.name} raised {type(err).__name__}: {err}"
        return out
    witnessed = {"samples": sampler.rows}
    if queries is not None:
        witnessed["queries"] = queries[0]
    try:
        _check_result(edge, result)
        check_output_class(edge, result.model)
        check_size_map(edge, values, result.model)
        out.counts = check_counts(edge, values, result.report, eps=eps, delta=delta,
                                  witnessed=witnessed)
    except GuaranteeViolation as err:
        info = err.counterexample if isinstance(err.counterexample, Mapping) else {}
        field_name = info.get("field")
        if field_name in ("samples", "queries"):
            out.counts[field_name] = (info["used"], info["bound"])
        out.violation = field_name or ("class" if "must output" in str(err) else "size")
        out.message = str(err)
        return out
    out.error = disagreement(f, result.model, D, method="exact").value
    if out.error > out.bound + ERROR_TOLERANCE:
        out.failed = True
        extra = f" (OPT = {out.opt:.6g})" if out.opt is not None else ""
        out.message = (f"err_D(f, output) = {out.error:.6g} > declared {g.error} = "
                       f"{out.bound:.6g}{extra} at eps = {eps}, delta = {delta}")
    return out


# ------------------------------------------------------------------------ checks


def _counterexample(edge: Any, out: _Outcome, source: Any, *, inst: Instance | None = None,
                    seed: int | None = None, eps: float | None = None,
                    delta: float | None = None, trial: int | None = None,
                    save_dir: Any) -> Counterexample:
    violation = out.violation or ("exception" if out.exception else "error")
    cx = Counterexample(
        reduction=edge.name, kind=edge.kind, violation=violation, message=out.message,
        source=source.to_dict(),
        promise_model=None if inst is None or inst.promise_model is None
        else inst.promise_model.to_dict(),
        distribution=None if inst is None else inst.distribution.to_dict(),
        seed=seed, eps=eps, delta=delta,
        options=_plain(dict(inst.options)) if inst is not None else {},
        values=_plain(out.values), measured_error=out.error, bound=out.bound, opt=out.opt,
        trial=trial, spec=spec_of(edge),
    )
    digest = zlib.crc32(json.dumps(cx.to_dict(), sort_keys=True).encode())
    return cx.save(_counterexample_dir(save_dir) / f"{_slug(edge.name)}-{digest:08x}.json")


def _track(best: dict[str, tuple[int, int | None]], counts: Mapping[str, Any]) -> None:
    for name, (used, bound) in counts.items():
        if name not in best or used > best[name][0]:
            best[name] = (used, bound)


def _count_fields(best: Mapping[str, tuple[int, int | None]]) -> dict[str, Any]:
    out = {}
    for name in ("samples", "queries"):
        used, bound = best.get(name, (None, None))
        out[f"{name}_used"], out[f"{name}_bound"] = used, bound
    return out


def _check_exact(edge: Any, *, max_d: int, examples: int, seed: int, deadline: float | None,
                 save_dir: Any, level: float, start: float) -> ConformanceReport:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import HypothesisException

    from .strategies import for_class

    hook = edge.conformance.get("strategy")
    if hook is not None:
        strategy = hook(max_d) if callable(hook) else hook
    else:
        bounds = {"max_d": min(max_d, 8) if edge.source == "lookup_table" else max_d,
                  **edge.domain}
        strategy = for_class(edge.source, **bounds)
    state: dict[str, Any] = {"runs": 0, "counts": {}, "found": None}

    class _Found(Exception):
        def __init__(self, source: Any, outcome: _Outcome) -> None:
            super().__init__(outcome.message)
            self.source, self.outcome = source, outcome

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              report_multiple_bugs=False, suppress_health_check=list(HealthCheck),
              phases=(Phase.explicit, Phase.generate, Phase.shrink), print_blob=False)
    @hypothesis_seed(seed)
    @given(strategy)
    def inner(source: Any) -> None:
        if state["found"] is None:
            if deadline is not None and time.perf_counter() - start > deadline:
                return
            state["runs"] += 1
        outcome = _exact_run(edge, source)
        if outcome.violation is not None:
            state["found"], state["source"] = outcome, source
            raise _Found(source, outcome)
        if state["found"] is None:
            _track(state["counts"], outcome.counts)

    found = None
    try:
        inner()
    except _Found as err:
        found = err
    except HypothesisException as err:  # e.g. a failure that does not happen again
        if state["found"] is None:
            raise
        found = _Found(state["source"], state["found"])
        found.outcome.message += f" (hypothesis: {type(err).__name__}: the failure is not " \
                                 "reproducible, so the conversion is not deterministic)"
    common = dict(reduction=edge.name, kind="exact", trials=state["runs"], level=level,
                  eps=None, delta=None, failure=0.0, p_value=None,
                  seconds=time.perf_counter() - start, **_count_fields(state["counts"]))
    if found is None:
        return ConformanceReport(
            status="passed", passed=True, failures=0, exceptions=0,
            reason=f"equal on the cube and within the declared sizes and counts on "
                   f"{state['runs']} drawn sources (d <= {max_d})", **common)
    cx = _counterexample(edge, found.outcome, found.source, save_dir=save_dir)
    return ConformanceReport(
        status="failed", passed=False, failures=1,
        exceptions=int(found.outcome.violation == "exception"),
        reason=f"{found.outcome.violation}: {found.outcome.message}", counterexample=cx,
        **common)


def _untestable(edge: Any, reason: str, start: float, level: float) -> ConformanceReport:
    return ConformanceReport(
        reduction=edge.name, kind=edge.kind, status="untestable", passed=False, trials=0,
        failures=0, exceptions=0, p_value=None, level=level, eps=None, delta=None,
        failure=None, samples_used=None, samples_bound=None, queries_used=None,
        queries_bound=None, seconds=time.perf_counter() - start, reason=reason)


def _smallest(record: tuple[int, Instance, int, _Outcome]) -> tuple[int, int, int]:
    """Order of failed trials for the counterexample: smallest d, then sizes."""
    t, inst, _, _ = record
    return inst.source.n_inputs, sum(source_params(inst.source).values()), t


def _check_statistical(edge: Any, *, min_d: int, max_d: int, trials: int, level: float,
                       seed: int, eps: tuple[float, ...], delta: float,
                       deadline: float | None,
                       kinds: tuple[str, ...], save_dir: Any, start: float
                       ) -> ConformanceReport:
    base = [int(seed), zlib.crc32(edge.name.encode())]
    records: list[tuple[int, Instance, int, _Outcome]] = []
    # eps changes every len(kinds) trials, so every (distribution, eps) pair comes
    # up within len(kinds) * len(eps) trials (t % len(eps) would tie each kind of D
    # to one eps whenever len(kinds) is even)
    eps_of = {t: eps[(t // len(kinds)) % len(eps)] for t in range(trials)}
    counts: dict[str, tuple[int, int | None]] = {}
    hows: set[str] = set()
    notes: list[str] = []
    for t in range(trials):
        if deadline is not None and time.perf_counter() - start > deadline:
            notes.append(f"stopped at the deadline ({deadline} s) after {t} trials")
            break
        rng = np.random.default_rng([*base, t, 0])
        run_seed = int(np.random.SeedSequence([*base, t, 1]).generate_state(1)[0])
        d = int(rng.integers(min_d, max_d + 1))
        try:
            inst = _sources.draw_instance(edge, rng, d, kinds[t % len(kinds)])
            outcome = _statistical_run(edge, inst, eps_of[t], delta, run_seed)
        except Untestable as err:
            return _untestable(edge, str(err), start, level)
        hows.add(inst.how)
        records.append((t, inst, run_seed, outcome))
        _track(counts, outcome.counts)
    ran = len(records)
    failures = sum(out.failed for *_, out in records)
    exceptions = sum(out.exception for *_, out in records)
    failure = max((out.failure for *_, out in records if out.failure is not None), default=delta)
    p_value = binomial_p_value(failures, ran, failure)
    deterministic = [rec for rec in records if rec[3].violation is not None]
    for name in ("samples", "queries"):
        if counts.get(name, (0, 0))[1] is None:
            notes.append(f"{name} not checked (the declared count holds only up to C, "
                         "or needs values the harness lacks)")
    notes.append("sources: " + "; ".join(sorted(hows)))
    if failure >= 1:
        notes.append("the declared failure probability is >= 1: the error test is vacuous")
    common = dict(reduction=edge.name, kind=edge.kind, trials=ran, failures=failures,
                  exceptions=exceptions, p_value=p_value, level=level,
                  eps=eps[0] if len(eps) == 1 else eps, delta=delta,
                  failure=failure, seconds=time.perf_counter() - start,
                  **_count_fields(counts))
    worst = None
    if deterministic:
        worst = min(deterministic, key=_smallest)
        reason = f"{worst[3].violation}: {worst[3].message}"
    elif ran and p_value < level:
        worst = min((rec for rec in records if rec[3].failed), key=_smallest)
        reason = (f"{failures} of {ran} trials failed (err above the declared bound or an "
                  f"exception); P[Binomial({ran}, {failure:g}) >= {failures}] = {p_value:.3g} "
                  f"< level {level:g}")
    if worst is None:
        reason = (f"{failures} of {ran} trials failed; P[Binomial({ran}, {failure:g}) >= "
                  f"{failures}] = {p_value:.3g} >= level {level:g}; sizes and counts within "
                  "the declared ones")
        return ConformanceReport(status="passed" if ran else "untestable", passed=bool(ran),
                                 reason=reason if ran else "no trial ran",
                                 notes=tuple(notes), **common)
    t, inst, run_seed, outcome = worst
    cx = _counterexample(edge, outcome, inst.source, inst=inst, seed=run_seed, eps=eps_of[t],
                         delta=delta, trial=t, save_dir=save_dir)
    return ConformanceReport(status="failed", passed=False, reason=reason, counterexample=cx,
                             notes=tuple(notes), **common)


def check_reduction(
    reduction: Any, *, max_d: int | None = None, min_d: int | None = None,
    trials: int | None = None, level: float = 1e-6, seed: int = 0,
    eps: float | Iterable[float] | None = None,
    delta: float | None = None, deadline: float | None = None,
    distributions: Iterable[str] | None = None, save_dir: str | os.PathLike | None = None,
) -> ConformanceReport:
    """Try to break the Guarantee an edge declares (see the module docstring).

    Parameters
    ----------
    reduction : Reduction or str
        An edge (made by ``@register``; for a family pick ``family.edges[name]``
        or use :func:`check_family`), or the name of a registered edge.
    max_d, min_d : int, optional
        The dimensions of drawn instances (default: the edge's
        ``conformance`` values, else d <= 8, and d >= 2 for statistical trials;
        at most 12: errors and OPT are computed on the whole cube).
    trials : int, optional
        Statistical trials (default 40), or hypothesis examples for an exact
        edge (default 50); the edge's ``conformance["trials"]`` otherwise.
    level : float
        The false-alarm probability: a statistical check rejects when the
        binomial p-value is below it (default 1e-6).
    seed : int
        Seeds everything (hypothesis's examples, every trial's instance and run).
    eps : float or sequence of float, optional
        Of the statistical trials; with several values, trial t uses
        ``eps[(t // k) % len(eps)]`` for k kinds of D, so that every pair of a
        distribution and an eps is tried (default: the edge's, else 0.1 and
        0.25, :data:`DEFAULT_EPS_VALUES`; module docstring "Two eps").
    delta : float, optional
        Of the statistical trials (default: the edge's, else 0.01).
    deadline : float, optional
        Seconds after which no further trial starts (the report says so).
    distributions : iterable of str, optional
        Kinds of D for the trials, cycled through (default all of
        ``("uniform", "product", "subcube", "finite_support", "mixture")``).
    save_dir : path, optional
        Where a counterexample is saved (default ``$PACDISTILL_COUNTEREXAMPLES``,
        else ``pacdistill-counterexamples`` in the temporary directory).

    Returns
    -------
    ConformanceReport
    """
    func = "check_reduction"
    start = time.perf_counter()
    edge = _resolve(reduction, func)
    level = check_probability(level, "level", func)
    seed = check_int(seed, "seed", func, min=0)
    if deadline is not None:
        from .._validation import check_real

        deadline = check_real(deadline, "deadline", func, low=0)
    max_d = check_int(_setting(max_d, edge, "max_d", DEFAULT_MAX_D), "max_d", func, min=1,
                      max=12)
    if edge.kind == "exact":
        examples = check_int(_setting(trials, edge, "trials", DEFAULT_EXAMPLES), "trials",
                             func, min=1)
        return _check_exact(edge, max_d=max_d, examples=examples, seed=seed,
                            deadline=deadline, save_dir=save_dir, level=level, start=start)
    min_d = check_int(_setting(min_d, edge, "min_d", min(DEFAULT_MIN_D, max_d)), "min_d",
                      func, min=1, max=max_d)
    trials = check_int(_setting(trials, edge, "trials", DEFAULT_TRIALS), "trials", func,
                       min=1)
    eps = _eps_values(_setting(eps, edge, "eps", DEFAULT_EPS_VALUES), func)
    delta = check_probability(_setting(delta, edge, "delta", DEFAULT_DELTA), "delta", func)
    kinds = tuple(_setting(None if distributions is None else tuple(distributions), edge,
                           "distributions", KINDS))
    bad = [kind for kind in kinds if kind not in KINDS]
    if not kinds or bad:
        raise param_error("distributions", func, f"a non-empty selection of {KINDS}", kinds)
    return _check_statistical(edge, min_d=min_d, max_d=max_d, trials=trials, level=level,
                              seed=seed, eps=eps, delta=delta, deadline=deadline, kinds=kinds,
                              save_dir=save_dir, start=start)


def _eps_values(value: Any, func: str) -> tuple[float, ...]:
    """One eps, or a list, tuple or 1-d array of 1 to 100 of them, each in (0, 1)."""
    if not (isinstance(value, (list, tuple))
            or (isinstance(value, np.ndarray) and value.ndim == 1)):
        return (check_probability(value, "eps", func),)
    values = tuple(value)
    if not values or len(values) > 100:
        raise param_error("eps", func, "a number in (0, 1) or 1 to 100 of them", value)
    return tuple(check_probability(v, "eps", func) for v in values)


def _representative(edges: list[Any]) -> Any:
    """The edge of a family whose source is its promise class (perfect) or its
    target (exact, agnostic), else the first."""
    for edge in edges:
        home = edge.guarantee.promise.cls if edge.kind == "perfect" else edge.target
        if edge.source == home:
            return edge
    return edges[0]


def check_family(family: Any, *, smoke_trials: int = 5, **options: Any
                 ) -> list[ConformanceReport]:
    """Check one algorithm registered from several sources (a ReductionFamily, or
    an iterable of its edges): full trials on the representative edge (its
    source is its promise class, or its target), ``smoke_trials`` on the others
    (deterministic violations and gross failure rates still show there).

    Returns the reports, the representative's first.
    """
    edges = list(family.edges.values()) if hasattr(family, "edges") else list(family)
    if not edges:
        raise param_error("family", "check_family", "a non-empty family of edges", family)
    smoke_trials = check_int(smoke_trials, "smoke_trials", "check_family", min=1)
    main = _representative(edges)
    reports = [check_reduction(main, **options)]
    smoke = {**options, "trials": min(smoke_trials, options.get("trials") or smoke_trials)}
    reports += [check_reduction(edge, **smoke) for edge in edges if edge is not main]
    return reports


def assert_conforms(reduction: Any, **options: Any) -> list[ConformanceReport]:
    """Check a reduction (an edge, a family or a registered name) and raise
    :class:`~pacdistill.errors.GuaranteeViolation` (an AssertionError) unless
    every check passed; the message holds each failure's replay command.
    Options as :func:`check_reduction` (and ``smoke_trials`` for a family).
    Returns the reports.

    >>> from pacdistill.reductions import REGISTRY
    >>> [r.status for r in assert_conforms(REGISTRY["tree_to_dnf"], trials=5)]
    ['passed']
    """
    if hasattr(reduction, "edges"):
        reports = check_family(reduction, **options)
    else:
        reports = [check_reduction(reduction, **options)]
    bad = [report for report in reports if not report.passed]
    if bad:
        raise GuaranteeViolation("\n".join(str(report) for report in bad),
                                 counterexample=[r.counterexample for r in bad])
    return reports


# ------------------------------------------------------------------------ replay


def _edge_for(cx: Counterexample, reduction: Any) -> Any:
    from ..reductions import get

    if reduction is None:
        return get(cx.reduction)
    if isinstance(reduction, str):
        reduction = get(reduction)
    edges = getattr(reduction, "edges", None)
    if isinstance(edges, Mapping):
        for edge in edges.values():
            if edge.name == cx.reduction:
                return edge
        raise InvalidParameterError(
            f"The counterexample is for {cx.reduction}, which is not an edge of "
            f"{reduction!r} ({', '.join(e.name for e in edges.values())})."
        )
    return _resolve(reduction, "replay")


def replay(counterexample: Any, reduction: Any = None) -> ReplayResult:
    """Rerun a counterexample and say whether its failure happens again.

    Parameters
    ----------
    counterexample : Counterexample, dict or path
        The counterexample, its JSON form, or the file it was saved to.
    reduction : Reduction, ReductionFamily or str, optional
        The edge (or its family) to rerun; default: the registered edge of the
        counterexample's name.
    """
    from ..classes import model_from_dict
    from ..distributions import distribution_from_dict

    if isinstance(counterexample, Counterexample):
        cx = counterexample
    elif isinstance(counterexample, Mapping):
        cx = Counterexample.from_dict(counterexample)
    else:
        cx = Counterexample.load(counterexample)
    edge = _edge_for(cx, reduction)
    source = model_from_dict(cx.source)
    if cx.kind == "exact":
        out = _exact_run(edge, source)
    else:
        inst = Instance(
            source=source,
            promise_model=None if cx.promise_model is None else model_from_dict(cx.promise_model),
            distribution=distribution_from_dict(cx.distribution), options=dict(cx.options),
        )
        try:
            out = _statistical_run(edge, inst, cx.eps, cx.delta, cx.seed)
        except Untestable as err:
            raise PacDistillError(f"Cannot replay {cx.reduction}: {err}") from err
    if not out.bad:
        message = (f"{edge.name} delivered its guarantee on this instance"
                   + (f" (err = {out.error:.6g} <= {out.bound:.6g})" if out.error is not None
                      else ""))
        return ReplayResult(False, None, message, out.error, out.bound)
    violation = out.violation or ("exception" if out.exception else "error")
    return ReplayResult(True, violation, out.message, out.error, out.bound)


def conformance_test(reduction: Any, **options: Any) -> Any:
    """A pytest test function that checks ``reduction`` with :func:`assert_conforms`:
    one line in a test file property-tests it::

        test_my_edge = pd.checkers.conformance_test(my_edge)

    >>> from pacdistill.reductions import REGISTRY
    >>> test = conformance_test(REGISTRY["parity_to_tree"], trials=5)
    >>> test.__name__, test()
    ('test_conforms_parity_to_tree', None)
    """
    name = getattr(reduction, "name", str(reduction))

    def test() -> None:
        assert_conforms(reduction, **options)

    test.__name__ = test.__qualname__ = f"test_conforms_{_slug(name)}"
    test.__doc__ = f"{name} delivers its declared Guarantee (pacdistill.checkers.check_reduction)."
    return test
