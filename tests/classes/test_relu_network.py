"""Tests of pd.ReLUNetwork: fully connected ReLU networks with one output
(THEORY §1, §5, §8), their constructors and files."""

import json
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor

import pacdistill as pd
from pacdistill.checkers.strategies import relu_networks
from pacdistill.errors import InvalidInputError, InvalidModelError, SerializationError


def naive_forward(net, x):
    """(hidden activations concatenated, output) for one row, with Python loops."""
    h = list(x)
    hidden = []
    layers = list(zip(net.weights, net.biases, strict=True))
    for W, b in layers[:-1]:
        h = [max(0.0, sum(W[j][i] * h[i] for i in range(len(h))) + b[j]) for j in range(len(b))]
        hidden.extend(h)
    W, b = layers[-1]
    return hidden, sum(W[0][i] * h[i] for i in range(len(h))) + b[0]


def check_against_naive(net, X):
    rows = [naive_forward(net, x) for x in X.tolist()]
    assert net.activations(X).tolist() == [hidden for hidden, _ in rows]
    assert net.output(X).tolist() == [out for _, out in rows]
    assert net.predict(X).tolist() == [1 if out > 0 else -1 for _, out in rows]


@given(relu_networks(max_d=5))
def test_predict_equals_naive_on_the_whole_cube(net):
    """On every point of the cube, activations, output and predict equal the
    per-row evaluator (integer weights: every value is exact)."""
    check_against_naive(net, pd.cube.enumerate(net.d))


@given(relu_networks(max_d=4),
       st.lists(st.lists(st.integers(-16, 16), min_size=4, max_size=4), min_size=1,
                max_size=10))
def test_real_inputs_equal_naive(net, rows):
    """On real (dyadic, exactly representable) inputs too."""
    check_against_naive(net, np.array([row[: net.d] for row in rows], dtype=np.float64) / 4)


def test_activations_layout():
    """activations are the post-ReLU values of each hidden layer, concatenated in order."""
    net = pd.ReLUNetwork.from_arrays(
        [[[1.0, 0.0], [0.0, -1.0]], [[1.0, 1.0], [2.0, 0.0], [-1.0, 0.0]], [[1.0, 1.0, 1.0]]],
        [[0.0, 0.0], [0.0, 0.0, 0.0], [0.0]])
    A = net.activations([[1.0, 1.0], [-3.0, -2.0]])
    assert A.tolist() == [[1.0, 0.0, 1.0, 2.0, 0.0], [0.0, 2.0, 2.0, 0.0, 0.0]]
    assert A.dtype == np.float64 and net.widths == (2, 3)


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 3), st.integers(0, 4))
def test_json_round_trip_is_exact(seed, d, L, extra):
    """to_dict -> JSON text -> model_from_dict preserves every float weight bit
    for bit, hence identical outputs on real points, and an equal model."""
    net = pd.CLASSES["relu_network"].random(seed, d=d, L=L, m=L + extra)
    back = pd.model_from_dict(json.loads(json.dumps(net.to_dict())))
    assert isinstance(back, pd.ReLUNetwork) and back == net
    for a, b in zip(net.weights + net.biases, back.weights + back.biases, strict=True):
        assert a.tobytes() == b.tobytes() and a.shape == b.shape
    X = np.random.default_rng(seed).normal(size=(40, d))
    assert np.array_equal(back.output(X), net.output(X))
    assert np.array_equal(back.predict(X), net.predict(X))


def test_equal_networks_hash_alike():
    """-0.0 and 0.0 weights make equal networks, which must hash alike (the hash
    read the JSON text, where they differed)."""
    a = pd.ReLUNetwork.from_arrays([[[0.0, 1.0]], [[1.0]]], [[0.0], [0.0]])
    b = pd.ReLUNetwork.from_arrays([[[-0.0, 1.0]], [[1.0]]], [[-0.0], [-0.0]])
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1


@given(pd.CLASSES["relu_network"].strategy(max_L=4))
def test_size_matches_the_layers(net):
    """size() is d, the number of hidden layers and the total hidden width."""
    assert net.size() == {"d": net.weights[0].shape[1], "L": len(net.weights) - 1,
                          "m": sum(W.shape[0] for W in net.weights[:-1])}


