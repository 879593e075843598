"""pd.checkers.disagreement and pd.checkers.equivalent (THEORY §1).

Statistical tests in this file, with a correct implementation, fail with
probability below 1e-6 altogether (budgets: 3e-7 for the exact/Monte Carlo
agreement test, 3e-7 for the one-sided coverage test, 3e-7 for the two-sided
miss-count test; each computed below with exact binomial tails).
"""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

import pacdistill as pd
from pacdistill.checkers import Equivalence, Estimate, clopper_pearson, disagreement, equivalent
from pacdistill.distributions import (
    Empirical,
    FiniteSupport,
    Mixture,
    Product,
    Subcube,
    Uniform,
)
from pacdistill.errors import InvalidModelError, InvalidParameterError, TooLargeError

# -- test doubles: anything with predict and a dimension ----------------------


@dataclass(frozen=True)
class Table:
    """A function by its truth table (aligned with cube.enumerate); has n_inputs."""

    table: np.ndarray

    @property
    def n_inputs(self):
        return len(self.table).bit_length() - 1

    def predict(self, X):
        return self.table[pd.cube.index(X)]


@dataclass(frozen=True)
class Chi:
    """The parity prod_{i in S} x_i; exposes only ``d`` (the fallback)."""

    d: int
    S: tuple

    def predict(self, X):
        X = np.asarray(X, dtype=np.int8)
        if not self.S:
            return np.ones(len(X), np.int8)
        return np.prod(X[:, list(self.S)], axis=1, dtype=np.int8)


@dataclass(frozen=True)
class Broken:
    """Returns whatever it is told to (for output validation)."""

    d: int
    out: object

    def predict(self, X):
        return self.out(len(X))


class NoDimension:
    """Has predict but neither n_inputs nor d."""

    def predict(self, X):
        return np.ones(len(X), np.int8)


def random_table(rng, d, flip=0.5):
    return np.where(rng.random(2 ** d) < flip, -1, 1).astype(np.int8)


def brute_force(f, g, D):
    """sum of pmf over the enumerated points where f and g differ."""
    X = pd.cube.enumerate(D.d)
    return float(D.pmf_on_cube()[f.predict(X) != g.predict(X)].sum())


def distributions(d, rng):
    pts = rng.choice([-1, 1], size=(7, d))
    return [
        Uniform(d),
        Product(rng.random(d)),
        Product(np.r_[[0.0, 1.0], rng.random(d - 2)]),
        Subcube(d, {0: 1, d - 1: -1}),
        Mixture([Product(rng.random(d)), Subcube(d, {2: -1}), FiniteSupport(pts[:3])],
                [0.2, 0.5, 0.3]),
        FiniteSupport(pts, rng.integers(0, 4, size=7) + 0.5),
        Empirical(np.concatenate([pts, pts[:3]])),
    ]


# -- exact values ----------------------------------------------------------


def test_exact_values_by_hand():
    """x_0 vs x_0 x_1 differ exactly where x_1 = -1."""
    f, g = Chi(3, (0,)), Chi(3, (0, 1))
    assert disagreement(f, g).value == 0.5
    assert disagreement(f, g, Product([0.5, 0.8, 0.5])).value == pytest.approx(0.2)
    assert disagreement(f, g, Subcube(3, {1: 1})).value == 0.0
    assert disagreement(f, g, Subcube(3, {1: -1})).value == 1.0
    D = FiniteSupport([[1, 1, 1], [1, -1, 1], [-1, -1, 1]], [1, 2, 1])
    assert disagreement(f, g, D).value == 0.75


@pytest.mark.parametrize("seed", range(3))
def test_exact_equals_brute_force_for_every_kind(seed):
    """Exact disagreement = sum of pmf_on_cube over the differing points."""
    rng = np.random.default_rng(seed)
    d = 6
    f, g = Table(random_table(rng, d)), Table(random_table(rng, d, flip=0.3))
    for D in distributions(d, rng):
        est = disagreement(f, g, D)
        assert est.exact and est.low == est.value == est.high and est.level == 1.0
        assert est.value == pytest.approx(brute_force(f, g, D), abs=1e-14), type(D).__name__
        assert est.n == D.enumeration_size


