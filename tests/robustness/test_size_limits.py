"""Sizes past a documented limit are refused quickly, with the limit named
(issue 9, deliverable 4): TooLargeError, never a MemoryError, an overflow deep
inside numpy, or minutes of work. Exhaustive routines suggest sampling.

Each call is timed with a functional bound (``FAST`` seconds): a refusal
computes nothing, so it returns at once on any machine.
"""

import time

import pytest
from _timing import quick

import pacdistill as pd
from pacdistill.errors import TooLargeError
from pacdistill.reductions._registry import REGISTRY

#: seconds within which a refusal must come (it computes nothing)
FAST = 2.0
HUGE = 10**30


def refused(call, *, match=None):
    """Run ``call``; it must raise TooLargeError within FAST seconds."""
    with quick(FAST), pytest.raises(TooLargeError, match=match) as info:
        call()
    return info.value


# -- DNF / CNF: the literal matrix has a column per variable that occurs -----------

@pytest.mark.parametrize("cls", [pd.DNF, pd.CNF])
def test_normal_form_on_a_huge_cube_costs_what_it_holds(cls):
    """d = 10^12 with one literal: no (s, d) matrix is allocated."""
    f = cls(10**12, [[(10**12 - 1, 1)], []])
    assert f.size() == {"d": 10**12, "s": 2, "w": 1}
    assert cls(HUGE, []).size()["d"] == HUGE


@pytest.mark.parametrize("cls", [pd.DNF, pd.CNF])
def test_normal_form_past_the_literal_matrix_limit(cls):
    n = 9000  # 9000 sets x 9000 distinct variables > 2^26 entries
    sets = [[(i, 1)] for i in range(n)]
    refused(lambda: cls(n, sets), match="MAX_LITERAL_CELLS")


# -- random models: every size <= MAX_RANDOM_SIZE, at most MAX_RANDOM_CELLS numbers --

RANDOM_TOO_LARGE = [
    ("conjunction", dict(d=HUGE, k=1)),
    ("parity", dict(d=10**9, k=1)),
    ("junta", dict(d=HUGE, k=1)),
    ("decision_tree", dict(d=HUGE, depth=1)),
    ("decision_list", dict(d=3, l=HUGE)),
    ("decision_list", dict(d=2**24, l=2**24, w=4)),
    ("dnf", dict(d=3, s=HUGE, w=1)),
    ("dnf", dict(d=2**20, s=2**20, w=64)),
    ("cnf", dict(d=2**24, s=2**14, w=2**13)),
    ("halfspace", dict(d=10**9)),
    ("relu_network", dict(d=3, L=HUGE, m=HUGE)),
    ("relu_network", dict(d=2**20, m=2**10)),
    ("relu_network", dict(d=3, widths=[2**13, 2**13, 2**13])),
    ("lookup_table", dict(d=HUGE)),
]


@pytest.mark.parametrize("name,params", RANDOM_TOO_LARGE,
                         ids=[f"{n}-{'-'.join(map(str, p))}" for n, p in RANDOM_TOO_LARGE])
def test_random_models_refuse_huge_sizes(name, params):
    refused(lambda: pd.CLASSES[name].random(0, **params))


def test_random_size_errors_render_giant_ints():
    """An int past Python's 4300-digit str limit is named by its bit length."""
    err = refused(lambda: pd.CLASSES["parity"].random(0, d=10**5000, k=1))
    assert "16610 bits" in str(err)
    err = refused(lambda: pd.cube.enumerate(10**5000))
    assert "sampling" in str(err)


# -- sampling: one array of at most MAX_SAMPLE_CELLS entries; Monte Carlo budgets ---

@pytest.mark.parametrize("make", [
    lambda: pd.distributions.Uniform(HUGE).sample(1, rng=0),
    lambda: pd.distributions.Uniform(40).sample(10**12, rng=0),
    lambda: pd.distributions.Subcube(10**10, {0: 1}).sample(1000, rng=0),
    lambda: pd.distributions.Product([0.5] * 64).sample(HUGE, rng=0),
], ids=["uniform-huge-d", "uniform-huge-n", "subcube", "product"])
def test_sample_refuses_arrays_past_the_limit(make):
    refused(make, match="MAX_SAMPLE_CELLS")


