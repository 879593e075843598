"""Planted-LRH models: the property-test sources of THEORY §5.

- :func:`planted_network` ``(tree)``: the exact conversion of
  :mod:`pacdistill.reductions.tree_to_relu`, a ReLU network whose hidden unit v
  computes 1[AND_v] (LRH(T, 0, B) holds by construction).
- ``planted_network(tree, mixing=True, noise=sigma)``: a
  :class:`PlantedRepresentation` whose representation is h(x) Q^T + sigma g(x),
  with h(x) the vector of the units above, Q a random orthogonal m x m matrix
  and g standard Gaussian noise drawn independently of x. Mixing by Q keeps
  every AND exactly linear in phi (1[AND_v] = <Q e_v, phi>), and the noise makes
  each probe's error about sigma^2 ||w||^2, so the LRH holds with tau > 0
  (THEORY §5). The mixed layer is
  no longer the hidden layer of a ReLU network, so this is a
  representation-level model: ``predict`` is the tree's, ``activations`` the
  mixed, noisy representation (the adapter protocol of
  :mod:`pacdistill.distill.adapters`).
- :func:`random_features` ``(model, m)``: the model's labels with a
  representation of m pure-noise features carrying no information about x (the
  negative control: the LRH fails for every non-constant AND).

The noise is drawn afresh, independently of x, at every call of
``activations`` from the model's own seeded Generator (noise injected in the
forward pass): two calls on the same points give different noise, and a model
rebuilt with the same seed replays the same sequence of calls exactly. Noise
that were a fixed function of x would not be noise on a small cube: with
m >= 2^d such features every function of x becomes linear in phi.

Examples
--------
>>> tree = pd.CLASSES["decision_tree"].random(0, d=8, depth=2)
>>> rep = planted_network(tree, mixing=True, noise=0.1, rng=0)
>>> X = pd.cube.enumerate(8)
>>> rep.activations(X).shape, bool((rep.predict(X) == tree.predict(X)).all())
((256, 7), True)
>>> bool(np.array_equal(rep.units(X) @ rep.mixing.T, planted_network(tree, mixing=True,
...                                                            rng=0).activations(X)))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import check_bool, check_int, check_points, check_real, check_rng, param_error
from ..classes._base import MAX_RANDOM_SIZE
from ..classes.decision_tree import DecisionTree
from .adapters import model_width

__all__ = ["planted_network", "PlantedRepresentation", "random_features", "RandomFeatures",
           "random_orthogonal"]


def random_orthogonal(m: int, rng: Any = None) -> np.ndarray:
    """A Haar-random m x m orthogonal matrix (QR of a Gaussian matrix, signs fixed).

    >>> Q = random_orthogonal(4, rng=0)
    >>> bool(np.allclose(Q @ Q.T, np.eye(4)))
    True
    """
    m = check_int(m, "m", "random_orthogonal", min=1)
    gen = check_rng(rng, "random_orthogonal")
    Q, R = np.linalg.qr(gen.standard_normal((m, m)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)[None, :]


@dataclass(frozen=True, eq=False)
class PlantedRepresentation:
    """A tree's labels with the planted representation h(x) Q^T + noise * g(x).

    Attributes
    ----------
    tree : DecisionTree
    mixing : ndarray (m, m)
        Orthogonal; the identity for no mixing. m = tree.n_nodes.
    noise : float
        Standard deviation of the Gaussian noise added to every feature.
    generator : numpy Generator
        Draws the noise (advanced by every call of ``activations``).
    """

    tree: DecisionTree
    mixing: np.ndarray = field(repr=False)
    noise: float = 0.0
    generator: np.random.Generator = field(default_factory=np.random.default_rng, repr=False)

    @property
    def n_inputs(self) -> int:
        return self.tree.d

    def predict(self, X: Any) -> np.ndarray:
        return self.tree.predict(X)

    def units(self, X: Any) -> np.ndarray:
        """h(x): 1[AND_v(x)] for every node v, as an (n, m) float array."""
        Xc = check_points(X, self.tree.d, func="PlantedRepresentation.units")
        route = self.tree.route(Xc)
        # node v is on the path to leaf u iff v is an ancestor-or-self of u
        on_path = _ancestor_matrix(self.tree)                     # (m, m) leaf -> nodes
        return on_path[route].astype(np.float64)

    def activations(self, X: Any) -> np.ndarray:
        Xc = check_points(X, self.tree.d, func="PlantedRepresentation.activations")
        phi = self.units(Xc) @ self.mixing.T
        if self.noise > 0:
            phi += self.noise * self.generator.standard_normal(phi.shape)
        return phi


def _ancestor_matrix(tree: DecisionTree) -> np.ndarray:
    """Boolean (m, m): row u marks u and its ancestors (the units on at u's leaf)."""
    m = tree.n_nodes
    parent = tree.parent()
    out = np.eye(m, dtype=bool)
    anc = parent.copy()
    for _ in range(tree.depth):  # loop over levels (structure)
        has = anc >= 0
        out[np.flatnonzero(has), anc[has]] = True
        anc = np.where(has, parent[np.where(has, anc, 0)], -1)
    return out


def planted_network(tree: DecisionTree, *, mixing: bool = False, noise: float = 0.0,
                    rng: Any = None) -> Any:
    """The planted-LRH model of ``tree`` (THEORY §5).

    Parameters
    ----------
    tree : DecisionTree
    mixing : bool
        Mix the hidden layer by a random orthogonal matrix (True or False).
    noise : float
        Standard deviation of Gaussian noise added to the representation (>= 0).
    rng : seed or Generator
        Draws the mixing matrix and the noise seed.

    Returns
    -------
    ReLUNetwork when neither mixing nor noise is asked for (the exact conversion),
    else a :class:`PlantedRepresentation`.
    """
    from ..reductions.tree_to_relu import tree_to_network

    func = "planted_network"
    if not isinstance(tree, DecisionTree):
        raise param_error("tree", func, "a DecisionTree", tree)
    mixing = check_bool(mixing, "mixing", func)
    noise = check_real(noise, "noise", func, low=0)
    if not mixing and noise == 0:
        return tree_to_network(tree)
    gen = check_rng(rng, func)
    m = tree.n_nodes
    Q = random_orthogonal(m, gen) if mixing else np.eye(m)
    return PlantedRepresentation(tree, Q, noise, np.random.default_rng(gen.integers(2**63)))


@dataclass(frozen=True, eq=False)
class RandomFeatures:
    """A model's labels with m pure-noise features (see :func:`random_features`)."""

    model: Any
    m: int
    generator: np.random.Generator = field(repr=False)

    @property
    def n_inputs(self) -> int | None:
        return model_width(self.model)

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.model.predict(X))

    def activations(self, X: Any) -> np.ndarray:
        Xc = check_points(X, self.n_inputs, func="RandomFeatures.activations")
        return self.generator.standard_normal((Xc.shape[0], self.m))


