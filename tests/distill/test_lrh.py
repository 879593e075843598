"""pd.distill_tree: LRH tree distillation on planted networks (THEORY §5; issue 5).

Acceptance (issue 5): random complete trees (d up to 100, depth up to 5) turned into
planted networks -- as built, with a random orthogonal mixing of the hidden layer,
and mixed with small Gaussian noise -- are recovered exactly (equal on the whole cube
when d <= 16, on 20,000 fresh samples otherwise) in >= 99% of seeded trials; with the
representation replaced by random features of the same width, the result says that
no tree met the target.
"""

from __future__ import annotations

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.distill import planted_network, random_features

#: Trees in the acceptance test; each is distilled in all three planted variants.
TRIALS = 100
#: Standard deviation of the noise of the third variant (the units are 0/1).
NOISE = 0.1


def _same_function(found, tree, rng):
    """Equal on the whole cube for d <= 16, else on 20,000 fresh uniform samples."""
    d = tree.d
    X = pd.cube.enumerate(d) if d <= 16 else pd.distributions.Uniform(d).sample(20_000, rng)
    return bool((found.predict(X) == tree.predict(X)).all())


def _trial(t):
    """Tree t of the acceptance test: d in [4, 16] for even t (checked on the whole
    cube), in [17, 100] for odd t; depth 1..5 in turn (at most d)."""
    rng = np.random.default_rng([5, t])
    d = int(rng.integers(4, 17)) if t % 2 == 0 else int(rng.integers(17, 101))
    depth = min(1 + t % 5, d)
    tree = pd.CLASSES["decision_tree"].random(rng, d=d, depth=depth)
    n = 1000 + 64 * 2**depth          # about 32 fit rows per leaf region at depth 5
    X = pd.distributions.Uniform(d).sample(n, rng)
    return rng, tree, X


@pytest.mark.slow
def test_planted_trees_are_recovered_exactly():
    """All 3 * TRIALS planted distillations recover the tree exactly.

    The issue asks for >= 99% of seeded trials; we require every one (0 failures of
    300). What the observed count supports (exact binomial, Clopper-Pearson): if a
    variant's per-trial success probability were below 0.97, seeing 100 successes of
    100 would have probability < 0.97^100 < 0.048; pooled over the 300 trials,
    a success probability below 0.99 gives 300/300 with probability < 0.99^300 < 0.05.
    The trials are seeded, so the test is deterministic; a correct implementation
    fails it only if a planted instance is statistically hard at its sample size
    (a leaf region with ~96 expected rows of the n drawn; the chance that any of the
    <= 32 regions of a tree gets fewer than 12 of them is below 1e-12 by a Chernoff
    bound, far below 1e-6 over all 300 runs)."""
    failures = []
    for t in range(TRIALS):
        rng, tree, X = _trial(t)
        variants = {
            "as built": planted_network(tree),
            "mixed": planted_network(tree, mixing=True, rng=rng),
            "mixed + noise": planted_network(tree, mixing=True, noise=NOISE, rng=rng),
        }
        for name, model in variants.items():
            result = pd.distill_tree(model, X, depth=tree.depth, rng=t, target=1.0)
            if not (result.met_target and _same_function(result.tree, tree, rng)):
                failures.append((t, name, tree.d, tree.depth, result.message))
    assert not failures, failures


