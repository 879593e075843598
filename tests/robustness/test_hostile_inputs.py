"""The hostile-input table (issue 9): one row per attack, with the exact error
class it must raise (``type(err) is expected``, not merely a subclass), and no
code executed from the input (the canary file of _fuzzing never appears).

Rows marked "(fixed)" raised something else, hung or exhausted memory before
the robustness work; the commit that fixed each names it.
"""

import io
import json
import math
import os
import tempfile
import zipfile

import numpy as np
import pytest
import scipy.stats  # noqa: F401  (imported before the timed calls)
from _fuzzing import CANARY, PAYLOADS, canary_tripped, deep_list
from _timing import quick

import pacdistill as pd
from pacdistill.errors import (
    ExpressionSyntaxError,
    InvalidCallError,
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
    UnknownNameError,
    UnsafeExpressionError,
)

TREE = pd.CLASSES["decision_tree"].random(0, d=4, depth=2).to_dict()
NET = pd.CLASSES["relu_network"].random(0, d=3, m=2).to_dict()
WEB_EDGE = pd.default_web().reductions["junta_to_tree"].guarantee.to_dict()
JUNTA = pd.CLASSES["junta"].random(0, d=6, k=2)
SMALL_NET = pd.CLASSES["relu_network"].random(0, d=4, m=3)
_FILES = tempfile.mkdtemp(prefix="pacdistill-hostile-")


def _huge_header_npz() -> str:
    """An .npz whose W0.npy header claims a (2^20, 2^20) float64 array (8 TiB; numpy
    accepts the shape) and holds no data."""
    path = os.path.join(_FILES, "hugehdr.npz")
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (1048576, 1048576), }"
    text = text.ljust(118) + "\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("W0.npy", b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little")
                         + text.encode())
        for key, value in {"b0": np.zeros(1), "W1": np.ones((1, 1)), "b1": np.zeros(1)}.items():
            item = io.BytesIO()
            np.save(item, value)
            archive.writestr(f"{key}.npy", item.getvalue())
    return path


def _deep_tree(depth):
    node = {"leaf": 1}
    for _ in range(depth):
        node = {"var": 0, "plus": node, "minus": {"leaf": -1}}
    return node


def _set(doc, **changes):
    return {**json.loads(json.dumps(doc)), **changes}


