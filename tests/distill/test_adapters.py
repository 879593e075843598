"""The adapter protocol and the planted models (pacdistill.distill.adapters, .planted)."""

from __future__ import annotations

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.distill import (
    PlantedRepresentation,
    Representation,
    from_callables,
    planted_network,
    random_features,
)
from pacdistill.distill.planted import random_orthogonal


def test_protocol_members():
    tree = pd.CLASSES["decision_tree"].random(0, d=6, depth=2)
    assert isinstance(planted_network(tree), Representation)
    assert isinstance(planted_network(tree, mixing=True, rng=0), Representation)
    assert isinstance(from_callables(tree.predict, lambda X: X * 1.0, d=6), Representation)
    assert not isinstance(tree, Representation)


def test_mixed_representation_keeps_every_and_linear():
    """With h the node indicators and Q orthogonal, phi = h Q^T, so h = phi Q exactly:
    every AND of the tree stays linearly represented (THEORY §5)."""
    tree = pd.CLASSES["decision_tree"].random(2, d=7, depth=3)
    rep = planted_network(tree, mixing=True, rng=1)
    assert isinstance(rep, PlantedRepresentation)
    X = pd.cube.enumerate(7)
    h = rep.units(X)
    assert np.allclose(rep.activations(X) @ rep.mixing, h)
    holds = np.column_stack([pd.cube.literals_hold(X, a) for a in tree.ands()])
    assert (h == holds).all()
    assert (rep.predict(X) == tree.predict(X)).all()


def test_noise_is_fresh_and_seeded():
    tree = pd.CLASSES["decision_tree"].random(2, d=7, depth=2)
    X = pd.cube.enumerate(7)
    a = planted_network(tree, mixing=True, noise=0.1, rng=3)
    b = planted_network(tree, mixing=True, noise=0.1, rng=3)
    first = a.activations(X)
    assert np.array_equal(first, b.activations(X))            # same seed, same draws
    assert not np.array_equal(first, a.activations(X))        # a second call: new noise
    resid = first - a.units(X) @ a.mixing.T
    # 128 * 7 = 896 iid N(0, 0.1^2) draws: 896 std^2 / 0.1^2 is chi^2 with 895 degrees
    # of freedom, so P[std outside (0.08, 0.12)] = 7.7e-17 < 1e-6 (scipy.stats.chi2)
    assert 0.08 < resid.std() < 0.12


def test_random_features_carry_no_signal():
    tree = pd.CLASSES["decision_tree"].random(0, d=5, depth=2)
    rf = random_features(tree, 9, rng=0)
    X = pd.cube.enumerate(5)
    assert rf.activations(X).shape == (32, 9) and rf.n_inputs == 5
    assert (rf.predict(X) == tree.predict(X)).all()


def test_random_orthogonal_is_orthogonal():
    Q = random_orthogonal(6, rng=4)
    assert np.allclose(Q.T @ Q, np.eye(6))


def test_from_callables_checks_its_arguments():
    with pytest.raises(pd.errors.InvalidParameterError, match="'predict' parameter"):
        from_callables(3, lambda X: X, d=2)
    with pytest.raises(pd.errors.InvalidParameterError, match="'d' parameter"):
        from_callables(lambda X: X, lambda X: X, d=0)


def test_wrong_activation_shape_is_named():
    model = from_callables(lambda X: np.ones(len(X)), lambda X: np.ones(len(X)), d=3)
    with pytest.raises(pd.errors.InvalidInputError, match="shape \\(n, m\\)"):
        pd.distill_tree(model, pd.cube.enumerate(3), depth=1)


def test_complex_activations_are_refused_not_truncated():
    """Regression: complex activations were cast to float64, silently dropping the
    imaginary parts (numpy only warns)."""
    model = from_callables(lambda X: X[:, 0], lambda X: X * (1 + 1j), d=3)
    with pytest.raises(pd.errors.InvalidInputError, match="complex"):
        pd.distill_tree(model, pd.cube.enumerate(3), depth=1)


@pytest.mark.parametrize(("labels", "hint"), [
    (lambda X: (X[:, 0] > 0).astype(int), "0/1 labels: return 2 \\* y - 1"),
    (lambda X: X[:, 0] > 0, "0/1 labels"),
    (lambda X: 0.5 + 0.4 * X[:, 0], "probabilities: return np.where"),
])
def test_labels_that_are_not_pm_one_get_a_hint(labels, hint):
    """A model returning {0, 1} classes or probabilities is told how to map them."""
    model = from_callables(labels, lambda X: X * 1.0, d=3)
    with pytest.raises(pd.errors.InvalidInputError, match=hint):
        pd.distill_tree(model, pd.cube.enumerate(3), depth=1)


def test_a_raw_sklearn_mlp_is_pointed_to_from_sklearn():
    from sklearn.neural_network import MLPClassifier

    X = pd.cube.enumerate(3)
    mlp = MLPClassifier((2,), max_iter=1)  # unfitted is enough: no activations either way
    with pytest.raises(pd.errors.InvalidParameterError, match="ReLUNetwork.from_sklearn"):
        pd.distill_tree(mlp, X, depth=1)