def test_random_generator():
    """random splits m units over L layers, or takes explicit widths; reproducible."""
    cls = pd.CLASSES["relu_network"]
    assert cls.random(0, d=3, L=3, m=7).widths == (3, 2, 2)
    assert cls.random(0, d=3, widths=[4, 1]).widths == (4, 1)
    assert cls.random(2, d=3, L=2, m=4) == cls.random(2, d=3, L=2, m=4)
    with pytest.raises(pd.errors.InvalidParameterError, match="'m'.*Got 1"):
        cls.random(0, d=3, L=2, m=1)
    with pytest.raises(pd.errors.InvalidParameterError, match="'m'.*Got None"):
        cls.random(0, d=3)
    # sizes given with explicit widths must agree with them (they were ignored)
    assert cls.random(0, d=3, L=2, m=5, widths=[4, 1]).widths == (4, 1)
    with pytest.raises(pd.errors.InvalidParameterError, match=r"'m'.*must be 2 .*Got 10"):
        cls.random(0, d=3, m=10, widths=[2])
    with pytest.raises(pd.errors.InvalidParameterError, match=r"'L'.*must be 1 .*Got 3"):
        cls.random(0, d=3, L=3, widths=[2])


# -- malformed arrays -----------------------------------------------------------

GOOD_W = [np.ones((3, 2)), np.ones((1, 3))]
GOOD_B = [np.zeros(3), np.zeros(1)]


def _with(index, value, which="W"):
    W, b = list(GOOD_W), list(GOOD_B)
    (W if which == "W" else b)[index] = value
    return W, b


@pytest.mark.parametrize(
    "weights, biases, fragment",
    [
        (*_with(1, np.array([[1.0, np.nan, 0.0]])), r"weights\[1\].*nan at position \[0, 1\]"),
        (*_with(0, np.array([0.0, np.inf, 0.0]), "b"), r"biases\[0\].*inf at position \[1\]"),
        (*_with(1, np.ones((1, 4))), r"weights\[1\] of ReLUNetwork must have 3 columns"),
        (*_with(0, np.zeros(2), "b"), r"biases\[0\].*shape \(3,\)"),
        (GOOD_W[:1] + [np.ones((2, 3))], GOOD_B[:1] + [np.zeros(2)], "one output unit"),
        (*_with(0, np.ones((3, 2), dtype=bool)), "bool"),
        (*_with(0, np.ones((3, 2, 1))), r"2-d.*\(3, 2, 1\)"),
        (*_with(0, np.ones((0, 2))), r"\(0, 2\)"),
        ([np.ones((1, 2))], [np.zeros(1)], "at least one hidden layer"),
        (GOOD_W, GOOD_B[:1], "2 weight matrices and 1 bias"),
        (np.ones((2, 1, 1)), GOOD_B, "list or tuple"),
    ],
    ids=["nan-weight", "inf-bias", "shape-chain", "bias-length", "two-outputs", "bool",
         "3d", "zero-width", "no-hidden", "count-mismatch", "array-not-list"],
)
def test_malformed_arrays_are_rejected(weights, biases, fragment):
    """from_arrays rejects bad layers with InvalidModelError naming layer and position."""
    with pytest.raises(InvalidModelError, match=fragment):
        pd.ReLUNetwork.from_arrays(weights, biases)


@pytest.mark.parametrize(
    "X, fragment",
    [([[1.0, 1.0, 1.0]], "2 columns"), ([[np.nan, 1.0]], "nan"), ([1.0, 1.0], "1-d")],
    ids=["width", "nan", "one-d"],
)
def test_malformed_points_are_rejected(X, fragment):
    """predict, output and activations reject bad points with InvalidInputError."""
    net = pd.ReLUNetwork.from_arrays(GOOD_W, GOOD_B)
    for method in (net.predict, net.output, net.activations):
        with pytest.raises(InvalidInputError, match=fragment):
            method(X)


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"weights": [[[1.0, True]], [[1.0]]]}, r"weights\[0\]\[0\]\[1\] must be a number"),
        ({"weights": [[[1.0, 2.0], [1.0]], [[1.0, 1.0]]]}, r"weights\[0\]\[1\] must have 2"),
        ({"biases": [[0.0], ["0"]]}, "'0'"),
        ({"biases": [[0.0]]}, "1 bias"),
        ({"weights": {"0": []}}, "list"),
        ({"weights": [[[1.0, 2.0]], [[1.0, 1.0]]]}, "must have 1 columns"),
    ],
    ids=["bool-entry", "ragged", "str-bias", "missing-layer", "dict", "shape-chain"],
)
def test_bad_json_is_rejected(changes, fragment):
    """Malformed JSON documents raise SerializationError naming the value."""
    doc = pd.ReLUNetwork.from_arrays([[[1.0, 2.0]], [[3.0]]], [[0.0], [1.0]]).to_dict()
    doc.update(changes)
    with pytest.raises(SerializationError, match=fragment):
        pd.model_from_dict(doc)


