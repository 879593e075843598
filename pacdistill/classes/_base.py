"""The Model and ModelClass contracts shared by every model class (THEORY §1, §8).

A *model* is a frozen value object: one member of a class, e.g. one decision
tree. A *model class* is a node of the reduction web: a family of models with
size parameters (sympy Symbols), its log-cardinality and VC dimension with
sources, a random generator and a hypothesis strategy.

Subclasses of :class:`Model` implement ``_predict`` on validated int8 points,
``size``, ``_payload`` (the JSON body) and ``_from_payload``; the base class
does the validation, the JSON envelope ``{"class": .., "version": 1, ...}`` and
equality.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._io import parse_json
from .._record import FORMAT_VERSION, VersionedRecord
from .._validation import (
    check_int,
    check_points,
    check_real_points,
    check_rng,
    record_type,
    show,
)
from ..errors import (
    InvalidCallError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
    TooLargeError,
)

if TYPE_CHECKING:  # annotations only: the formulas import sympy when first read
    import sympy

__all__ = [
    "Model",
    "ModelClass",
    "MODEL_TYPES",
    "FORMAT_VERSION",
    "MAX_RANDOM_SIZE",
    "MAX_MODEL_CELLS",
    "MAX_RANDOM_CELLS",
    "check_model_cells",
    "check_random_cells",
    "model_from_dict",
    "model_from_json",
    "readonly",
]


#: Largest value of any size parameter :meth:`ModelClass.random` accepts (2^24);
#: past it TooLargeError, before anything is drawn.
MAX_RANDOM_SIZE = 1 << 24
#: Most numbers (weights, table entries, literals) one dense model may hold when
#: pacdistill builds it (2^26, 512 MiB of float64): drawn by
#: :meth:`ModelClass.random`, built by an exact conversion from a sparse model
#: (a Conjunction on 10^12 variables as a dense Halfspace), or read from a file
#: (:meth:`~pacdistill.ReLUNetwork.from_npz`). Past it TooLargeError, before
#: anything is allocated.
MAX_MODEL_CELLS = 1 << 26
#: The same limit for random models (its first name).
MAX_RANDOM_CELLS = MAX_MODEL_CELLS

#: class name (as in ``pd.CLASSES``) -> model type; filled by ``Model.__init_subclass__``.
MODEL_TYPES: dict[str, type[Model]] = {}


def check_model_cells(cells: int, what: str, func: str, *,
                      fix: str = "Use smaller sizes.") -> None:
    """Raise TooLargeError when a model pacdistill is about to build would hold
    more than :data:`MAX_MODEL_CELLS` numbers (checked before allocating them);
    ``fix`` says what to do instead.

    >>> check_model_cells(10**12 + 1, "a weight per variable", "f", fix="Keep the model.")
    Traceback (most recent call last):
    ...
    pacdistill.errors.TooLargeError: f would build a model holding 1000000000001 numbers ...
    """
    if cells > MAX_MODEL_CELLS:
        raise TooLargeError(
            f"{func} would build a model holding {show(cells)} numbers ({what}), past the "
            f"limit of {MAX_MODEL_CELLS} (MAX_MODEL_CELLS). {fix}"
        )


def check_random_cells(cells: int, what: str, func: str) -> None:
    """:func:`check_model_cells` for a random model (checked before drawing it)."""
    check_model_cells(cells, what, func)


def readonly(arr: Any, dtype: Any = None) -> np.ndarray:
    """A read-only, C-contiguous copy of ``arr`` (models are immutable)."""
    out = np.array(arr, dtype=dtype, copy=True, order="C")
    out.setflags(write=False)
    return out


class Model(VersionedRecord):
    """Base of every model type. Subclasses are frozen dataclasses declared with
    ``eq=False`` (equality is by the JSON form, :class:`VersionedRecord`).

    Class attributes
    ----------------
    class_name : str
        The key of the model's class in ``pd.CLASSES`` (e.g. ``"decision_tree"``).
    real_inputs : bool
        True when ``predict`` accepts any finite real points (halfspaces and
        networks); False for the cube classes, which require -1/+1.
    """

    class_name: ClassVar[str] = ""
    real_inputs: ClassVar[bool] = False
    TAG_KEY: ClassVar[str] = "class"
    TAG_ATTR: ClassVar[str] = "class_name"
    INVALID_CONTENT: ClassVar[tuple[type[Exception], ...]] = (InvalidModelError,)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # only a class that names itself is registered: a user's subclass of
        # DecisionTree inherits "decision_tree" and must not take over loading
        # every decision tree (model_from_dict would return the subclass)
        name = cls.__dict__.get("class_name")
        if not name:
            return
        existing = MODEL_TYPES.get(name)
        if existing is not None and (existing.__module__, existing.__qualname__) != \
                (cls.__module__, cls.__qualname__):  # a re-run definition may replace itself
            raise InvalidModelError(
                f"The class_name {name!r} of {cls.__qualname__} is already the name of "
                f"{existing.__module__}.{existing.__qualname__}; choose another name (a "
                "subclass that leaves class_name out is not registered)."
            )
        MODEL_TYPES[name] = cls

    # -- evaluation ---------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        """The input dimension d."""
        return int(self.d)  # type: ignore[attr-defined]

    def _check_X(self, X: Any, func: str = "predict") -> np.ndarray:
        name = f"{type(self).__name__}.{func}"
        if self.real_inputs:
            return check_real_points(X, self.n_inputs, func=name)
        return check_points(X, self.n_inputs, func=name)

    def predict(self, X: Any) -> np.ndarray:
        """Evaluate the model on the rows of X.

        Parameters
        ----------
        X : array_like of shape (n, d)
            Points of {-1,+1}^d (any integer, float or bool dtype holding exactly
            -1 and +1; halfspaces and networks also accept finite reals).

        Returns
        -------
        ndarray of shape (n,), dtype int8, values -1 and +1.
        """
        return self._predict(self._check_X(X))

    def _predict(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, X: Any) -> np.ndarray:
        return self.predict(X)

    def size(self) -> dict[str, int]:  # pragma: no cover - abstract
        """Its size parameters, named as its class names them."""
        raise NotImplementedError

    # -- serialization and value semantics: pacdistill._record.VersionedRecord


def model_from_dict(data: Mapping[str, Any]) -> Model:
    """Rebuild any model from its ``to_dict()`` form (dispatching on ``"class"``).

    >>> t = pd.CLASSES["decision_tree"].random(0, d=5, depth=2)
    >>> pd.model_from_dict(t.to_dict()) == t
    True
    """
    model_type = record_type(data, MODEL_TYPES, key="class", func="model_from_dict",
                             role="the model class", noun="model class")
    return model_type.from_dict(data)


def model_from_json(text: str) -> Model:
    """Parse JSON text (refusing NaN/Infinity literals) and rebuild the model."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(f"model_from_json expects JSON text. Got {type(text).__name__}.")
    return model_from_dict(parse_json(text, "model JSON"))