def test_random_features_honestly_fail():
    """Pure-noise features of the planted width: no tree of the frontier reaches the
    target, and the result says so instead of presenting one as meeting it."""
    rng = np.random.default_rng(11)
    tree = pd.DecisionTree.from_nested(50, {
        "var": 3, "plus": {"var": 17, "plus": {"leaf": 1}, "minus": {"leaf": -1}},
        "minus": {"var": 40, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    model = random_features(tree, m=tree.n_nodes, rng=rng)
    X = pd.distributions.Uniform(50).sample(4000, rng)
    calls = []
    result = pd.distill_tree(model, X, depth=2, rng=0,
                             progress=lambda done, total: calls.append((done, total)))
    assert not result.met_target
    # progress continues through the widened search instead of starting over; each
    # search stops at depth 1, where no split is read (so its count jumps to done)
    assert calls == [(2, 2), (4, 4)]
    assert [level["kept_splits"] for level in result.report["depths"]] == [0]
    assert result.report["fidelity"] < 0.99 == result.report["target"]
    assert result.message.startswith("No tree of depth <= 2")
    assert result.tree == result.frontier.best.tree
    assert all(p.fidelity < 0.99 for p in result.frontier)
    # the default beam widened once, then gave up honestly
    assert [a["beam"] for a in result.report["attempts"]] == [32, 128]
    assert not any(a["met_target"] for a in result.report["attempts"])
    assert "Beams tried: 32, 128" in result.message


def test_report_and_frontier_contents():
    tree = pd.CLASSES["decision_tree"].random(1, d=20, depth=3)
    X = pd.distributions.Uniform(20).sample(3000, rng=2)
    result = pd.distill_tree(planted_network(tree), X, depth=3, rng=0)
    rep = result.report
    assert rep["samples_used"] == 3000 and rep["queries_used"] == 0
    assert rep["n_fit"] + rep["n_val"] == 3000 and rep["m"] == tree.n_nodes
    assert set(rep["timings"]) >= {"activations", "factorisation", "probing", "dp", "total"}
    assert [level["depth"] for level in rep["depths"]] == [1, 2, 3]
    assert len(rep["attempts"]) == 1 and rep["beam"] == 32       # met at the first beam
    grid = np.logspace(-3, 3, 13)        # probing.lambda_grid in units of the Gram scale
    for level in rep["depths"]:
        assert level["lambda"] > 0 and level["kept_splits"] >= 1
        # the penalty is chosen on the scale-free grid (THEORY §5: lambda in units of
        # the Gram matrix's entries; a grid in absolute units passed the other tests)
        assert np.isclose(grid, level["lambda_over_scale"], rtol=1e-9).any()
        assert level["lambda"] == pytest.approx(level["lambda_over_scale"] * rep["gram_scale"])
        # THEORY §5 step 2: each parent at depth j has 2 (d - j) children, one per
        # literal on an unused variable (a search extending ANDs by their own
        # variables kept copies of their parents and passed the other tests)
        assert level["candidates"] == level["parents"] * 2 * (20 - (level["depth"] - 1))
        for kept in level["kept"]:
            assert len(kept["and"]) == level["depth"] and kept["mse"] >= 0
            assert len({i for i, _ in kept["and"]}) == level["depth"]
    # the root split of the true tree is kept at depth 1 with (near) zero error
    root = int(tree.feature[0])
    assert [[root, 1]] in [k["and"] for k in rep["depths"][0]["kept"]]
    assert result.frontier.best.fidelity == 1.0
    assert result.tree.n_leaves == min(p.leaves for p in result.frontier if p.fidelity >= 0.99)
    assert str(result).startswith("Found a tree with")


def test_same_seed_same_result_and_adapters_agree():
    """Deterministic given rng; a from_callables wrapper of the same functions gives
    the same tree and report numbers."""
    tree = pd.CLASSES["decision_tree"].random(4, d=15, depth=2)
    net = planted_network(tree, mixing=True, rng=0)
    X = pd.distributions.Uniform(15).sample(2000, rng=5)
    a = pd.distill_tree(net, X, depth=2, rng=3)
    b = pd.distill_tree(net, X, depth=2, rng=3)
    c = pd.distill_tree(pd.distill.from_callables(net.predict, net.activations, d=15), X,
                        depth=2, rng=3)
    assert a.tree == b.tree == c.tree
    assert a.report["depths"] == b.report["depths"] == c.report["depths"]


def test_beam_caps_the_kept_splits_and_tau_thresholds():
    tree = pd.CLASSES["decision_tree"].random(7, d=12, depth=2)
    net = planted_network(tree, mixing=True, noise=0.05, rng=0)
    X = pd.distributions.Uniform(12).sample(3000, rng=1)
    capped = pd.distill_tree(net, X, depth=2, rng=0, beam=1, margin=10.0)
    assert all(level["kept_splits"] == 1 for level in capped.report["depths"])
    assert capped.report["depths"][0]["capped"]
    # the cap keeps the best-scoring split: the tree's root split (a cap keeping the
    # worst splits passed every other non-slow test)
    root = int(tree.feature[0])
    assert sorted(k["and"] for k in capped.report["depths"][0]["kept"]) == [
        [[root, -1]], [[root, 1]]]
    loose = pd.distill_tree(net, X, depth=2, rng=0, tau=10.0, beam=1000)
    assert loose.report["depths"][0]["kept_splits"] == 12          # every split of the root
    strict = pd.distill_tree(net, X, depth=2, rng=0, tau=1e-12)
    assert strict.report["depths"][0]["kept_splits"] == 0
    assert strict.tree.n_leaves == 1 and len(strict.report["depths"]) == 1


class _NoActivations:
    n_inputs = 4

    def predict(self, X):
        return np.ones(len(X), dtype=np.int8)


def _nan_model(d=4):
    return pd.distill.from_callables(lambda X: np.ones(len(X), dtype=np.int8),
                                     lambda X: np.where(X[:, :1] > 0, np.nan, 1.0), d=d)


_TREE = pd.DecisionTree.from_nested(4, {"var": 1, "plus": {"leaf": 1}, "minus": {"leaf": -1}})
_X = pd.cube.enumerate(4)

BAD = [
    ("no activations", _NoActivations(), _X, {"depth": 1},
     pd.errors.InvalidParameterError, "no activations"),
    ("a tree, not a network", _TREE, _X, {"depth": 1},
     pd.errors.InvalidParameterError, "DecisionTree, which has no activations"),
    ("NaN activations", _nan_model(), _X, {"depth": 1},
     pd.errors.InvalidInputError, "non-finite value nan at row 0, column 0"),
    ("input width", planted_network(_TREE), np.ones((16, 5)), {"depth": 1},
     pd.errors.InvalidInputError, "must have 4 columns"),
    # an adapter whose functions check nothing: only distill_tree's own check of X
    # against the declared width stands (the planted network's predict refused the
    # wide X by itself, so dropping that check passed the row above)
    ("input width, adapter", pd.distill.from_callables(lambda X: X[:, 0], lambda X: X * 1.0,
                                                       d=4),
     np.ones((16, 5)), {"depth": 1}, pd.errors.InvalidInputError,
     "'X' parameter of distill_tree must have 4 columns"),
    ("depth > d", planted_network(_TREE), _X, {"depth": 5},
     pd.errors.InvalidParameterError,
     r"'depth' parameter of distill_tree must be an integer in \[1, 4\]. Got 5"),
    ("beam 0", planted_network(_TREE), _X, {"depth": 1, "beam": 0},
     pd.errors.InvalidParameterError,
     "'beam' parameter of distill_tree must be an integer >= 1. Got 0"),
    ("X not in ±1", planted_network(_TREE), np.zeros((16, 4)), {"depth": 1},
     pd.errors.InvalidInputError, r"only -1 and \+1.*Got the value 0"),
    ("too few rows", planted_network(_TREE), _X[:6], {"depth": 1},
     pd.errors.InvalidInputError, "enough rows"),
    ("target", planted_network(_TREE), _X, {"depth": 1, "target": 1.5},
     pd.errors.InvalidParameterError, "'target' parameter"),
    ("tau", planted_network(_TREE), _X, {"depth": 1, "tau": -1},
     pd.errors.InvalidParameterError, "'tau' parameter"),
]


@pytest.mark.parametrize(("model", "X", "kwargs", "error", "match"),
                         [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_is_a_clear_error(model, X, kwargs, error, match):
    with pytest.raises(error, match=match):
        pd.distill_tree(model, X, **kwargs)


def test_labels_must_be_pm_one():
    model = pd.distill.from_callables(lambda X: np.zeros(len(X)), lambda X: X * 1.0, d=4)
    with pytest.raises(pd.errors.InvalidInputError, match="labels -1 and \\+1. Got 0.0"):
        pd.distill_tree(model, _X, depth=1)


def test_scoring_in_blocks_of_parents_gives_the_same_result(monkeypatch):
    """The probes of a depth are scored in blocks of parents of at most _BLOCK
    stacked entries (2^21 floats: the small tests here fit in one block, the
    wide search of the memory test below does not). With one
    parent a block, every depth keeps the same splits with the same validation
    MSEs and lambda, and the tree is the same."""
    from pacdistill.distill import lrh

    tree = pd.CLASSES["decision_tree"].random(1, d=12, depth=3)
    X = pd.distributions.Uniform(12).sample(2000, rng=2)
    net = planted_network(tree, mixing=True, rng=0)
    whole = pd.distill_tree(net, X, depth=3, rng=0)
    monkeypatch.setattr(lrh, "_BLOCK", 1)
    blocks = pd.distill_tree(net, X, depth=3, rng=0)
    assert [len(level["kept"]) for level in whole.report["depths"]] == [2, 8, 12]
    for a, b in zip(whole.report["depths"], blocks.report["depths"], strict=True):
        assert [k["and"] for k in a["kept"]] == [k["and"] for k in b["kept"]]
        assert [k["mse"] for k in b["kept"]] == pytest.approx([k["mse"] for k in a["kept"]],
                                                              rel=1e-9, abs=1e-12)
        assert a["lambda"] == pytest.approx(b["lambda"], rel=1e-12)
    assert blocks.tree == whole.tree and pd.checkers.equivalent(whole.tree, tree).equal


def test_a_constant_model_gives_one_leaf_in_good_english():
    """A constant model: the one-leaf tree, named '1 leaf' (it said '1 leaves')."""
    model = pd.distill.from_callables(lambda X: -np.ones(len(X)), lambda X: X * 1.0, d=5)
    result = pd.distill_tree(model, pd.cube.enumerate(5), depth=2, rng=0)
    assert result.met_target and result.tree.n_leaves == 1
    assert result.message.startswith("Found a tree with 1 leaf (depth 0) agreeing")


def test_a_model_writing_into_its_input_changes_nothing():
    """Regression: the model was handed the caller's own array (check_points returns
    an int8 X as is), so a predict that writes into its input (here: x0 zeroed, as
    an in-place op on a torch.from_numpy view would) changed the points the
    activations, the probes and the DP then read, and the caller's X."""
    tree = pd.DecisionTree.from_nested(6, {"var": 0, "plus": {"leaf": 1}, "minus": {
        "var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    net = planted_network(tree)

    def predict(X):
        y = net.predict(X)
        X[:, 0] = 1                   # the model scribbles on its input
        return y

    model = pd.distill.from_callables(predict, net.activations, d=6)
    X = pd.cube.enumerate(6)
    before = X.copy()
    result = pd.distill_tree(model, X, depth=2, rng=0)
    assert np.array_equal(X, before)
    assert result.met_target and pd.checkers.equivalent(result.tree, tree).equal


@pytest.mark.parametrize("d", [4, 8, 12, 30])
def test_random_features_never_meet_the_target_at_small_d(d):
    """Regression: the margin rule is relative (within a share of the best-to-median
    gap), so on pure-noise features, where every split scores about 1, it still
    kept the 'best' splits, a random share of all of them (the widened search keeps
    half); the DP then learnt the tree from scratch over them and the result said
    'Found a tree ... meeting the target' for a representation that carries no
    information about x (before the fix 9 of these 20 trials did, with trees of 2-4
    leaves). The ceiling (CEILING = 0.5) keeps no split a probe does not read.
    Deterministic (seeded); noise features give every probe a normalised validation
    error near 1, far from 0.5 at 2,000 validation rows."""
    from pacdistill.distill.lrh import CEILING

    for seed in range(5):  # loop over seeded trials
        rng = np.random.default_rng(seed)
        tree = pd.CLASSES["decision_tree"].random(rng, d=d, depth=2)
        model = random_features(tree, m=tree.n_nodes, rng=rng)
        X = pd.distributions.Uniform(d).sample(4000, rng)
        result = pd.distill_tree(model, X, depth=2, rng=0)
        assert result.tree.n_leaves == 1, (seed, result.message)
        assert all(level["kept_splits"] == 0 for level in result.report["depths"])
        assert all(level["cutoff"] <= CEILING for level in result.report["depths"])
        if len(set(tree.predict(X).tolist())) > 1 and result.report["fidelity"] < 0.99:
            assert not result.met_target
            assert "the representation reads no literal" in result.message


def test_probing_memory_stays_bounded_on_a_wide_search():
    """Regression: blocks of 2^23 stacked floats made each block's scoring hold about
    six 64 MB arrays at once (the comment claimed 64 MB in all), and the whole
    representation was kept alive after factorising: 433 MB traced here (d = 100,
    256 hidden units, 200 parents at depth 2). Now 2^21-float blocks and phi freed:
    about 213 MB, of which 82 MB are the parents' statistics. numpy reports its
    allocations to tracemalloc, so the peak is deterministic up to allocator detail."""
    import tracemalloc

    net = pd.CLASSES["relu_network"].random(0, d=100, widths=[256])
    X = pd.distributions.Uniform(100).sample(2000, rng=1)
    tracemalloc.start()
    try:
        result = pd.distill_tree(net, X, depth=2, rng=0, beam=128, tau=10.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [level["kept_splits"] for level in result.report["depths"]] == [100, 128]
    assert peak < 300e6, peak


def test_a_miss_says_where_the_beam_cap_bound():
    """Regression: when no tree met the target, the message advised 'a larger beam'
    in general, while the report alone showed that the cap had bound (a trained
    depth-5 network at d = 40 missed 10 true ANDs at the default beams, capped at
    depths 2-5, and was recovered exactly with beam=512). The message now names the
    depths where the cap bound, and says nothing of it when the cap never bound."""
    tree = pd.CLASSES["decision_tree"].random(2, d=12, depth=3)
    X = pd.distributions.Uniform(12).sample(3000, rng=1)
    net = planted_network(tree, mixing=True, noise=0.05, rng=0)
    narrow = pd.distill_tree(net, X, depth=3, rng=0, beam=1, margin=10.0, target=1.0)
    capped = [level["depth"] for level in narrow.report["depths"] if level["capped"]]
    assert not narrow.met_target and capped
    assert (f"The beam cap (1 split per depth) bound at depth{'s' if len(capped) > 1 else ''} "
            f"{', '.join(map(str, capped))}") in narrow.message
    assert "larger beam (beam=, or --beam)" in narrow.message
    shallow = pd.distill_tree(net, X, depth=1, rng=0, target=1.0)
    assert not shallow.met_target and not shallow.report["depths"][0]["capped"]
    assert "beam cap" not in shallow.message


def test_a_met_target_states_its_band():
    """Regression: on 16 samples of a trained network the message said 'Found a tree
    ... agreeing with the model on 100.00% of the 16 samples, meeting the target
    99.00%' and nothing else, though its THEORY §7 band for the fidelity under D was
    [0.26, 1]: the target is met on the samples only. The message now states the
    band of the tree it reports (here 24 samples: the band starts below 0.5)."""
    tree = pd.DecisionTree.from_nested(20, {"var": 4, "plus": {"leaf": 1}, "minus": {
        "var": 9, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
    X = pd.distributions.Uniform(20).sample(24, rng=0)
    result = pd.distill_tree(planted_network(tree), X, depth=2, rng=0)
    point = result.frontier.smallest(0.99)
    assert result.met_target and point.low < 0.5
    assert (f"Its fidelity under the distribution the samples were drawn from is in "
            f"[{point.low:.2%}, {point.high:.2%}] (95% band, THEORY §7).") in result.message
    # delta sets the level: a 99% band, wider, said so (a run ignoring delta passed)
    sure = pd.distill_tree(planted_network(tree), X, depth=2, rng=0, delta=0.01)
    assert sure.frontier.delta == 0.01 and "(99% band, THEORY §7)" in sure.message
    wider = sure.frontier.smallest(0.99)
    assert wider.low < point.low and wider.fidelity == point.fidelity


def test_one_factorisation_serves_every_depth_and_the_widened_search(monkeypatch):
    """Issue 5 item 1 asks for one factorisation of the Gram matrix per depth; the
    implementation factorises once for the whole run (every depth, every penalty,
    both beams). A depth-3 search on a depth-4 planted tree misses the target, is
    widened, and probes 3 depths twice: still one eigendecomposition (a search
    that refactorised at every depth passed every other test)."""
    from pacdistill.distill import probing

    calls = []
    real = probing._eigh
    monkeypatch.setattr(probing, "_eigh", lambda G: calls.append(G.shape) or real(G))
    tree = pd.CLASSES["decision_tree"].random(3, d=10, depth=4)
    X = pd.distributions.Uniform(10).sample(2000, rng=0)
    result = pd.distill_tree(planted_network(tree), X, depth=3, rng=0, target=1.0)
    assert [a["beam"] for a in result.report["attempts"]] == [32, 128]
    assert len(result.report["depths"]) == 3
    assert len(calls) == 1


def _lopsided(sigma=0.2, seed=0):
    """A representation of x0 and of a = (x0 = +1) & (x1 = +1) with one noise draw
    g shared with opposite signs: phi = [x0 + sigma g, 1[a] - sigma g / 2]. The
    literal x0 is read with residual sigma g, the AND a with residual sigma g too,
    but its sibling (x0 = +1) & (x1 = -1), whose ±1 values are x0 - 2 1[a], only
    with residual 2 sigma g: a split whose two children are read unequally well
    (validation MSE about sigma^2 against 4 sigma^2)."""
    rng = np.random.default_rng(seed)
    tree = pd.DecisionTree.from_nested(4, {"var": 0, "minus": {"leaf": -1}, "plus": {
        "var": 1, "plus": {"leaf": 1}, "minus": {"leaf": -1}}})

    def phi(X):
        g = rng.standard_normal(len(X))
        a = ((X[:, 0] == 1) & (X[:, 1] == 1)).astype(float)
        return np.c_[X[:, 0] + sigma * g, a - sigma * g / 2]

    return pd.distill.from_callables(tree.predict, phi, d=4)


def test_the_threshold_rule_needs_both_children_within_tau():
    """THEORY §5's threshold rule keeps a split only if *both* children's probes have
    validation MSE <= tau (the DP needs both). On the lopsided representation the
    split of x0 = +1 on x1 has children at MSE ~0.04 and ~0.16: tau = 0.08 keeps the
    root split and rejects it, tau = 0.3 keeps it (a rule reading only the better
    child kept it at 0.08 too, and every other test passed)."""
    X = pd.distributions.Uniform(4).sample(4000, rng=1)
    strict = pd.distill_tree(_lopsided(), X, depth=2, rng=0, tau=0.08, beam=100)
    first, second = strict.report["depths"]
    assert sorted(k["and"] for k in first["kept"]) == [[[0, -1]], [[0, 1]]]
    assert second["kept_splits"] == 0
    assert all(k["mse"] <= 0.08 for level in strict.report["depths"] for k in level["kept"])
    loose = pd.distill_tree(_lopsided(), X, depth=2, rng=0, tau=0.3, beam=100)
    kept = {tuple(map(tuple, k["and"])): k["mse"] for k in loose.report["depths"][1]["kept"]}
    assert kept[((0, 1), (1, 1))] < 0.08 < kept[((0, 1), (1, -1))] <= 0.3
    assert loose.met_target and loose.tree.n_leaves == 3