def test_uniform_exact_is_a_count_over_several_chunks():
    """d = 18 walks 4 chunks of 2^16; the value is the exact count / 2^18."""
    rng = np.random.default_rng(1)
    t1, t2 = random_table(rng, 18), random_table(rng, 18)
    est = disagreement(Table(t1), Table(t2))
    assert est.value == np.count_nonzero(t1 != t2) / 2 ** 18
    assert est.n == 2 ** 18


def test_finite_support_is_exact_on_a_large_cube():
    """d = 40: no cube walk, but a finite support makes the answer exact."""
    rng = np.random.default_rng(2)
    X = rng.choice([-1, 1], size=(1000, 40)).astype(np.int8)
    f, g = Chi(40, (3,)), Chi(40, (3, 7))
    est = disagreement(f, g, Empirical(X))
    assert est.exact and est.n == 1000
    assert est.value == np.count_nonzero(X[:, 7] == -1) / 1000
    assert disagreement(f, g, Subcube(40, {i: 1 for i in range(25)})).exact
    # a mixture's component of weight 0 has no mass to walk (it made this Monte Carlo)
    M = Mixture([Empirical(X), Uniform(40)], [1, 0])
    assert disagreement(f, g, M) == est


def test_exact_walks_a_large_cube_in_bounded_blocks():
    """A sub-cube of d = 300 with 16 free coordinates is walked exactly in blocks
    of at most 2^22 entries (they were 2^16 rows x d entries: 19.7 million here,
    gigabytes for d = 10^5), and the value is still the exact one."""
    seen = []

    @dataclass(frozen=True)
    class Recording:
        inner: Chi

        @property
        def d(self):
            return self.inner.d

        def predict(self, X):
            seen.append(X.size)
            return self.inner.predict(X)

    d = 300
    D = Subcube(d, {i: 1 for i in range(16, d)})
    est = disagreement(Recording(Chi(d, (0, 5))), Chi(d, (5,)), D)
    assert est.exact and est.n == 2**16 and est.value == 0.5   # x_0 = -1 on half
    assert max(seen) <= 2**22 and sum(seen) == 2**16 * d


@given(st.integers(1, 6).flatmap(
    lambda d: st.tuples(st.lists(st.booleans(), min_size=2 ** d, max_size=2 ** d),
                        st.lists(st.booleans(), min_size=2 ** d, max_size=2 ** d))))
def test_uniform_disagreement_property(tables):
    """For any two functions, uniform disagreement = fraction of differing rows."""
    a, b = (np.where(np.array(t), 1, -1).astype(np.int8) for t in tables)
    est = disagreement(Table(a), Table(b))
    assert est.value == np.mean(a != b)


def test_real_models_integration():
    """With pacdistill's own classes: a tree against itself, its lookup table
    and a random other tree."""
    t = pd.CLASSES["decision_tree"].random(0, d=12, depth=4)
    table = pd.LookupTable.from_model(t)
    assert disagreement(t, table).value == 0.0
    assert equivalent(t, table).equal
    other = pd.CLASSES["decision_tree"].random(1, d=12, depth=4)
    X = pd.cube.enumerate(12)
    assert disagreement(t, other).value == np.mean(t.predict(X) != other.predict(X))



def test_d_20_is_still_exact_and_exhaustive():
    """Issue 2: disagreement is exact, and equivalent exhaustive, for d <= 20, d = 20
    included (the mutations 'd < 20' in equivalent and in the walkable support of
    Uniform and of Subcube survived: no test used 20). x_0 and x_0 x_19 differ
    exactly where x_19 = -1, first at row 2^19 of the enumeration."""
    f, g = Chi(20, (0,)), Chi(20, (0, 19))
    est = disagreement(f, g)
    assert est.exact and est.n == 2**20 and est.value == 0.5
    same = equivalent(f, Chi(20, (0,)))
    assert same.equal and same.exhaustive and same.n == 2**20
    differ = equivalent(f, g)
    assert not differ.equal and differ.exhaustive and differ.n == 2**19 + 1
    D = Subcube(25, {i: 1 for i in range(20, 25)})            # 20 free coordinates
    sub = disagreement(Chi(25, (0,)), Chi(25, (0, 19)), D)
    assert sub.exact and sub.n == 2**20 and sub.value == 0.5

# -- Monte Carlo -------------------------------------------------------------