#: The attributes of a ModelClass that are sympy expressions (built on first use
#: when the class gives them as ``formulas``).
_FORMULAS = ("params", "eval_time", "log_size", "vc_dim")


@dataclass(frozen=True, init=False, repr=False, eq=False)
class ModelClass:
    """A node of the reduction web: a family of models with size parameters.

    Attributes
    ----------
    name : str
        Key in ``pd.CLASSES`` (``"decision_tree"``).
    title : str
        Display name (``"DecisionTree"``).
    params : tuple of sympy.Symbol
        Size parameters, from :mod:`pacdistill.bounds.symbols`.
    model_type : type
        The Model subclass.
    log_size, vc_dim : sympy.Expr or None
        ln|G[params]| (an upper bound where noted) and the VC dimension.
    log_size_source, vc_dim_source : str
        Where each comes from (THEORY §4 or a paper).
    eval_time : sympy.Expr
        Cost of evaluating one member on one point, in the class parameters
        (used for the intermediate-evaluation term of composed time, THEORY §3).
    generator : callable
        ``generator(rng, **params) -> model``; called by :meth:`random`.
    description : str
        One line for tables.
    formulas : callable, optional (keyword only)
        Instead of ``params``, ``eval_time``, ``log_size`` and ``vc_dim``: a
        function of no arguments returning them as a dict (``log_size`` and
        ``vc_dim`` may be left out: None). It is called once, the first time one
        of them is read, so that making and using models never imports sympy;
        the built-in classes give their formulas this way.
    size_limits : dict of str to int, optional (keyword only)
        Sizes every member has at most, whatever the parameters: the model type
        may hold more than the class node (a DecisionList of terms of w >= 2
        literals is not in the class of 1-decision lists, ``{"w": 1}``, whose
        ``log_size`` THEORY §4 states). :meth:`contains` checks them.
    """

    name: str
    title: str
    model_type: type
    generator: Callable[..., Model] = field(repr=False)
    description: str = ""
    log_size_source: str = ""
    vc_dim_source: str = ""
    size_names: tuple[str, ...] = ()
    #: the function giving the formulas (one returning the given ones when they were
    #: passed directly), so that ``dataclasses.replace`` rebuilds either form
    formulas: Callable[[], Mapping[str, Any]] | None = field(default=None, repr=False)
    size_limits: Mapping[str, int] = field(default_factory=dict)

    def __init__(
        self, name: str, title: str, params: tuple[sympy.Symbol, ...] | None = None,
        model_type: type | None = None, eval_time: sympy.Expr | None = None,
        generator: Callable[..., Model] | None = None, description: str = "",
        log_size: sympy.Expr | None = None, log_size_source: str = "",
        vc_dim: sympy.Expr | None = None, vc_dim_source: str = "",
        size_names: tuple[str, ...] = (), *,
        formulas: Callable[[], Mapping[str, Any]] | None = None,
        size_limits: Mapping[str, int] | None = None,
    ) -> None:
        given = {"params": params, "eval_time": eval_time, "log_size": log_size,
                 "vc_dim": vc_dim}
        missing = [key for key, value in (("model_type", model_type), ("generator", generator))
                   if value is None]
        if formulas is None:
            missing += [key for key in ("params", "eval_time") if given[key] is None]
        elif any(value is not None for value in given.values()):
            raise InvalidCallError(
                f"ModelClass {name!r} takes its formulas either as params=, eval_time=, "
                "log_size=, vc_dim= or as formulas= (a function returning them), not both."
            )
        if missing:
            raise InvalidCallError(f"ModelClass {name!r} needs {', '.join(missing)}.")
        for key, value in (("name", name), ("title", title), ("model_type", model_type),
                           ("generator", generator), ("description", description),
                           ("log_size_source", log_size_source),
                           ("vc_dim_source", vc_dim_source), ("size_names", size_names),
                           ("size_limits", dict(size_limits or {}))):
            object.__setattr__(self, key, value)
        object.__setattr__(self, "formulas", formulas if formulas is not None
                           else functools.partial(dict, given))  # picklable
        object.__setattr__(self, "_built", None)  # filled by _formula on first read

    def _formula(self, key: str) -> Any:
        built = self._built  # type: ignore[attr-defined]
        if built is None:
            made = dict(self.formulas())  # type: ignore[misc]
            unknown = sorted(set(made) - set(_FORMULAS))
            if unknown or "params" not in made or "eval_time" not in made:
                raise InvalidCallError(
                    f"The formulas of ModelClass {self.name!r} must give params and "
                    f"eval_time (and optionally log_size, vc_dim). Got {sorted(made)}."
                )
            built = {k: made.get(k) for k in _FORMULAS}
            object.__setattr__(self, "_built", built)
        return built[key]

    @property
    def params(self) -> tuple[sympy.Symbol, ...]:
        """Size parameters (sympy Symbols from :mod:`pacdistill.bounds.symbols`)."""
        return self._formula("params")

    @property
    def eval_time(self) -> sympy.Expr:
        """Cost of evaluating one member on one point (THEORY §3)."""
        return self._formula("eval_time")

    @property
    def log_size(self) -> sympy.Expr | None:
        """ln|G[params]| (an upper bound where its source says so), or None."""
        return self._formula("log_size")

    @property
    def vc_dim(self) -> sympy.Expr | None:
        """The VC dimension, or None."""
        return self._formula("vc_dim")

    def _key(self) -> tuple[Any, ...]:
        return (self.name, self.title, self.params, self.model_type, self.eval_time,
                self.generator, self.description, self.log_size, self.log_size_source,
                self.vc_dim, self.vc_dim_source, self.size_names,
                tuple(sorted(self.size_limits.items())))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self is other or self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.name, self.title, self.model_type))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in (
            "name", "title", "params", "model_type", "eval_time", "description", "log_size",
            "log_size_source", "vc_dim", "vc_dim_source", "size_names"))
        return f"ModelClass({shown})"

    def random(self, rng: Any = None, **params: Any) -> Model:
        """A random member, e.g. ``pd.CLASSES["junta"].random(rng, d=10, k=3)``.

        ``rng`` is a seed or a numpy Generator (see :func:`check_rng`). Every
        integer size must be at most :data:`MAX_RANDOM_SIZE` (2^24) and the model
        hold at most :data:`MAX_MODEL_CELLS` numbers; past that TooLargeError.
        """
        func = f"CLASSES[{self.name!r}].random"
        for key, value in params.items():
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if (isinstance(item, numbers.Integral) and not isinstance(item, (bool, np.bool_))
                        and item > MAX_RANDOM_SIZE):
                    raise TooLargeError(
                        f"The {key!r} parameter of {func} is {show(item)}, past the limit of "
                        f"{MAX_RANDOM_SIZE} (MAX_RANDOM_SIZE) for random models."
                    )
        try:
            inspect.signature(self.generator).bind(None, **params)
        except TypeError as err:
            wanted = [p.name + ("" if p.default is inspect.Parameter.empty else "=...")
                      for p in inspect.signature(self.generator).parameters.values()
                      if p.kind is inspect.Parameter.KEYWORD_ONLY]
            raise InvalidCallError(
                f"{func} takes the size parameters {', '.join(wanted)} (keywords). Got "
                f"{', '.join(map(repr, params)) or 'none'}: {err}."
            ) from None
        return self.generator(check_rng(rng, func), **params)

    def strategy(self, **bounds: Any) -> Any:
        """A hypothesis strategy for members, from :mod:`pacdistill.checkers.strategies`
        (its bounds, such as ``max_d`` up to ``strategies.MAX_D``; a bound the
        strategy does not take or past its limit raises InvalidParameterError)."""
        from ..checkers import strategies

        return strategies.for_class(self.name, **bounds)

    def contains(self, model: Any, **params: Any) -> bool:
        """Whether ``model`` is a member of this class at ``params``: same type,
        the same ``d`` when given, every other size at most the given value, and
        every size within the class's ``size_limits`` (a 1-decision list has
        terms of one literal).

        Raises
        ------
        InvalidParameterError
            When a size is not a parameter of the class, or its value is not an
            integer >= 0 (a string, a float, NaN...), whatever ``model`` is.

        >>> j = pd.CLASSES["junta"].random(0, d=6, k=2)
        >>> pd.CLASSES["junta"].contains(j, d=6, k=3), pd.CLASSES["junta"].contains(j, k=1)
        (True, False)
        """
        func = f"CLASSES[{self.name!r}].contains"
        names = self.size_names or tuple(str(p) for p in self.params)
        for key, value in params.items():
            if key not in names:
                raise InvalidParameterError(
                    f"The class {self.name!r} has no size parameter {key!r}. "
                    f"Its parameters are {sorted(names)}."
                )
            params[key] = check_int(value, key, func, min=0)
        if not isinstance(model, self.model_type):
            return False
        size = model.size()
        if any(size[key] > cap for key, cap in self.size_limits.items()):
            return False
        for key, value in params.items():
            if key == "d":
                if size[key] != value:
                    return False
            elif size[key] > value:
                return False
        return True

    def __str__(self) -> str:
        return f"{self.title}[{', '.join(map(str, self.params))}]"
