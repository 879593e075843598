"""Guarantee: the symbolic contract of a reduction (THEORY §2, §3).

A guarantee is the tuple (kind, promise, error, failure, samples, queries, time,
size map, assumptions) of sympy expressions in the class parameters, ``eps``,
``delta`` and the ``OPT_*`` symbols, plus the classes it maps between and its
source.

Besides its fields a Guarantee offers

- ``at(**values)``: every field as a number (a frozen :class:`GuaranteeValues`);
- ``str()`` (a multi-line summary through ``sympy.sstr``), ``_repr_latex_``
  (notebooks) and a ``repr`` that rebuilds it;
- ``to_dict()`` / ``Guarantee.from_dict()``: a JSON form that round-trips; the
  expressions are nested lists over a whitelist (:mod:`._serialize`), loaded
  without parsing any text;
- ``evolve(**changes)``: a copy with some fields replaced.

>>> from pacdistill.bounds import symbols as S
>>> g = Guarantee("perfect", "parity", "parity", "derived here: THEORY §4",
...               promise=Promise("parity"), error=S.eps, failure=S.delta,
...               samples=(S.d * sympy.log(2) + sympy.log(1 / S.delta)) / S.eps,
...               time=S.d ** 3, size_map={S.d: S.d, S.k: S.d})
>>> g.at(d=20, eps=0.01, delta=0.05).samples
1686
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy
from sympy.printing.str import StrPrinter

from .._record import is_format_version
from .._validation import check_bool, check_choice, is_sequence, param_error, show
from ..errors import InvalidCallError, InvalidParameterError, SerializationError, TooLargeError
from . import _numeric
from . import symbols as _sym

__all__ = ["KINDS", "PROMISE_MODES", "FIELDS", "Promise", "Guarantee", "GuaranteeValues"]

#: the expression fields of a Guarantee, in display order (size_map apart)
FIELDS = ("error", "failure", "samples", "queries", "time")

#: the four kinds of edge (THEORY §2) plus hardness records (THEORY §8)
KINDS = ("exact", "perfect", "agnostic", "barrier")
#: exact promise (f equals a member of P on all of X) or distributional (D-a.s.)
PROMISE_MODES = ("everywhere", "distributional")


@dataclass(frozen=True)
class Promise:
    """What a perfect distiller assumes of its input f (THEORY §2.2-2.3).

    Attributes
    ----------
    cls : str
        Name of the promise class P, its key in ``pd.CLASSES`` (``"junta"``).
    mode : str
        ``"everywhere"`` (f equals some g* in P on all of X) or
        ``"distributional"`` (D-almost surely). Everywhere is the stronger one.
    """

    cls: str
    mode: str = "distributional"

    def __post_init__(self) -> None:
        _check_class_name(self.cls, "cls", "Promise")
        check_choice(self.mode, "mode", "Promise", PROMISE_MODES)

    def __str__(self) -> str:
        return f"{self.cls} ({self.mode})"


def _check_class_name(name: Any, param: str, owner: str) -> None:
    """A class name is a string; one that misses a key of ``pd.CLASSES`` only by
    spelling (a title such as "Conjunction", "decision-tree", "parities") is
    refused with the key, since nothing would ever match it. Other names are
    allowed: guarantees between toy classes are stated for the algebra alone."""
    if not isinstance(name, str) or not name:
        raise InvalidParameterError(
            f"The {param!r} parameter of {owner} must be a class name, a key of "
            f"pd.CLASSES such as 'decision_tree'. Got {show(name)} instead."
        )
    import difflib

    from ..classes import CLASSES

    if name in CLASSES:
        return
    titles = {cls.title.lower(): key for key, cls in CLASSES.items()}
    plain = name.lower().replace("-", "_").replace(" ", "_")
    match = titles.get(name.lower()) or (plain if plain in CLASSES else None) or next(
        iter(difflib.get_close_matches(plain, list(CLASSES), n=1, cutoff=0.75)), None)
    if match is not None:
        raise InvalidParameterError(
            f"The {param!r} parameter of {owner} must be a key of pd.CLASSES. Got "
            f"{name!r}; did you mean {match!r}?"
        )


def _expr(value: Any) -> sympy.Expr:
    # Guarantees are built from code, never from user text: ints, floats,
    # Rationals and sympy expressions only.
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(
            f"A Guarantee field must be a sympy expression or a number. Got {show(value)}."
        )
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)


@dataclass(frozen=True)
class Guarantee:
    """The declared guarantee of an edge F -> G.

    Attributes
    ----------
    kind : str
        One of ``KINDS``.
    promise : Promise or None
        Required for ``perfect`` edges; an ``agnostic`` guarantee may hold under a
        promise (a composite of a perfect step and an agnostic one, THEORY §3);
        an ``exact`` one never has one (and has error and failure 0).
    error : sympy.Expr
        Bound on err_D(f, output) that holds with probability >= 1 - failure
        (0 for exact conversions; ``eps`` for perfect; ``OPT_G + eps`` for agnostic).
    failure : sympy.Expr
        Failure probability (0 for exact; ``delta`` otherwise).
    samples, queries, time : sympy.Expr
        Unlabeled samples from D, evaluations of f at points of the algorithm's
        choosing, and running time, in the source class parameters, eps, delta.
    size_map : Mapping[sympy.Symbol, sympy.Expr]
        Target class parameters as expressions of the source's (sigma, THEORY §2.1).
    assumptions : tuple of str
        Named assumptions the guarantee rests on, e.g. ``("LRH(tau, B)",)``.
    source : str
        Citation: a paper (with arXiv id or DOI) or ``"derived here: THEORY §x"``.
    from_class, to_class : str
        Names of the source and target classes, their keys in ``pd.CLASSES``
        (``"junta"``, ``"decision_tree"``).
    order : bool
        True when samples/queries/time hold only up to the constant ``C``.
    """

    kind: str
    from_class: str
    to_class: str
    source: str
    promise: Promise | None = None
    error: sympy.Expr = sympy.Integer(0)
    failure: sympy.Expr = sympy.Integer(0)
    samples: sympy.Expr = sympy.Integer(0)
    queries: sympy.Expr = sympy.Integer(0)
    time: sympy.Expr = sympy.Integer(0)
    size_map: Mapping[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    order: bool = False

    def __post_init__(self) -> None:
        check_choice(self.kind, "kind", "Guarantee", KINDS)
        if not isinstance(self.source, str):
            raise param_error("source", "Guarantee", "a string (a paper with its arXiv id or "
                              "DOI, or 'derived here: THEORY §x')", self.source)
        if self.promise is not None and not isinstance(self.promise, Promise):
            raise param_error("promise", "Guarantee", "None or a Promise", self.promise)
        object.__setattr__(self, "order", check_bool(self.order, "order", "Guarantee"))
        if not is_sequence(self.assumptions) or not all(
                isinstance(item, str) for item in self.assumptions):
            raise param_error("assumptions", "Guarantee", "a sequence of strings (named "
                              "assumptions such as 'LRH(tau, B)')", self.assumptions)
        if not isinstance(self.size_map, Mapping):
            raise param_error("size_map", "Guarantee", "a mapping of the target class's "
                              "symbols to expressions", self.size_map)
        _check_class_name(self.from_class, "from_class", "Guarantee")
        _check_class_name(self.to_class, "to_class", "Guarantee")
        if self.kind == "perfect" and self.promise is None:
            raise InvalidParameterError(
                "A Guarantee of kind 'perfect' needs a promise (THEORY §2.2)."
            )
        for name in ("error", "failure", "samples", "queries", "time"):
            object.__setattr__(self, name, _expr(getattr(self, name)))
        if self.kind == "exact":
            # compose reads "exact" as "the output equals f everywhere" (THEORY §2.1):
            # a later step's promise transfers through it and it has none of its own
            wrong = [f"{name} {sympy.sstr(getattr(self, name))}"
                     for name in ("error", "failure") if getattr(self, name) != 0]
            if self.promise is not None:
                wrong.append(f"promise {self.promise}")
            if wrong:
                raise InvalidParameterError(
                    "A Guarantee of kind 'exact' equals f on every point (THEORY §2.1): "
                    f"error 0, failure 0 and no promise. Got {', '.join(wrong)}; "
                    "state it as 'perfect' (with its promise) or 'agnostic' instead."
                )
        keys = [key for key in dict(self.size_map) if not isinstance(key, sympy.Symbol)]
        if keys:
            raise InvalidParameterError(
                "The size_map of a Guarantee maps symbols of the target class to "
                "expressions (size_map={S.d: S.d, S.k: S.k} with from pacdistill.bounds "
                f"import symbols as S). Got the key {show(keys[0])}."
            )
        object.__setattr__(
            self, "size_map",
            {key: _expr(value) for key, value in dict(self.size_map).items()},
        )
        object.__setattr__(self, "assumptions", tuple(sorted(set(self.assumptions))))

    def __hash__(self) -> int:
        return hash((self.kind, self.from_class, self.to_class, self.error, self.samples,
                     tuple(sorted(self.size_map.items(), key=lambda kv: kv[0].name))))

    # ----------------------------------------------------------------- queries
    def expressions(self) -> dict[str, sympy.Expr]:
        """Every expression of the guarantee by field name; size-map entries
        appear as ``"size_map[d]"``."""
        out = {name: getattr(self, name) for name in FIELDS}
        for key in sorted(self.size_map, key=lambda sym: sym.name):
            out[f"size_map[{key.name}]"] = self.size_map[key]
        return out

    @property
    def free_symbols(self) -> frozenset[sympy.Symbol]:
        """The symbols the guarantee's expressions use (size-map keys excluded)."""
        found: set[sympy.Symbol] = set()
        for expr in self.expressions().values():
            found |= expr.free_symbols
        return frozenset(found)

    def evolve(self, **changes: Any) -> Guarantee:
        """A copy with the given fields replaced (attrs' ``evolve``).

        >>> from pacdistill.bounds import symbols as S
        >>> g = Guarantee("exact", "parity", "decision_tree", "THEORY §8", time=S.k)
        >>> g.evolve(time=2 * S.k).time
        2*k
        """
        names = [f.name for f in dataclasses.fields(self) if f.init]
        unknown = sorted(key for key in changes if key not in names)
        if unknown:
            raise InvalidCallError(
                f"{type(self).__name__}.evolve got the unknown field {unknown[0]!r}. "
                f"Its fields: {', '.join(names)}."
            )
        return dataclasses.replace(self, **changes)

    def at(self, *, fields: Iterable[str] | None = None, **values: Any) -> GuaranteeValues:
        """Evaluate the guarantee's fields at numeric values of its symbols.

        Parameters
        ----------
        fields : iterable of str, optional
            Which of ``error, failure, samples, queries, time, size_map`` to
            evaluate (default: all). The others are None in the result, and
            their symbols need no value: ``at(fields=["samples"], ...)`` needs
            no ``OPT_*`` value, for instance.
        **values
            A number for every symbol of the evaluated fields, keyed by the
            symbol's name (``d=100, k=4, eps=0.01, delta=0.05,
            OPT_decision_tree=0.1``). Names unknown to
            :mod:`pacdistill.bounds.symbols` are an error; known names that no
            evaluated field uses are ignored (so one set of values can serve
            many guarantees). Integer symbols need ints, positive symbols
            positive values, ``OPT_*`` values in [0, 1].

        Returns
        -------
        GuaranteeValues
            A frozen record. ``samples`` and ``queries`` are ints, rounded up
            (a count must reach the bound); ``error``, ``failure`` and ``time``
            are floats (``inf`` past the float range); size-map values are ints
            when integral, floats otherwise.

        Notes
        -----
        Floats are read as the decimal they print as (0.01 is 1/100 exactly)
        and expressions are evaluated to 50 significant digits. Counts up to
        10^15 are rounded up from that value (one within 1e-30, relative, of an
        integer counts as that integer, so a bound that is exactly an integer is
        not rounded past it); larger counts and size values are decided exactly
        (:func:`count_at`, :func:`size_at`), so an int returned is the exact
        value, however many digits it has.

        Examples
        --------
        >>> from pacdistill.bounds import symbols as S
        >>> g = Guarantee("agnostic", "junta", "junta", "THEORY §4",
        ...               error=S.OPT("junta") + S.eps, failure=S.delta,
        ...               samples=2 * (S.k * sympy.log(S.d) + sympy.log(2 / S.delta)) / S.eps**2)
        >>> vals = g.at(d=100, k=4, eps=0.1, delta=0.05, OPT_junta=0.02)
        >>> vals.samples, round(vals.error, 3)
        (4422, 0.12)
        >>> g.at(d=100, eps=0.1, delta=0.05)
        Traceback (most recent call last):
        ...
        pacdistill.errors.InvalidParameterError: Guarantee.at needs a value for ... OPT_junta, k...
        """
        wanted = _check_fields(fields)
        exprs = {name: getattr(self, name) for name in FIELDS if name in wanted}
        sizes = dict(self.size_map) if "size_map" in wanted else {}
        numeric = _numeric_values(values, "Guarantee.at")
        needed: set[sympy.Symbol] = set()
        for expr in [*exprs.values(), *sizes.values()]:
            needed |= expr.free_symbols
        missing = sorted(sym.name for sym in needed if sym not in numeric)
        if missing:
            raise InvalidParameterError(
                "Guarantee.at needs a value for every symbol of the evaluated fields; "
                f"missing: {', '.join(missing)}. Pass them as keywords "
                f"(at({', '.join(f'{name}=...' for name in missing)})) or restrict "
                "fields=[...]."
            )
        subs = {sym: numeric[sym] for sym in needed}
        out: dict[str, Any] = {name: None for name in FIELDS}
        for name, expr in exprs.items():
            number = _evaluate(expr, subs, name)
            out[name] = (count_at(expr, subs, name, number) if name in ("samples", "queries")
                         else _to_float(number))
        size_values = {key.name: size_at(val, subs, f"size_map[{key.name}]")
                       for key, val in sorted(sizes.items(), key=lambda kv: kv[0].name)}
        return GuaranteeValues(
            kind=self.kind, from_class=self.from_class, to_class=self.to_class,
            promise=None if self.promise is None else str(self.promise),
            size_map=size_values if "size_map" in wanted else None,
            values={sym.name: _plain(numeric[sym]) for sym in sorted(subs, key=str)},
            **out,
        )

    # ---------------------------------------------------------------- printing
    def _summary_lines(self) -> list[tuple[str, str]]:
        rows = [
            ("promise", "none" if self.promise is None else str(self.promise)),
            *((name, sympy.sstr(getattr(self, name))) for name in FIELDS),
            ("size map", ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in
                                   sorted(self.size_map.items(), key=lambda kv: kv[0].name))
             or "none"),
            ("assumptions", ", ".join(self.assumptions) or "none"),
            ("order", "up to the constant C" if self.order else "exact constants"),
            ("source", self.source),
        ]
        return rows

    def __str__(self) -> str:
        head = f"{self.kind} guarantee {self.from_class} -> {self.to_class}"
        width = max(len(name) for name, _ in self._summary_lines()) + 1
        body = [f"  {(name + ':').ljust(width)} {text}" for name, text in self._summary_lines()]
        return "\n".join([head, *body])

    def _repr_latex_(self) -> str:
        rows = [rf"\text{{{_tex(self.from_class)}}} \to \text{{{_tex(self.to_class)}}} & "
                rf"\text{{({self.kind})}}"]
        rows.append(rf"\text{{promise}} & \text{{{_tex(str(self.promise or 'none'))}}}")
        for name in FIELDS:
            rows.append(rf"\text{{{name}}} & {_latex(getattr(self, name))}")
        for key, value in sorted(self.size_map.items(), key=lambda kv: kv[0].name):
            rows.append(rf"\text{{size }} {_latex(key)} & {_latex(value)}")
        if self.assumptions:
            rows.append(rf"\text{{assumptions}} & \text{{{_tex(', '.join(self.assumptions))}}}")
        if self.order:
            rows.append(r"\text{order} & \text{up to the constant } C")
        rows.append(rf"\text{{source}} & \text{{{_tex(self.source)}}}")
        return "$\\begin{array}{rl} " + r" \\ ".join(rows) + r" \end{array}$"

    def _repr_fields(self) -> list[str]:
        parts = [f"kind={self.kind!r}", f"from_class={self.from_class!r}",
                 f"to_class={self.to_class!r}", f"source={self.source!r}"]
        if self.promise is not None:
            parts.append(f"promise={self.promise!r}")
        for name in FIELDS:
            value = getattr(self, name)
            if value != 0:
                parts.append(f"{name}={_REBUILD.doprint(value)}")
        if self.size_map:
            items = sorted(self.size_map.items(), key=lambda kv: kv[0].name)
            parts.append("size_map={" + ", ".join(
                f"{_REBUILD.doprint(k)}: {_REBUILD.doprint(v)}" for k, v in items) + "}")
        if self.assumptions:
            parts.append(f"assumptions={self.assumptions!r}")
        if self.order:
            parts.append("order=True")
        return parts

    def __repr__(self) -> str:
        """Code that rebuilds the guarantee, given ``from sympy import *``,
        ``from pacdistill.bounds.symbols import *`` and
        ``from pacdistill.bounds.guarantee import Guarantee, Promise``."""
        return f"{type(self).__name__}({', '.join(self._repr_fields())})"

    # ------------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; :meth:`from_dict` rebuilds an equal Guarantee.

        >>> from pacdistill.bounds import symbols as S
        >>> g = Guarantee("exact", "parity", "decision_tree", "THEORY §8", time=S.k * 2**S.k,
        ...               size_map={S.r: S.k, S.s: 2**S.k})
        >>> Guarantee.from_dict(g.to_dict()) == g
        True
        """
        from ._serialize import to_tree

        return {
            "type": "Guarantee",
            "version": 1,
            "kind": self.kind,
            "from_class": self.from_class,
            "to_class": self.to_class,
            "source": self.source,
            "promise": None if self.promise is None else
            {"cls": self.promise.cls, "mode": self.promise.mode},
            **{name: to_tree(getattr(self, name)) for name in FIELDS},
            "size_map": [[key.name, to_tree(value)] for key, value in
                         sorted(self.size_map.items(), key=lambda kv: kv[0].name)],
            "assumptions": list(self.assumptions),
            "order": self.order,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Guarantee:
        """Rebuild a Guarantee (or a ComposedGuarantee) from :meth:`to_dict`'s
        form. Strict: unknown or missing keys, wrong types and expressions
        outside the whitelist raise :class:`~pacdistill.errors.SerializationError`."""
        if not isinstance(data, Mapping):
            raise SerializationError(
                f"A Guarantee document must be a JSON object. Got {show(data)}.")
        kind = data.get("type")
        if not isinstance(kind, str):  # an array's == would compare elementwise
            raise SerializationError(
                f"Expected a document of type 'Guarantee'. Got type {show(kind)}."
            )
        if kind == "ComposedGuarantee":
            from .compose import ComposedGuarantee

            return ComposedGuarantee.from_dict(data)
        if kind != "Guarantee":
            raise SerializationError(
                f"Expected a document of type 'Guarantee'. Got type {kind!r}."
            )
        fields = _fields_from_dict(data, set())
        try:
            return cls(**fields)
        except InvalidParameterError as err:
            raise SerializationError(f"Invalid Guarantee document: {err}") from err


@dataclass(frozen=True)
class GuaranteeValues:
    """A Guarantee evaluated at numbers (what :meth:`Guarantee.at` returns).

    Attributes
    ----------
    kind, from_class, to_class : str
    promise : str or None
        The promise as text (``"junta (everywhere)"``).
    error, failure, time : float or None
        None when not evaluated (see ``fields=``).
    samples, queries : int or None
        Rounded up.
    size_map : dict or None
        Target parameter name -> int (when integral) or float.
    values : dict
        The inputs that were used, by symbol name.
    """

    kind: str
    from_class: str
    to_class: str
    promise: str | None
    error: float | None
    failure: float | None
    samples: int | None
    queries: int | None
    time: float | None
    size_map: Mapping[str, int | float] | None
    values: Mapping[str, int | float]

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-safe dict."""
        out = dataclasses.asdict(self)
        out["size_map"] = None if self.size_map is None else dict(self.size_map)
        out["values"] = dict(self.values)
        return out


