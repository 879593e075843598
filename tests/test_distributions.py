"""Distributions over the cube (THEORY §1): pmf alignment with the enumeration,
sampling frequencies, supports, JSON, validation."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

import pacdistill as pd
from pacdistill.distributions import (
    Empirical,
    FiniteSupport,
    Mixture,
    Product,
    Subcube,
    Uniform,
    distribution_from_dict,
)
from pacdistill.errors import (
    InvalidInputError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
)


def _examples(d=4):
    """One or more instances of every kind on {-1,+1}^d (d >= 4)."""
    rng = np.random.default_rng(7)
    pts = rng.choice([-1, 1], size=(5, d))
    return {
        "uniform": Uniform(d),
        "product": Product([0.9, 0.5, 0.2, *[0.35] * (d - 3)]),
        "product_degenerate": Product([1.0, 0.0, 0.6, *[0.5] * (d - 3)]),
        "subcube": Subcube(d, {0: -1, 2: 1}),
        "mixture": Mixture([Product([0.8] * d), Subcube(d, {1: 1}),
                            FiniteSupport(pts[:2])], [0.5, 0.3, 0.2]),
        "finite": FiniteSupport(pts, [1, 2, 0, 3, 1]),
        "empirical": Empirical(np.concatenate([pts, pts[:2]])),
    }


EXAMPLES = _examples()


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_pmf_sums_to_one_and_matches_pointwise_pmf(name):
    """pmf_on_cube sums to 1, is aligned with cube.enumerate (it equals pmf on
    the enumeration's rows) and equals the masses walked by weighted_blocks."""
    D = EXAMPLES[name]
    pmf = D.pmf_on_cube()
    assert pmf.dtype == np.float64 and pmf.shape == (2 ** D.d,)
    assert (pmf >= 0).all()
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(pmf, D.pmf(pd.cube.enumerate(D.d)), rtol=1e-12, atol=1e-15)
    walked = np.zeros(2 ** D.d)
    for X, w in D.weighted_blocks(chunk_size=3):  # several blocks per component
        assert len(X) <= 3
        np.add.at(walked, pd.cube.index(X), np.broadcast_to(w, (len(X),)))
    np.testing.assert_allclose(walked, pmf, rtol=1e-12, atol=1e-15)


def test_product_pmf_by_hand_d2():
    """Row i of enumerate(2): bit j = 1 means x_j = -1; P[x_0=+1]=0.9, P[x_1=+1]=0.3."""
    pmf = Product([0.9, 0.3]).pmf_on_cube()
    # rows: (+,+), (-,+), (+,-), (-,-)
    np.testing.assert_allclose(pmf, [0.9 * 0.3, 0.1 * 0.3, 0.9 * 0.7, 0.1 * 0.7], rtol=1e-15)


def test_product_with_zero_one_probabilities_has_exact_zeros():
    """p in {0, 1} fixes the coordinate: mass outside is exactly 0, never drawn."""
    D = Product([1.0, 0.5, 0.0])
    pmf = D.pmf_on_cube()
    X = pd.cube.enumerate(3)
    allowed = (X[:, 0] == 1) & (X[:, 2] == -1)
    assert (pmf[~allowed] == 0.0).all()
    assert pmf[allowed].tolist() == [0.5, 0.5]
    S = D.sample(10_000, rng=0)
    assert (S[:, 0] == 1).all() and (S[:, 2] == -1).all()
    assert D.enumeration_size == 2


def test_subcube_puts_no_mass_outside():
    """Subcube: mass exactly 0 off the sub-cube, equal mass on it, samples inside."""
    D = Subcube(5, fixed={1: -1, 4: 1})
    X = pd.cube.enumerate(5)
    inside = (X[:, 1] == -1) & (X[:, 4] == 1)
    pmf = D.pmf_on_cube()
    assert (pmf[~inside] == 0.0).all()
    assert (pmf[inside] == 1 / 8).all()
    S = D.sample(5_000, rng=1)
    assert (S[:, 1] == -1).all() and (S[:, 4] == 1).all()
    assert Subcube(3, [(0, 1), (0, 1)]).fixed == ((0, 1),)


def test_mixture_pmf_is_weighted_sum():
    """Mixture pmf = sum_k w_k pmf_k with normalised weights."""
    comps = [Product([0.1, 0.7, 0.5]), Subcube(3, {2: -1}), Uniform(3)]
    M = Mixture(comps, [2, 1, 1])
    expected = 0.5 * comps[0].pmf_on_cube() + 0.25 * comps[1].pmf_on_cube() \
        + 0.25 * comps[2].pmf_on_cube()
    np.testing.assert_allclose(M.pmf_on_cube(), expected, rtol=1e-14)
    assert M.weights.tolist() == [0.5, 0.25, 0.25]


# Sampling frequencies. Each test below makes C per-cell two-sided exact binomial
# tests (the count of cell i among n iid draws is exactly Binomial(n, pmf_i)),
# each at level 4e-9 (2 tails of 2e-9, computed with scipy.stats.binom). This file
# makes at most C = 7 * 16 + 5 * 16 + 16 + 8 = 216 of them (cells of mass 0 are not
# among them), so by the union bound a correct implementation fails one with
# probability at most 216 * 4e-9 = 8.6e-7 < 1e-6 (overall, for these fixed seeds
# drawn independently of the code). Cells of mass 0 must get no draw at all
# (deterministic).
_CELL_ALPHA = 4e-9


def _assert_frequencies(D, n, seed):
    pmf = D.pmf_on_cube()
    counts = np.bincount(pd.cube.index(D.sample(n, rng=seed)), minlength=2 ** D.d)
    assert counts.sum() == n
    assert (counts[pmf == 0] == 0).all(), "drew a point of probability 0"
    pos = pmf > 0
    low_tail = binom.cdf(counts[pos], n, pmf[pos])       # P[Bin <= count]
    high_tail = binom.sf(counts[pos] - 1, n, pmf[pos])   # P[Bin >= count]
    worst = np.minimum(low_tail, high_tail).min()
    assert worst >= _CELL_ALPHA / 2, (type(D).__name__, worst, counts, pmf * n)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_sample_frequencies_match_pmf(name):
    """Empirical cell frequencies of 100,000 draws agree with pmf_on_cube."""
    _assert_frequencies(EXAMPLES[name], 100_000, seed=11)


@pytest.mark.parametrize("name", ["uniform", "product", "product_degenerate", "subcube",
                                  "mixture"])
def test_sampling_in_blocks_keeps_the_law(name, monkeypatch):
    """Uniform, Product and Subcube draw in blocks of _SAMPLE_CELLS entries (2^22:
    every other test here fits in one block). With blocks of 1,024 rows (4,096
    entries at d = 4; 97 full blocks and a partial one for 100,000 draws) the
    frequencies still match pmf_on_cube, and no row is left undrawn."""
    monkeypatch.setattr(pd.distributions, "_SAMPLE_CELLS", 4096)
    _assert_frequencies(EXAMPLES[name], 100_000, seed=12)


def test_mixture_sample_is_iid_after_shuffle():
    """Mixture draws are shuffled: the first rows are not all from component 0
    (the joint law of consecutive pairs is tested as one distribution on d = 4)."""
    M = Mixture([Subcube(2, {0: 1, 1: 1}), Subcube(2, {0: -1, 1: -1})], [0.5, 0.5])
    S = M.sample(200_000, rng=3)
    pairs = np.concatenate([S[0::2], S[1::2]], axis=1)  # (x_2t, x_2t+1) as a point of d=4
    pair_law = Mixture([Subcube(4, {0: a, 1: a, 2: b, 3: b}) for a in (1, -1) for b in (1, -1)])
    counts = np.bincount(pd.cube.index(pairs), minlength=16)
    pmf = pair_law.pmf_on_cube()
    n = len(pairs)
    assert (counts[pmf == 0] == 0).all()
    pos = pmf > 0
    tails = np.minimum(binom.cdf(counts[pos], n, pmf[pos]), binom.sf(counts[pos] - 1, n, pmf[pos]))
    assert tails.min() >= _CELL_ALPHA / 2


def test_product_large_d_marginals():
    """On d = 200 (no pmf_on_cube), each coordinate's count of +1 among 20,000
    draws passes an exact binomial test (8 coordinates tested, counted above)."""
    p = np.linspace(0.05, 0.95, 200)
    S = Product(p).sample(20_000, rng=5)
    assert S.shape == (20_000, 200) and S.dtype == np.int8
    cols = np.arange(0, 200, 25)
    plus = (S[:, cols] == 1).sum(axis=0)
    tails = np.minimum(binom.cdf(plus, 20_000, p[cols]), binom.sf(plus - 1, 20_000, p[cols]))
    assert tails.min() >= _CELL_ALPHA / 2


def test_sample_is_seeded_int8_and_accepts_zero():
    for D in EXAMPLES.values():
        a, b = D.sample(50, rng=3), D.sample(50, rng=np.random.default_rng(3))
        assert a.dtype == np.int8 and a.shape == (50, D.d)
        assert np.array_equal(a, b)
        assert set(np.unique(a)) <= {-1, 1}
        assert D.sample(0, rng=0).shape == (0, D.d)


def test_support_merges_duplicates_and_drops_zero_mass():
    D = FiniteSupport([[1, 1], [-1, 1], [1, 1], [-1, -1]], [1, 2, 1, 0])
    points, weights = D.support()
    assert points.tolist() == [[-1, 1], [1, 1]]
    assert weights.tolist() == [0.5, 0.5]
    E = Empirical([[1, -1], [1, -1], [-1, -1], [1, -1]])
    points, weights = E.support()
    assert points.tolist() == [[-1, -1], [1, -1]] and weights.tolist() == [0.25, 0.75]
    M = Mixture([D, E], [1, 1])
    mp, mw = M.support()
    assert mp.tolist() == [[-1, -1], [-1, 1], [1, -1], [1, 1]]
    np.testing.assert_allclose(mw, [0.125, 0.25, 0.375, 0.25])
    assert Uniform(3).support() is None and Mixture([Uniform(2), D]).support() is None


def test_equal_distributions_hash_alike():
    """-0.0 and 0.0 are the same probability or weight: equal distributions, which
    must hash alike (the hash read the JSON text, where they differed)."""
    pairs = [
        (Product([0.0, 0.5]), Product([-0.0, 0.5])),
        (Mixture([Uniform(2), Uniform(2)], [1.0, 0.0]),
         Mixture([Uniform(2), Uniform(2)], [1.0, -0.0])),
        (FiniteSupport([[1], [-1]], [1.0, 0.0]), FiniteSupport([[1], [-1]], [1.0, -0.0])),
    ]
    for a, b in pairs:
        assert a == b and hash(a) == hash(b) and len({a, b}) == 1


def test_mixture_components_of_weight_zero_are_not_walked():
    """A component of weight 0 adds no support: a mixture of a finite support and a
    weight-0 uniform cube is the finite support, walkable (it was not: the cube of
    the absent component made enumeration_size None and support() None)."""
    F = FiniteSupport([[1] * 30, [-1] * 30], [1, 3])
    M = Mixture([F, Uniform(30)], [2, 0])
    assert M.enumeration_size == 2
    points, weights = M.support()
    assert points.tolist() == [[-1] * 30, [1] * 30] and weights.tolist() == [0.75, 0.25]
    blocks = [(X.tolist(), np.asarray(w).tolist()) for X, w in M.weighted_blocks()]
    assert blocks == [([[1] * 30, [-1] * 30], [0.25, 0.75])]
    assert Mixture([F, Uniform(30)], [2, 1]).enumeration_size is None


def test_enumeration_size_and_large_subcubes():
    """A sub-cube of a large cube with few free coordinates can be walked."""
    D = Subcube(100, {i: 1 for i in range(95)})
    assert D.enumeration_size == 32
    blocks = list(D.weighted_blocks())
    X = np.concatenate([b[0] for b in blocks])
    assert X.shape == (32, 100) and (X[:, :95] == 1).all()
    assert len({row.tobytes() for row in X}) == 32
    assert all(b[1] == 1 / 32 for b in blocks)
    assert Uniform(21).enumeration_size is None
    assert Product([0.5] * 21).enumeration_size is None
    assert Product([0.5] * 20 + [1.0] * 30).enumeration_size == 2 ** 20
    with pytest.raises(TooLargeError, match="Sample from it instead"):
        Uniform(21).weighted_blocks()


def test_pmf_on_cube_refuses_large_d():
    for D in (Uniform(21), Product([0.5] * 21), Subcube(30, {0: 1})):
        with pytest.raises(TooLargeError, match="2\\^20"):
            D.pmf_on_cube()


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_json_round_trip(name):
    D = EXAMPLES[name]
    data = json.loads(json.dumps(D.to_dict()))
    assert data["version"] == 1
    back = distribution_from_dict(data)
    assert back == D and type(back) is type(D) and hash(back) == hash(D)
    np.testing.assert_array_equal(back.pmf_on_cube(), D.pmf_on_cube())
    assert type(D).from_dict(data) == D


@given(st.lists(st.integers(0, 8), min_size=1, max_size=6))
def test_product_pmf_property(grid):
    """For any p on a grid of eighths (0 and 1 included), pmf_on_cube is the
    product of the coordinate masses, row by row, and sums to 1."""
    p = np.array(grid) / 8
    pmf = Product(p).pmf_on_cube()
    X = pd.cube.enumerate(len(p))
    naive = np.array([np.prod([pi if xi == 1 else 1 - pi for pi, xi in zip(p, row, strict=True)])
                      for row in X])
    np.testing.assert_allclose(pmf, naive, rtol=1e-12, atol=0)
    assert pmf.sum() == pytest.approx(1.0)


BAD = [
    ("uniform-d0", lambda: Uniform(0), InvalidParameterError, "'d'"),
    ("uniform-float-d", lambda: Uniform(2.0), InvalidParameterError, "2.0"),
    ("uniform-bool-d", lambda: Uniform(True), InvalidParameterError, "True"),
    ("product-above-1", lambda: Product([0.5, 1.5]), InvalidParameterError, "1.5"),
    ("product-negative", lambda: Product([-0.1]), InvalidParameterError, "-0.1"),
    ("product-nan", lambda: Product([0.5, float("nan")]), InvalidParameterError, "nan"),
    ("product-empty", lambda: Product([]), InvalidParameterError, "non-empty"),
    ("product-2d", lambda: Product([[0.5]]), InvalidParameterError, "'p'"),
    ("product-text", lambda: Product("0.5"), InvalidParameterError, "'p'"),
    ("subcube-var-range", lambda: Subcube(3, {3: 1}), InvalidParameterError, "Got 3"),
    ("subcube-negative-var", lambda: Subcube(3, {-1: 1}), InvalidParameterError, "Got -1"),
    ("subcube-sign", lambda: Subcube(3, {0: 0}), InvalidParameterError, "Got 0"),
    ("subcube-bool-sign", lambda: Subcube(3, {0: True}), InvalidParameterError, "True"),
    ("subcube-conflict", lambda: Subcube(3, [(0, 1), (0, -1)]), InvalidParameterError,
     "both"),
    ("subcube-not-pairs", lambda: Subcube(3, [1, 2]), InvalidParameterError, "pairs"),
    ("mixture-empty", lambda: Mixture([]), InvalidParameterError, "non-empty"),
    ("mixture-d", lambda: Mixture([Uniform(2), Uniform(3)]), InvalidParameterError,
     "d = 3"),
    ("mixture-not-dist", lambda: Mixture([Uniform(2), 5]), InvalidParameterError, "5"),
    ("mixture-negative-weight", lambda: Mixture([Uniform(2)] * 2, [1, -1]),
     InvalidParameterError, "-1"),
    ("mixture-zero-weights", lambda: Mixture([Uniform(2)] * 2, [0, 0]),
     InvalidParameterError, "positive sum"),
    ("mixture-weight-count", lambda: Mixture([Uniform(2)] * 2, [1]), InvalidParameterError,
     "2 weights"),
    ("mixture-inf-weight", lambda: Mixture([Uniform(2)] * 2, [1, np.inf]),
     InvalidParameterError, "inf"),
    ("finite-empty", lambda: FiniteSupport(np.zeros((0, 3))), InvalidInputError,
     "at least one point"),
    ("finite-not-pm1", lambda: FiniteSupport([[1, 0]]), InvalidInputError, "column 1"),
    ("finite-ragged", lambda: FiniteSupport([[1, 1], [1]]), InvalidInputError, "points"),
    ("finite-1d", lambda: FiniteSupport([1, -1]), InvalidInputError, "2-d"),
    ("finite-weight-nan", lambda: FiniteSupport([[1], [-1]], [1, np.nan]),
     InvalidParameterError, "nan"),
    ("empirical-empty", lambda: Empirical([]), InvalidInputError, "'X'"),
    ("empirical-width-0", lambda: Empirical(np.zeros((3, 0))), InvalidInputError,
     "at least one point"),
]


@pytest.mark.parametrize("make, error, fragment", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_invalid_parameters_are_rejected_with_the_value(make, error, fragment):
    with pytest.raises(error) as info:
        make()
    assert fragment in str(info.value)
    assert isinstance(info.value, pd.errors.PacDistillError)


def test_sample_and_pmf_validate_arguments():
    D = Uniform(3)
    with pytest.raises(InvalidParameterError, match="'n'"):
        D.sample(-1, rng=0)
    with pytest.raises(InvalidParameterError, match="'rng'"):
        D.sample(3, rng="seed")
    with pytest.raises(InvalidInputError, match="3 columns"):
        D.pmf([[1, 1]])


BAD_JSON = [
    ("not-a-dict", [1, 2]),
    ("unknown-kind", {"distribution": "gaussian", "version": 1}),
    ("wrong-version", {"distribution": "uniform", "version": 2, "d": 3}),
    ("bool-version", {"distribution": "uniform", "version": True, "d": 3}),
    ("missing-field", {"distribution": "uniform", "version": 1}),
    ("extra-field", {"distribution": "uniform", "version": 1, "d": 3, "p": []}),
    ("float-d", {"distribution": "uniform", "version": 1, "d": 3.0}),
    ("bool-in-p", {"distribution": "product", "version": 1, "p": [True]}),
    ("p-out-of-range", {"distribution": "product", "version": 1, "p": [2.0]}),
    ("fixed-not-pairs", {"distribution": "subcube", "version": 1, "d": 3, "fixed": [[0]]}),
    ("points-not-pm1", {"distribution": "finite_support", "version": 1, "points": [[0]],
                        "weights": [1.0]}),
    ("components-not-list", {"distribution": "mixture", "version": 1, "components": 3,
                             "weights": [1.0]}),
    ("bad-component", {"distribution": "mixture", "version": 1,
                       "components": [{"distribution": "uniform", "version": 1, "d": 0}],
                       "weights": [1.0]}),
]


@pytest.mark.parametrize("data", [b[1] for b in BAD_JSON], ids=[b[0] for b in BAD_JSON])
def test_malformed_json_is_a_serialization_error(data):
    with pytest.raises(SerializationError):
        distribution_from_dict(data)


@pytest.mark.parametrize("k, chunk", [(0, 4), (1, 1), (3, 3), (5, 8), (5, 100), (17, 1 << 16)])
def test_fast_cube_walk_matches_enumeration(k, chunk):
    """The fast walker behind exact computations yields exactly the rows of
    cube.enumerate(k), in order, in blocks of at most ``chunk`` rows."""
    from pacdistill.distributions import _walk_cube

    blocks = list(_walk_cube(k, chunk))
    assert all(len(b) <= chunk and b.dtype == np.int8 for _, b in blocks)
    assert [s for s, _ in blocks] == list(np.cumsum([0] + [len(b) for _, b in blocks[:-1]]))
    assert np.array_equal(np.concatenate([b for _, b in blocks]), pd.cube.enumerate(k))
