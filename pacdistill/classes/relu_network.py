"""Fully connected ReLU networks with one real output (THEORY §1, §5, §8).

``ReLUNetwork(weights, biases)``: layer l computes ``W_l h + b_l`` with
``weights[l]`` of shape (n_out, n_in); every layer but the last applies
ReLU(z) = max(z, 0); the last layer has one unit, whose value is the network's
real :meth:`~ReLUNetwork.output`, and ``predict`` is +1 where the output is > 0
and -1 elsewhere (0 -> -1). There is at least one hidden layer. The
concatenated post-ReLU hidden activations (:meth:`~ReLUNetwork.activations`,
shape (n, m) with m the total hidden width) are the representation the linear
probes of LRH tree distillation read (THEORY §5). Inputs may be real
(``real_inputs = True``) or points of the cube.

Networks come from arrays (:meth:`~ReLUNetwork.from_arrays`), from a fitted
scikit-learn MLP (:meth:`~ReLUNetwork.from_sklearn`), from an ``.npz`` file
(:meth:`~ReLUNetwork.from_npz`) or from JSON (``pd.model_from_dict``); floats
are written to JSON at full precision, so a JSON round trip preserves every
weight, hence every prediction, exactly.

Examples
--------
>>> net = pd.ReLUNetwork.from_arrays(
...     [[[1.0, 1.0], [1.0, -1.0]], [[1.0, -2.0]]], [[0.0, 0.0], [-0.5]])
>>> net
ReLUNetwork(d=2, widths=(2,))
>>> X = pd.cube.enumerate(2)
>>> net.activations(X)
array([[2., 0.],
       [0., 0.],
       [0., 2.],
       [0., 0.]])
>>> net.output(X), net.predict(X)
(array([ 1.5, -0.5, -4.5, -0.5]), array([ 1, -1, -1, -1], dtype=int8))
"""

from __future__ import annotations

import math
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from tokenize import TokenError
from typing import Any, ClassVar

import numpy as np
from numpy.lib import format as npy_format

from .._io import atomic_open
from .._validation import check_int, param_error, show
from ..errors import InvalidModelError, PacDistillError, SerializationError, TooLargeError
from ._arrays import json_real_array, real_array
from ._base import Model, ModelClass, check_model_cells, check_random_cells
from ._fields import payload_fields, payload_list

try:  # zipfile reads lzma members only when Python was built with lzma
    import lzma
except ImportError:  # pragma: no cover - depends on the Python build
    lzma = None  # type: ignore[assignment]

__all__ = ["ReLUNetwork", "RELU_NETWORK"]

_KEY = re.compile(r"^([Wb])(0|[1-9][0-9]*)$")
# the first bytes of a .npy file
_NPY_MAGIC = b"\x93NUMPY"
# .npy header readers of the format versions np.save writes for numeric arrays
_NPY_HEADERS = {(1, 0): npy_format.read_array_header_1_0,
                (2, 0): npy_format.read_array_header_2_0}
# longest .npy header read (numpy's own default limit for untrusted files)
_NPY_MAX_HEADER = 10_000
# what reading a corrupted or exotic archive raises: bad CRCs and headers, a
# damaged deflate/bzip2/lzma stream, encrypted members, unsupported methods
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    OSError, ValueError, EOFError, zipfile.BadZipFile, RuntimeError, NotImplementedError,
    zlib.error, *((lzma.LZMAError,) if lzma is not None else ()))