def test_json_text_with_infinity_is_rejected():
    """Infinity is not valid in a model file."""
    text = pd.ReLUNetwork.from_arrays([[[1.0, 2.0]], [[3.0]]], [[0.0], [1.0]]).to_json()
    with pytest.raises(SerializationError, match="Infinity"):
        pd.model_from_json(text.replace("3.0", "Infinity"))


# -- scikit-learn ----------------------------------------------------------------

def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def numpy_forward(mlp, X):
    """Hidden activations and logit computed from sklearn's (n_in, n_out) coefs_."""
    h, hidden = X, []
    for coef, intercept in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1], strict=True):
        h = np.maximum(h @ coef + intercept, 0.0)
        hidden.append(h)
    return np.hstack(hidden), (h @ mlp.coefs_[-1] + mlp.intercepts_[-1])[:, 0]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.choice(np.array([-1.0, 1.0]), size=(400, 6))
    y = np.where(X[:, 0] * X[:, 1] + 0.5 * X[:, 2] > 0, 1, -1)
    return X, y, rng.normal(size=(200, 6))


@pytest.mark.parametrize("hidden", [(6,), (5, 4)])
@pytest.mark.parametrize("labels", [(-1, 1), ("no", "yes")])
def test_from_sklearn_classifier(data, hidden, labels):
    """predict is +1 exactly where mlp.predict says classes_[1]; activations and
    output equal a numpy reimplementation; for classes {-1, +1} labels coincide."""
    X, y, X_real = data
    targets = np.where(y > 0, labels[1], labels[0])
    mlp = _fit(MLPClassifier(hidden_layer_sizes=hidden, max_iter=40, random_state=1), X, targets)
    net = pd.ReLUNetwork.from_sklearn(mlp)
    assert net.widths == hidden and net.d == 6
    for points in (X, X_real):
        hidden_ref, logit = numpy_forward(mlp, points)
        np.testing.assert_allclose(net.activations(points), hidden_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(net.output(points), logit, rtol=1e-12, atol=1e-12)
        # sklearn's logistic rounds to 0.5 only for logits in (0, ~1e-16]: none here
        assert np.abs(logit).min() > 1e-9
        sk = mlp.predict(points)
        assert np.array_equal(net.predict(points) == 1, sk == mlp.classes_[1])
        if labels == (-1, 1):
            assert np.array_equal(net.predict(points), sk)


@pytest.mark.parametrize("hidden", [(5,), (4, 3, 2)])
def test_from_sklearn_regressor(data, hidden):
    """output equals mlp.predict bit for bit (same operations in the same order)
    and predict is its sign."""
    X, y, X_real = data
    mlp = _fit(MLPRegressor(hidden_layer_sizes=hidden, max_iter=40, random_state=2), X, y)
    net = pd.ReLUNetwork.from_sklearn(mlp)
    for points in (X, X_real):
        assert np.array_equal(net.output(points), mlp.predict(points))
        assert np.array_equal(net.predict(points), np.where(mlp.predict(points) > 0, 1, -1))
        np.testing.assert_allclose(net.activations(points), numpy_forward(mlp, points)[0],
                                   rtol=1e-12, atol=1e-12)


def test_from_sklearn_rejects_what_it_does_not_support(data):
    """tanh, multiclass, multi-output, unfitted and non-MLP models are refused clearly."""
    X, y, _ = data
    cases = [
        (_fit(MLPClassifier(hidden_layer_sizes=(3,), activation="tanh", max_iter=5,
                            random_state=0), X, y), "activation='tanh'"),
        (_fit(MLPClassifier(hidden_layer_sizes=(3,), max_iter=5, random_state=0), X,
              np.arange(len(y)) % 3), "3 classes"),
        (_fit(MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0), X,
              np.c_[y, y]), "2 outputs"),
        (MLPRegressor(hidden_layer_sizes=(3,)), "unfitted"),
        (_fit(LogisticRegression(), X, y), "LogisticRegression"),
        ("mlp", "Got str"),
    ]
    for model, fragment in cases:
        with pytest.raises(InvalidModelError, match=fragment):
            pd.ReLUNetwork.from_sklearn(model)