HOSTILE = [
    # -- model JSON ----------------------------------------------------------------------
    ("json-unknown-version",
     lambda: pd.model_from_json('{"class": "decision_tree", "version": 2}'), SerializationError),
    ("json-truncated", lambda: pd.model_from_json(json.dumps(TREE)[:-7]), SerializationError),
    ("json-nan-literal", lambda: pd.model_from_json(
        '{"class": "halfspace", "version": 1, "weights": [NaN], "bias": 0}'), SerializationError),
    ("json-1e999-weight", lambda: pd.model_from_json(
        '{"class": "halfspace", "version": 1, "weights": [1e999], "bias": 0}'),
     SerializationError),
    ("json-nested-100000", lambda: pd.model_from_json("[" * 100_000 + "]" * 100_000),
     SerializationError),
    ("json-4301-digit-int", lambda: pd.model_from_json(
        '{"class": "parity", "version": 1, "d": ' + "9" * 4301 + ', "variables": []}'),
     SerializationError),
    ("json-not-text", lambda: pd.model_from_json(12), SerializationError),
    ("json-invalid-utf8", lambda: pd.model_from_json(b"\xff\xfe{}"), SerializationError),
    ("json-payload-as-class", lambda: pd.model_from_json(json.dumps(
        {"class": PAYLOADS[0], "version": 1})), SerializationError),
    ("json-duplicate-key (fixed)", lambda: pd.model_from_json(
        '{"class": "parity", "version": 1, "d": 3, "variables": [0], "d": 4}'),
     SerializationError),
    ("json-10MB-class-name (fixed)", lambda: pd.model_from_json(
        '{"class": "' + "x" * 10_000_000 + '", "version": 1}'), SerializationError),
    ("typed-from-dict-array-tag (fixed)", lambda: pd.Parity.from_dict(
        {"class": np.array(["parity", "x"]), "version": 1, "d": 3, "variables": [0]}),
     SerializationError),
    ("distribution-from-dict-empty-array-tag (fixed)", lambda: pd.distributions.Uniform.from_dict(
        {"distribution": np.array([]), "version": 1, "d": 3}), SerializationError),
    ("dict-bool-version", lambda: pd.model_from_dict(_set(TREE, version=True)),
     SerializationError),
    ("dict-extra-field", lambda: pd.model_from_dict(_set(TREE, extra=1)), SerializationError),
    ("dict-float-d", lambda: pd.model_from_dict(_set(TREE, d=4.0)), SerializationError),
    ("dict-float-version (fixed)", lambda: pd.model_from_dict(_set(TREE, version=1.0)),
     SerializationError),
    ("dict-no-class-key", lambda: pd.model_from_dict({"version": 1}),
     SerializationError),
    ("distribution-float-version (fixed)", lambda: pd.distributions.distribution_from_dict(
        {"distribution": "uniform", "version": 1.0, "d": 2}), SerializationError),
    ("dict-class-nested-10000 (fixed)", lambda: pd.model_from_dict(
        {"class": deep_list(10_000), "version": 1}), SerializationError),
    ("dict-tree-var-out-of-range", lambda: pd.model_from_dict(
        _set(TREE, tree={"var": 10**30, "plus": {"leaf": 1}, "minus": {"leaf": -1}})),
     SerializationError),
    ("dict-huge-int-weight", lambda: pd.model_from_dict(
        _set(NET, weights=[[[10**400] * 3] * 2, [[1.0, 1.0]]])), SerializationError),
    ("dict-network-no-hidden-layer", lambda: pd.model_from_dict(
        _set(NET, weights=[[[1.0, 1.0, 1.0]]], biases=[[0.0]])), SerializationError),
    ("distribution-unknown-kind", lambda: pd.distributions.distribution_from_dict(
        {"distribution": "gaussian", "version": 1}), SerializationError),
    ("distribution-version-nested (fixed)", lambda: pd.distributions.distribution_from_dict(
        {"distribution": "uniform", "version": deep_list(5000), "d": 2}), SerializationError),
    # -- constructors and arrays ------------------------------------------------------------
    ("tree-from-nested-deep-list (fixed)",
     lambda: pd.DecisionTree.from_nested(3, deep_list(10_000)), InvalidModelError),
    ("tree-var-twice-on-a-path", lambda: pd.DecisionTree.from_nested(3, _deep_tree(2)),
     InvalidModelError),
    ("conjunction-literals-none (fixed)", lambda: pd.Conjunction(3, None), InvalidModelError),
    ("decision-list-rules-none (fixed)", lambda: pd.DecisionList(3, None, 1), InvalidModelError),
    ("halfspace-nan-weight", lambda: pd.Halfspace([1.0, np.nan], 0.0), InvalidModelError),
    ("halfspace-inf-bias", lambda: pd.Halfspace([1.0], math.inf), InvalidModelError),
    ("halfspace-int-bias-1e400 (fixed)", lambda: pd.Halfspace([1.0], 10**400),
     InvalidModelError),
    ("network-object-array", lambda: pd.ReLUNetwork.from_arrays(
        [np.array([[1, None]], dtype=object), np.ones((1, 1))], [np.zeros(1), np.zeros(1)]),
     InvalidModelError),
    ("junta-bool-table", lambda: pd.Junta(3, [0], [True, False]), InvalidModelError),
    ("predict-nan", lambda: pd.Parity(2, [0]).predict(np.full((1, 2), np.nan)),
     InvalidInputError),
    ("predict-zero-entry", lambda: pd.Parity(2, [0]).predict([[1, 0]]), InvalidInputError),
    ("network-predict-inf", lambda: pd.CLASSES["relu_network"].random(0, d=2, m=2).predict(
        [[np.inf, 1.0]]), InvalidInputError),
    ("product-nan", lambda: pd.distributions.Product([0.5, np.nan]), InvalidParameterError),
    ("contains-size-str (fixed)", lambda: pd.CLASSES["junta"].contains(JUNTA, k="2"),
     InvalidParameterError),
    ("contains-size-nan (fixed)", lambda: pd.CLASSES["junta"].contains(JUNTA, k=math.nan),
     InvalidParameterError),
    ("contains-d-str (fixed)", lambda: pd.CLASSES["junta"].contains(JUNTA, d="6"),
     InvalidParameterError),
    ("random-features-not-a-model (fixed)", lambda: pd.distill.random_features("x", 3),
     InvalidParameterError),
    ("random-features-m-1e12 (fixed)", lambda: pd.distill.random_features(JUNTA, 10**12),
     InvalidParameterError),
    ("planted-mixing-str (fixed)", lambda: pd.distill.planted_network(
        pd.DecisionTree.from_nested(3, {"leaf": 1}), mixing="yes"), InvalidParameterError),
    ("distill-tree-progress-int (fixed)", lambda: pd.distill_tree(
        SMALL_NET, pd.distributions.Uniform(4).sample(64, 0), depth=1, progress=3),
     InvalidParameterError),
    ("distill-junta-not-a-model", lambda: pd.distill_junta("x", k=1, delta=0.1),
     InvalidParameterError),
    # -- NaN and infinity where a real number is expected (_validation.check_real, which
    # -- check_probability uses: NaN passes both 'x < low' and 'x > high' unchecked) ------
    ("eps-nan", lambda: pd.bounds.samples_needed("hoeffding", eps=math.nan, delta=0.1),
     InvalidParameterError),
    ("delta-inf", lambda: pd.distill_junta(JUNTA, k=1, delta=math.inf), InvalidParameterError),
    ("planted-noise-inf", lambda: pd.distill.planted_network(
        pd.DecisionTree.from_nested(3, {"leaf": 1}), noise=math.inf), InvalidParameterError),
    ("distill-tree-tau-nan", lambda: pd.distill_tree(
        SMALL_NET, pd.distributions.Uniform(4).sample(64, 0), depth=1, tau=math.nan),
     InvalidParameterError),
    ("clopper-pearson-level-nan", lambda: pd.checkers.clopper_pearson(3, 10, math.nan),
     InvalidParameterError),
    # -- sizes -------------------------------------------------------------------------------
    ("dnf-huge-d (fixed)", lambda: pd.DNF(10**12, [[(0, 1)]] * 9000 + [[(i, 1)] for i in
                                                                       range(1, 9000)]),
     TooLargeError),
    ("random-d-1e30 (fixed)", lambda: pd.CLASSES["halfspace"].random(0, d=10**30),
     TooLargeError),
    ("random-missing-size (fixed)", lambda: pd.CLASSES["cnf"].random(0, d=3),
     InvalidCallError),
    ("reduction-missing-option (fixed)", lambda: pd.default_web().reductions[
        "learn_junta[parity]"].run(pd.Parity(4, [0]), eps=0.1, delta=0.1), InvalidCallError),
    ("sample-huge-n (fixed)", lambda: pd.distributions.Uniform(40).sample(10**12, rng=0),
     TooLargeError),
    ("enumerate-d-40", lambda: pd.cube.enumerate(40), TooLargeError),
    ("lookup-table-d-40", lambda: pd.LookupTable.from_model(pd.Parity(40, [0])), TooLargeError),
    ("samples-needed-2^2^1e30 (fixed)", lambda: pd.bounds.samples_needed(
        "realizable_finite", eps=0.1, delta=0.1, cls="lookup_table", d=10**30), TooLargeError),
    ("eps-1e1000 (fixed)", lambda: pd.bounds.samples_needed(
        "hoeffding", eps=10**1000, delta=0.1), InvalidParameterError),
    ("clopper-pearson-4000-digits (fixed)",
     lambda: pd.checkers.clopper_pearson(10**4000, 10**4000, 0.9), InvalidParameterError),
    # -- expressions -----------------------------------------------------------------------
    ("parse-import", lambda: pd.bounds.parse("__import__('os')"), UnsafeExpressionError),
    ("parse-attribute", lambda: pd.bounds.parse("d.__class__"), UnsafeExpressionError),
    ("parse-lambda", lambda: pd.bounds.parse("lambda: 1"), UnsafeExpressionError),
    ("parse-eval-call", lambda: pd.bounds.parse("eval(d)"), UnsafeExpressionError),
    ("parse-unknown-name", lambda: pd.bounds.parse("x + 1"), UnsafeExpressionError),
    ("parse-subscript", lambda: pd.bounds.parse("d[0]"), UnsafeExpressionError),
    ("parse-tower", lambda: pd.bounds.parse("10**10**10"), UnsafeExpressionError),
    ("parse-symbolic-exponent-1e999 (fixed)",
     lambda: pd.bounds.parse("ceiling(d^(1e999))"), UnsafeExpressionError),
    ("parse-min-of-complex (fixed)", lambda: pd.bounds.parse("Min(log(1e-999 - 1), d)"),
     UnsafeExpressionError),
    ("parse-unbalanced", lambda: pd.bounds.parse("((d + 1) * 2"), ExpressionSyntaxError),
    ("parse-nested-100", lambda: pd.bounds.parse("(" * 100 + "d" + ")" * 100),
     UnsafeExpressionError),
    ("parse-empty", lambda: pd.bounds.parse(""), ExpressionSyntaxError),
    ("parse-too-long", lambda: pd.bounds.parse("d+" * 2000 + "d"), UnsafeExpressionError),
    ("parse-not-text", lambda: pd.bounds.parse(["d"]), UnsafeExpressionError),
    ("check-not-a-relation", lambda: pd.bounds.check("d + 1"), InvalidParameterError),
    ("check-claim-nested (fixed)", lambda: pd.bounds.check(deep_list(5000)),
     InvalidParameterError),
    ("guarantee-json-5000-digit-int (fixed)",
     lambda: pd.bounds.Guarantee.from_dict(_set(WEB_EDGE, time=10**5000)), SerializationError),
    ("guarantee-json-unknown-op", lambda: pd.bounds.Guarantee.from_dict(
        _set(WEB_EDGE, time=["eval", 1, 2])), SerializationError),
    ("guarantee-json-unknown-symbol", lambda: pd.bounds.Guarantee.from_dict(
        _set(WEB_EDGE, time=["Symbol", "__import__"])), SerializationError),
    ("guarantee-at-fields-bool (fixed)", lambda: pd.bounds.Guarantee.from_dict(WEB_EDGE).at(
        fields=False, k=3), InvalidParameterError),
    ("catalog-unknown-nested (fixed)", lambda: pd.bounds.catalog[deep_list(5000)],
     UnknownNameError),
    ("catalog-payload-name", lambda: pd.bounds.samples_needed(PAYLOADS[0], eps=0.1, delta=0.1),
     UnknownNameError),
    # -- files -------------------------------------------------------------------------------
    ("web-file-dev-zero (fixed)", lambda: pd.ReductionWeb.from_json("/dev/zero"),
     TooLargeError),
    ("npz-dev-zero (fixed)", lambda: pd.ReLUNetwork.from_npz("/dev/zero"), SerializationError),
    ("npz-not-a-path (fixed)", lambda: pd.ReLUNetwork.from_npz(3), SerializationError),
    ("web-file-surrogate-path (fixed)", lambda: pd.ReductionWeb.from_json("\ud800.json"),
     SerializationError),
    ("npz-header-2^40-entries (fixed)", lambda: pd.ReLUNetwork.from_npz(_huge_header_npz()),
     TooLargeError),
    ("to-npz-nul-in-path (fixed)", lambda: pd.ReLUNetwork.from_arrays(
        [np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)]).to_npz("a\0b"),
     SerializationError),
]