def _npy_cells(archive: zipfile.ZipFile, member: str, key: str, path: Any) -> int:
    """The number of entries the .npy header of ``member`` declares, read without
    its data; SerializationError unless it is an integer or float array."""
    with archive.open(member) as handle:
        version = npy_format.read_magic(handle)
        if version not in _NPY_HEADERS:
            raise SerializationError(
                f"Array {key!r} of {path!s} has .npy format version {version}; expected 1.0 "
                "or 2.0 (what numpy writes for numeric arrays)."
            )
        # the header's length first: a 2.0 header may claim 4 GiB, which numpy's
        # reader would decompress before its own size check
        length = int.from_bytes(handle.read(2 if version == (1, 0) else 4), "little")
        if length > _NPY_MAX_HEADER:
            raise SerializationError(
                f"Array {key!r} of {path!s} has a .npy header of {length} bytes; numpy writes "
                f"a few hundred (at most {_NPY_MAX_HEADER} are read)."
            )
        handle.seek(npy_format.MAGIC_LEN)  # back to the length, for numpy's reader
        try:
            shape, _, dtype = _NPY_HEADERS[version](handle, max_header_size=_NPY_MAX_HEADER)
        except (RecursionError, MemoryError, SyntaxError, TokenError) as err:  # hostile text
            raise SerializationError(
                f"Array {key!r} of {path!s} has an unreadable .npy header ({err})."
            ) from None
    if dtype.hasobject:
        raise SerializationError(
            f"Array {key!r} of {path!s} is an object array. Object arrays cannot be loaded "
            "(allow_pickle=False: nothing is unpickled); a network's arrays hold real numbers."
        )
    if dtype.kind not in "iuf":
        raise SerializationError(
            f"Array {key!r} of {path!s} has dtype {dtype}; a network's arrays must hold real "
            "numbers (an integer or float dtype)."
        )
    return math.prod(max(int(n), 0) for n in shape)


def _read_npy(archive: zipfile.ZipFile, member: str) -> np.ndarray:
    """The array of ``member`` (its header already checked), never unpickled."""
    with archive.open(member) as handle:
        return npy_format.read_array(handle, allow_pickle=False)