# ---------------------------------------------------------------------- helpers
_SIMPLE_KEYS = {"type", "version", "kind", "from_class", "to_class", "source", "promise",
                *FIELDS, "size_map", "assumptions", "order"}


def _fields_from_dict(data: Mapping[str, Any], extra_keys: set[str]) -> dict[str, Any]:
    """The constructor arguments of a Guarantee document (shared with composites)."""
    from ._serialize import from_tree, symbol_from_name

    keys = set(data)
    if keys != _SIMPLE_KEYS | extra_keys:
        missing = sorted(_SIMPLE_KEYS | extra_keys - keys)
        unknown = sorted(keys - _SIMPLE_KEYS - extra_keys)
        raise SerializationError(
            f"Malformed Guarantee document: missing keys {missing}, unknown keys {unknown}."
        )
    if not is_format_version(data["version"], 1):  # an array's != is elementwise
        raise SerializationError(f"Unknown Guarantee document version {show(data['version'])}.")
    for name in ("kind", "from_class", "to_class", "source"):
        if not isinstance(data[name], str):
            raise SerializationError(f"The {name!r} of a Guarantee document must be a string.")
    promise = data["promise"]
    if promise is not None:
        if (not isinstance(promise, Mapping) or set(promise) != {"cls", "mode"}
                or not all(isinstance(promise[key], str) for key in ("cls", "mode"))):
            raise SerializationError(
                f"The promise of a Guarantee document must be null or {{cls, mode}}. "
                f"Got {show(promise)}."
            )
        try:
            promise = Promise(promise["cls"], promise["mode"])
        except InvalidParameterError as err:
            raise SerializationError(f"Invalid Guarantee document: {err}") from err
    size_map: dict[sympy.Symbol, sympy.Expr] = {}
    if not isinstance(data["size_map"], list):
        raise SerializationError("The size_map of a Guarantee document must be a list of pairs.")
    for pair in data["size_map"]:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise SerializationError(
                f"A size_map entry must be [name, expression]. Got {show(pair)}.")
        key = symbol_from_name(pair[0])
        if key is None or key in size_map:
            raise SerializationError(f"Unknown or repeated size_map key {pair[0]!r}.")
        size_map[key] = from_tree(pair[1])
    assumptions = data["assumptions"]
    if not isinstance(assumptions, list) or not all(isinstance(a, str) for a in assumptions):
        raise SerializationError("The assumptions of a Guarantee document must be strings.")
    if not isinstance(data["order"], bool):
        raise SerializationError("The order of a Guarantee document must be true or false.")
    try:
        return dict(
            kind=data["kind"], from_class=data["from_class"], to_class=data["to_class"],
            source=data["source"], promise=promise,
            **{name: from_tree(data[name]) for name in FIELDS},
            size_map=size_map, assumptions=tuple(assumptions), order=data["order"],
        )
    except InvalidParameterError as err:
        raise SerializationError(f"Invalid Guarantee document: {err}") from err