@pytest.mark.parametrize("call", [
    lambda f: pd.checkers.disagreement(f, f, n=10**15, rng=0),
    lambda f: pd.checkers.equivalent(f, f, n=HUGE, rng=0),
], ids=["disagreement", "equivalent"])
def test_monte_carlo_budget(call):
    f = pd.Parity(40, [0, 3])
    refused(lambda: call(f), match="MAX_SAMPLED_CELLS")


@pytest.mark.parametrize("cls", ["Mixture", "FiniteSupport"])
def test_weights_whose_sum_overflows_are_normalised(cls):
    """Finite weights summing past float64's range (1e308 + 1e308) are a valid
    distribution, not a NaN-weighted one."""
    if cls == "Mixture":
        U = pd.distributions.Uniform(2)
        D = pd.distributions.Mixture([U, pd.distributions.Subcube(2, {0: 1})], [1e308, 1e308])
    else:
        D = pd.distributions.FiniteSupport([[1, 1], [-1, 1]], [1e308, 1e308])
    assert D.weights.tolist() == [0.5, 0.5]
    assert abs(D.pmf_on_cube().sum() - 1.0) < 1e-12


# -- bounds: astronomically large counts and factorial-like functions ---------------

@pytest.mark.parametrize("params", [
    dict(cls="lookup_table", d=HUGE),         # ln|G| = 2^d ln 2
    dict(cls="junta", d=HUGE, k=HUGE // 10),  # ln C(d, k) + 2^k ln 2
], ids=["lookup_table", "junta"])
def test_samples_needed_past_the_count_limit(params):
    """Neither 2^(10^30) nor C(10^30, 10^29) is built as an exact integer."""
    refused(lambda: pd.bounds.samples_needed("realizable_finite", eps=0.1, delta=0.1,
                                             **params), match="MAX_COUNT_DIGITS")


def test_samples_needed_with_a_huge_binomial_is_fast_and_right():
    """ln C(d, k) with d = 10^12 is evaluated through the gamma function: the
    count matches Stirling's ln C(d, k) ~ d H(k/d) to 6 digits."""
    import math

    with quick(FAST):
        n = pd.bounds.samples_needed("realizable_finite", eps=0.5, delta=0.5, cls="junta",
                                     d=10**12, k=20)
    d, k = 10**12, 20
    log_binom = math.lgamma(d + 1) - math.lgamma(k + 1) - math.lgamma(d - k + 1)
    expected = (log_binom + 2**k * math.log(2) + math.log(2)) / 0.5
    assert abs(n - expected) / expected < 1e-6


def test_guarantee_json_with_a_giant_integer():
    """A Python int past 4300 digits in a Guarantee document is a SerializationError
    (its str() raised ValueError)."""
    from pacdistill.errors import SerializationError

    doc = pd.default_web().reductions["junta_to_tree"].guarantee.to_dict()
    with pytest.raises(SerializationError, match="digits"):
        pd.bounds.Guarantee.from_dict({**doc, "time": 10**5000})


# -- the exhaustive routines: each refuses past its documented limit, suggesting --
# -- sampling (or, for the subset searches, queries)                             --

def _erm(d, k, **kw):
    from pacdistill.reductions.erm_junta import erm_junta

    return erm_junta(pd.Parity(d, list(range(d))), k=k, eps=0.1, delta=0.1, rng=0, **kw)


def _learn(d, k, **kw):
    from pacdistill.reductions.learn_junta import learn_junta

    return learn_junta(pd.Parity(d, list(range(d))), k=k, eps=0.1, delta=0.1, rng=0, **kw)


def _to_table(d, **kw):
    from pacdistill.reductions.to_lookup_table import to_lookup_table

    return to_lookup_table(pd.Parity(d, [0]), **kw)


EXHAUSTIVE = [
    # (id, call, what the message must mention)
    ("cube.enumerate", lambda: pd.cube.enumerate(40), "sampling"),
    ("cube.chunks", lambda: next(pd.cube.chunks(40)), "sampling"),
    ("cube.index", lambda: pd.cube.index([[1] * 63]), "62"),
    ("LookupTable", lambda: pd.LookupTable(40, [1]), "limit"),
    ("LookupTable.from_model", lambda: pd.LookupTable.from_model(pd.Parity(40, [0])),
     "sampling"),
    ("LookupTable.from_model-max_d", lambda: pd.LookupTable.from_model(
        pd.Parity(30, [0]), max_d=24), "sampling"),
    ("Junta-k", lambda: pd.Junta(40, list(range(30)), [1]), "limit"),
    ("to_lookup_table", lambda: _to_table(30), "sampling"),
    ("pmf_on_cube", lambda: pd.distributions.Uniform(40).pmf_on_cube(), "sampling"),
    ("pmf_on_cube-product",
     lambda: pd.distributions.Product([0.5] * 40).pmf_on_cube(), "sampling"),
    ("weighted_blocks", lambda: pd.distributions.Subcube(40, {0: 1}).weighted_blocks(),
     "Sample"),
    ("disagreement-exact", lambda: pd.checkers.disagreement(
        pd.Parity(40, [0]), pd.Parity(40, [1]), method="exact"), "monte_carlo"),
    ("decision_tree.random-depth", lambda: pd.CLASSES["decision_tree"].random(
        0, d=40, depth=30), "limit"),
    ("erm_junta", lambda: _erm(40, 20, n=1000), "distill_junta"),
    ("erm_junta-catalog-n", lambda: _erm(40, 12), "distill_junta"),
    ("learn_junta", lambda: _learn(40, 15, n=1000), "distill_junta"),
    ("learn_junta-catalog-n", lambda: _learn(60, 20), "distill_junta"),
]


@pytest.mark.parametrize("call,mention", [(c, m) for _, c, m in EXHAUSTIVE],
                         ids=[i for i, _, _ in EXHAUSTIVE])
def test_exhaustive_routines_refuse_quickly(call, mention):
    err = refused(call)
    assert mention in str(err)


def test_equivalent_beyond_the_limit_samples_instead():
    """equivalent() does not refuse d = 40: it says its answer is randomized."""
    res = pd.checkers.equivalent(pd.Parity(40, [0, 1]), pd.Parity(40, [1, 0]), rng=0, n=2000)
    assert res.equal and not res.exhaustive and res.n == 2000


# -- dense outputs of exact conversions: at most MAX_MODEL_CELLS numbers -----------

D_HUGE = 10**12


def _tree_on(d):
    return pd.DecisionTree.from_nested(d, {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}})


