"""LRH tree distillation: ReLUNetwork -> DecisionTree[d, r, s] (THEORY §5).

Guarantee (kind ``perfect``, promise ``Promise("decision_tree",
"distributional")``, assumption ``LRH(tau, B)``; the bound is derived here:
THEORY §5; the algorithm is [Boix-Adsera 2024, "Towards a theory of model
distillation", arXiv:2403.09053], with closed-form ridge probes in place of
gradient-trained ones): if f agrees D-almost surely with a tree T* of depth r
with s leaves, every AND of T* is (tau, B)-linearly represented by the
network's hidden activations, and the probes' validation errors are within
gamma of their population values (so that with tau' = tau + gamma every AND of
T* is kept and T* is a candidate of the DP), then with

    n = 2 ((s - 1) ln d + (s + 1) ln 2 + ln Catalan(s - 1) + ln(4 / delta)) / eps^2

samples (the catalog's ``lrh_trees``) the output tree (depth <= r, at most s
leaves) has err_D(f, T) <= eps with probability >= 1 - delta: with probability
>= 1 - delta/2 every tree with at most s leaves on d variables (at most
2 d^(s-1) 2^s Catalan(s-1) of them, THEORY §4) has empirical error within eps/2
of its error (Hoeffding and a union bound), T* among them; the DP returns a
candidate with empirical error at most T*'s. The DP reuses the samples that
chose its candidate ANDs, so the bound counts a class fixed in advance, not
THEORY §5's N^(2s-1) 2^s candidates (that count needs fresh samples for the DP;
see the correction in THEORY §5; it would also be the larger: N = 1 + 2 d beam
r). The edge runs with the default beam of :func:`pacdistill.distill_tree`,
beam = 32, written as that number in the time (N = 1 + 64 d r kept ANDs at
most); other beams are available through ``pd.distill_tree``. Time: n (d m + m^2)
to evaluate the network, r beam d (n m + m^2) for the probes and N s^2 for the DP
(THEORY §5). Size map:
d -> d, r -> r, s -> s (r and s, the promised tree's depth and leaves, are
parameters of the run, declared to the registry as extra symbols).

The run draws n samples from D (uniform by default), calls
:func:`pacdistill.distill_tree` and returns the most faithful tree with at most
s leaves on its frontier. Under the promise that tree agrees with f on every
sample (T* is a candidate); when it does not, the promise or the LRH is false
for this network and :class:`~pacdistill.errors.PromiseViolation` is raised with
the disagreeing rows as the witness, rather than returning a tree that was never
shown to be within eps.

The probes' uniform convergence (gamma) rests on LRH(tau, B)'s norm bound and
bounded features; THEORY §5 states it as a hypothesis, not as a sample count,
so only the DP's samples are in the formula above.

Examples
--------
>>> tree = pd.CLASSES["decision_tree"].random(0, d=10, depth=2)
>>> net = pd.distill.planted_network(tree)
>>> out = lrh_tree(net, eps=0.1, delta=0.05, rng=0, r=2, s=4)
>>> pd.checkers.equivalent(out.model, tree).equal, out.report["samples_used"]
(True, 3273)
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._validation import check_int, check_probability, check_real, check_rng, param_error
from ..bounds import symbols as S
from ..bounds.catalog import catalog as _catalog
from ..bounds.guarantee import Guarantee, Promise
from ..checkers._sources import planted_networks
from ..distill.lrh import DEFAULT_BEAM
from ..distributions import Distribution, Uniform
from ..errors import PromiseViolation
from ._registry import Result, register

__all__ = ["lrh_tree", "GUARANTEE", "BEAM", "samples_for"]

#: the beam of the edge's runs (splits kept per depth; distill_tree's default)
BEAM = DEFAULT_BEAM
_N = 1 + 2 * S.d * BEAM * S.r
#: the samples n of the module docstring (THEORY §5 correction, derived here): the
#: catalog's lrh_trees bound
SAMPLES = _catalog["lrh_trees"].formula


def _guarantee() -> Guarantee:
    from ..classes import CLASSES

    return Guarantee(
        "perfect", "relu_network", "decision_tree",
        source=("Boix-Adsera 2024, arXiv:2403.09053 (algorithm); "
                "derived here: THEORY §5 (bound)"),
        promise=Promise("decision_tree", "distributional"),
        error=S.eps,
        failure=S.delta,
        samples=SAMPLES,
        time=(SAMPLES * CLASSES["relu_network"].eval_time
              + S.r * BEAM * S.d * (SAMPLES * S.m + S.m**2) + _N * S.s**2),
        size_map={S.d: S.d, S.r: S.r, S.s: S.s},
        assumptions=("LRH(tau, B)",),
    )


GUARANTEE = _guarantee()


def samples_for(*, d: int, r: int, s: int, eps: float, delta: float) -> int:
    """The sample size n of the Guarantee at these values, rounded up.

    >>> samples_for(d=100, r=3, s=8, eps=0.05, delta=0.05)
    39135
    """
    values = GUARANTEE.at(fields=["samples"], d=d, r=r, s=s, eps=eps, delta=delta)
    return int(values.samples)


@register(
    name="lrh_tree",
    source="relu_network",
    target="decision_tree",
    guarantee=GUARANTEE,
    extra_symbols=(S.r, S.s),
    access="representation",
    efficient=True,
    conformance={"sources": planted_networks},
)
def lrh_tree(model: Any, /, *, sampler: Any = None, eps: Any = None, delta: Any = None,
             rng: Any = None, r: int, s: int, tau: float | None = None,
             n: int | None = None) -> Result:
    """Distil a ReLU network into a decision tree by linear probes (THEORY §5)."""
    from ..classes.relu_network import ReLUNetwork
    from ..distill import distill_tree

    func = "lrh_tree"
    start = time.perf_counter()
    if not isinstance(model, ReLUNetwork):
        raise param_error("model", func, "a ReLUNetwork", model,
                          fix="(pd.distill_tree accepts any model with activations.)")
    d = model.d
    eps = check_probability(eps, "eps", func)
    delta = check_probability(delta, "delta", func)
    r = check_int(r, "r", func, min=1, max=d)
    s = check_int(s, "s", func, min=1, max=1 << r)
    if tau is not None:
        tau = check_real(tau, "tau", func, low=0, low_open=True)
    gen = check_rng(rng, func)
    if sampler is None:
        sampler = Uniform(d)
    elif not isinstance(sampler, Distribution) or sampler.d != d:
        raise param_error("sampler", func,
                          f"None or a pacdistill distribution on the model's cube (d = {d})",
                          sampler)
    needed = samples_for(d=d, r=r, s=s, eps=eps, delta=delta)
    n = needed if n is None else check_int(n, "n", func, min=8)
    X = sampler.sample(n, gen)
    result = distill_tree(model, X, depth=r, beam=BEAM, tau=tau, rng=gen, target=1.0)
    fits = [p for p in result.frontier if p.leaves <= s]
    point = fits[-1]
    if point.fidelity < 1.0:
        wrong = np.flatnonzero(point.tree.predict(X) != model.predict(X))
        raise PromiseViolation(
            f"{func}: no tree of depth <= {r} with <= {s} leaves built from the probed ANDs "
            f"agrees with the network on all {n} samples (the best misses {wrong.size}). "
            "Either the network is not such a tree D-almost surely (the promise) or the "
            "tree's ANDs are not linearly represented in its activations (LRH).",
            witness={"rows": X[wrong[:20]], "tree": point.tree},
        )
    report = {
        "samples_used": int(n),
        "queries_used": 0,
        "seconds": time.perf_counter() - start,
        "samples_needed": needed,
        "eps": eps,
        "delta": delta,
        "distillation": dict(result.report),
    }
    return Result(point.tree, report)