_FIELD_CHOICES = (*FIELDS, "size_map")


def _check_fields(fields: Iterable[str] | None) -> set[str]:
    if fields is None:
        return set(_FIELD_CHOICES)
    if isinstance(fields, str):
        fields = [fields]
    if not is_sequence(fields):
        raise InvalidParameterError(
            f"The 'fields' parameter of Guarantee.at must be None, a field name or a list "
            f"of field names among {', '.join(_FIELD_CHOICES)}. Got {show(fields)} instead."
        )
    chosen = set()
    for name in fields:
        if not isinstance(name, str) or name not in _FIELD_CHOICES:
            raise InvalidParameterError(
                f"The 'fields' parameter of Guarantee.at must hold names among "
                f"{', '.join(_FIELD_CHOICES)}. Got {show(name)} instead."
            )
        chosen.add(name)
    return chosen


def _numeric_values(values: Mapping[str, Any], func: str) -> dict[sympy.Symbol, sympy.Expr]:
    """Validate ``name=number`` keywords into exact sympy numbers keyed by symbol."""
    from .._validation import unknown_name
    from ._serialize import symbol_from_name

    out: dict[sympy.Symbol, sympy.Expr] = {}
    for name, value in values.items():
        sym = symbol_from_name(name)
        if sym is None:
            raise unknown_name(f"symbol in {func}", name, list(_sym.NAME_FORMS))
        out[sym] = _exact_number(value, sym, func)
    return out