def _route(source, target, names):
    return next(r for r in pd.default_web().routes(source, target, limit=None)
                if r.names == names)


DENSE = [
    # (id, call): each was a bare MemoryError at d = 10^12 (a dense d-vector or m x d layer)
    ("conjunction_to_halfspace", lambda: REGISTRY["conjunction_to_halfspace"].run(
        pd.Conjunction(D_HUGE, [(0, 1)]))),
    ("decision_list_to_halfspace", lambda: REGISTRY["decision_list_to_halfspace"].run(
        pd.DecisionList(D_HUGE, [([(0, 1)], 1)], -1))),
    ("dnf_to_relu", lambda: REGISTRY["dnf_to_relu"].run(pd.DNF(D_HUGE, [[(0, 1)]]))),
    ("parity_to_relu", lambda: REGISTRY["parity_to_relu"].run(pd.Parity(D_HUGE, [0]))),
    ("tree_to_relu", lambda: REGISTRY["tree_to_relu"].run(_tree_on(D_HUGE))),
    ("Route.run", lambda: _route("conjunction", "halfspace",
                                 ("conjunction_to_decision_list", "decision_list_to_halfspace")
                                 ).run(pd.Conjunction(D_HUGE, [(0, 1)]))),
    ("planted_network", lambda: pd.distill.planted_network(_tree_on(D_HUGE))),
]


@pytest.mark.parametrize("call", [c for _, c in DENSE], ids=[i for i, _ in DENSE])
def test_dense_conversions_refuse_huge_d(call):
    err = refused(call, match="MAX_MODEL_CELLS")
    assert str(D_HUGE) in str(err) and "Keep the" in str(err)  # d, and the alternative


