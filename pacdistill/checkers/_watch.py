"""What a reduction does to its inputs during one run of the conformance harness
(private; issue 7, THEORY §2).

A reduction's report says how many samples and queries it used; the harness
does not take that on trust, nor that the reduction keeps to the access it
declares. :func:`watching` patches, for the duration of one run,

- ``predict`` of f's type, recording the points at which *this* f is evaluated
  (other models of the type are not recorded);
- the sampling and probability methods of D's type, recording the points drawn
  from *this* D (directly, or through the wrapper handed to the reduction) and
  every read of its probabilities (``pmf``, ``pmf_on_cube``, ``support``,
  ``weighted_blocks``): a distiller gets i.i.d. samples from D, never D itself
  (THEORY §2).

Calls of D's methods from inside another of its methods (a ``_sample`` that
reads its own weights) are not recorded twice, nor counted as reads. The
patches are undone when the block ends (the harness runs one reduction at a
time; this is not thread-safe).

An edge that declares ``access="examples"`` or ``"queries"`` needs f's values
only, so the harness hands it f as a :class:`BlackBox`: ``predict``, ``d`` and
``n_inputs``, nothing else. Reading f's representation (``f.variables``,
``f.to_dict()``, returning f itself as the output) is then an access violation
(:attr:`BlackBox.withheld` names what was asked for), and a copy of the box
(``copy.deepcopy``) still evaluates the one f the harness watches.

What it cannot see: for an edge with ``access="representation"``, evaluations
of a *copy* of f (rebuilt from its JSON) or of f through another method (a
network's ``activations``); for every edge, draws from a copy of D; a reduction
that builds such copies on purpose evades the counts. The harness's own module
docstring lists this among its limits.

>>> f, D = pd.Parity(3, [0]), pd.distributions.Uniform(3)
>>> with watching(f, D) as seen:
...     X = D.sample(5, 0)
...     _ = f.predict(X[:2])
...     _ = pd.Parity(3, [1]).predict(X)          # another model: not recorded
>>> seen.samples, seen.queries, seen.peeks
(5, 2, ())
>>> bool(np.isin(seen.query_codes(), seen.sample_codes()).all())
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Seen", "BlackBox", "watching", "snapshot", "changed"]

#: D's methods that read its probabilities (a reduction only samples)
_PEEKS = ("pmf", "_pmf", "pmf_on_cube", "_pmf_on_cube", "support", "weighted_blocks",
          "_blocks")


@dataclass
class Seen:
    """What :func:`watching` recorded (mutable: it fills during the run).

    Attributes
    ----------
    queries : int
        Points at which f was evaluated through ``predict``.
    samples : int
        Points drawn from D.
    peeks : tuple of str
        The names of D's probability methods the run called, in order, once each.
    """

    queries: int = 0
    samples: int = 0
    peeks: tuple[str, ...] = ()
    _query_rows: list[np.ndarray] = field(default_factory=list, repr=False)
    _sample_rows: list[np.ndarray] = field(default_factory=list, repr=False)

    @staticmethod
    def _codes(rows: list[np.ndarray]) -> np.ndarray:
        """Cube indices of the recorded rows; -1 for a row that is not a point of
        the cube (it cannot have been drawn from D)."""
        if not rows:
            return np.zeros(0, dtype=np.int64)
        from ..cube import index

        X = np.concatenate(rows)
        on_cube = ((X == 1) | (X == -1)).all(axis=1)
        codes = np.full(X.shape[0], -1, dtype=np.int64)
        codes[on_cube] = index(X[on_cube])
        return codes

    def query_codes(self) -> np.ndarray:
        """The cube index of every point at which f was evaluated."""
        return self._codes(self._query_rows)

    def sample_codes(self) -> np.ndarray:
        """The cube index of every point drawn from D."""
        return self._codes(self._sample_rows)


#: class-level facts a black box passes on (they describe f's class, not f)
_CLASS_FACTS = frozenset({"class_name", "real_inputs"})


class BlackBox:
    """f as an edge with ``access="examples"`` or ``"queries"`` gets it (THEORY §2:
    labelled examples, or f's value at chosen points): ``predict(X)`` (and
    ``box(X)``, as a model is callable), the dimension (``d``, ``n_inputs``)
    and what its class says (``class_name``,
    ``real_inputs``: whether predict takes real points), nothing of f's
    representation.

    It passes ``isinstance`` checks for f's class (its ``__class__`` is f's, as a
    mock's is), so an algorithm that checks it was given a model still runs.
    Any other attribute that f has is withheld: asking for it raises an
    AttributeError saying so, and its name is recorded in ``withheld`` (a
    reduction that catches the error, or probes with ``hasattr``, is still
    seen). Attributes f does not have raise the usual AttributeError unrecorded,
    so probing for an optional method is not a violation.

    >>> box = BlackBox(pd.Parity(3, [0, 2]), "my_learner", "examples")
    >>> box.predict([[1, 1, -1]]).tolist(), box([[1, 1, -1]]).tolist(), box.d, box.n_inputs
    ([-1], [-1], 3, 3)
    >>> box.variables
    Traceback (most recent call last):
    ...
    AttributeError: my_learner declares access='examples': it gets f as a black box ...
    >>> hasattr(box, "activations"), box.withheld, isinstance(box, pd.Parity)
    (False, ['variables'], True)
    >>> box.class_name, box.real_inputs, box.withheld
    ('parity', False, ['variables'])
    """

    __slots__ = ("predict", "d", "n_inputs", "withheld", "_has", "_label", "_cls")

    def __init__(self, f: Any, name: str, access: str) -> None:
        def predict(X: Any, *args: Any, **kwargs: Any) -> Any:
            return f.predict(X, *args, **kwargs)

        # f itself is held in closures only: no attribute of the box leads to it,
        # and a deep copy of the box shares these functions (so it predicts with f)
        predict.__doc__ = getattr(type(f).predict, "__doc__", None)
        setter = object.__setattr__
        setter(self, "predict", predict)
        d = getattr(f, "n_inputs", None)
        setter(self, "d", getattr(f, "d", d) if d is None else d)
        setter(self, "n_inputs", self.d)
        setter(self, "withheld", [])
        setter(self, "_has", lambda attr: hasattr(f, attr))
        setter(self, "_label", (name, access, type(f).__name__))
        setter(self, "_cls", type(f))

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(box, type(f)) holds, as for f
        return self._cls

    def __getattr__(self, attr: str) -> Any:  # only for attributes the box does not hold
        if attr in _CLASS_FACTS:   # what f's class says (isinstance says as much)
            return getattr(self._cls, attr)
        if attr.startswith("__") or not self._has(attr):
            raise AttributeError(attr)
        if attr not in self.withheld:
            self.withheld.append(attr)
        name, access, cls = self._label
        raise AttributeError(
            f"{name} declares access={access!r}: it gets f as a black box with predict, d "
            f"and n_inputs only (THEORY §2), not the {cls}'s {attr!r}. An algorithm that "
            "reads f's representation declares access='representation'."
        )

    def __setattr__(self, attr: str, value: Any) -> None:
        name, access, _ = self._label
        raise AttributeError(f"{name} declares access={access!r}: f cannot be modified "
                             f"(it tried to set {attr!r}).")

    def __call__(self, X: Any) -> Any:  # a model is callable: f(X) is f.predict(X)
        return self.predict(X)

    def __copy__(self) -> BlackBox:  # immutable: a copy is the box itself
        return self

    def __deepcopy__(self, memo: Any) -> BlackBox:
        return self

    def __repr__(self) -> str:
        return f"BlackBox(d={self.d})"


def _rows(X: Any) -> np.ndarray | None:
    arr = np.asarray(X)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.dtype == object:
        return None
    return arr.copy()


@contextlib.contextmanager
def _patched(cls: type, name: str, make: Any) -> Iterator[None]:
    """``cls.name`` replaced by ``make(original)`` inside the block."""
    own = vars(cls).get(name)
    original = getattr(cls, name)
    setattr(cls, name, make(original))
    try:
        yield
    finally:
        if own is None:
            delattr(cls, name)
        else:
            setattr(cls, name, own)


@contextlib.contextmanager
def watching(f: Any, D: Any = None) -> Iterator[Seen]:
    """Record f's evaluations and D's draws and reads inside the block (module
    docstring). Yields the :class:`Seen` record."""
    seen = Seen()
    depth = [0]                  # inside one of D's own methods: nested calls are internal

    def predict(original: Any) -> Any:
        def wrapper(self: Any, X: Any, *args: Any, **kwargs: Any) -> Any:
            out = original(self, X, *args, **kwargs)
            if self is f:
                rows = _rows(X)
                seen.queries += int(np.shape(out)[0]) if np.ndim(out) else 1
                if rows is not None:
                    seen._query_rows.append(rows)
            return out
        wrapper.__doc__ = original.__doc__
        return wrapper

    def sampler(original: Any) -> Any:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self is not D or depth[0]:
                return original(self, *args, **kwargs)
            depth[0] += 1
            try:
                out = original(self, *args, **kwargs)
            finally:
                depth[0] -= 1
            seen.samples += int(np.shape(out)[0])
            seen._sample_rows.append(np.array(out, copy=True))
            return out
        return wrapper

    def peek(name: str) -> Any:
        def make(original: Any) -> Any:
            def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                if self is not D or depth[0]:
                    return original(self, *args, **kwargs)
                if name.lstrip("_") not in {p.lstrip("_") for p in seen.peeks}:
                    seen.peeks += (name,)
                depth[0] += 1
                try:
                    return original(self, *args, **kwargs)
                finally:
                    depth[0] -= 1
            return wrapper
        return make

    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(type(f), "predict", predict))
        if D is not None:
            cls = type(D)
            stack.enter_context(_patched(cls, "_sample", sampler))
            for name in _PEEKS:
                if hasattr(cls, name):
                    stack.enter_context(_patched(cls, name, peek(name)))
        yield seen


def snapshot(*objects: Any) -> tuple[Any, ...]:
    """The JSON forms of ``objects`` (models, distributions; None stays None)."""
    return tuple(None if obj is None else obj.to_dict() for obj in objects)


def changed(objects: tuple[Any, ...], before: tuple[Any, ...]) -> list[int]:
    """Positions of the objects whose JSON form differs from ``before``."""
    return [i for i, (obj, old) in enumerate(zip(objects, before, strict=True))
            if obj is not None and obj.to_dict() != old]