def _exact_number(value: Any, sym: sympy.Symbol, func: str) -> sympy.Expr:
    name = sym.name
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, sympy.Number)):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a real number. Got {show(value)} instead."
        )
    if isinstance(value, sympy.Number):
        if value.is_finite is not True:  # oo, -oo, zoo, nan (nan > 0 raised TypeError)
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be finite. Got {show(value)} instead."
            )
        exact = value
    elif isinstance(value, numbers.Integral):
        exact = sympy.Integer(int(value))
    elif isinstance(value, Fraction):
        exact = sympy.Rational(value.numerator, value.denominator)
    else:
        fvalue = float(value)
        if not math.isfinite(fvalue):
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be finite. Got {show(value)} instead."
            )
        exact = sympy.Rational(repr(fvalue))
    if sym.is_integer and not exact.is_integer:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be an integer. Got {show(value)} instead."
        )
    if sym.is_positive and not exact > 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be > 0. Got {show(value)} instead."
        )
    if _sym.is_opt_symbol(sym) and not 0 <= exact <= 1:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be in [0, 1] (an error rate). "
            f"Got {show(value)} instead."
        )
    if (sym in (_sym.eps, _sym.delta) or _sym.is_budget_symbol(sym)) and not exact < 1:
        # every bound of THEORY §4 is stated for eps, delta in (0, 1); past 1,
        # ln(1/delta) is negative and so were the counts (-6 samples at delta = 2)
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be in (0, 1). Got {show(value)} instead."
        )
    return exact


