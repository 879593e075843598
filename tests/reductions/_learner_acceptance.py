"""Acceptance harness for the learning edges (issue 4, second acceptance point).

For random sources and distributions (uniform, product, subcube, finite
support) and the catalog's n at (eps, delta), count the seeded trials whose
exact error err_D exceeds the guarantee (eps, or OPT + eps for agnostic
edges), and test that count against delta with an exact binomial tail.

Design of the test: the trials are independent and each fails with
probability at most delta when the guarantee holds, so the failure count X is
stochastically dominated by Binomial(T, delta). We reject when
P[Binomial(T, delta) >= X] < 1e-6 (scipy's exact survival function), so a
correct implementation fails the test with probability < 1e-6 whatever its
true failure rate below delta. The harness has teeth: a learner whose failure
rate is well above delta is rejected (the tests include such a broken learner
as a control).

It is no test of n itself: the sample bounds are worst-case and loose, so a learner
run on a tenth of the catalog's n (session 8 audit, the same seeds and trials as
the tests) still passes for conjunctions (70 of 400 trials failed; rejection starts
at 72), 1-decision lists (25 of 400) and halfspaces (0 of 100), and is rejected only
for parities (172 of 400) and juntas (142 of 400). A wrong default n is caught by
test_learner_sample_sizes (THEORY §4's formulas by hand) and by run_trials'
``samples_used == samples_needed``; a learner that draws n and learns from a
tenth of it, by the consistency tests and the final self-check
(test_learner_self_check).

Realizability under D (the distributional promise, THEORY §2.2): every source
is planted from the promise class, and on half of the subcube / finite-support
trials it is disguised as a LookupTable that equals the planted model on the
support of D and is random off it, so f is in the promise class only D-almost
surely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy

import pacdistill as pd
from pacdistill.checkers.conformance import binomial_p_value  # the exact tail, tested there
from pacdistill.reductions import Result

KINDS = ("uniform", "product", "subcube", "finite_support")
#: reject when the binomial tail of the failure count is below this
ALPHA = 1e-6


def random_distribution(kind: str, d: int, rng: np.random.Generator):
    """A random distribution of the given kind on {-1,+1}^d."""
    if kind == "uniform":
        return pd.distributions.Uniform(d)
    if kind == "product":
        return pd.distributions.Product(rng.uniform(0.05, 0.95, size=d))
    if kind == "subcube":
        fixed = rng.choice(d, size=int(rng.integers(1, max(2, d // 2) + 1)), replace=False)
        return pd.distributions.Subcube(d, {int(i): int(rng.choice([-1, 1])) for i in fixed})
    if kind == "finite_support":
        m = int(rng.integers(2, 50))
        points = rng.choice(np.array([-1, 1], dtype=np.int8), size=(m, d))
        return pd.distributions.FiniteSupport(points, rng.exponential(size=m))
    raise ValueError(kind)


def disguise(g, D, rng: np.random.Generator):
    """A LookupTable equal to g on the support of D and random off it."""
    d = g.n_inputs
    table = g.predict(pd.cube.enumerate(d)).copy()
    off = D.pmf_on_cube() == 0
    table[off] = rng.choice(np.array([-1, 1], dtype=np.int8), size=int(off.sum()))
    return pd.LookupTable(d, table)


@dataclass
class Outcome:
    trials: int
    failures: int
    errors: list
    excess: list
    p_value: float
    delta: float

    @property
    def fraction(self) -> float:
        return self.failures / self.trials

    def __str__(self) -> str:
        return (f"{self.failures}/{self.trials} trials with err > bound "
                f"(fraction {self.fraction:.3f}, delta {self.delta}); "
                f"P[Bin(T, delta) >= X] = {self.p_value:.3g}; "
                f"mean err {np.mean(self.errors):.4f}, max err {np.max(self.errors):.4f}")


def learner_sample(D, n: int, seed: int) -> np.ndarray:
    """The sample a learner run with ``rng=seed`` draws: ``D.sample(n, rng)`` is
    the first use of its rng."""
    return D.sample(n, np.random.default_rng(seed))


def negating_junta_table(learn: Callable) -> Callable:
    """A broken junta learner (a control): ``learn``'s junta with its table negated."""

    def broken(model, /, *, sampler=None, eps, delta, rng=None, k, **options):
        res = learn(model, sampler=sampler, eps=eps, delta=delta, rng=rng, k=k)
        out = res.model
        return Result(pd.Junta(out.d, out.variables, -out.table), res.report)

    return broken