def test_clopper_pearson_defining_property():
    """low solves P[Bin(n, low) >= k] = alpha/2, high solves P[Bin(n, high) <= k]
    = alpha/2 (checked with binomial tails, independent of beta.ppf)."""
    for k, n in [(0, 10), (3, 10), (10, 10), (50, 200), (1, 1000), (999, 1000)]:
        for level in (0.9, 0.99, 1 - 1e-6):
            alpha = 1 - level
            low, high = clopper_pearson(k, n, level)
            assert 0 <= low <= k / n <= high <= 1
            if k == 0:
                assert low == 0.0
            else:
                assert binom.sf(k - 1, n, low) == pytest.approx(alpha / 2, rel=1e-6)
            if k == n:
                assert high == 1.0
            else:
                assert binom.cdf(k, n, high) == pytest.approx(alpha / 2, rel=1e-6)


def test_monte_carlo_agrees_with_exact_on_random_pairs():
    """20 random pairs and distributions on d = 10: the exact value lies in the
    Monte Carlo interval. Each interval is at level 1 - 1.5e-8 and Clopper-Pearson
    covers with probability >= level, so all 20 cover except with probability
    <= 20 * 1.5e-8 = 3e-7 (union bound)."""
    rng = np.random.default_rng(2024)
    d, level = 10, 1 - 1.5e-8
    checked = 0
    for _ in range(3):
        f = Table(random_table(rng, d, flip=rng.random()))
        g = Table(random_table(rng, d, flip=rng.random()))
        for D in distributions(d, rng)[:7]:
            if checked == 20:
                break
            exact = disagreement(f, g, D, method="exact")
            mc = disagreement(f, g, D, n=5000, rng=rng, level=level)
            assert not mc.exact and mc.n == 5000 and mc.level == level
            assert mc.low <= exact.value <= mc.high, (type(D).__name__, exact, mc)
            assert mc.high - mc.low < 0.2  # the interval is informative
            checked += 1
    assert checked == 20


# Coverage: d = 25 (Monte Carlo is forced), f = x_0, g = x_0 x_1 under a product
# distribution with P[x_1 = +1] = 0.7, so err_D(f, g) = 0.3 exactly (THEORY §1).
TRIALS, N, LEVEL, TRUTH = 3000, 200, 0.9, 0.3


@pytest.fixture(scope="module")
def coverage_misses():
    f, g = Chi(25, (0,)), Chi(25, (0, 1))
    D = Product(np.r_[0.5, 0.7, np.full(23, 0.5)])
    misses = 0
    for seed in range(TRIALS):
        est = disagreement(f, g, D, n=N, rng=seed, level=LEVEL)
        misses += not (est.low <= 1 - 0.7 <= est.high)
    return misses


def test_coverage_at_least_level(coverage_misses):
    """Clopper-Pearson covers with probability >= 0.9 whatever the truth, so the
    miss count is stochastically dominated by Binomial(3000, 0.1). Reject when
    it exceeds t with P[Bin(3000, 0.1) > t] < 3e-7."""
    t = int(binom.isf(3e-7, TRIALS, 1 - LEVEL))
    assert binom.sf(t, TRIALS, 1 - LEVEL) < 3e-7
    assert coverage_misses <= t, (coverage_misses, t)


def test_miss_count_matches_exact_binomial_law(coverage_misses):
    """Sharper: for n = 200 and p = 0.3 the exact miss probability q of the
    interval is sum over k of P[Bin(200, 0.3) = k] [0.3 outside CI(k)], so the
    miss count is exactly Binomial(3000, q) (the trials are independent). Two
    tails of 1.5e-7 each. This also fails if the sampling or counting is biased."""
    k = np.arange(N + 1)
    outside = np.array([not (lo <= TRUTH <= hi)
                        for lo, hi in (clopper_pearson(int(j), N, LEVEL) for j in k)])
    q = float(binom.pmf(k, N, TRUTH)[outside].sum())
    assert 0.02 < q <= 0.1  # conservative but not degenerate
    low = binom.ppf(1.5e-7, TRIALS, q)          # P[M < low] <= 1.5e-7
    high = binom.isf(1.5e-7, TRIALS, q)         # P[M > high] <= 1.5e-7
    assert low <= coverage_misses <= high, (coverage_misses, low, high, q)