def random_features(model: Any, m: int, rng: Any = None) -> RandomFeatures:
    """``model``'s labels with a representation of m standard Gaussian features
    drawn independently of x at every call (the negative control).

    Parameters
    ----------
    model : model
        Anything with ``predict(X)`` (its labels are the labels).
    m : int
        The number of features, 1 <= m <= :data:`~pacdistill.classes._base.MAX_RANDOM_SIZE`
        (2^24, the largest size of a random model): ``activations`` of n points
        is an (n, m) array.
    rng : seed or Generator
        Seeds the features' Generator.

    Raises
    ------
    InvalidParameterError
        When ``model`` has no ``predict`` method or m is not an integer in
        [1, 2^24].

    >>> tree = pd.CLASSES["decision_tree"].random(0, d=5, depth=2)
    >>> random_features(tree, 7, rng=0).activations(pd.cube.enumerate(5)).shape
    (32, 7)
    """
    if not callable(getattr(model, "predict", None)):
        raise param_error("model", "random_features", "a model with a predict(X) method "
                          "(a pacdistill model or an adapter)", model)
    m = check_int(m, "m", "random_features", min=1, max=MAX_RANDOM_SIZE)
    gen = check_rng(rng, "random_features")
    return RandomFeatures(model, m, np.random.default_rng(gen.integers(2**63)))