@pytest.mark.parametrize("call,expected", [(c, e) for _, c, e in HOSTILE],
                         ids=[i for i, _, _ in HOSTILE])
def test_hostile_input_raises_exactly(call, expected):
    with quick(2.0), pytest.raises(expected) as info:
        call()
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert str(info.value)  # a message, naming what was wrong
    assert not canary_tripped(), CANARY


@pytest.mark.parametrize("call,names", [
    (lambda: pd.distill_junta("x", k=1, delta=0.1), ("distill_junta", "predict")),
    (lambda: pd.model_from_dict({"version": 1}), ("'class' key",)),
    (lambda: pd.distributions.distribution_from_dict({"version": 1, "d": 2}),
     ("'distribution' key",)),
    (lambda: pd.model_from_dict(_set(TREE, version=1.0)), ("version 1.0",)),
    (lambda: pd.CLASSES["decision_tree"].contains(pd.DecisionTree.from_nested(
        3, {"leaf": 1}), r="2"), ("'r' parameter of CLASSES['decision_tree'].contains",)),
], ids=["distill_junta-model", "no-class-key", "no-distribution-key", "float-version",
        "contains-r"])
def test_messages_name_what_was_wrong(call, names):
    """The message names the public function and what was expected: not an
    internal helper (distill_junta's QueryCounter), not 'class None'."""
    with pytest.raises(pd.errors.PacDistillError) as info:
        call()
    for name in names:
        assert name in str(info.value)
    assert "QueryCounter" not in str(info.value) and "'None'" not in str(info.value)