def test_monte_carlo_is_seeded_and_chosen_when_n_is_given():
    f, g = Chi(8, (0,)), Chi(8, (1,))
    a = disagreement(f, g, n=300, rng=5)
    b = disagreement(f, g, n=300, rng=np.random.default_rng(5))
    assert a == b and not a.exact and a.n == 300
    big = disagreement(Chi(30, (0,)), Chi(30, (1,)), rng=0)  # d > 20: Monte Carlo
    assert not big.exact and big.n == pd.checkers.agreement.DEFAULT_SAMPLES
    assert "Monte Carlo" in str(big) and "exact" in str(disagreement(f, g))


def test_estimate_is_a_frozen_value():
    est = Estimate(0.25, 0.25, 0.25, True, 4, 1.0)
    with pytest.raises(AttributeError):
        est.value = 0.5  # type: ignore[misc]


# -- bad inputs --------------------------------------------------------------

F3, G3 = Chi(3, (0,)), Chi(3, (1,))
BAD = [
    ("mismatched-d", lambda: disagreement(F3, Chi(4, (0,))), InvalidParameterError, "d = 4"),
    ("D-wrong-width", lambda: disagreement(F3, G3, Uniform(4)), InvalidParameterError,
     "D has d = 4"),
    ("D-not-a-distribution", lambda: disagreement(F3, G3, np.ones((2, 3))),
     InvalidParameterError, "'D'"),
    ("level-0", lambda: disagreement(F3, G3, level=0), InvalidParameterError, "'level'"),
    ("level-1", lambda: disagreement(F3, G3, level=1.0), InvalidParameterError, "'level'"),
    ("level-nan", lambda: disagreement(F3, G3, level=float("nan")), InvalidParameterError,
     "'level'"),
    ("level-text", lambda: disagreement(F3, G3, level="0.9"), InvalidParameterError,
     "'level'"),
    ("method", lambda: disagreement(F3, G3, method="exakt"), InvalidParameterError,
     "'method'"),
    ("n-zero", lambda: disagreement(F3, G3, n=0), InvalidParameterError, "'n'"),
    ("n-float", lambda: disagreement(F3, G3, n=10.0), InvalidParameterError, "'n'"),
    ("n-with-exact", lambda: disagreement(F3, G3, n=10, method="exact"),
     InvalidParameterError, "'n'"),
    ("exact-too-large", lambda: disagreement(Chi(25, (0,)), Chi(25, (1,)), method="exact"),
     TooLargeError, "monte_carlo"),
    ("rng", lambda: disagreement(F3, G3, n=5, rng="x"), InvalidParameterError, "'rng'"),
    # refused on the exact paths too, where it is unused: the same call at d = 21 refuses it
    ("rng-exact", lambda: disagreement(F3, G3, rng="x"), InvalidParameterError, "'rng'"),
    ("equivalent-rng-exhaustive", lambda: equivalent(F3, G3, rng=-1), InvalidParameterError,
     "'rng'"),
    ("f-no-predict", lambda: disagreement(object(), G3), InvalidParameterError, "'f'"),
    ("f-no-dimension", lambda: disagreement(NoDimension(), G3),
     InvalidParameterError, "'f'"),
    ("predict-not-pm1", lambda: disagreement(Broken(3, lambda n: np.zeros(n)), G3),
     InvalidModelError, "-1/+1"),
    ("predict-shape", lambda: disagreement(Broken(3, lambda n: np.ones((n, 2))), G3),
     InvalidModelError, "shape"),
    ("equivalent-mismatched-d", lambda: equivalent(F3, Chi(4, (0,))), InvalidParameterError,
     "d = 4"),
    ("equivalent-n", lambda: equivalent(F3, G3, n=-1), InvalidParameterError, "'n'"),
    # the default sample sizes are held to MAX_SAMPLED_CELLS too: equivalent's 10^5
    # points at d = 10^6 (10^11 entries) ran for about 20 minutes without a word
    ("equivalent-default-n-too-large", lambda: equivalent(Chi(10**6, (0,)), Chi(10**6, (0,))),
     TooLargeError, "MAX_SAMPLED_CELLS"),
    ("default-n-too-large", lambda: disagreement(Chi(2 * 10**6, (0,)), Chi(2 * 10**6, (1,))),
     TooLargeError, "MAX_SAMPLED_CELLS"),
]


