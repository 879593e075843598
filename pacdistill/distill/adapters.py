"""The adapter protocol: what :func:`pacdistill.distill_tree` needs of a model.

LRH tree distillation (THEORY §5) reads two things of the model f it distils:

- ``predict(X) -> (n,)`` array of -1/+1: the labels f(x) (the DP measures
  fidelity against them);
- ``activations(X) -> (n, m)`` float array: the representation phi(x) the linear
  probes read (for a network, its hidden activations of all layers); a list or
  tuple of (n, m_l) arrays, one per layer, is concatenated into one.

Anything exposing both works: :class:`pacdistill.ReLUNetwork` (built with
``from_sklearn``, ``from_arrays`` or ``from_npz``), the planted networks of
:mod:`pacdistill.distill.planted`, or a user's object. ``X`` is always an
(n, d) int8 array of points of {-1,+1}^d. The input width d is read from
``model.n_inputs`` (or ``model.d``) when present; :func:`from_callables` states
it explicitly.

Wrapping a torch module (torch is not a dependency of pacdistill; this is only a
sketch of the user's side)::

    import torch

    class TorchAdapter:
        def __init__(self, net, layers, d):
            self.net, self.n_inputs = net.eval(), d  # safe: torch Module.eval()
            self._acts = []
            for layer in layers:                    # e.g. the ReLU modules
                layer.register_forward_hook(lambda mod, inp, out: self._acts.append(out))

        def _run(self, X):
            self._acts.clear()
            with torch.no_grad():
                logit = self.net(torch.as_tensor(X, dtype=torch.float32)).squeeze(-1)
            return logit

        def predict(self, X):
            return np.where(self._run(X).numpy() > 0, 1, -1).astype(np.int8)

        def activations(self, X):
            self._run(X)
            return torch.cat([a.flatten(1) for a in self._acts], dim=1).double().numpy()

    result = pd.distill_tree(TorchAdapter(net, relus, d=100), X, depth=3)

Examples
--------
>>> tree = pd.DecisionTree.from_nested(3, {"var": 1, "plus": {"leaf": 1},
...                                        "minus": {"leaf": -1}})
>>> model = pd.distill.from_callables(tree.predict, lambda X: X.astype(float), d=3)
>>> model.activations(np.array([[1, -1, 1]]))
array([[ 1., -1.,  1.]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .._validation import check_int, check_points, param_error
from ..errors import InvalidInputError, InvalidParameterError

__all__ = ["Representation", "CallableModel", "from_callables", "check_representation",
           "model_width", "labels_of", "activations_of"]


@runtime_checkable
class Representation(Protocol):
    """The protocol: a model with labels and a representation on the cube."""

    def predict(self, X: np.ndarray) -> np.ndarray: ...  # pragma: no cover

    def activations(self, X: np.ndarray) -> np.ndarray: ...  # pragma: no cover


@dataclass(frozen=True)
class CallableModel:
    """A model given by two functions (see :func:`from_callables`).

    Attributes
    ----------
    predict_fn, activations_fn : callable
        ``predict_fn(X) -> (n,)`` ±1 labels; ``activations_fn(X) -> (n, m)`` floats.
    d : int
        Input width.
    """

    predict_fn: Callable[[np.ndarray], Any]
    activations_fn: Callable[[np.ndarray], Any]
    d: int

    @property
    def n_inputs(self) -> int:
        return self.d

    def predict(self, X: np.ndarray) -> np.ndarray:
        """``predict_fn`` at X, an (n, d) array of ±1 points (checked first: the
        functions are promised an (n, d) int8 array, see :func:`from_callables`)."""
        X = check_points(X, self.d, func="CallableModel.predict")
        return _as_array(self.predict_fn(X), "CallableModel.predict", "predict")

    def activations(self, X: np.ndarray) -> np.ndarray:
        """``activations_fn`` at X, an (n, d) array of ±1 points (checked first)."""
        X = check_points(X, self.d, func="CallableModel.activations")
        return _as_array(_layers_joined(self.activations_fn(X), X.shape[0],
                                        "CallableModel.activations"),
                         "CallableModel.activations")


def _dense(raw: Any) -> Any:
    """A scipy sparse matrix made dense (np.asarray would wrap it in an object
    array); anything else as it is."""
    if callable(getattr(raw, "toarray", None)) and not isinstance(raw, np.ndarray):
        return raw.toarray()
    return raw


def _layers_joined(raw: Any, n: int, func: str = "distill_tree") -> Any:
    """One array per layer (a list or tuple of 2-d arrays with n rows each, as
    forward hooks collect them) concatenated along the features; a sparse matrix
    made dense; anything else as it is. (A list of n rows has 1-d elements.)

    A list holding any array of two or more dimensions is read as layers, and a
    layer of another shape (a unit's (n,) vector, a (n, c, h) map not yet
    flattened, the wrong number of rows) is refused naming it: numpy's own
    error ('inhomogeneous shape') names neither the layer nor the fix."""
    if isinstance(raw, (list, tuple)) and raw:
        parts = [_dense(part) for part in raw]
        if any(getattr(part, "ndim", 0) >= 2 for part in parts):
            for k, part in enumerate(parts):
                shape = tuple(np.shape(part))
                if len(shape) != 2 or shape[0] != n:
                    raise InvalidInputError(
                        f"{func}: model.activations returned a list of {len(parts)} layers; "
                        f"each must be an array of shape (n, m_l) with n = {n} rows. Got "
                        f"shape {shape} for layer {k}: flatten a layer with "
                        "layer.reshape(n, -1) (one unit's (n,) vector: layer[:, None])."
                    )
            return np.concatenate([np.asarray(part) for part in parts], axis=1)
    return _dense(raw)


def _as_array(raw: Any, func: str, what: str = "activations") -> np.ndarray:
    """``np.asarray(raw)``, a ragged nesting refused as InvalidInputError
    (``what``: the model method that returned it)."""
    try:
        return np.asarray(raw)
    except (TypeError, ValueError) as err:
        expected = ("an (n, m) array of floats" if what == "activations"
                    else "n labels -1 and +1")
        raise InvalidInputError(f"{func}: model.{what} must return {expected}: {err}") from err


def from_callables(
    predict: Callable[[np.ndarray], Any], activations: Callable[[np.ndarray], Any], d: int,
) -> CallableModel:
    """Adapt a pair of functions to the protocol of :func:`pacdistill.distill_tree`.

    Parameters
    ----------
    predict : callable
        ``predict(X)`` for an (n, d) int8 array of ±1 points returns n labels ±1.
    activations : callable
        ``activations(X)`` returns an (n, m) float array (the representation).
    d : int
        The input width (>= 1).

    Examples
    --------
    >>> m = pd.distill.from_callables(lambda X: X[:, 0], lambda X: X * 1.0, d=2)
    >>> m.predict(np.array([[-1, 1]])).tolist()
    [-1]
    """
    func = "from_callables"
    for name, fn in (("predict", predict), ("activations", activations)):
        if not callable(fn):
            raise param_error(name, func, "a callable", fn)
    return CallableModel(predict, activations, check_int(d, "d", func, min=1))


def check_representation(model: Any, func: str) -> None:
    """Raise InvalidParameterError unless ``model`` has callable ``predict`` and
    ``activations`` (naming what is missing)."""
    missing = [name for name in ("predict", "activations")
               if not callable(getattr(model, name, None))]
    if missing:
        hint = ""
        if type(model).__module__.startswith("sklearn."):
            hint = (" For a fitted scikit-learn MLP, pass pd.ReLUNetwork.from_sklearn(model) "
                    "(its activations are the hidden layers; its labels are ±1).")
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must expose predict(X) and activations(X) "
            f"(a ReLUNetwork, a planted network, or an adapter from "
            f"pd.distill.from_callables). Got {type(model).__name__}, which has no "
            f"{' and no '.join(missing)}.{hint}"
        )


def model_width(model: Any, func: str = "distill_tree") -> int | None:
    """The input width the model declares (``n_inputs``, else ``d``), or None
    when it declares neither; a declared width that is not an integer >= 1 is
    refused (as :func:`pacdistill.distill_junta` refuses it) rather than ignored.

    >>> model_width(pd.CLASSES["relu_network"].random(0, d=5, widths=[3]))
    5
    >>> class Wrapped:                    # a user's wrapper with a float width
    ...     n_inputs = 4.0
    >>> model_width(Wrapped())
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'model' parameter of distill_tree must be ...
    ... is an integer >= 1. Got 4.0 instead.
    """
    for attr in ("n_inputs", "d"):
        value = getattr(model, attr, None)
        if value is None:
            continue
        if (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
                and value >= 1):
            return int(value)
        raise param_error("model", func, f"a model whose {attr} (its input width) is an "
                          "integer >= 1", value)
    return None


def labels_of(model: Any, X: np.ndarray, func: str) -> np.ndarray:
    """``model.predict(X)`` checked to be n labels in {-1, +1}, as int8."""
    y = _as_array(model.predict(X), func, "predict")
    if y.size == X.shape[0]:
        y = y.reshape(-1)
    else:
        raise InvalidInputError(
            f"{func}: model.predict must return one label per row ({X.shape[0]} rows). "
            f"Got an array of shape {np.shape(y)} instead."
        )
    if not np.issubdtype(y.dtype, np.number) and y.dtype != np.bool_:
        raise InvalidInputError(f"{func}: model.predict returned dtype {y.dtype}, not numbers.")
    bad = (y != 1) & (y != -1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"{func}: model.predict must return labels -1 and +1. Got {y[row].item()!r} at "
            f"row {row}.{_label_hint(y)}"
        )
    return y.astype(np.int8)


def _label_hint(y: np.ndarray) -> str:
    """What the labels look like, and how to map them to ±1 (for error messages)."""
    if np.iscomplexobj(y):
        return ""
    values = y.astype(np.float64)
    if np.isin(values, (0.0, 1.0)).all():
        return (" These look like 0/1 labels: return 2 * y - 1 (so +1 is the class "
                "labelled 1).")
    if np.isfinite(values).all() and ((values >= 0) & (values <= 1)).all():
        return (" These look like probabilities: return np.where(p > 0.5, 1, -1) "
                "(or the sign of the logit).")
    return ""


def activations_of(model: Any, X: np.ndarray, func: str) -> np.ndarray:
    """``model.activations(X)`` checked to be a finite (n, m) float64 array, m >= 1
    (a scipy sparse matrix is made dense)."""
    raw = _as_array(_layers_joined(model.activations(X), X.shape[0], func), func)
    if np.iscomplexobj(raw):
        raise InvalidInputError(
            f"{func}: model.activations must return real numbers. Got a complex array "
            "(its imaginary parts would be dropped); return its real part or magnitude "
            "explicitly."
        )
    try:
        phi = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InvalidInputError(
            f"{func}: model.activations must return an (n, m) array of floats: {err}"
        ) from err
    if phi.ndim != 2 or phi.shape[0] != X.shape[0] or phi.shape[1] < 1:
        raise InvalidInputError(
            f"{func}: model.activations must return an array of shape (n, m) with n = "
            f"{X.shape[0]} rows and m >= 1 columns. Got shape {phi.shape} instead."
        )
    finite = np.isfinite(phi)
    if not finite.all():
        row, col = (int(v) for v in np.argwhere(~finite)[0])
        raise InvalidInputError(
            f"{func}: model.activations returned a non-finite value {float(phi[row, col])!r} at "
            f"row {row}, column {col} ({int((~finite).sum())} such values); the probes need "
            "finite activations."
        )
    return phi