def run_trials(
    learn: Callable, make_source: Callable, *, trials: int, seed: int, d_range=(4, 12),
    eps: float = 0.1, delta: float = 0.1, opt: Callable | None = None,
    options: Callable | None = None,
) -> Outcome:
    """Run ``trials`` seeded trials of ``learn`` at the catalog's n.

    ``make_source(rng, d)`` returns the planted model (a member of the promise
    class, or any model for agnostic edges); ``options(rng, d)`` extra keyword
    options for ``learn`` (e.g. k); ``opt(f, D, options)`` the exact OPT for
    agnostic edges (then a failure is err > OPT + eps).
    """
    failures, errors, excess = 0, [], []
    for t in range(trials):
        rng = np.random.default_rng([seed, t])
        d = int(rng.integers(d_range[0], d_range[1] + 1))
        kind = KINDS[t % len(KINDS)]
        D = random_distribution(kind, d, rng)
        extra = {} if options is None else options(rng, d)
        g = make_source(rng, d, **extra)
        f = disguise(g, D, rng) if kind in ("subcube", "finite_support") and t % 8 >= 4 else g
        res = learn(f, sampler=D, eps=eps, delta=delta, rng=rng, **extra)
        assert res.report["samples_used"] == res.report["samples_needed"]
        assert res.report["queries_used"] == 0
        est = pd.checkers.disagreement(f, res.model, D)
        assert est.exact
        bound = eps
        if opt is not None:
            best = opt(f, D, **extra)
            assert est.value >= best - 1e-12, "OPT must be a lower bound on every error"
            bound += best
        errors.append(est.value)
        excess.append(est.value - (bound - eps))
        failures += est.value > bound
    return Outcome(trials, failures, errors, excess,
                   binomial_p_value(failures, trials, delta), delta)


def check_family(family, *, target: str, kind: str, bound: str, efficient: bool,
                 at: dict, bound_params: dict) -> None:
    """The family is registered from every class of pd.CLASSES (THEORY §9 rule 2)
    with a guarantee of the right kind, promise and sample bound, and a time
    that includes n evaluations of the source."""
    from pacdistill.bounds import symbols as S
    from pacdistill.bounds.guarantee import Promise

    assert set(family.edges) == set(pd.CLASSES)
    expected_n = pd.bounds.samples_needed(bound, eps=at["eps"], delta=at["delta"],
                                          **bound_params)
    for src, edge in family.edges.items():
        assert edge is pd.reductions.REGISTRY[f"{family.name}[{src}]"]
        assert (edge.source, edge.target) == (src, target)
        assert edge.access == "examples" and edge.efficient is efficient
        g = edge.guarantee
        assert g.kind == kind and g.failure == S.delta and g.queries == 0
        if kind == "perfect":
            assert g.promise == Promise(target, "distributional") and g.error == S.eps
        else:
            assert g.promise is None and g.error == S.OPT(target) + S.eps
        assert g.at(fields=["samples"], **at).samples == expected_n
        # time = algorithm time (in d, k, eps, delta) + n * eval_time of the source
        rest = sympy.expand(g.time - g.samples * pd.CLASSES[src].eval_time)
        assert rest.free_symbols <= {S.d, S.k, S.eps, S.delta}, (src, rest)
        assert rest.subs({S.d: 10, S.k: 2, S.eps: 0.1, S.delta: 0.1}) > 0
        assert "doi:" in g.source