def _without_rounding(expr: sympy.Expr, floats: Mapping[sympy.Symbol, sympy.Expr],
                      what: str) -> sympy.Expr | None:
    """``expr`` at 50-digit ``floats`` with ceiling and floor dropped, when that
    value is past 10^60; None when it is smaller (the rounding matters) or
    cannot be computed that way.

    sympy rounds a 50-digit Float of 10^5000 to an exact Integer of 5000 digits,
    past Python's integer-string limit (a ValueError), and finds the integer part
    of a ceiling at a precision of as many bits as the value has (minutes at
    10^300000). Past 10^60 the rounding is below the 50 digits kept, so dropping
    it changes nothing the caller can see. A value whose logarithm mpmath cannot
    take without a mantissa of 2^40 bits (2^k at k = 2^40) is too large to
    evaluate at all: TooLargeError."""
    if not expr.has(sympy.ceiling, sympy.floor):
        return None
    plain = expr.replace(lambda node: isinstance(node, (sympy.ceiling, sympy.floor)),
                         lambda node: node.args[0])
    try:
        number = plain.xreplace(floats).evalf(50)
    except (MemoryError, OverflowError, RecursionError) as err:
        raise TooLargeError(f"The {what} of the guarantee is too large to evaluate at "
                            "these values (its magnitude alone exhausts memory).") from err
    except (TypeError, ValueError, ArithmeticError):
        return None
    if not number.is_number or number.is_real is not True or number.has(sympy.zoo, sympy.nan):
        return None
    if abs(number) <= sympy.Float(10) ** 60:
        return None  # small enough for the rounding to matter: not this path's case
    return number