@pytest.mark.parametrize("call, error, fragment", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_inputs(call, error, fragment):
    with pytest.raises(error, match=None) as info:
        call()
    assert fragment in str(info.value), str(info.value)


# -- equivalence -----------------------------------------------------------


def test_equivalent_exhaustive_equal():
    """Two representations of x_0 x_2 on d = 4 (a parity, a truth table)."""
    f = Chi(4, (0, 2))
    g = Table(f.predict(pd.cube.enumerate(4)))
    res = equivalent(f, g)
    assert isinstance(res, Equivalence)
    assert res.equal and res.exhaustive and res.witness is None and res.n == 16
    assert str(res) == "equal on all 16 points of the cube"


def test_equivalent_witness_is_the_first_difference_across_chunks():
    """d = 18: tables that differ only at rows 70,000 and 100,000 (past the first
    chunk of 2^16); the witness is row 70,000 of the enumeration."""
    t = np.ones(2 ** 18, np.int8)
    u = t.copy()
    u[[70_000, 100_000]] = -1
    res = equivalent(Table(t), Table(u))
    assert not res.equal and res.exhaustive and res.n == 70_001
    assert res.witness.dtype == np.int8
    assert np.array_equal(res.witness, pd.cube.points(70_000, 70_001, 18)[0])
    assert "first differing point in enumeration order" in str(res)


def test_equivalent_randomized_beyond_20():
    """d = 21: a difference on half the cube is found (and proven by its
    witness); an equality is only 'no difference found', labelled so."""
    f, g = Chi(21, (0,)), Chi(21, (1,))
    res = equivalent(f, g, rng=0)
    assert not res.equal and not res.exhaustive
    w = res.witness.reshape(1, -1)
    assert f.predict(w)[0] != g.predict(w)[0]
    same = equivalent(Chi(21, (0, 1)), Chi(21, (1, 0)), rng=0, n=5000)
    assert same.equal and not same.exhaustive and same.n == 5000
    assert "no difference found in 5000 uniform samples" in str(same)
    assert "not a proof" in str(same) and "exhaustive=False" in repr(same)


def test_monte_carlo_counts_every_block(monkeypatch):
    """Monte Carlo draws in blocks of _BLOCK_CELLS entries (2^22: every other test
    here fits one). With blocks of 100 rows (1,000 entries at d = 10), f = x_0 and
    g = -x_0 still disagree on all n = 1,050 draws (11 blocks, the last partial),
    and f = x_0 against g = x_0 x_1 (truth 1/2) is covered by the interval at
    level 1 - 1e-9 (fails with probability <= 1e-9 for a correct estimator)."""
    monkeypatch.setattr(pd.checkers.agreement, "_BLOCK_CELLS", 1000)
    f, g = Chi(10, (0,)), Chi(10, (0, 1))
    opposite = Table(-f.predict(pd.cube.enumerate(10)))
    res = disagreement(f, opposite, pd.distributions.Uniform(10), n=1050, rng=0,
                       method="monte_carlo")
    assert not res.exact and res.n == 1050 and res.value == 1.0
    half = disagreement(f, g, pd.distributions.Uniform(10), n=1050, rng=0, level=1 - 1e-9,
                        method="monte_carlo")
    assert half.low <= 0.5 <= half.high and half.n == 1050


def test_equivalent_sampled_checks_every_block(monkeypatch):
    """The randomized check (d > 20) also walks its samples in blocks; with
    blocks of 10 rows, a difference on 1/64 of the cube that the first blocks
    miss (seed 1: the first difference is sample 28) is still found, at its
    position among the samples."""
    monkeypatch.setattr(pd.checkers.agreement, "_BLOCK_CELLS", 210)  # 10 rows at d = 21
    f = pd.Conjunction(21, [(i, 1) for i in range(5)])
    g = pd.Conjunction(21, [(i, 1) for i in range(6)])   # differ iff x0..x4 = 1, x5 = -1
    res = equivalent(f, g, rng=1, n=1000)
    assert not res.equal and not res.exhaustive and res.n == 28
    w = res.witness.reshape(1, -1)
    assert f.predict(w)[0] != g.predict(w)[0]
    # the witness is the first differing sample: the same draws, one block at a time
    X = pd.distributions.Uniform(21)
    gen = np.random.default_rng(1)
    draws = np.concatenate([X.sample(10, gen) for _ in range(100)])
    first = int(np.argmax(f.predict(draws) != g.predict(draws)))
    assert res.n == first + 1 and np.array_equal(res.witness, draws[first])