def _check_layers(
    weights: Any, biases: Any, owner: str,
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    for name, value in (("weights", weights), ("biases", biases)):
        if not isinstance(value, (list, tuple)):
            raise param_error(
                name, owner, "a list or tuple with one array per layer", value,
                cls=InvalidModelError,
            )
    if len(weights) != len(biases):
        raise InvalidModelError(
            f"{owner} needs one bias vector per weight matrix. Got {len(weights)} weight "
            f"matrices and {len(biases)} bias vectors."
        )
    if len(weights) < 2:
        raise InvalidModelError(
            f"{owner} needs at least one hidden layer (two weight matrices: input -> hidden, "
            f"hidden -> output). Got {len(weights)} weight matrices. A network without a "
            "hidden layer is a halfspace: use pd.Halfspace(weights[0][0], biases[0][0])."
        )
    Ws, bs = [], []
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        W = real_array(W, f"weights[{layer}]", owner, ndim=2)
        b = real_array(b, f"biases[{layer}]", owner, ndim=1)
        n_out, n_in = W.shape
        if n_out == 0 or n_in == 0:
            raise InvalidModelError(
                f"weights[{layer}] of {owner} must have at least one row and one column. "
                f"Got shape {W.shape}."
            )
        if b.shape != (n_out,):
            transposed = (" It matches the columns: weights[l] has shape (n_out, n_in), "
                          "so transpose matrices stored as (n_in, n_out) (scikit-learn's "
                          "coefs_, x @ W layers)." if b.shape == (n_in,) else "")
            raise InvalidModelError(
                f"biases[{layer}] of {owner} must have one entry per row of "
                f"weights[{layer}], shape ({n_out},). Got shape {b.shape} instead."
                f"{transposed}"
            )
        if Ws and n_in != Ws[-1].shape[0]:
            raise InvalidModelError(
                f"weights[{layer}] of {owner} must have {Ws[-1].shape[0]} columns (layer "
                f"{layer - 1} has {Ws[-1].shape[0]} units; weights[l] has shape "
                f"(n_out, n_in)). Got shape {W.shape} instead."
            )
        Ws.append(W)
        bs.append(b)
    if Ws[-1].shape[0] != 1:
        raise InvalidModelError(
            f"The last layer of {owner} must have one output unit: weights[{len(Ws) - 1}] "
            f"of shape (1, {Ws[-1].shape[1]}). Got shape {Ws[-1].shape} instead."
        )
    return tuple(Ws), tuple(bs)


@dataclass(frozen=True, eq=False)
class ReLUNetwork(Model):
    """A fully connected ReLU network with at least one hidden layer and one output.

    Parameters
    ----------
    weights : list or tuple of array_like
        ``weights[l]`` of shape (n_out, n_in): layer l computes ``W h + b``. The
        first has d columns, each has as many columns as the previous one has
        rows, the last has one row. Finite reals; stored as read-only float64.
    biases : list or tuple of array_like
        ``biases[l]`` of shape (n_out,) for each layer.

    Raises
    ------
    InvalidModelError
        When the shapes do not chain, the last layer has more than one unit,
        there is no hidden layer, or an entry is NaN, infinite or not real (the
        message names the layer and the position).

    Examples
    --------
    >>> pd.ReLUNetwork([np.ones((3, 2)), [[1.0, np.nan, 0.0]]], [np.zeros(3), [0.0]])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'weights[1]' parameter of ReLUNetwork must ...
    >>> pd.ReLUNetwork([np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), [0.0]])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: weights[1] of ReLUNetwork must have 3 columns ...
    """

    class_name: ClassVar[str] = "relu_network"
    real_inputs: ClassVar[bool] = True

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        Ws, bs = _check_layers(self.weights, self.biases, "ReLUNetwork")
        object.__setattr__(self, "weights", Ws)
        object.__setattr__(self, "biases", bs)
        # (n_in, n_out) C-contiguous copies: the forward pass computes h @ W^T + b in
        # the same memory layout as scikit-learn's (activation @ coef + intercept).
        object.__setattr__(self, "_weights_t", tuple(np.ascontiguousarray(W.T) for W in Ws))

    # -- shape ---------------------------------------------------------------
    @property
    def d(self) -> int:
        """The input dimension (columns of ``weights[0]``)."""
        return int(self.weights[0].shape[1])

    @property
    def widths(self) -> tuple[int, ...]:
        """The widths of the hidden layers, in order."""
        return tuple(int(W.shape[0]) for W in self.weights[:-1])

    def size(self) -> dict[str, int]:
        """``{"d": d, "L": number of hidden layers, "m": total hidden units}``."""
        return {"d": self.d, "L": len(self.widths), "m": sum(self.widths)}

    # -- evaluation ------------------------------------------------------------
    def _hidden(self, X: np.ndarray) -> list[np.ndarray]:
        layers = []
        h = X
        for Wt, b in zip(self._weights_t[:-1], self.biases[:-1], strict=True):  # type: ignore[attr-defined]
            h = h @ Wt
            h += b
            np.maximum(h, 0.0, out=h)
            layers.append(h)
        return layers

    def _output(self, X: np.ndarray) -> np.ndarray:
        last = self._hidden(X)[-1]
        out = last @ self._weights_t[-1]  # type: ignore[attr-defined]
        out += self.biases[-1]
        return out[:, 0]

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.where(self._output(X) > 0, np.int8(1), np.int8(-1))

    def output(self, X: Any) -> np.ndarray:
        """The real output of the last layer for each row, shape (n,) float64.

        ``predict(X)`` is ``+1`` exactly where ``output(X) > 0``.
        """
        return self._output(self._check_X(X, "output"))

    def activations(self, X: Any) -> np.ndarray:
        """The post-ReLU activations of every hidden layer, concatenated in layer
        order: an (n, m) float64 array, m = ``sum(widths)`` (THEORY §5).

        >>> net = pd.CLASSES["relu_network"].random(0, d=3, L=2, m=5)
        >>> net.widths, net.activations(pd.cube.enumerate(3)).shape
        ((3, 2), (8, 5))
        """
        return np.concatenate(self._hidden(self._check_X(X, "activations")), axis=1)

    # -- constructors ------------------------------------------------------------
    @classmethod
    def from_arrays(cls, weights: Sequence[Any], biases: Sequence[Any]) -> ReLUNetwork:
        """The network with these layers (``weights[l]`` of shape (n_out, n_in)),
        validated: the shapes chain, one output unit, finite values.

        >>> pd.ReLUNetwork.from_arrays([np.eye(2), [[1.0, 1.0]]], [[0, 0], [-1]]).size()
        {'d': 2, 'L': 1, 'm': 2}
        """
        return cls(tuple(weights) if isinstance(weights, list) else weights,
                   tuple(biases) if isinstance(biases, list) else biases)

    @classmethod
    def from_sklearn(cls, mlp: Any) -> ReLUNetwork:
        """The network of a fitted scikit-learn MLP with ReLU activation.

        Supported: ``MLPClassifier`` fitted on two classes, and ``MLPRegressor``
        with one output, each with ``activation='relu'`` and at least one hidden
        layer. scikit-learn stores ``coefs_[l]`` with shape (n_in, n_out); they are
        transposed here. The weights are copied as float64 (exactly).

        For a classifier the output is the logit of ``classes_[1]``, so
        ``predict(X) == +1`` where ``mlp.predict(X) == mlp.classes_[1]`` and -1
        where it is ``classes_[0]``; for a classifier fitted on the labels
        {-1, +1} (``classes_ == [-1, 1]``) the labels are therefore the same. One
        floating-point caveat: scikit-learn thresholds the logistic of the
        logit at 0.5, which rounds to exactly 0.5 for logits in (0, about
        1e-16]; at such points scikit-learn says ``classes_[0]`` and this network
        says +1 (the sign of the logit). For a regressor, ``output(X)`` equals
        ``mlp.predict(X)`` and ``predict`` is its sign. Both equalities are exact
        for an MLP fitted on float64 data; one fitted on float32 data keeps float32
        weights and computes in float32, while this network computes in float64,
        so its outputs differ from scikit-learn's by float32 rounding (about 1e-7
        relative), and a label can differ where the output is that close to 0.

        Raises
        ------
        InvalidModelError
            For anything else: not an MLP, not fitted, another activation,
            more than two classes or outputs, another output activation than
            the logistic (classifier) or the identity (regressor: not
            ``loss='poisson'``), no hidden layer.

        Examples
        --------
        >>> import warnings
        >>> from sklearn.neural_network import MLPClassifier
        >>> X = pd.cube.enumerate(3); y = X[:, 0] * X[:, 1]
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     mlp = MLPClassifier((8,), max_iter=50, random_state=0).fit(X, y)
        >>> net = pd.ReLUNetwork.from_sklearn(mlp)
        >>> net.widths, bool((net.predict(X) == mlp.predict(X)).all())
        ((8,), True)
        """
        try:
            from sklearn.neural_network import MLPClassifier, MLPRegressor
        except ImportError as err:  # pragma: no cover - sklearn is a dependency
            raise InvalidModelError("ReLUNetwork.from_sklearn needs scikit-learn.") from err
        supported = ("Supported: a fitted MLPClassifier on two classes or a fitted "
                     "MLPRegressor with one output, both with activation='relu'.")
        if not isinstance(mlp, (MLPClassifier, MLPRegressor)):
            raise InvalidModelError(
                f"ReLUNetwork.from_sklearn expects a scikit-learn MLPClassifier or "
                f"MLPRegressor. Got {type(mlp).__name__} instead. {supported}"
            )
        kind = type(mlp).__name__
        if not hasattr(mlp, "coefs_"):
            raise InvalidModelError(
                f"ReLUNetwork.from_sklearn got an unfitted {kind}: call fit(X, y) first."
            )
        if mlp.activation != "relu":
            raise InvalidModelError(
                f"ReLUNetwork.from_sklearn needs activation='relu'. Got a {kind} with "
                f"activation={mlp.activation!r} instead. {supported}"
            )
        if isinstance(mlp, MLPClassifier):
            n_classes = len(mlp.classes_)
            if mlp.n_outputs_ != 1 or n_classes != 2:
                raise InvalidModelError(
                    "ReLUNetwork.from_sklearn supports binary classifiers only (one "
                    f"logistic output). Got an MLPClassifier with {n_classes} classes and "
                    f"{mlp.n_outputs_} outputs instead. {supported}"
                )
        elif mlp.n_outputs_ != 1:
            raise InvalidModelError(
                "ReLUNetwork.from_sklearn supports regressors with one output only. "
                f"Got an MLPRegressor with {mlp.n_outputs_} outputs instead. {supported}"
            )
        # the output unit must be the one this class computes: a logistic (its logit
        # is the output) or the identity; MLPRegressor(loss='poisson') has exp
        out = getattr(mlp, "out_activation_", None)
        if out != ("logistic" if isinstance(mlp, MLPClassifier) else "identity"):
            raise InvalidModelError(
                f"ReLUNetwork.from_sklearn got a {kind} whose output activation is {out!r} "
                "(e.g. loss='poisson' puts exp on the output); a ReLUNetwork's output is "
                "the last layer's linear value, so its labels would not be the model's. "
                f"{supported}"
            )
        weights = [np.asarray(coef, dtype=np.float64).T for coef in mlp.coefs_]
        biases = [np.asarray(b, dtype=np.float64) for b in mlp.intercepts_]
        if len(weights) < 2:
            raise InvalidModelError(
                f"ReLUNetwork.from_sklearn needs at least one hidden layer. Got a {kind} "
                "with hidden_layer_sizes=() (a linear model; use pd.Halfspace)."
            )
        return cls(tuple(weights), tuple(biases))

    # -- files -------------------------------------------------------------------
    def to_npz(self, path: str | os.PathLike[str]) -> None:
        """Write the layers to ``path`` (exactly that name) as an uncompressed
        ``.npz`` archive with arrays ``W0, b0, W1, b1, ...``; see :meth:`from_npz`.

        The write is atomic (a temporary file beside ``path``, then a rename):
        an interrupted write leaves an existing file as it was.

        Raises
        ------
        SerializationError
            When ``path`` is not a path or the file cannot be written.
        """
        arrays = {}
        for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"W{layer}"] = W
            arrays[f"b{layer}"] = b
        with atomic_open(path, "wb", func="ReLUNetwork.to_npz") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def from_npz(cls, path: str | os.PathLike[str]) -> ReLUNetwork:
        """Read a network written by :meth:`to_npz` (arrays ``W0, b0, ..., W{L},
        b{L}``, nothing else), without ever unpickling.

        Every array's ``.npy`` header (its dtype and shape) is read before any
        data: a network of more than :data:`~pacdistill.classes._base.MAX_MODEL_CELLS`
        numbers (2^26 = 67,108,864 weights and biases, 512 MiB of float64) is
        refused unread, so neither a header that claims a huge shape nor a
        small compressed archive that expands to gigabytes allocates anything.

        Raises
        ------
        SerializationError
            When the file is missing, unreadable, not an ``.npz`` archive, has
            missing or extra arrays, arrays that are not integer or float, or
            holds an invalid network (NaN weights, shapes that do not chain...).
        TooLargeError
            When the headers declare more than ``MAX_MODEL_CELLS`` numbers in
            all, or the arrays do not fit in memory.

        Examples
        --------
        >>> import tempfile, os
        >>> net = pd.CLASSES["relu_network"].random(0, d=4, m=3)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "net.npz")
        ...     net.to_npz(path)
        ...     pd.ReLUNetwork.from_npz(path) == net
        True
        """
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise SerializationError(
                f"ReLUNetwork.from_npz needs a file path (str, bytes or os.PathLike). Got "
                f"{type(path).__name__} {path!r:.60} instead."
            )
        path = os.fsdecode(path) if isinstance(path, bytes) else path  # zipfile takes str
        single = False  # a lone .npy file, not an archive
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except (OSError, ValueError):
            regular = True  # (missing, a bad path: the open below says which)
        if not regular:  # a device (/dev/zero) is read without end, a FIFO blocks the open
            raise SerializationError(
                f"Could not read a network from {path!s}: it is not a regular file "
                "(expected an .npz archive written by ReLUNetwork.to_npz).")
        try:
            with open(path, "rb") as handle:
                single = handle.read(len(_NPY_MAGIC)) == _NPY_MAGIC
            archive = zipfile.ZipFile(path)
        except _ZIP_ERRORS as err:
            if single:
                raise SerializationError(
                    f"{path!s} holds a single array, not an .npz archive of W0, b0, W1, b1, ..."
                ) from err
            raise SerializationError(
                f"Could not read a network from {path!s} (expected an .npz archive written "
                f"by ReLUNetwork.to_npz): {err}"
            ) from err
        with archive:
            members = {}
            for member in archive.namelist():
                members.setdefault(member.removesuffix(".npy"), []).append(member)
            names = [key for key, found in members.items() for _ in found]
            bad = [name for name in names if not _KEY.match(name)]
            n_layers = len(names) // 2
            expected = {f"{kind}{layer}" for layer in range(n_layers) for kind in "Wb"}
            if bad or set(names) != expected or len(names) % 2:
                raise SerializationError(
                    f"{path!s} must hold exactly the arrays W0, b0, ..., W{{L}}, b{{L}} (one "
                    f"pair per layer). Got {show(sorted(names))} instead."
                )
            keys = [f"{kind}{layer}" for layer in range(n_layers) for kind in "Wb"]
            try:
                cells = sum(_npy_cells(archive, members[key][0], key, path) for key in keys)
                check_model_cells(
                    cells, f"the weights and biases its array headers declare in {path!s}",
                    "ReLUNetwork.from_npz",
                    fix="Refused before reading any array. For a network this large "
                        "from a file you trust, load its arrays yourself (np.load) and pass "
                        "them to ReLUNetwork.from_arrays.")
                arrays = {key: _read_npy(archive, members[key][0]) for key in keys}
            except PacDistillError:
                raise
            except _ZIP_ERRORS as err:
                raise SerializationError(f"Could not read the arrays of {path!s}: {err}") from err
            except MemoryError as err:
                raise TooLargeError(
                    f"Not enough memory to read the arrays of {path!s} ({err})."
                ) from None
        weights = tuple(arrays[f"W{layer}"] for layer in range(n_layers))
        biases = tuple(arrays[f"b{layer}"] for layer in range(n_layers))
        try:
            return cls(weights, biases)
        except SerializationError:
            raise
        except InvalidModelError as err:
            raise SerializationError(f"{path!s} holds an invalid network: {err}") from err
        except MemoryError as err:
            raise TooLargeError(
                f"Not enough memory to build the network read from {path!s} ({err})."
            ) from None

    # -- JSON ----------------------------------------------------------------------
    def _payload(self) -> dict[str, Any]:
        # float64 -> Python float -> JSON uses repr, which round-trips exactly.
        return {"weights": [W.tolist() for W in self.weights],
                "biases": [b.tolist() for b in self.biases]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> ReLUNetwork:
        payload_fields(data, ("weights", "biases"), "ReLUNetwork")
        layers = {}
        for name, ndim in (("weights", 2), ("biases", 1)):
            value = payload_list(data[name], name, "ReLUNetwork")
            layers[name] = tuple(json_real_array(item, f"{name}[{i}]", ndim)
                                 for i, item in enumerate(value))
        return cls(layers["weights"], layers["biases"])

    def __repr__(self) -> str:
        return f"ReLUNetwork(d={self.d}, widths={self.widths})"


def _random(
    rng: np.random.Generator, *, d: int, L: int | None = None, m: int | None = None,
    widths: Sequence[int] | None = None,
) -> ReLUNetwork:
    """A random network on d inputs: hidden widths ``widths``, or ``m`` units split
    as evenly as possible over ``L`` hidden layers (default 1; earlier layers get
    the extra units). With ``widths``, an ``L`` or ``m`` also given must agree with
    them (``len(widths)``, ``sum(widths)``). Weights are Gaussian with variance
    2 / fan-in (He initialisation), biases Gaussian with standard deviation 0.1.

    >>> pd.CLASSES["relu_network"].random(0, d=4, L=2, m=5).widths
    (3, 2)
    """
    func = "CLASSES['relu_network'].random"
    d = check_int(d, "d", func, min=1)
    if widths is None:
        L = check_int(1 if L is None else L, "L", func, min=1)
        if m is None:
            raise param_error("m", func, f"an integer >= L = {L} (total hidden units)", m,
                              fix="Or pass widths=(...) for explicit layer widths.")
        m = check_int(m, "m", func, min=L)
        check_random_cells(m, f"{m} hidden units", func)
        widths = [m // L + (1 if j < m % L else 0) for j in range(L)]
    else:
        if not isinstance(widths, (list, tuple)) or len(widths) == 0:
            raise param_error("widths", func, "a non-empty list of integers >= 1", widths)
        widths = [check_int(wd, "widths", func, min=1) for wd in widths]
        # the sizes of the network drawn are len(widths) and sum(widths): a
        # different L or m given with them would be silently ignored
        for name, value, implied in (("L", L, len(widths)), ("m", m, sum(widths))):
            if value is not None and check_int(value, name, func, min=1) != implied:
                raise param_error(name, func, f"{implied} (the {name} of widths={widths}) "
                                  "or omitted", value)
    sizes = [d, *widths, 1]
    check_random_cells(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)),
                       f"weights and biases of {len(sizes) - 1} layers", func)
    weights = [rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(0.0, 0.1, size=n_out) for n_out in sizes[1:]]
    return ReLUNetwork(tuple(weights), tuple(biases))


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    from ..bounds.symbols import L as L_sym
    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import m as m_sym

    return {"params": (d_sym, L_sym, m_sym), "eval_time": d_sym * m_sym + m_sym**2}


RELU_NETWORK = ModelClass(
    name="relu_network",
    title="ReLUNetwork",
    formulas=_formulas,
    model_type=ReLUNetwork,
    generator=_random,
    description="fully connected ReLU network: L hidden layers, m hidden units, one output",
    size_names=("d", "L", "m"),
)
