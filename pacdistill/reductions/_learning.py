"""Shared parts of the learning-implies-distillation edges (private).

A learner for G from labelled examples is a distiller F -> G for every
evaluable F (THEORY §2, §9 rule 2): draw n unlabeled points from D, label them
with f (``model.predict``: the only access to f, ``access="examples"``), and run
the learner on the labelled sample. The distiller's guarantee is the learner's,
with the same samples and time plus n evaluations of f [Boix-Adsera 2024;
immediate]. This module holds what every such edge repeats:

- :func:`learner_guarantee` builds the edge's Guarantee from a bounds-catalog
  entry and a class size of ``pd.CLASSES`` (no formula is written twice);
- :func:`draw_examples` validates the common arguments, picks n (the catalog's
  sample size at the requested (eps, delta) unless given), draws and labels;
- :func:`check_consistent` is the final self-check of a consistent learner
  (the output agrees with every sample label, or GuaranteeViolation);
- :func:`majority_label` is the sample's majority label, the learners' fill
  for what the sample does not decide;
- :func:`finish` builds the Result with the common report keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._validation import check_int, check_probability, check_rng, param_error
from ..bounds import symbols as S
from ..bounds.catalog import catalog, samples_needed
from ..bounds.guarantee import Guarantee, Promise
from ..checkers._models import model_dim, predict_pm1
from ..distributions import MAX_SAMPLE_CELLS, Distribution, Uniform
from ..errors import GuaranteeViolation, InvalidParameterError, TooLargeError
from ._registry import Result

__all__ = [
    "EVAL_EXTRA_SYMBOLS",
    "Examples",
    "learner_guarantee",
    "draw_examples",
    "check_options",
    "check_consistent",
    "majority_label",
    "finish",
]


def _eval_extra_symbols() -> tuple[sympy.Symbol, ...]:
    # A source's eval_time may use a size that is not one of its class params;
    # each edge's time contains n * eval_time, so such symbols must be declared
    # to register(). No built-in class has one today (the tuple is empty); a
    # class added later with one keeps the learners registerable.
    from ..classes import CLASSES

    extra: set[sympy.Symbol] = set()
    for cls in CLASSES.values():
        extra |= cls.eval_time.free_symbols - set(cls.params)
    return tuple(sorted(extra, key=lambda sym: sym.name))


#: symbols of the sources' eval_time that are not their class parameters
EVAL_EXTRA_SYMBOLS = _eval_extra_symbols()


def learner_guarantee(
    src: str, *, target: str, kind: str, bound: str, class_values: Mapping[sympy.Symbol, Any],
    algorithm_time: Callable[[sympy.Expr], sympy.Expr], size_map: Mapping[sympy.Symbol, Any],
    source: str, assumptions: tuple[str, ...] = (),
) -> Guarantee:
    """The Guarantee of the edge ``src -> target`` of a learner.

    Parameters
    ----------
    src, target : str
        Class names (keys of ``pd.CLASSES``).
    kind : {"perfect", "agnostic"}
        ``perfect``: promise ``Promise(target, "distributional")``, error eps;
        ``agnostic``: error ``OPT_target + eps``, no promise.
    bound : str
        A catalog entry (``"realizable_finite"``, ``"realizable_vc"``,
        ``"agnostic_finite"``); its ``log_size`` / ``v`` is the target class's
        ``log_size`` / ``vc_dim`` with ``class_values`` substituted (e.g. the
        length l of a decision list set to d).
    algorithm_time : callable
        The learner's time as a function of the sample-size expression; the
        edge's time adds n evaluations of the source (``eval_time``).
    """
    from ..classes import CLASSES

    entry = catalog[bound]
    subs = {}
    if "log_size" in entry.params:
        subs[S.log_size] = CLASSES[target].log_size.subs(dict(class_values))
    if "v" in entry.params:
        subs[S.v] = CLASSES[target].vc_dim.subs(dict(class_values))
    n = entry.formula.subs(subs)
    perfect = kind == "perfect"
    return Guarantee(
        kind, src, target, source=source,
        promise=Promise(target, "distributional") if perfect else None,
        error=S.eps if perfect else S.OPT(target) + S.eps,
        failure=S.delta,
        samples=n,
        time=algorithm_time(n) + n * CLASSES[src].eval_time,
        size_map=dict(size_map),
        assumptions=assumptions,
    )


@dataclass(frozen=True)
class Examples:
    """A labelled sample and how its size was chosen.

    Attributes
    ----------
    X : ndarray (n, d) int8
        The points, iid from the sampler.
    y : ndarray (n,) int8
        ``f(X)``, values ±1.
    samples_needed : int
        The catalog's sample size at the requested (eps, delta).
    n_source : str
        ``"catalog"`` (n = samples_needed) or ``"given"`` (the caller's n).
    start : float
        ``time.perf_counter()`` at the start of the run.
    eps, delta : float
        The validated accuracy and confidence parameters.
    """

    X: np.ndarray
    y: np.ndarray
    samples_needed: int
    n_source: str
    start: float
    eps: float
    delta: float


def draw_examples(
    model: Any, *, func: str, sampler: Any, eps: Any, delta: Any, rng: Any, n: Any,
    bound: str, bound_params: Callable[[int], Mapping[str, Any]],
    before_sampling: Callable[[int, int], None] | None = None,
) -> Examples:
    """Validate the common arguments, choose n and draw the labelled sample.

    The sample is ``sampler.sample(n, rng)``, the first use of ``rng`` (so a
    seed reproduces it), labelled by ``model.predict``.

    ``bound`` and ``bound_params(d)`` (the keywords for the model's dimension
    d, e.g. ``{"cls": "junta", "d": d, "k": k}``) are passed to
    :func:`pacdistill.bounds.samples_needed`. ``before_sampling(n, d)``, when
    given, may refuse the run (a work limit) before any point is drawn.
    """
    start = time.perf_counter()
    d = model_dim(model, "model", func)
    eps = check_probability(eps, "eps", func)
    delta = check_probability(delta, "delta", func)
    gen = check_rng(rng, func)
    if sampler is None:
        sampler = Uniform(d)
    elif not isinstance(sampler, Distribution):
        raise param_error("sampler", func, "a pacdistill.distributions distribution or None",
                          sampler)
    if sampler.d != d:
        raise param_error("sampler", func, f"a distribution on the model's cube (d = {d})",
                          sampler, fix=f"(the sampler has d = {sampler.d}.)")
    needed = samples_needed(bound, eps=eps, delta=delta, **bound_params(d))
    if n is None:
        n, source = needed, "catalog"
    else:
        n, source = check_int(n, "n", func, min=1), "given"
    if before_sampling is not None:
        before_sampling(n, d)
    if n * d > MAX_SAMPLE_CELLS:
        given = (f"the catalog's sample size ({bound}) at eps = {eps:g}, delta = {delta:g}"
                 if source == "catalog" else "the given n")
        raise TooLargeError(
            f"{func} would draw n = {n:,} examples ({given}) of d = {d} coordinates, "
            f"{n * d:,} entries, past the limit of {MAX_SAMPLE_CELLS:,} (MAX_SAMPLE_CELLS). "
            "Use a larger eps (n grows like 1/eps, or 1/eps^2 for agnostic edges) or pass "
            "a smaller n=..."
        )
    X = sampler.sample(n, gen)
    y = predict_pm1(model, X, "model", func)
    return Examples(X, y, needed, source, start, eps, delta)


def check_options(options: Mapping[str, Any], func: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse unknown keyword options with the list of the accepted ones."""
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        known = ", ".join(("sampler", "eps", "delta", "rng", "n") + allowed)
        raise InvalidParameterError(
            f"{func} got unknown options {unknown}. It accepts: {known}."
        )


def check_consistent(output: Any, ex: Examples, func: str) -> None:
    """The final self-check of a consistent learner: the output agrees with every
    labelled example; otherwise the learner is wrong (GuaranteeViolation)."""
    wrong = np.flatnonzero(output.predict(ex.X) != ex.y)
    if wrong.size:
        i = int(wrong[0])
        raise GuaranteeViolation(
            f"{func} built a hypothesis that disagrees with {wrong.size} of its "
            f"{len(ex.y)} examples (first: row {i}); this is a bug in {func}.",
            counterexample={"X": ex.X, "y": ex.y, "output": output},
        )


def majority_label(y: np.ndarray) -> int:
    """The majority label of the ±1 labels ``y`` (ties, and no labels, +1).

    >>> majority_label(np.array([1, -1, -1])), majority_label(np.array([1, -1]))
    (-1, 1)
    """
    return 1 if 2 * int(np.count_nonzero(y == 1)) >= len(y) else -1


def finish(output: Any, ex: Examples, **diagnostics: Any) -> Result:
    """The Result with the report keys every learning edge fills."""
    report = {
        "samples_used": int(len(ex.y)),
        "queries_used": 0,
        "seconds": time.perf_counter() - ex.start,
        "samples_needed": ex.samples_needed,
        "n_source": ex.n_source,
        "eps": ex.eps,
        "delta": ex.delta,
        **diagnostics,
    }
    return Result(output, report)