def test_sparse_activations_are_read_densely():
    """Regression: a scipy sparse matrix of activations was refused with numpy's
    'setting an array element with a sequence'."""
    import scipy.sparse

    model = from_callables(lambda X: X[:, 1], lambda X: scipy.sparse.csr_matrix(X * 1.0), d=4)
    result = pd.distill_tree(model, pd.cube.enumerate(4), depth=1, rng=0)
    assert result.met_target and result.report["m"] == 4


def test_activations_given_per_layer_are_concatenated():
    """One (n, m_l) array per layer, as forward hooks collect them, is read as
    their concatenation (it was refused: numpy could not stack layers of different
    widths); a list of n rows is still read as rows."""
    tree = pd.CLASSES["decision_tree"].random(1, d=8, depth=2)
    net = planted_network(tree)
    X = pd.cube.enumerate(8)
    whole = pd.distill_tree(net, X, depth=2, rng=0)

    def per_layer(Z):
        acts = net.activations(Z)
        return [acts[:, :2], acts[:, 2:], np.zeros((len(Z), 1))]

    split = pd.distill_tree(from_callables(net.predict, per_layer, d=8), X, depth=2, rng=0)
    assert split.report["m"] == whole.report["m"] + 1
    assert split.tree == whole.tree and split.met_target
    rows = from_callables(net.predict, lambda Z: net.activations(Z).tolist(), d=8)
    assert pd.distill_tree(rows, X, depth=2, rng=0).tree == whole.tree


@pytest.mark.parametrize("width", [5.0, "5", True, 0, -3])
def test_a_declared_width_that_is_not_a_positive_int_is_refused(width):
    # distill_tree used to ignore such a width and read d from X, while
    # distill_junta refused it; both refuse it now, naming the value
    net = pd.CLASSES["relu_network"].random(0, d=5, widths=[3])

    class Wrapped:
        n_inputs = width
        predict = staticmethod(net.predict)
        activations = staticmethod(net.activations)

    with pytest.raises(pd.errors.InvalidParameterError, match=r"n_inputs .*Got"):
        pd.distill_tree(Wrapped(), pd.cube.enumerate(5), depth=2)
    with pytest.raises(pd.errors.InvalidParameterError, match="input dimension"):
        pd.distill_junta(Wrapped(), k=2, delta=0.1)


def test_a_model_declaring_no_width_takes_it_from_X():
    net = pd.CLASSES["relu_network"].random(0, d=5, widths=[3])
    model = pd.distill.from_callables(net.predict, net.activations, d=5)
    bare = type("Bare", (), {"predict": staticmethod(net.predict),
                             "activations": staticmethod(net.activations)})()
    X = pd.cube.enumerate(5)
    assert (pd.distill_tree(bare, X, depth=2, rng=0).tree
            == pd.distill_tree(model, X, depth=2, rng=0).tree)


class _OwnModel:
    """A user's adapter (not from_callables) whose hook collects layers."""

    n_inputs = 4

    def __init__(self, layers):
        self.layers = layers

    def predict(self, X):
        return X[:, 0]

    def activations(self, X):
        return self.layers(X)


@pytest.mark.parametrize("wrap", ["from_callables", "own class"])
@pytest.mark.parametrize(("layers", "match"), [
    (lambda X: [X * 1.0, X[:, 0] * 1.0], r"Got shape \(16,\) for layer 1"),
    (lambda X: [X * 1.0, X[:3] * 1.0], r"Got shape \(3, 4\) for layer 1"),
    (lambda X: [X * 1.0, np.zeros((len(X), 2, 2))], r"Got shape \(16, 2, 2\) for layer 1"),
    (lambda X: [[1.0, 2.0]] * 8 + [[1.0]] * 8, "must return an \\(n, m\\) array of floats"),
], ids=["unit vector", "wrong rows", "unflattened map", "ragged rows"])
def test_malformed_layer_lists_are_named(layers, match, wrap):
    """Regression: a list of per-layer activations with one layer of another shape
    (a hooked unit's (n,) vector, a map not yet flattened, the wrong rows), or a
    ragged list of rows, raised numpy's bare ValueError ('setting an array element
    with a sequence ... inhomogeneous shape') from inside the adapter or
    distill_tree; now an InvalidInputError naming the layer and its shape."""
    model = (from_callables(lambda X: X[:, 0], layers, d=4) if wrap == "from_callables"
             else _OwnModel(layers))
    with pytest.raises(pd.errors.InvalidInputError, match=match):
        pd.distill_tree(model, pd.cube.enumerate(4), depth=1, rng=0)


@pytest.mark.parametrize("wrap", ["from_callables", "own class"])
def test_ragged_labels_are_named(wrap):
    """Regression: a predict returning a ragged list raised numpy's bare ValueError
    ('inhomogeneous shape') from CallableModel.predict or distill_tree."""
    def labels(X):
        return [[1], [1, -1]] + [1] * (len(X) - 2)

    if wrap == "from_callables":
        model = from_callables(labels, lambda X: X * 1.0, d=4)
    else:
        model = _OwnModel(lambda X: X * 1.0)
        model.predict = labels
    with pytest.raises(pd.errors.InvalidInputError, match="must return n labels -1 and \\+1"):
        pd.distill_tree(model, pd.cube.enumerate(4), depth=1, rng=0)