def test_dense_conversion_at_the_limit_still_runs():
    """The refusal is a limit, not a ban on large d: a halfspace of 2^20 weights."""
    h = REGISTRY["conjunction_to_halfspace"].run(pd.Conjunction(2**20, [(5, -1)])).model
    assert h.d == 2**20 and h.weights[5] == -1.0


# -- query distillation: its arrays of query points (t, 2^k or final_check rows x d) --

def test_distill_junta_refuses_huge_d():
    """MAX_QUERIES was checked but not the n x d arrays of query points: d = 10^12
    was a MemoryError (one point alone is 10^12 bytes)."""
    err = refused(lambda: pd.distill_junta(pd.Parity(D_HUGE, [0]), k=1, delta=0.1),
                  match="MAX_SAMPLE_CELLS")
    assert str(D_HUGE) in str(err) and "distill_junta" in str(err)
    refused(lambda: REGISTRY["query_junta[parity]"].run(pd.Parity(D_HUGE, [0]), k=1,
                                                         delta=0.1), match="query_junta")


def test_distill_junta_names_final_check_when_it_is_the_excess():
    err = refused(lambda: pd.distill_junta(pd.Parity(10**6, [0]), k=1, delta=0.1,
                                           final_check=10**4), match="final_check <= 1073")
    assert "Uniform.sample" not in str(err)


def test_random_features_size_is_bounded():
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"'m' parameter of random_features must be an integer in "
                             r"\[1, 16777216\]"):
        pd.distill.random_features(pd.Parity(3, [0]), 10**12)


# -- the CLI: exit 2 with the option named, never a traceback -----------------------

def _cli(argv):
    import contextlib
    import io

    from pacdistill.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert time.perf_counter() - start < 10  # a refusal, not the work
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-sizes")
    pd.CLASSES["relu_network"].random(0, d=3, m=2).to_npz(root / "net.npz")
    (root / "tree.json").write_text(pd.CLASSES["decision_tree"].random(0, d=4, depth=2)
                                    .to_json())
    (root / "bigpar.json").write_text(pd.Parity(10**30, [0]).to_json())
    import io
    import zipfile

    import numpy as np

    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (1048576, 1048576), }"
    with zipfile.ZipFile(root / "hugehdr.npz", "w") as archive:  # a header, no data
        archive.writestr("W0.npy", b"\x93NUMPY\x01\x00" + (len(text) + 1).to_bytes(2, "little")
                         + text.encode() + b"\n")
        for key, shape in (("b0", (1,)), ("W1", (1, 1)), ("b1", (1,))):
            item = io.BytesIO()
            np.save(item, np.zeros(shape))
            archive.writestr(f"{key}.npy", item.getvalue())
    return root


@pytest.mark.parametrize("argv,mention", [
    (["distill", "tree", "--model", "{root}/net.npz", "--depth", "2",
      "--samples", "100000000000000"], "'--samples' parameter of distill tree"),
    (["distill", "junta", "--model", "{root}/tree.json", "--k", "2",
      "--check", "100000000000000"], "'--check' parameter of distill junta"),
    (["distill", "junta", "--model", "{root}/bigpar.json", "--k", "1"], "MAX_SAMPLE_CELLS"),
    (["distill", "junta", "--model", "{root}/bigpar.json", "--k", "1", "--check", "0"],
     "MAX_SAMPLE_CELLS"),
    (["distill", "tree", "--model", "{root}/hugehdr.npz", "--depth", "2"], "MAX_MODEL_CELLS"),
], ids=["tree-samples", "junta-check", "junta-d-1e30", "junta-d-1e30-no-check",
        "tree-npz-header-2^40"])
def test_cli_sample_options_are_named(cli_files, argv, mention):
    """These were 'Uniform.sample(...) ... Draw the sample in smaller batches' (an
    API the CLI user never called) or a ValueError traceback (d = 10^30)."""
    code, err = _cli([a.format(root=cli_files) for a in argv])
    assert code == 2 and mention in err, err
    assert "Uniform.sample" not in err
