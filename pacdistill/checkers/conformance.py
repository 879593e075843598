"""Guarantee conformance: run an edge on drawn instances and try to break the
Guarantee it declares (THEORY §2; DESIGN "property-test a new reduction").

:func:`check_reduction` reads the edge's kind and checks what that kind promises:

- **exact** (THEORY §2.1): hypothesis draws sources from the source class's
  strategy (:mod:`pacdistill.checkers.strategies`, within the edge's ``domain``,
  d <= ``max_d``, 10 by default, and the wider parameter bounds of
  :data:`EXACT_BOUNDS`; halfspaces with and without ties on the cube); every
  output must be a member of the target class, equal to the source on the
  whole cube, within the size map at the source's parameters, with no samples
  and at most the declared queries. A failure is shrunk by hypothesis to a
  minimal source.
- **perfect** (THEORY §2.2-2.3): seeded trials; each draws a source that
  satisfies the promise (see :mod:`._sources`: from the promise class, through
  the web's exact conversions, by projection, or with D conditioned on
  agreement) and a distribution D (uniform, product, subcube, finite support,
  mixture in turn), runs the edge at (eps, delta) -- eps alternating between
  0.1 and 0.25 by default -- and measures err_D(f, output)
  *exactly* on the cube. A trial fails when the error exceeds the declared
  error at the instance (eps; 0 for exact-promise query edges) or the run raises.
  A *distributional* promise is met only D-almost surely on every other trial
  (f drawn apart from its promise member g*, D conditioned on {f = g*}): a
  learner that ignores D is right whenever f = g* everywhere.
- **agnostic** (THEORY §2.4): the same with any source (one meeting the
  promise, when the guarantee has one: a composed route under a perfect first
  step, THEORY §3) and the declared error ``OPT_G + eps``, OPT computed by
  brute force on the cube (:mod:`._opt`: juntas, conjunctions, parities,
  lookup tables; an edge may give its own ``conformance["opt"]``).

Every kind, on every run (deterministic claims: one violation fails the check):

- the output is in the target class, on the source's cube and within the size
  map, and the report's ``samples_used`` and ``queries_used`` are within the
  declared formulas at the instance's parameters (:mod:`.edge_checks`; the
  parameters of a promise, such as the k of a k-junta, are the drawn promise
  member's sizes);
- the counts are *witnessed* (:mod:`._watch`): the points drawn from the D the
  harness holds (through the wrapper it hands over or not) and, for an edge
  with query access, the points where f is evaluated; a report claiming fewer
  is a violation (``"report"``), and the larger count is held to the formula;
- access (``"access"``): no edge reads D's probabilities or D itself through
  the sampler it is handed (``sampler.inner``, ``sampler.to_dict()``; it gets
  samples, THEORY §2), and an edge with ``access="examples"`` (a learning
  algorithm) evaluates f only at points it drew from D; an edge with
  ``access="examples"`` or
  ``"queries"`` gets f as a black box (:class:`._watch.BlackBox`: ``predict``,
  ``d``, ``n_inputs``), so reading f's representation (``f.variables``,
  ``f.to_dict()``) or returning f itself is a violation too;
- the run leaves its inputs as given (``"mutation"``): it gets its own copies of
  f and D, whose JSON forms must be the same after it; errors are measured
  against the instance as drawn.

A guarantee with a symbol the instance has no value for (an extra symbol that
is not an option the harness passes) is ``untestable``, by name.

**Two eps.** The declared sample sizes are upper bounds, often loose at small
eps: a learner given a tenth of its samples may still succeed at eps = 0.1 on
small cubes, and be wrong most of the time at eps = 0.25, where the bound is
smallest. So by default the trials alternate between eps = 0.1 and 0.25; each
trial is tested against its own eps, and the tests below are unchanged
(every trial fails with probability at most delta, whatever its eps).

**Two tests, one level.** The trials are independent given their seeds and,
when the guarantee holds, each fails with probability at most delta (the
declared failure at the instance), whatever the instance. The check rejects
when one of two tests does, each at its share of ``level`` (1e-6 by default),
so a correct edge is rejected with probability below ``level`` whatever its
true failure rate below delta:

1. *pooled*: the number X of failed trials among T is stochastically dominated
   by Binomial(T, delta); reject when P[Binomial(T, delta) >= X] < level / 2
   (scipy's exact survival function). At delta = 0.01, T = 40 it rejects from
   X = 7 failures (rate 0.175), and a failure rate of 0.39 or more is caught
   with probability >= 0.999; at delta = 0.1, T = 40 from X = 17 (a rate of
   0.66 is caught with probability >= 0.999).
2. *reruns*: a defect on a few instances (a memorizer wrong only on large
   cubes, an off-by-one that matters only when the best junta reads the last
   variable) fails a few trials only. Up to :data:`RERUN_INSTANCES` failed
   trials (smallest instance first) are rerun on their own instance with fresh
   seeds, R times each (10 to 30, so that R failures out of R are rejected);
   given the instance, the reruns are independent and each fails with
   probability at most delta, so the failures among them are dominated by
   Binomial(R, delta); reject when that tail is below level / (2 x 3). At
   delta = 0.01 that is 5 failures of 10 reruns. Reruns happen only after a
   failure: a correct edge pays for them rarely (about 0.4 failed trials of 40
   expected at delta = 0.01).

Failures carry a :class:`Counterexample` (source and distribution as JSON, the
run's seed, options, measured error and bound), saved as a JSON file, with a
one-line command replaying it (``pacdistill check module:attr --replay FILE``);
:func:`replay` reruns it in process. For statistical kinds the counterexample
is the failed trial with the smallest instance (d, then the source's sizes), or
the instance the rerun test rejected; a single failed trial is allowed by the
guarantee (probability delta), so the replay reproduces *that trial's* failure,
and the evidence against the guarantee is the failure count or the reruns.

**Reproducibility.** Replays rely on a run being a function of its inputs and
its ``rng``. Before reporting a statistical counterexample the harness reruns
it with its seed (``Counterexample.reproduced``; the reason says so when it did
not fail again), and a passing check repeats its first trial and notes "not
reproducible" when the output or counts differ (the edge draws randomness it
was not given; its guarantee may still hold, so this alone does not fail it).

**Routes.** A route of a web (``pd.default_web().routes(F, G)``) is checked
like an edge, against its composed guarantee (THEORY §3; :mod:`._routes` says
how its sources, options and OPT sizes are chosen); its counterexamples replay
with ``replay(path, route)``.

Examples
--------
>>> from pacdistill.reductions import REGISTRY
>>> report = check_reduction(REGISTRY["junta_to_tree"], trials=10)
>>> report.passed, report.kind, report.trials
(True, 'exact', 10)
>>> report = check_reduction(REGISTRY["learn_parity[parity]"], trials=8, max_d=6)
>>> report.passed, report.failures, report.samples_used <= report.samples_bound
(True, 0, True)
>>> route = pd.default_web().routes("junta", "dnf", limit=1)[0]
>>> check_reduction(route, trials=5).status
'passed'
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import (
    check_int,
    check_probability,
    check_progress,
    is_sequence,
    param_error,
    unknown_name,
)
from ..errors import GuaranteeViolation, InvalidParameterError, PacDistillError, SerializationError
from . import _sources
from ._sources import KINDS, Instance, Untestable, planted_networks
from ._watch import BlackBox, changed, snapshot, watching
from ._witness import CountingSampler
from .edge_checks import (
    EXACT_MAX_D,
    check_counts,
    check_equal_on_cube,
    check_output_class,
    check_output_cube,
    check_output_json,
    check_size_map,
    declared_sizes,
    instance_values,
    missing_values,
    source_params,
)

__all__ = [
    "DEFAULT_EPS",
    "DEFAULT_EPS_VALUES",
    "DEFAULT_DELTA",
    "DEFAULT_TRIALS",
    "DEFAULT_EXAMPLES",
    "DEFAULT_MAX_D",
    "DEFAULT_MAX_D_EXACT",
    "STATISTICAL_MAX_D",
    "EXACT_BOUNDS",
    "RERUN_INSTANCES",
    "RERUNS_MIN",
    "RERUNS_MAX",
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
    "exact_sources",
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
#: largest d of a drawn instance unless given (statistical trials; exact edges,
#: whose check is one walk of the cube, go further); the smallest of a statistical trial
DEFAULT_MAX_D = 8
DEFAULT_MAX_D_EXACT = 10
DEFAULT_MIN_D = 2
#: the largest max_d accepted: errors and OPT are computed on the whole cube
STATISTICAL_MAX_D = 12
#: an error counts as above its bound only past this (float sums of masses)
ERROR_TOLERANCE = 1e-9
#: the rerun test (module docstring): failed instances rerun, and reruns of each
RERUN_INSTANCES = 3
RERUNS_MIN = 10
RERUNS_MAX = 30
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
    reproduced : bool or None
        Whether the run failed again when the harness repeated it with the same
        seed before reporting it (None: not checked; exact counterexamples are
        checked by hypothesis, which says so in the message when they are not).
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
    reproduced: bool | None = None

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
        from .._record import is_tagged
        from .._validation import show

        if not is_tagged(data, "Counterexample"):
            got = (f"\"type\": {show(data.get('type'))}" if isinstance(data, Mapping)
                   else show(data))
            raise SerializationError(
                "A counterexample file must hold a JSON object with \"type\": "
                f"\"Counterexample\". Got {got}."
            )
        names = set(cls.__dataclass_fields__)
        unknown = sorted(str(key)[:40] for key in set(data) - names - {"type", "version"})
        version = data.get("version")
        if type(version) is not int or version != 1 or unknown:
            raise SerializationError(
                f"Unknown counterexample version {show(version)} or keys {unknown[:10]}."
            )
        for key, value in data.items():  # each field's JSON type, before any use
            kinds = _FIELD_TYPES.get(key)
            if kinds is not None and not (value is None and key in _OPTIONAL_FIELDS) \
                    and (not isinstance(value, kinds) or isinstance(value, bool)
                         and bool not in kinds):
                raise SerializationError(
                    f"Malformed counterexample: the field {key!r} must be "
                    f"{_FIELD_WORDS[key]}. Got {show(value)} instead.")
        # values a run would refuse: the file's fault, not a failure of the edge
        if data.get("seed") is not None and data["seed"] < 0:
            raise SerializationError(f"Malformed counterexample: the field 'seed' must be "
                                     f"a non-negative integer. Got {show(data['seed'])}.")
        for key in ("eps", "delta"):
            if data.get(key) is not None and not 0 < data[key] < 1:
                raise SerializationError(f"Malformed counterexample: the field {key!r} must "
                                         f"be in (0, 1). Got {show(data[key])}.")
        try:
            return cls(**{key: value for key, value in data.items() if key in names})
        except TypeError as err:
            raise SerializationError(f"Malformed counterexample: {err}") from err

    def save(self, path: str | os.PathLike) -> Counterexample:
        """Write the JSON to ``path``; returns a copy that knows its path."""
        import dataclasses

        from .._io import _target, atomic_write

        path = Path(_target(path, "Counterexample.save"))  # a str or PathLike, else refused
        saved = dataclasses.replace(self, path=str(path))
        data = saved.to_dict()
        try:  # only a file that loads back: the fields as from_dict reads them, JSON
            type(self).from_dict(data)
            text = json.dumps(data, indent=1)
        except (SerializationError, TypeError, ValueError) as err:
            raise SerializationError(
                f"Counterexample.save: this counterexample would not load back ({err}); "
                f"nothing was written to {str(path)!r}.") from err
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a file where a directory should be, no permission
            raise SerializationError(
                f"Counterexample.save: cannot create the directory {str(path.parent)!r} "
                f"for {path.name!r}: {err.strerror or err}.") from err
        atomic_write(path, text, func="Counterexample.save")
        return saved

    @classmethod
    def load(cls, path: str | os.PathLike) -> Counterexample:
        """Read a counterexample saved by :meth:`save`."""
        from .._io import read_json

        return cls.from_dict(read_json(path, "counterexample file"))


#: the JSON types of a counterexample's fields (from_dict checks them before use)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(["reduction", "kind", "violation", "message", "spec", "path"], (str,)),
    **dict.fromkeys(["source", "promise_model", "distribution", "options", "values"],
                    (Mapping,)),
    **dict.fromkeys(["seed", "trial"], (int,)),
    **dict.fromkeys(["eps", "delta", "measured_error", "bound", "opt"], (int, float)),
    "reproduced": (bool,),
}
#: the fields that may be null: those whose default is None
_OPTIONAL_FIELDS = frozenset(name for name, spec in Counterexample.__dataclass_fields__.items()
                             if spec.default is None)
_FIELD_WORDS = {key: {(str,): "a string", (Mapping,): "a JSON object", (int,): "an integer",
                      (int, float): "a number", (bool,): "true or false"}[kinds]
                + (" or null" if key in _OPTIONAL_FIELDS else "")
                for key, kinds in _FIELD_TYPES.items()}


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
    produced: Any = None              # the output's JSON form and reported counts
    options: dict[str, Any] = field(default_factory=dict)  # of an exact run

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
    if module is None or path is None or not Path(path).is_file():  # '<stdin>', a notebook
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
    from ._routes import is_route, route_edge

    if isinstance(reduction, str):
        reduction = get(reduction)
    if is_route(reduction):
        return route_edge(reduction)
    if isinstance(reduction, ReductionFamily):
        raise param_error("reduction", func, "one Reduction (an edge)", reduction,
                          fix="For a family use check_family(family) or pick an edge: "
                              "family.edges['junta'].")
    if not isinstance(reduction, Reduction):
        fix = ("(A plain function carries no guarantee to check: decorate it with "
               "@pacdistill.reductions.register(name=..., source=..., target=..., "
               "guarantee=...).)" if callable(reduction) else None)
        raise param_error("reduction", func, "a Reduction (made by @register), a route of "
                          "a web or the name of a registered edge", reduction, fix=fix)
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
    from ..classes import model_from_dict

    options = _exact_options(edge, source)
    out = _Outcome(values=instance_values(source, options=options), options=options)
    _require_values(edge, out.values)
    before = snapshot(source)
    own = model_from_dict(before[0])  # the run's own copy: the drawn one stays as drawn
    given = _given(edge, own)
    try:
        with watching(own) as seen:
            result = edge.run(given, **options)
    except Exception as err:  # a run that raises is a failure; KeyboardInterrupt passes
        if _withheld(edge, given, out):
            return out
        out.violation, out.exception = "exception", True
        out.message = f"{edge.name} raised {type(err).__name__}: {err}" + _call_hint(edge, err)
        return out
    if _withheld(edge, given, out, result):
        return out
    if changed((own,), before):
        out.violation, out.message = "mutation", _mutation_message(edge, ["f"])
        return out
    witnessed = {"queries": seen.queries} if edge.access == "queries" else {}
    output: dict[str, Any] = {}   # the model the output's JSON form describes, once checked
    steps = (
        ("result", lambda: _check_result(edge, result)),
        ("class", lambda: check_output_class(edge, result.model)),
        ("class", lambda: output.setdefault("model", check_output_json(edge, result.model))),
        ("size", lambda: check_output_cube(edge, source, output["model"])),
        ("equality", lambda: check_equal_on_cube(edge, source, output["model"])),
        ("size", lambda: check_size_map(edge, out.values, output["model"])),
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


def _call_hint(edge: Any, err: Exception) -> str:
    """For a run that could not even be called (its signature does not take what
    the harness passes): how the harness calls an edge of this kind."""
    from ..errors import InvalidCallError

    if not isinstance(err, InvalidCallError) or not str(err).startswith(
            f"{edge.name} cannot be called with"):
        return ""
    if edge.kind == "exact":
        call = f"{edge.name}(f)"
    else:
        call = (f"{edge.name}(f, sampler=D, eps=eps, delta=delta, rng=seed, **options), "
                "the options being the extra symbols it draws (such as k) and "
                "conformance['options']")
    return (f" (The harness calls a {edge.kind} edge as {call}; write it as "
            "def name(f, /, *, sampler=None, eps, delta, rng=None, **options) to take "
            "them, as in notebooks/04_new_reduction.ipynb.)"
            if edge.kind != "exact" else f" (The harness calls an exact edge as {call}.)")


def _given(edge: Any, f: Any) -> Any:
    """What the run gets as f: for an edge (not a route, whose steps may read the
    representation) with ``access="examples"`` or ``"queries"``, a
    :class:`~._watch.BlackBox` (f's values only, THEORY §2); else f."""
    if edge.access in ("examples", "queries") and getattr(edge, "route", None) is None:
        return BlackBox(f, edge.name, edge.access)
    return f


def _withheld(edge: Any, given: Any, out: _Outcome, result: Any = None) -> bool:
    """Record an access violation when the run asked the black box for f's
    representation (even if it caught the AttributeError), or returned the box
    itself as its output; True if it did."""
    if not isinstance(given, BlackBox):
        return False
    if getattr(result, "model", None) is given:
        out.violation = "access"
        out.message = (f"{edge.name} returned f itself as its output; it declares "
                       f"access={edge.access!r}, so it gets f's values only (THEORY §2) "
                       "and must build its own model of the target class.")
        return True
    asked = given.withheld
    if not asked:
        return False
    out.violation = "access"
    out.message = (
        f"{edge.name} declares access={edge.access!r} (f's values only: "
        f"{'labelled examples' if edge.access == 'examples' else 'queries'}, THEORY §2), "
        f"but read f's {', '.join(map(repr, asked))}; an algorithm that reads f's "
        "representation declares access='representation'.")
    return True


def _exact_options(edge: Any, source: Any) -> dict[str, Any]:
    """The options of an exact run: ``conformance["options"]`` (a dict, or a
    callable (model, rng) -> dict) and the required keyword options the harness
    can fill (a size of the target class: a random one), as for statistical
    trials (:func:`._sources.required_options`). Drawn with a fixed seed, so a
    source always gets the same options (hypothesis's shrinking and replays
    rerun it)."""
    if not edge.conformance.get("options") and not _sources.required_options(edge):
        return {}
    return _sources._options(edge, source, np.random.default_rng(0), source.n_inputs)


def _mutation_message(edge: Any, which: list[str]) -> str:
    names = {"f": "its input model f", "D": "the distribution D"}
    return (f"{edge.name} changed {' and '.join(names[w] for w in which)} during the run "
            "(its JSON form differs after it); a reduction must leave its inputs as given, "
            "else its output is checked against something other than its source.")


def _access_violation(edge: Any, seen: Any) -> str | None:
    """The access a run used beyond what THEORY §2 gives its edge, or None: a
    read of D's probabilities (an edge gets samples from D, never D itself), or,
    for an edge with ``access="examples"`` (a learning algorithm), f evaluated
    at a point that was not drawn from D."""
    if seen.peeks:
        return (f"{edge.name} read the distribution's probabilities ({', '.join(seen.peeks)}) "
                "during the run; a distiller gets i.i.d. samples from D, not D itself "
                "(THEORY §2).")
    if edge.access == "examples":
        outside = ~np.isin(seen.query_codes(), seen.sample_codes())
        if outside.any():
            return (f"{edge.name} declares access='examples' (labelled examples (x, f(x)) "
                    f"with x ~ D only), but evaluated f at {int(outside.sum())} points that "
                    "were not drawn from D (THEORY §2, 'Learning'); an edge that needs them "
                    "declares access='queries' or 'representation'.")
    return None


def _check_result(edge: Any, result: Any) -> None:
    """The run returned a Result (a model and a report dict), as the contract says."""
    from ..reductions import Result

    if not isinstance(result, Result):
        raise GuaranteeViolation(
            f"{edge.name} returned {type(result).__name__}, not a "
            "pacdistill.reductions.Result(model, report); a reduction must return one "
            "(DESIGN, Reduction).",
            counterexample={"field": "result"},
        )
    if not isinstance(result.report, Mapping):
        raise GuaranteeViolation(
            f"{edge.name} returned a Result whose report is a "
            f"{type(result.report).__name__}, not a dict; the report is a dict holding at "
            "least samples_used and queries_used (DESIGN, Reduction).",
            counterexample={"field": "result"},
        )


def _require_values(edge: Any, values: Mapping[str, Any]) -> None:
    """Raise Untestable when the guarantee has a symbol the instance gives no value
    for (an extra symbol of the edge that is not an option the harness passes)."""
    missing = missing_values(edge, values)
    if missing:
        g = edge.guarantee
        fields = [name for name in ("error", "failure", "samples", "queries")
                  if {s.name for s in getattr(g, name).free_symbols} & set(missing)]
        fields += [f"size_map[{key}]" for key, expr in g.size_map.items()
                   if {s.name for s in expr.free_symbols} & set(missing)]
        raise Untestable(
            f"{edge.name}: the symbols {missing} of its guarantee's {', '.join(fields)} "
            f"have no value at the instance (it has {sorted(values)}); make each a required "
            "keyword option of the reduction (the harness passes the promise member's or a "
            "random size) or give register(..., conformance={'options': ...})."
        )


def _opt_value(edge: Any, symbol: Any, f: Any, D: Any, values: Mapping[str, Any]) -> float:
    from ._opt import OPT_SOLVERS, opt

    cls = symbol.name[len("OPT_"):]
    own = getattr(edge, "opt_params", None)          # a route's (._routes)
    params = own(cls, values) if own is not None else None
    if params is None:
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
    from ..classes import model_from_dict
    from ..distributions import distribution_from_dict
    from .agreement import disagreement

    g = edge.guarantee
    # the run's own copies: the instance stays as drawn for reruns and replays
    f = model_from_dict(inst.source.to_dict())
    D = distribution_from_dict(inst.distribution.to_dict())
    values = instance_values(f, promise_model=inst.promise_model, options=inst.options)
    _require_values(edge, values)
    out = _Outcome(values=values)
    opt_values = {sym.name: _opt_value(edge, sym, f, D, values)
                  for sym in g.error.free_symbols if S.is_opt_symbol(sym)}
    out.opt = next(iter(opt_values.values()), None)
    at = g.at(fields=["error", "failure"], eps=eps, delta=delta, **values, **opt_values)
    out.bound, out.failure = at.error, at.failure
    sampler = CountingSampler(D)
    before = snapshot(f, D)
    given = _given(edge, f)
    try:
        with watching(f, D) as seen:
            result = edge.run(given, sampler=sampler, eps=eps, delta=delta, rng=seed,
                              **inst.options)
    except Exception as err:  # a run that raises is in the failure event
        if _withheld(edge, given, out):
            return out
        out.failed, out.exception = True, True
        out.message = f"{edge.name} raised {type(err).__name__}: {err}" + _call_hint(edge, err)
        return out
    if _withheld(edge, given, out, result):
        return out
    touched = changed((f, D), before)
    if touched:
        out.violation = "mutation"
        out.message = _mutation_message(edge, [("f", "D")[i] for i in touched])
        return out
    seen.peeks += tuple(f"sampler.{name}" for name in sampler.reads)  # D behind the sampler
    access = _access_violation(edge, seen)
    if access is not None:
        out.violation, out.message = "access", access
        return out
    witnessed = {"samples": seen.samples}
    if edge.access == "queries":
        witnessed["queries"] = seen.queries
    try:
        _check_result(edge, result)
        check_output_class(edge, result.model)
        check_output_cube(edge, f, result.model)
        output = check_output_json(edge, result.model)   # measured as its JSON form says
        check_size_map(edge, values, output)
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
    out.produced = (output.to_dict(), result.report.get("samples_used"),
                    result.report.get("queries_used"))
    out.error = disagreement(f, output, D, method="exact").value
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
                    save_dir: Any, reproduced: bool | None = None) -> Counterexample:
    violation = out.violation or ("exception" if out.exception else "error")
    cx = Counterexample(
        reduction=edge.name, kind=edge.kind, violation=violation, message=out.message,
        source=source.to_dict(),
        promise_model=None if inst is None or inst.promise_model is None
        else inst.promise_model.to_dict(),
        distribution=None if inst is None else inst.distribution.to_dict(),
        seed=seed, eps=eps, delta=delta,
        options=_plain(dict(inst.options)) if inst is not None else _plain(out.options),
        values=_plain(out.values), measured_error=out.error, bound=out.bound, opt=out.opt,
        trial=trial, spec=spec_of(edge), reproduced=reproduced,
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


#: The harness's bounds on the sources of an exact edge, past the strategies'
#: defaults (an edge's ``domain`` overrides them): the parameter extremes a
#: conversion may get wrong are drawn, within the cube check's budget
#: (juntas of up to 10 variables, trees of depth 6, tables of 2^8 entries).
EXACT_BOUNDS: dict[str, dict[str, int]] = {
    "junta": {"max_k": 10},
    "decision_tree": {"max_depth": 6},
    "decision_list": {"max_l": 10, "max_w": 3},
    "dnf": {"max_s": 6, "max_w": 4},
    "cnf": {"max_s": 6, "max_w": 4},
    "halfspace": {"max_weight": 5},
    "relu_network": {"max_d": 8},
    "lookup_table": {"max_d": 8},
}


def exact_sources(edge: Any, max_d: int) -> Any:
    """The hypothesis strategy of an exact edge's sources: its source class's
    strategy (:mod:`pacdistill.checkers.strategies`) with d <= ``max_d`` and
    :data:`EXACT_BOUNDS`, within the edge's ``domain``; halfspaces both without
    and with ties on the cube (w . x + b = 0, which predicts -1).

    >>> from pacdistill.reductions import REGISTRY
    >>> "max_w=1" in repr(exact_sources(REGISTRY["decision_list_to_halfspace"], 6))
    True
    """
    from hypothesis import strategies as st

    from .strategies import for_class

    harness = EXACT_BOUNDS.get(edge.source, {})
    bounds = {**harness, "max_d": min(max_d, harness.get("max_d", max_d)), **edge.domain}
    if edge.source == "halfspace" and "ties" not in bounds:
        return st.one_of(for_class("halfspace", **bounds, ties=False),
                         for_class("halfspace", **bounds, ties=True))
    return for_class(edge.source, **bounds)


def _check_exact(edge: Any, *, max_d: int, examples: int, seed: int, deadline: float | None,
                 save_dir: Any, level: float, start: float,
                 progress: Callable[[int, int], Any] | None = None) -> ConformanceReport:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import HypothesisException

    hook = edge.conformance.get("strategy")
    strategy = (hook(max_d) if callable(hook) else hook) if hook is not None \
        else exact_sources(edge, max_d)
    state: dict[str, Any] = {"runs": 0, "counts": {}, "found": None, "stopped": False}

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
                state["stopped"] = True
                return
            state["runs"] += 1
        outcome = _exact_run(edge, source)
        if progress is not None:
            progress(state["runs"], examples)
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
    except Untestable as err:
        return _untestable(edge, str(err), start, level)
    except HypothesisException as err:  # e.g. a failure that does not happen again
        if state["found"] is None:
            raise
        found = _Found(state["source"], state["found"])
        found.outcome.message += f" (hypothesis: {type(err).__name__}: the failure is not " \
                                 "reproducible, so the conversion is not deterministic)"
    common = dict(reduction=edge.name, kind="exact", trials=state["runs"], level=level,
                  eps=None, delta=None, failure=0.0, p_value=None,
                  seconds=time.perf_counter() - start, **_count_fields(state["counts"]))
    notes = (f"stopped at the deadline ({deadline} s) after {state['runs']} of {examples} "
             "sources",) if state["stopped"] else ()
    if found is None and not state["runs"]:  # nothing was checked: no verdict
        return ConformanceReport(
            status="untestable", passed=False, failures=0, exceptions=0, notes=notes,
            reason=f"no source was checked: the deadline ({deadline} s) passed before the "
                   "first", **common)
    if found is None:
        return ConformanceReport(
            status="passed", passed=True, failures=0, exceptions=0, notes=notes,
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


def _rerun_count(failure: float, alpha: float) -> int:
    """Reruns of a failed instance: enough that all of them failing is rejected at
    ``alpha`` twice over (failure^R <= alpha^2), within [RERUNS_MIN, RERUNS_MAX]."""
    import math

    if failure <= 0:
        return RERUNS_MIN
    return min(RERUNS_MAX, max(RERUNS_MIN, math.ceil(2 * math.log(alpha) / math.log(failure))))


def _rerun_failed(edge: Any, records: list[tuple[int, Instance, int, _Outcome]], *,
                  base: list[int], eps_of: Mapping[int, float], delta: float, alpha: float,
                  deadline: float | None, start: float
                  ) -> tuple[tuple[int, Instance, int, _Outcome], str] | None:
    """The rerun test of the module docstring: up to RERUN_INSTANCES failed trials,
    smallest first, each rerun on its own instance with fresh seeds; returns the
    first (record, reason) whose p-value is below ``alpha``, else None."""
    failed = sorted((rec for rec in records if rec[3].failed), key=_smallest)
    for t, inst, _, outcome in failed[:RERUN_INSTANCES]:
        rate = delta if outcome.failure is None else outcome.failure
        if rate >= 1:
            continue
        reruns = _rerun_count(rate, alpha)
        again = 0
        for j in range(reruns):
            if deadline is not None and time.perf_counter() - start > deadline:
                return None
            seed = int(np.random.SeedSequence([*base, t, 2, j]).generate_state(1)[0])
            again += _statistical_run(edge, inst, eps_of[t], delta, seed).failed
        p = binomial_p_value(again, reruns, rate)
        if p < alpha:
            reason = (f"the instance of trial {t} failed {again} of {reruns} reruns with fresh "
                      f"seeds: P[Binomial({reruns}, {rate:g}) >= {again}] = {p:.3g} < "
                      f"{alpha:.3g} (the level's share of each rerun test)")
            return (t, inst, _, outcome), reason
    return None


def _reproducible(edge: Any, record: tuple[int, Instance, int, _Outcome], eps: float,
                  delta: float) -> bool:
    """Whether a failed trial fails again when rerun with its own seed."""
    _, inst, seed, outcome = record
    again = _statistical_run(edge, inst, eps, delta, seed)
    return again.violation == outcome.violation and again.failed == outcome.failed


def _same_output(edge: Any, record: tuple[int, Instance, int, _Outcome], eps: float,
                 delta: float) -> bool:
    """Whether a trial's run gives the same output and counts when repeated with
    its seed (a reduction must use its ``rng`` alone for replays to work)."""
    _, inst, seed, outcome = record
    again = _statistical_run(edge, inst, eps, delta, seed)
    return again.produced == outcome.produced


def _check_statistical(edge: Any, *, min_d: int, max_d: int, trials: int, level: float,
                       seed: int, eps: tuple[float, ...], delta: float,
                       deadline: float | None,
                       kinds: tuple[str, ...], save_dir: Any, start: float,
                       progress: Callable[[int, int], Any] | None = None
                       ) -> ConformanceReport:
    base = [int(seed), zlib.crc32(edge.name.encode())]
    records: list[tuple[int, Instance, int, _Outcome]] = []
    # eps changes every len(kinds) trials, so every (distribution, eps) pair comes
    # up within len(kinds) * len(eps) trials (t % len(eps) would tie each kind of D
    # to one eps whenever len(kinds) is even); a distributional promise is met
    # only D-almost surely on every other trial, the parity flipping after each
    # len(kinds) * len(eps) trials, so each (distribution, eps) pair gets both
    cycle = len(kinds) * len(eps)
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
            inst = _sources.draw_instance(edge, rng, d, kinds[t % len(kinds)],
                                          weak=bool((t + t // cycle) % 2))
            outcome = _statistical_run(edge, inst, eps_of[t], delta, run_seed)
        except Untestable as err:
            return _untestable(edge, str(err), start, level)
        hows.add(inst.how)
        records.append((t, inst, run_seed, outcome))
        _track(counts, outcome.counts)
        if progress is not None:
            progress(t + 1, trials)
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
    vacuous = sum(out.bound is not None and out.bound >= 1 for *_, out in records)
    if vacuous:
        notes.append(f"the declared error is >= 1 on {vacuous} of {ran} trials: any output "
                     "meets it there")
    pooled_level = level / 2
    worst = None
    if deterministic:
        worst = min(deterministic, key=_smallest)
        reason = f"{worst[3].violation}: {worst[3].message}"
    elif ran and p_value < pooled_level:
        worst = min((rec for rec in records if rec[3].failed), key=_smallest)
        raised = f", {exceptions} of them raised" if exceptions else ""
        reason = (f"{failures} of {ran} trials failed (err above the declared bound or an "
                  f"exception{raised}); P[Binomial({ran}, {failure:g}) >= {failures}] = "
                  f"{p_value:.3g} < {pooled_level:g} (half the level {level:g})")
    elif failures:
        found = _rerun_failed(edge, records, base=base, eps_of=eps_of, delta=delta,
                              alpha=level / (2 * RERUN_INSTANCES), deadline=deadline,
                              start=start)
        if found is not None:
            worst, reason = found
            reason += f"; {failures} of {ran} trials failed in all"
    if records and worst is None and not _same_output(edge, records[0], eps_of[0], delta):
        notes.append("not reproducible: two runs of trial 0 with the same rng gave different "
                     "outputs or counts; the edge draws randomness it was not given, so a "
                     "counterexample's replay may not fail again")
    common = dict(reduction=edge.name, kind=edge.kind, trials=ran, failures=failures,
                  exceptions=exceptions, p_value=p_value, level=level,
                  eps=eps[0] if len(eps) == 1 else eps, delta=delta,
                  failure=failure, **_count_fields(counts))
    if worst is None:
        reason = (f"{failures} of {ran} trials failed; P[Binomial({ran}, {failure:g}) >= "
                  f"{failures}] = {p_value:.3g} >= {pooled_level:g} (half the level "
                  f"{level:g}), no failed instance failed again beyond its share of the "
                  "level; sizes and counts within the declared ones")
        return ConformanceReport(status="passed" if ran else "untestable", passed=bool(ran),
                                 reason=reason if ran else "no trial ran", notes=tuple(notes),
                                 seconds=time.perf_counter() - start, **common)
    t = worst[0]
    reproduced = _reproducible(edge, worst, eps_of[t], delta)
    if not reproduced:
        reason += ("; the counterexample's trial did not fail again when rerun with its own "
                   "seed: the edge draws randomness it was not given, so its replay may pass")
    cx = _counterexample(edge, worst[3], worst[1].source, inst=worst[1], seed=worst[2],
                         eps=eps_of[t], delta=delta, trial=t, save_dir=save_dir,
                         reproduced=reproduced)
    return ConformanceReport(status="failed", passed=False, reason=reason, counterexample=cx,
                             notes=tuple(notes), seconds=time.perf_counter() - start, **common)


def check_reduction(
    reduction: Any, *, max_d: int | None = None, min_d: int | None = None,
    trials: int | None = None, level: float = 1e-6, seed: int = 0,
    eps: float | Iterable[float] | None = None,
    delta: float | None = None, deadline: float | None = None,
    distributions: Iterable[str] | None = None, save_dir: str | os.PathLike | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> ConformanceReport:
    """Try to break the Guarantee an edge declares (see the module docstring).

    Parameters
    ----------
    reduction : Reduction, Route or str
        An edge (made by ``@register``; for a family pick ``family.edges[name]``
        or use :func:`check_family`), a route of a web (checked against its
        composed guarantee, module docstring "Routes"), or the name of a
        registered edge.
    max_d, min_d : int, optional
        The dimensions of drawn instances (default: the edge's
        ``conformance`` values, else d <= 10 for exact edges and 2 <= d <= 8
        for statistical trials; at most 16 for exact edges, whose outputs are
        compared with their sources on the whole cube, and 12 for statistical
        ones, whose errors and OPT are computed on it).
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
    progress : callable, optional
        Called as ``progress(done, total)`` after each trial (or hypothesis
        example of an exact edge; while hypothesis shrinks a failure, the same
        ``done`` repeats); ``pacdistill check`` prints it on a terminal.

    Returns
    -------
    ConformanceReport

    Notes
    -----
    **What the harness cannot see.** A pass is evidence on the instances
    drawn, not a proof; these defects pass it (tests/checkers/test_adversarial.py
    holds a broken reduction for most of them):

    - *Dimensions past max_d* (10 for exact edges, at most 16; 8 for statistical
      ones, at most 12, and never d = 1 unless ``min_d=1``): a conversion wrong
      only at d = 17, a learner wrong only at d >= 9 under the defaults (pass
      ``max_d=10``).
    - *Parameters past the drawing bounds*: for exact edges :data:`EXACT_BOUNDS`
      (juntas of up to 10 variables, trees of depth 6, decision lists of 10
      rules of width 3, DNFs and CNFs of 6 terms of width 4, halfspace weights
      up to 5, networks of 3 layers of width 4 with weights up to 3, tables on
      up to 8 variables); for trials, small members (:mod:`._sources`: juntas on
      up to 3 variables, trees of depth 3, ...). An edge's ``domain`` narrows
      them; a ``conformance["strategy"]`` or ``["sources"]`` hook widens them.
    - *Other eps and delta*: counts, sizes and errors are checked at the
      trials' eps (0.1 and 0.25) and delta (0.01) only; a learner over its
      declared samples only below eps = 0.1 passes (pass ``eps=0.05``).
    - *Agnostic learners into small classes, short of samples*: sources are
      random small members, and when the target class is small (1-juntas) most
      of its members are within eps of OPT on them, so a learner on 5 examples
      where it declares hundreds fails a few trials only and may pass (a
      session-6 audit found one passing at 4 of seeds 0-7); ``min_d=6`` and
      ``eps=0.05`` look harder.
    - *Failure rates near delta*: at delta = 0.01 a failure rate of 3 delta
      is caught with probability 1.7e-4 at T = 40 and 8.7e-4 at T = 100; power
      1/2 takes about 1,000 trials. Test the failure probability at a large
      delta: ``delta=0.3, trials=60`` catches a rate of 3 delta = 0.9 with
      probability > 1 - 1e-9. A defect that hits a fraction q of the instances
      is tried at all with probability 1 - (1 - q)^T.
    - *Copies*: the counts and the access check see f's ``predict`` on the
      object handed over and the draws from D. An edge with
      ``access="examples"`` or ``"queries"`` gets f as a black box (predict
      and its dimension only; a deep copy of it still evaluates f); one with
      ``access="representation"`` gets f itself, and evaluating a copy of f
      (rebuilt from its JSON) or f through another method (a network's
      ``activations``) evades the counts. D is handed over as a sampler whose
      ``inner`` and ``to_dict()`` count as reading D and whose deep copy is
      itself; only a reduction digging out its private ``_D`` evades that.
      A mutation is seen through the JSON forms of f and D only.
    - *Undeclared parts*: the declared ``time`` is not checked (wall time
      depends on the machine; reports give ``seconds``); a size the size map
      does not name is not bounded;
      counts stated up to the constant C (``order=True``) are not checked; a
      declared error or failure >= 1 makes the error test vacuous (the report
      notes it); OPT is computed for juntas, conjunctions, parities and lookup
      tables only (else ``untestable`` without ``conformance["opt"]``);
      assumptions such as the LRH need a ``conformance["sources"]`` hook.
    - *Nondeterminism*: a correct edge that ignores its ``rng`` passes with a
      "not reproducible" note; its counterexamples may not replay.
    """
    func = "check_reduction"
    start = time.perf_counter()
    edge = _resolve(reduction, func)
    _check_class_names(edge)
    level = check_probability(level, "level", func)
    seed = check_int(seed, "seed", func, min=0)
    progress = check_progress(progress, func)
    if deadline is not None:
        from .._validation import check_real

        deadline = check_real(deadline, "deadline", func, low=0)
    exact = edge.kind == "exact"
    max_d = check_int(_setting(max_d, edge, "max_d",
                               DEFAULT_MAX_D_EXACT if exact else DEFAULT_MAX_D),
                      "max_d", func, min=1, max=EXACT_MAX_D if exact else STATISTICAL_MAX_D)
    if exact:
        examples = check_int(_setting(trials, edge, "trials", DEFAULT_EXAMPLES), "trials",
                             func, min=1)
        return _check_exact(edge, max_d=max_d, examples=examples, seed=seed,
                            deadline=deadline, save_dir=save_dir, level=level, start=start,
                            progress=progress)
    min_d = check_int(_setting(min_d, edge, "min_d", min(DEFAULT_MIN_D, max_d)), "min_d",
                      func, min=1, max=max_d)
    trials = check_int(_setting(trials, edge, "trials", DEFAULT_TRIALS), "trials", func,
                       min=1)
    eps = _eps_values(_setting(eps, edge, "eps", DEFAULT_EPS_VALUES), func)
    delta = check_probability(_setting(delta, edge, "delta", DEFAULT_DELTA), "delta", func)
    if distributions is not None and not is_sequence(distributions):
        raise param_error("distributions", func, f"a non-empty selection of {KINDS}",
                          distributions)
    kinds = tuple(_setting(None if distributions is None else tuple(distributions), edge,
                           "distributions", KINDS))
    bad = [kind for kind in kinds if not isinstance(kind, str) or kind not in KINDS]
    if not kinds or bad:
        raise param_error("distributions", func, f"a non-empty selection of {KINDS}", kinds)
    return _check_statistical(edge, min_d=min_d, max_d=max_d, trials=trials, level=level,
                              seed=seed, eps=eps, delta=delta, deadline=deadline, kinds=kinds,
                              save_dir=save_dir, start=start, progress=progress)


def _check_class_names(edge: Any) -> None:
    """The classes an edge's guarantee names besides its source and target (the
    promise class, the G of each OPT_G) are classes of ``pd.CLASSES``; else
    UnknownNameError naming the edge and the field (the harness draws promise
    members and computes OPT by these names)."""
    from ..bounds import symbols as S
    from ..classes import CLASSES

    g = edge.guarantee
    named = []
    if g.promise is not None:
        named.append(("promise class", g.promise.cls))
    named += [("OPT class in its error", sym.name[len("OPT_"):])
              for sym in sorted(g.error.free_symbols, key=str) if S.is_opt_symbol(sym)]
    for where, cls in named:
        if cls not in CLASSES:
            raise unknown_name(f"{where} of {edge.name}'s guarantee (a key of pd.CLASSES)",
                               cls, list(CLASSES))


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


_FAMILY_RULE = ("a ReductionFamily, the name of a registered family or edge, or a "
                "non-empty sequence of Reductions")


def _named(spec: str) -> Any:
    """The registered edge or family named ``spec``, as ``pacdistill check``
    resolves a name (an edge first, then a family; else close matches)."""
    from ..reductions import REGISTRY
    from ..reductions._registry import FAMILIES, unknown_reduction

    if spec in REGISTRY:
        return REGISTRY[spec]
    if spec in FAMILIES:
        return FAMILIES[spec]
    raise unknown_reduction(spec)


def _family_edges(family: Any, func: str) -> list[Any]:
    """The edges of ``family`` (see :func:`check_family`), each a Reduction."""
    from ..reductions import Reduction, ReductionFamily

    if isinstance(family, str):
        family = _named(family)
    if isinstance(family, Reduction):
        return [family]
    if isinstance(family, ReductionFamily):
        edges = list(family.edges.values())
    elif is_sequence(family):
        edges = list(family)
    else:
        raise param_error("family", func, _FAMILY_RULE, family)
    if not edges or not all(isinstance(edge, Reduction) for edge in edges):
        raise param_error("family", func, _FAMILY_RULE, family)
    return edges


def check_family(family: Any, *, smoke_trials: int = 5, **options: Any
                 ) -> list[ConformanceReport]:
    """Check one algorithm registered from several sources (a ReductionFamily, or
    an iterable of its edges): full trials on the representative edge (its
    source is its promise class, or its target), ``smoke_trials`` on the others
    (deterministic violations and gross failure rates still show there).

    ``family`` may also be a name, resolved as ``pacdistill check`` does: a
    registered family (``"learn_junta"``: every ``learn_junta[F]``) or a
    registered edge (a family of one); an unknown name raises UnknownNameError
    with close matches, any other value InvalidParameterError.

    Returns the reports, the representative's first.

    >>> check_family(3)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'family' parameter of check_family must be ...
    """
    edges = _family_edges(family, "check_family")
    _check_options(options, "check_family")
    smoke_trials = check_int(smoke_trials, "smoke_trials", "check_family", min=1)
    main = _representative(edges)
    reports = [check_reduction(main, **options)]
    smoke = {**options, "trials": min(smoke_trials, options.get("trials") or smoke_trials)}
    reports += [check_reduction(edge, **smoke) for edge in edges if edge is not main]
    return reports


def _check_options(options: Mapping[str, Any], func: str, extra: tuple[str, ...] = ()) -> None:
    """Refuse an option :func:`check_reduction` does not take (it would be a
    TypeError naming check_reduction, raised after the family was resolved)."""
    import inspect

    known = [*list(inspect.signature(check_reduction).parameters)[1:], *extra]
    unknown = sorted(str(key) for key in options if key not in known)
    if unknown:
        raise param_error("options", func, "keywords of check_reduction ("
                          + ", ".join(known) + ")", unknown)


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
    from ..reductions import ReductionFamily
    from ..reductions._registry import FAMILIES

    family = isinstance(reduction, ReductionFamily) or (
        isinstance(reduction, str) and reduction in FAMILIES)
    _check_options(options, "assert_conforms", ("smoke_trials",) if family else ())
    if family:
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
    _check_replayable(cx, edge)
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
    other = ("" if edge.name == cx.reduction else
             f" (the counterexample was found on {cx.reduction}; rerun on {edge.name})")
    if not out.bad:
        message = (f"{edge.name} delivered its guarantee on this instance"
                   + (f" (err = {out.error:.6g} <= {out.bound:.6g})" if out.error is not None
                      else "") + other)
        return ReplayResult(False, None, message, out.error, out.bound)
    violation = out.violation or ("exception" if out.exception else "error")
    return ReplayResult(True, violation, out.message + other, out.error, out.bound)


def _check_replayable(cx: Counterexample, edge: Any) -> None:
    """Refuse to rerun a counterexample on an edge of another kind or source
    class (a fixed version of the edge, under another name, is fine)."""
    found = cx.source.get("class") if isinstance(cx.source, Mapping) else None
    problems = []
    if edge.kind != cx.kind:
        problems.append(f"its kind is {edge.kind!r}, the counterexample's {cx.kind!r}")
    if found is not None and edge.source != found:
        problems.append(f"its source class is {edge.source!r}, the counterexample's "
                        f"source is a {found!r}")
    if problems:
        raise InvalidParameterError(
            f"Cannot replay the counterexample of {cx.reduction} on {edge.name}: "
            + "; ".join(problems) + ". Replay it on the edge it was found on (or a "
            "fixed version of it)."
        )


def conformance_test(reduction: Any, **options: Any) -> Any:
    """A pytest test function that checks ``reduction`` with :func:`assert_conforms`:
    one line in a test file property-tests it::

        test_my_edge = pd.checkers.conformance_test(my_edge)

    >>> from pacdistill.reductions import REGISTRY
    >>> test = conformance_test(REGISTRY["parity_to_tree"], trials=5)
    >>> test.__name__, test()
    ('test_conforms_parity_to_tree', None)
    """
    if not hasattr(reduction, "edges"):
        _resolve(reduction, "conformance_test")  # a wrong argument fails at collection
    name = getattr(reduction, "name", str(reduction))

    def test() -> None:
        assert_conforms(reduction, **options)

    test.__name__ = test.__qualname__ = f"test_conforms_{_slug(name)}"
    test.__doc__ = f"{name} delivers its declared Guarantee (pacdistill.checkers.check_reduction)."
    return test