def test_layers_stored_as_n_in_by_n_out_get_a_transpose_hint():
    """Weights saved in scikit-learn's orientation (coefs_[l] is (n_in, n_out)) are
    refused with a hint to transpose them."""
    rng = np.random.default_rng(1)
    W0, W1 = rng.standard_normal((5, 8)), rng.standard_normal((8, 1))
    with pytest.raises(InvalidModelError, match="transpose"):
        pd.ReLUNetwork.from_arrays([W0, W1], [np.zeros(8), np.zeros(1)])
    with pytest.raises(InvalidModelError, match="Got shape \\(3,\\) instead.$"):
        pd.ReLUNetwork.from_arrays([W0.T, W1.T], [np.zeros(3), np.zeros(1)])


def test_from_sklearn_refuses_a_poisson_regressor(data):
    """Regression: MLPRegressor(loss='poisson') predicts exp(last layer), always > 0,
    but was converted to a network whose output is the last layer itself: its
    predict disagreed with the model's sign (always +1) on every negative logit."""
    X, y, _ = data
    mlp = MLPRegressor(hidden_layer_sizes=(3,), max_iter=20, random_state=0)
    if "loss" not in mlp.get_params():  # pragma: no cover - scikit-learn < 1.7
        pytest.skip("this scikit-learn has no Poisson MLPRegressor")
    mlp.set_params(loss="poisson")
    mlp = _fit(mlp, X, y + 2.0)
    assert mlp.out_activation_ == "exp"
    with pytest.raises(InvalidModelError, match="output activation is 'exp'"):
        pd.ReLUNetwork.from_sklearn(mlp)


# -- npz files --------------------------------------------------------------------

def test_npz_round_trip(tmp_path):
    """to_npz / from_npz preserve the network exactly, at exactly the given path."""
    net = pd.CLASSES["relu_network"].random(3, d=5, L=2, m=6)
    path = tmp_path / "net.weights"
    net.to_npz(path)
    assert path.exists()
    back = pd.ReLUNetwork.from_npz(path)
    assert back == net
    X = np.random.default_rng(0).normal(size=(20, 5))
    assert np.array_equal(back.output(X), net.output(X))
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["W0", "W1", "W2", "b0", "b1", "b2"]


def _save(path, **arrays):
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return path


@pytest.mark.parametrize(
    "arrays, fragment",
    [
        ({"W0": np.ones((2, 2)), "b0": np.zeros(2), "W1": np.ones((1, 2))}, "exactly the arrays"),
        ({"W0": np.ones((2, 2)), "b0": np.zeros(2), "W1": np.ones((1, 2)), "b1": np.zeros(1),
          "extra": np.zeros(1)}, "extra"),
        ({"W0": np.ones((2, 2)), "b0": np.zeros(2), "W2": np.ones((1, 2)), "b2": np.zeros(1)},
         "W2"),
        ({"W0": np.full((2, 2), np.nan), "b0": np.zeros(2), "W1": np.ones((1, 2)),
          "b1": np.zeros(1)}, r"invalid network.*nan at position \[0, 0\]"),
        ({"W0": np.array([None, 1], dtype=object), "b0": np.zeros(2), "W1": np.ones((1, 2)),
          "b1": np.zeros(1)}, "Object arrays"),
    ],
    ids=["missing-b1", "extra-key", "gap", "nan", "object-array"],
)
def test_malformed_npz_is_rejected(tmp_path, arrays, fragment):
    """Missing, extra or misnumbered arrays, NaN and pickled objects raise
    SerializationError."""
    path = _save(tmp_path / "bad.npz", **arrays)
    with pytest.raises(SerializationError, match=fragment):
        pd.ReLUNetwork.from_npz(path)


def test_unreadable_files_are_rejected(tmp_path):
    """A missing file, a non-npz file and a single .npy array raise SerializationError."""
    (tmp_path / "garbage.npz").write_bytes(b"not a zip file at all")
    np.save(tmp_path / "single.npy", np.zeros(3))
    for name, fragment in [("missing.npz", "No such file"), ("garbage.npz", "to_npz"),
                           ("single.npy", "single array")]:
        with pytest.raises(SerializationError, match=fragment):
            pd.ReLUNetwork.from_npz(tmp_path / name)
    with pytest.raises(SerializationError, match="Could not write"):
        pd.CLASSES["relu_network"].random(0, d=2, m=2).to_npz(tmp_path / "no" / "dir.npz")