def _evaluate(expr: sympy.Expr, subs: Mapping[sympy.Symbol, sympy.Expr], what: str) -> sympy.Expr:
    """``expr`` at ``subs``, to 50 digits, without building huge exact integers."""
    if expr.has(sympy.ceiling, sympy.floor):
        # sympy finds the integer part of a ceiling exactly, at a precision of as
        # many bits as the value has: a count of 10^300000 (2^k at k = 10^6) took
        # minutes. Past 10^60 the rounding is below the 50 digits kept, so such a
        # value is the one with the rounding dropped.
        rough = _without_rounding(expr, {sym: sympy.Float(value, 50)
                                         for sym, value in subs.items()}, what)
        if rough is not None:
            return rough
    try:
        if _huge_combinatorial(expr, subs):
            # evalf(subs=) substitutes exact integers into binomial/factorial/catalan,
            # which sympy then computes exactly (C(10^30, 10^29) never ends); with
            # 50-digit Floats they go through the gamma function at once.
            raise ValueError("a factorial-like function of a huge argument")
        if _huge_power(expr, subs):
            # evalf(subs=) cannot take Min/Max in an exponent numerically: it
            # substitutes exact integers, and 2**Min(d, 2**d - 1) at d = 10^9 built
            # 2**(10^9) exactly (11 s; d = 10^12 never ends); and mpmath raises to
            # an exact integer power by squaring (3**d at d = 2**4000: 0.3 s a
            # power, seconds a route). 50-digit Floats do neither.
            raise ValueError("a power with a huge exponent")
        number = expr.evalf(50, subs=dict(subs)) if expr.free_symbols else expr.evalf(50)
    except (TypeError, ValueError, ArithmeticError) as first:
        # evalf(subs=) hands Min/Max symbolic arguments they reject at 0 (sympy
        # refuses Min(d, 0) with subs); 50-digit Floats substituted first work
        # and still never build huge exact integers.
        floats = {sym: sympy.Float(value, 50) for sym, value in subs.items()}
        try:
            number = expr.xreplace(floats).evalf(50)
        except (TypeError, ValueError, ArithmeticError) as err:
            raise InvalidParameterError(f"The {what} of the guarantee cannot be evaluated "
                                        f"at these values: {first}") from err
    if not number.is_number or number.is_real is False or number.has(sympy.zoo, sympy.nan):
        raise InvalidParameterError(
            f"The {what} of the guarantee is not a finite real number at these values "
            f"(got {sympy.sstr(number)})."
        )
    return number


#: Counts (samples, queries) are exact Python ints up to 10^MAX_COUNT_DIGITS; past
#: that (2^(2^d) at d = 10^30, say) TooLargeError instead of building the integer.
MAX_COUNT_DIGITS = 4000
_MAX_COUNT = sympy.Float(f"1e{MAX_COUNT_DIGITS}")


_FACTORIAL_LIKE = (sympy.binomial, sympy.factorial, sympy.catalan)
#: factorial-like arguments up to this size are computed exactly (as before) ...
_EXACT_FACTORIAL_ARG = 10**5
#: ... when the exact value has at most this many digits: evaluation keeps 50
#: digits anyway, and Catalan(10^5) (60,000 digits, ln of it in lrh_tree's
#: bound) took 10 s to build exactly; through 50-digit Floats it is immediate
_EXACT_FACTORIAL_DIGITS = 1000


def _log10_value(node: sympy.Expr, args: Sequence[float]) -> float | None:
    """log10 of a factorial-like ``node`` at real ``args`` (by lgamma), None when
    the estimate does not apply (a negative argument, k outside [0, n])."""
    lg = math.lgamma
    if isinstance(node, sympy.factorial):
        (n,) = args
        value = lg(n + 1) if n >= 0 else None
    elif isinstance(node, sympy.catalan):
        (n,) = args
        value = lg(2 * n + 1) - 2 * lg(n + 1) - math.log(n + 1) if n >= 0 else None
    else:
        n, k = args
        value = lg(n + 1) - lg(k + 1) - lg(n - k + 1) if 0 <= k <= n else None
    return None if value is None else value / math.log(10)


#: past this exponent any power is evaluated through 50-digit Floats
_EXACT_POWER_EXP = 10**15