@pytest.mark.parametrize("plot", ["{tmp}/no/such/dir/x.png", "{tmp}/x.bogus", "{tmp}"],
                         ids=["missing-directory", "unknown-suffix", "a-directory"])
def test_demo_checks_its_plot_path_before_training(tmp_path, monkeypatch, capsys, plot):
    """pacdistill demo --plot /nonexistent/x.png trained and distilled for half a
    minute, then failed on the write: the path is now checked first."""
    from pacdistill._cli import demo
    from pacdistill.cli import main

    def no_training(*args, **kwargs):
        raise AssertionError("the demo trained before checking --plot")

    monkeypatch.setattr(demo, "_train", no_training)
    assert main(["demo", "--plot", plot.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "'--plot'" in err and "Traceback" not in err


def test_table_is_large_enough():
    assert len(HOSTILE) >= 20
    assert len({row[0] for row in HOSTILE}) == len(HOSTILE)


def test_no_unsafe_loader_in_the_package():
    """Nothing in the package unpickles, parses text as Python, or loads with
    allow_pickle=True (eval/exec/sympify are checked by tests/test_meta.py)."""
    import re
    from pathlib import Path

    pattern = re.compile(r"(?<![\w.])(pickle|cPickle|marshal|shelve|dill)\b|\bparse_expr\(|"
                         r"allow_pickle\s*=\s*True|\blambdify\(|yaml\.(unsafe_)?load\(")
    root = Path(pd.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if pattern.search(code) and not code.strip().startswith(("``", '"', "'")):
                offenders.append(f"{path.relative_to(root)}:{lineno}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_json_text_given_as_a_path_gets_a_short_message_and_a_hint():
    """ReductionWeb.from_json takes a str as a path: a whole JSON document passed as
    text is refused with a bounded message (it once echoed ~100 KB) and a hint."""
    import json

    doc = json.dumps(pd.default_web().to_dict())
    with pytest.raises(pd.errors.SerializationError, match="looks like JSON text") as info:
        pd.ReductionWeb.from_json(doc)
    assert len(str(info.value)) < 400