def _huge_power(expr: sympy.Expr, subs: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether a power of ``expr`` has at ``subs`` an exponent past
    _EXACT_POWER_EXP, or past _EXACT_FACTORIAL_ARG when it holds a Min or Max
    (or one that cannot be sized).

    >>> from pacdistill.bounds import symbols as S
    >>> e = 2 ** sympy.Min(S.d, 2**S.d - 1)
    >>> _huge_power(e, {S.d: 10**9}), _huge_power(e, {S.d: 30}), _huge_power(e, {S.d: 10**16})
    (True, False, True)
    >>> _huge_power(3**S.d, {S.d: 10**9}), _huge_power(3**S.d, {S.d: 2**4000})
    (False, True)
    """
    nodes = [node for node in expr.atoms(sympy.Pow) if node.exp.free_symbols]
    if not nodes:
        return False
    floats = {sym: sympy.Float(value, 15) for sym, value in subs.items()}
    for node in nodes:
        limit = (_EXACT_FACTORIAL_ARG if node.exp.has(sympy.Min, sympy.Max)
                 else _EXACT_POWER_EXP)
        try:
            size = complex(node.exp.xreplace(floats).evalf(15))
        except (TypeError, ValueError, ArithmeticError):
            return True
        if not abs(size) <= limit:
            return True
    return False


def _huge_combinatorial(expr: sympy.Expr, subs: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether a binomial/factorial/catalan of ``expr`` has an argument past
    _EXACT_FACTORIAL_ARG at ``subs`` (or one that cannot be sized), or a value of
    more than _EXACT_FACTORIAL_DIGITS digits."""
    nodes = expr.atoms(*_FACTORIAL_LIKE)
    if not nodes:
        return False
    floats = {sym: sympy.Float(value, 15) for sym, value in subs.items()}
    for node in nodes:
        sizes = []
        for arg in node.args:
            try:
                size = complex(arg.xreplace(floats).evalf(15))
            except (TypeError, ValueError, ArithmeticError):
                return True
            if not abs(size) <= _EXACT_FACTORIAL_ARG:
                return True
            sizes.append(size)
        if all(size.imag == 0 for size in sizes):
            digits = _log10_value(node, [size.real for size in sizes])
            if digits is not None and digits > _EXACT_FACTORIAL_DIGITS:
                return True
    return False


def scientific(number: Any, digits: int = 3) -> str:
    """``number`` in scientific notation with ``digits`` significant digits,
    without printing its digits when its exponent is astronomically large
    (mpmath's printer computes 10^exponent: minutes for 10^(10^4000)).

    >>> scientific(sympy.Float(2) ** 1100), scientific(sympy.Float(10) ** (10**30))
    ('1.36e+331', '10^(1.00e+30)')
    """
    value = sympy.Float(number, max(digits, 2))
    sign, man, exp, bc = value._mpf_ if isinstance(value._mpf_, tuple) else (0, 0, 0, 0)
    bits = exp + bc
    if abs(bits) < 10**6:
        return sympy.sstr(sympy.Float(value, digits))
    log10 = sympy.Float(bits, 15) * sympy.log(2, 10).evalf(15)
    head = "-" if sign else ""
    return f"{head}10^({sympy.sstr(sympy.Float(log10, digits))})"


def _ceil(number: sympy.Expr) -> int:
    if number in (sympy.oo, -sympy.oo):
        raise InvalidParameterError("A count of the guarantee is infinite at these values.")
    if abs(number) > _MAX_COUNT:
        raise TooLargeError(
            f"A count of the guarantee is about {scientific(number)} at these values, past "
            f"10^{MAX_COUNT_DIGITS} (MAX_COUNT_DIGITS): too large to be an exact integer."
        )
    nearest = sympy.Integer(round(number))  # round() on a sympy Float is exact
    if abs(number - nearest) <= sympy.Float("1e-30") * max(1, abs(nearest)):
        return int(nearest)
    return int(sympy.ceiling(number))


#: Past this magnitude a 50-digit value has too few digits after the point for
#: its ceiling (or its integrality) to be read off it: the exact paths decide.
_ROUGH_LIMIT = sympy.Float(10) ** 15


def count_at(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], what: str,
             rough: sympy.Expr | None = None) -> int:
    """ceiling(expr) at ``values`` (exact numbers), exactly: the least integer n >=
    the formula. ``rough`` is its 50-digit value when the caller has it.

    Up to 10^15 the 50-digit value decides (35 digits after the point; a value
    within 1e-30, relative, of an integer is that integer). Past it the digits run
    out (2^k + 1 at k = 1000 came out as a round number): the certified ceiling
    :func:`_count` decides (interval enclosures at more digits than the value has, ties
    settled exactly; :func:`pacdistill.bounds.catalog.samples_needed` uses the
    same), so an int returned is the exact count, however many digits it has.

    >>> from pacdistill.bounds import symbols as S
    >>> count_at(2**S.k + 1, {S.k: sympy.Integer(1000)}, "queries") == 2**1000 + 1
    True
    """
    if rough is None:
        rough = _evaluate(expr, values, what)
    if abs(rough) <= _ROUGH_LIMIT and not _near_integer(rough):
        count = _ceil(rough)
    elif abs(rough) <= _ROUGH_LIMIT and expr.is_integer:
        # an integer by construction (a composite's sum of per-step ceilings, 2^k):
        # the exact value is the integer its 50 digits are next to
        count = int(round(rough))
    else:  # past 10^15, or a tie the 50 digits cannot settle (10 + 1e-39 is not 10)
        count = _count(expr, values, what, rough)
    if count < 0:
        raise InvalidParameterError(
            f"The {what} of the guarantee is negative at these values ({scientific(rough)}): "
            "they are outside the range the bound is stated for."
        )
    return count


def _near_integer(number: sympy.Expr) -> bool:
    """Whether a 50-digit value is within 1e-30 (relative) of an integer: too close
    for its digits to say on which side of it the exact value lies."""
    nearest = sympy.Integer(round(number))
    return bool(abs(number - nearest) <= sympy.Float("1e-30") * max(1, abs(nearest)))


def _count(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], what: str,
           rough: sympy.Expr | None = None) -> int:
    """ceiling(expr) at ``values``, exactly: the least integer n >= the formula.

    A 50-digit value rounded up is not enough: past 10^50 its digits run out (the
    hoeffding bound at eps = 1e-30 came out 4e10 short of ln(40) 10^60 / 2), and a
    value a hair above an integer (a log_size given as a 60-digit rational) was
    rounded down to it. Here the value is enclosed by mpmath interval arithmetic
    at more digits than it has (the inner ceilings first, each the same way);
    an enclosure that still straddles an integer is settled by exact rational
    arithmetic where the formula is rational there, or for an inner ceiling of
    a small argument by sympy (log(8)/log(2) is 3). What nothing settles (a
    value within 10^-200 of an integer, or past the guarded evaluator's range)
    is rounded up from the enclosure's upper end, or from the 50-digit value
    plus a margin: the count then still suffices, and may be one above the least.
    ``rough`` is the formula's 50-digit value when the caller has it.
    """
    if rough is None:
        rough = _evaluate(expr, values, what)
    approx = _ceil(rough)  # raises for an infinite count or one past 10^MAX_COUNT_DIGITS
    exact = {sym: sympy.Rational(value) if isinstance(value, sympy.Float) else value
             for sym, value in values.items()}
    digits = len(str(abs(approx))) if approx else 1
    try:
        return _certified_ceiling(expr, exact, digits)
    except _numeric.NumericError:
        pass
    margin = sympy.Float(10, 60) ** (-40) * abs(rough) + sympy.Float(10, 60) ** (-40)
    return int(sympy.ceiling(rough + margin))


def _fraction(value: sympy.Expr) -> Fraction | None:
    return Fraction(int(value.p), int(value.q)) if value.is_Rational else None


def _certified_ceiling(expr: sympy.Expr, exact: Mapping[sympy.Symbol, sympy.Expr],
                       digits: int) -> int:
    """The exact ceiling of ``expr`` at the exact numbers ``exact`` (see
    :func:`_count`); _numeric.NumericError when the guarded evaluator cannot enclose it."""
    rounding = (sympy.ceiling, sympy.floor)
    resolved: dict[sympy.Expr, sympy.Expr] = {}
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, rounding) and node not in resolved:
            arg = node.args[0].xreplace(resolved)
            up = isinstance(node, sympy.ceiling)
            resolved[node] = sympy.Integer(_round_exactly(arg, exact, digits, up))
    return _round_exactly(expr.xreplace(resolved), exact, digits, up=True)


def _round_exactly(expr: sympy.Expr, exact: Mapping[sympy.Symbol, sympy.Expr], digits: int,
                   up: bool) -> int:
    """ceiling (``up``) or floor of ``expr`` (free of floor and ceiling) at ``exact``."""
    rounding = math.ceil if up else math.floor
    rationals = {sym: _fraction(value) for sym, value in exact.items()}
    if all(v is not None for v in rationals.values()):
        value = _numeric.exact_value(expr, rationals)
        if value is not None:
            return rounding(value)
    ends = None
    for extra in (60, 200):
        ctx = _numeric.interval_context(digits + extra)
        enclosure = _numeric.evaluate(expr, exact, ctx)
        ends = [Fraction(man) * Fraction(2) ** exp * (-1 if sign else 1)
                for sign, man, exp, _ in enclosure._mpi_]
        low, high = rounding(ends[0]), rounding(ends[1])
        if low == high:
            return low
    assert ends is not None
    if abs(ends[1]) < 10**15:  # an exact integer such as log(8)/log(2): ask sympy
        try:
            value = (sympy.ceiling if up else sympy.floor)(expr.xreplace(dict(exact)))
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            value = None
        if isinstance(value, sympy.Integer):
            return int(value)
    return rounding(ends[1])  # the upper end: a count that still suffices


def size_at(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr],
            what: str) -> int | float:
    """A size-map value at ``values`` (exact numbers): an int when it is an
    integer, else a float.

    Past 10^15 the 50-digit value cannot tell an integer from its neighbours
    (2^1000 came out as a round number ending in zeros): the exact rational value
    decides where the size map is rational (every integer size map at integer
    sizes is), and any other value is the float, which claims no exactness.

    >>> from pacdistill.bounds import symbols as S
    >>> size_at(2 * 2**S.r - 1, {S.r: sympy.Integer(1000)}, "m") == 2**1001 - 1
    True
    """
    number = _evaluate(expr, values, what)
    if abs(number) <= _ROUGH_LIMIT or abs(number) > _MAX_COUNT:
        return _size_number(number)
    rationals = {sym: _fraction(value) for sym, value in values.items()}
    if all(value is not None for value in rationals.values()):
        value = _numeric.exact_value(expr, rationals)
        if value is not None and value.denominator == 1:
            return int(value)
    return _to_float(number)


def _to_float(number: sympy.Expr) -> float:
    try:
        return float(number)
    except OverflowError:  # pragma: no cover - sympy returns inf instead on most versions
        return math.inf if number > 0 else -math.inf


def _size_number(number: sympy.Expr) -> int | float:
    if abs(number) > _MAX_COUNT:  # no exact integer that large: the float (inf)
        return _to_float(number)
    nearest = sympy.Integer(round(number))
    if abs(number - nearest) <= sympy.Float("1e-30") * max(1, abs(nearest)):
        return int(nearest)
    return _to_float(number)


def _plain(number: sympy.Expr) -> int | float:
    return int(number) if number.is_integer else float(number)


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%",
                "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}", "^": r"\^{}",
                "~": r"\~{}"}


def _latex(expr: sympy.Expr) -> str:
    """LaTeX of an expression with the project's symbol names typeset."""
    names = {}
    for sym in expr.free_symbols:
        if sym.name == "eps":
            names[sym] = r"\varepsilon"
        elif sym.name == "log_size":
            names[sym] = r"\ln|G|"
        elif _sym.is_opt_symbol(sym):
            names[sym] = r"\mathrm{OPT}_{\text{" + _tex(sym.name[4:]) + "}}"
        elif _sym.is_budget_symbol(sym):
            head, index = sym.name.rsplit("_", 1)
            names[sym] = (r"\varepsilon" if head == "eps" else r"\delta") + "_{" + index + "}"
    return sympy.latex(expr, symbol_names=names)


def _tex(text: str) -> str:
    return "".join(_TEX_ESCAPES.get(ch, ch) for ch in text)


class _RebuildPrinter(StrPrinter):
    """sstr, except that OPT and per-step symbols print as the calls that make
    them and rationals as ``Rational(p, q)``, so a repr can be pasted back."""

    def _print_Symbol(self, expr: sympy.Symbol) -> str:
        if _sym.is_opt_symbol(expr):
            return f"OPT({expr.name[4:]!r})"
        if _sym.is_budget_symbol(expr):
            head, index = expr.name.rsplit("_", 1)
            return f"step_{head}({index})"
        origin = _sym.option_origin(expr)
        if origin is not None:
            return f"step_option({origin[0].name}, {origin[1]})"
        return expr.name

    def _print_Rational(self, expr: sympy.Rational) -> str:
        return f"Rational({expr.p}, {expr.q})"


_REBUILD = _RebuildPrinter()
